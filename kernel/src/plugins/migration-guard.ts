/**
 * The guard for plugin migrations. Migrations run as the plugin's role but outside the statement guard, so without
 * this a migration could leave behind a function, default, view or trigger that calls `set_config` — and a later,
 * guarded statement would call it and act as another user (`goatflow.user_id`). PostgreSQL's own parser
 * (libpg-query) reads each migration; only allow-listed statement kinds pass, and every function call and name in
 * them — defaults, checks, generated columns, view queries, index expressions and SQL function bodies — goes
 * through the statement guard's walker, with its deny-list and schema scope.
 * @module
 */
import { parse } from 'libpg-query';
import { describeStatement, type SqlScope, STATEMENTS, walk } from '../host-api/sql-guard.js';

export type MigrationVerdict = { ok: true } | { ok: false; reason: string };

/** Statement kinds a migration may hold besides `CREATE FUNCTION` and plain DML. */
const DDL = new Set([
  'CreateStmt',
  'CreateSeqStmt',
  'AlterSeqStmt',
  'IndexStmt',
  'AlterTableStmt',
  'ViewStmt',
  'CommentStmt',
  'DropStmt',
  'RenameStmt',
  'CreateEnumStmt',
  'AlterEnumStmt',
  'CompositeTypeStmt',
]);

/** What a migration may drop: the objects it may create. */
const DROPPABLE = new Set([
  'OBJECT_TABLE',
  'OBJECT_SEQUENCE',
  'OBJECT_INDEX',
  'OBJECT_VIEW',
  'OBJECT_TYPE',
  'OBJECT_FUNCTION',
]);

/** `CREATE FUNCTION` options that neither change the session nor the privileges the body runs with. */
const FUNCTION_OPTIONS = new Set(['as', 'language', 'volatility', 'strict', 'parallel', 'cost', 'rows']);

const ALLOWED =
  'tables, sequences, indexes, views, comments, enum and composite types, plain INSERT/UPDATE/DELETE/SELECT, ' +
  'and LANGUAGE sql functions';

type Tree = { stmts?: { stmt?: Record<string, unknown> }[] };

/** Checks a whole migration file against the plugin's scope. */
export async function checkMigration(sql: string, scope: SqlScope): Promise<MigrationVerdict> {
  let tree: Tree;
  try {
    tree = (await parse(sql)) as Tree;
  } catch (err) {
    return { ok: false, reason: `not valid SQL: ${(err as Error).message}` };
  }
  const stmts = tree.stmts ?? [];
  for (const [i, { stmt }] of stmts.entries()) {
    const [type, body] = Object.entries(stmt ?? {})[0] ?? ['Empty', undefined];
    const problem = await checkStatement(type, body, scope);
    if (problem) {
      return { ok: false, reason: `statement ${i + 1} (${describeStatement(type)}): ${problem}` };
    }
  }
  return { ok: true };
}

async function checkStatement(type: string, body: unknown, scope: SqlScope): Promise<string | undefined> {
  if (type === 'CreateFunctionStmt') return checkFunction(body as FunctionStmt, scope);
  if (!DDL.has(type) && !STATEMENTS[type]) {
    return `not allowed in a migration; a migration may hold only ${ALLOWED}`;
  }
  if (type === 'DropStmt') {
    const drop = body as { removeType: string; objects?: unknown[] };
    if (!DROPPABLE.has(drop.removeType)) {
      return `dropping ${drop.removeType.replace('OBJECT_', '').toLowerCase()} objects is not allowed`;
    }
  }
  if (type === 'AlterTableStmt') {
    const cmds = (body as { cmds?: { AlterTableCmd?: { subtype?: string } }[] }).cmds ?? [];
    if (cmds.some((c) => c.AlterTableCmd?.subtype === 'AT_ChangeOwner')) {
      return 'changing the owner is not allowed';
    }
  }
  return checkNames(body, scope) ?? walk(body, scope);
}

