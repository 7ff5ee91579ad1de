/**
 * The first of the two database guards for plugin SQL: PostgreSQL's own parser (libpg-query) reads the
 * statement, and only a single SELECT / INSERT / UPDATE / DELETE (WITH included) that names only the plugin's own
 * schema and the views it was granted, and calls no system function, passes. The second guard is the database
 * role the statement then runs under (see db-capability.ts).
 * @module
 */
import { parse } from 'libpg-query';
import { LRUCache } from 'lru-cache';

export interface SqlScope {
  /** The plugin's own schema; unqualified names resolve there. */
  ownSchema: string;
  /** `schema.view` names the plugin was granted read access to. */
  readableViews: readonly string[];
}

export type SqlVerdict =
  | { ok: true; kind: 'select' | 'insert' | 'update' | 'delete' }
  | { ok: false; reason: string };

export const STATEMENTS: Record<string, 'select' | 'insert' | 'update' | 'delete'> = {
  SelectStmt: 'select',
  InsertStmt: 'insert',
  UpdateStmt: 'update',
  DeleteStmt: 'delete',
};

/** Functions that change session state, read files or reach outside the database. */
const DENIED_FUNCTIONS = new Set([
  'set_config',
  'query_to_xml',
  'query_to_xml_and_xmlschema',
  'table_to_xml',
  'table_to_xml_and_xmlschema',
  'cursor_to_xml',
  'database_to_xml',
  'schema_to_xml',
  'txid_current',
]);
const DENIED_FUNCTION_PREFIXES = ['pg_', 'lo_', 'dblink'];
const SYSTEM_SCHEMAS = new Set(['pg_catalog', 'information_schema', 'pg_toast']);

type Node = unknown;

export function describeStatement(name: string): string {
  return name
    .replace(/Stmt$/, '')
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toUpperCase();
}

/** Checks one statement against the plugin's scope. */
export async function checkSql(sql: string, scope: SqlScope): Promise<SqlVerdict> {
  let tree: { stmts?: { stmt?: object }[] };
  try {
    tree = await parse(sql);
  } catch (err) {
    return { ok: false, reason: `not valid SQL: ${(err as Error).message}` };
  }
  const stmts = tree.stmts ?? [];
  if (stmts.length !== 1) {
    return { ok: false, reason: `send exactly one statement per call (got ${stmts.length})` };
  }
  const [type, body] = Object.entries(stmts[0]!.stmt ?? {})[0] ?? ['Empty', undefined];
  const kind = STATEMENTS[type];
  if (!kind) {
    return {
      ok: false,
      reason: `${describeStatement(type)} is not allowed: only SELECT, INSERT, UPDATE, DELETE (optionally with WITH)`,
    };
  }
  const problem = walk(body, scope);
  return problem ? { ok: false, reason: problem } : { ok: true, kind };
}

/**
 * Walks a parse tree and returns the first problem: a relation outside the scope, a denied or foreign function,
 * or `SELECT … INTO`. Shared with the migration guard, which walks DDL trees with it.
 */
export function walk(node: Node, scope: SqlScope): string | undefined {
  if (Array.isArray(node)) {
    for (const n of node) {
      const p = walk(n, scope);
      if (p) return p;
    }
    return undefined;
  }
  if (!node || typeof node !== 'object') return undefined;
  for (const [key, value] of Object.entries(node)) {
    const problem =
      // INSERT/UPDATE/DELETE carry their target as a bare RangeVar under `relation`; DDL under `view`,
      // `sequence`, `pktable`, `typevar`….
      key === 'RangeVar' || isRangeVar(value)
        ? checkRelation(value as { schemaname?: string; relname: string }, scope)
        : key === 'FuncCall'
          ? checkFunction(value as { funcname: { String: { sval: string } }[] }, scope)
          : key === 'intoClause'
            ? 'SELECT … INTO is not allowed: create tables in a migration'
            : undefined;
    if (problem) return problem;
    const nested = walk(value, scope);
    if (nested) return nested;
  }
  return undefined;
}

function isRangeVar(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && 'relname' in value;
}

function checkRelation(rel: { schemaname?: string; relname: string }, scope: SqlScope) {
  if (!rel.schemaname) {
    // Unqualified names resolve in the plugin's schema — except that PostgreSQL searches pg_catalog first, so
    // `pg_roles` would reach the catalog.
    return rel.relname.startsWith('pg_')
      ? `system catalog ${rel.relname} is not accessible to plugins`
      : undefined;
  }
  if (rel.schemaname === scope.ownSchema) return undefined;
  const qualified = `${rel.schemaname}.${rel.relname}`;
  if (scope.readableViews.includes(qualified)) return undefined;
  if (SYSTEM_SCHEMAS.has(rel.schemaname)) return `system catalog ${qualified} is not accessible to plugins`;
  return `${qualified} is outside the plugin's schema "${scope.ownSchema}" and not among the views it was granted`;
}

function checkFunction(fn: { funcname: { String: { sval: string } }[] }, scope: SqlScope) {
  const parts = fn.funcname.map((p) => p.String.sval);
  const name = parts[parts.length - 1]!.toLowerCase();
  if (parts.length > 1 && parts[0] !== scope.ownSchema) {
    return `function ${parts.join('.')} is not allowed: call functions unqualified or from your own schema`;
  }
  if (DENIED_FUNCTIONS.has(name) || DENIED_FUNCTION_PREFIXES.some((p) => name.startsWith(p))) {
    return `function ${name}() is not allowed in plugin SQL`;
  }
  return undefined;
}

/** Verdicts cached by plugin and statement text: plugins repeat the same statements with new parameters. */
export class SqlGuard {
  private readonly cache = new LRUCache<string, SqlVerdict>({ max: 5000 });

  async check(pluginId: string, sql: string, scope: SqlScope): Promise<SqlVerdict> {
    const key = `${pluginId}\u0000${scope.readableViews.join(',')}\u0000${sql}`;
    const hit = this.cache.get(key);
    if (hit) return hit;
    const verdict = await checkSql(sql, scope);
    this.cache.set(key, verdict);
    return verdict;
  }
}