interface FunctionStmt {
  funcname: { String: { sval: string } }[];
  is_procedure?: boolean;
  options?: { DefElem: { defname: string; arg?: Record<string, unknown> } }[];
  sql_body?: unknown;
}

async function checkFunction(fn: FunctionStmt, scope: SqlScope): Promise<string | undefined> {
  if (fn.is_procedure) return `procedures are not allowed; a migration may hold only ${ALLOWED}`;
  let language = 'sql';
  let source: string | undefined;
  let objectFile = false;
  for (const { DefElem: opt } of fn.options ?? []) {
    if (opt.defname === 'set') {
      return 'a function may not SET configuration (SET … on CREATE FUNCTION): remove the SET clause';
    }
    if (opt.defname === 'security' && (opt.arg as { Boolean?: { boolval?: boolean } }).Boolean?.boolval) {
      return 'SECURITY DEFINER functions are not allowed: use SECURITY INVOKER (the default)';
    }
    if (opt.defname === 'language') {
      language = ((opt.arg?.String as { sval?: string } | undefined)?.sval ?? '').toLowerCase();
    }
    if (opt.defname === 'as') {
      const items = (opt.arg?.List as { items: { String: { sval: string } }[] } | undefined)?.items ?? [];
      if (items.length !== 1) objectFile = true;
      else source = items[0]!.String.sval;
    } else if (!FUNCTION_OPTIONS.has(opt.defname) && opt.defname !== 'security') {
      return `the function option ${opt.defname.toUpperCase()} is not allowed`;
    }
  }
  if (language !== 'sql') {
    return `LANGUAGE ${language} functions are not allowed: write the function in LANGUAGE sql`;
  }
  if (objectFile) return 'a LANGUAGE sql function takes its body as one string';
  const problem = checkNames(fn, scope) ?? walk(fn, scope);
  if (problem) return problem;
  return source === undefined ? undefined : checkFunctionBody(source, scope);
}

/** A `LANGUAGE sql` body given as a string is parsed too: only SELECT/INSERT/UPDATE/DELETE, walked the same way. */
async function checkFunctionBody(source: string, scope: SqlScope): Promise<string | undefined> {
  let tree: Tree;
  try {
    tree = (await parse(source)) as Tree;
  } catch (err) {
    return `the function body is not valid SQL: ${(err as Error).message}`;
  }
  for (const { stmt } of tree.stmts ?? []) {
    const [type, body] = Object.entries(stmt ?? {})[0] ?? ['Empty', undefined];
    if (!STATEMENTS[type]) {
      return `the function body may hold only SELECT, INSERT, UPDATE and DELETE, not ${describeStatement(type)}`;
    }
    const problem = walk(body, scope);
    if (problem) return `in the function body: ${problem}`;
  }
  return undefined;
}

/** The object names a DDL statement creates, drops, alters or comments on: unqualified or in the own schema. */
function checkNames(body: unknown, scope: SqlScope): string | undefined {
  const b = body as Record<string, unknown>;
  const names: unknown[] = [b.funcname, b.typeName, b.object, ...((b.objects as unknown[]) ?? [])];
  for (const n of names) {
    const parts = nameParts(n);
    if (parts.length > 1 && parts[0] !== scope.ownSchema) {
      return `${parts.join('.')} is outside the plugin's schema "${scope.ownSchema}"`;
    }
  }
  return undefined;
}

/** `[{String}…]`, `{List: {items}}`, `{ObjectWithArgs: {objname}}` or `{TypeName: {names}}` → its parts. */
function nameParts(n: unknown): string[] {
  if (!n || typeof n !== 'object') return [];
  const list = Array.isArray(n)
    ? n
    : ((n as { List?: { items?: unknown[] } }).List?.items ??
      (n as { ObjectWithArgs?: { objname?: unknown[] } }).ObjectWithArgs?.objname ??
      (n as { TypeName?: { names?: unknown[] } }).TypeName?.names ??
      []);
  return list
    .map((p) => (p as { String?: { sval?: string } }).String?.sval)
    .filter((p): p is string => p !== undefined);
}
