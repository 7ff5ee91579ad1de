/**
 * The rule of src/sql/scope.ts, enforced on every statement the plugin issues: each is parsed by PostgreSQL's own
 * parser (libpg-query) and
 * - reads only through the scope views, the reference tables, the kernel's `goatflow` views and its own CTEs; a
 *   base table may appear only beside a scope view in the same FROM (to lock the row, or to read a column the
 *   scope leaves out, such as an attachment's content);
 * - an UPDATE, DELETE or INSERT joins a scope view and tests a `can_*` flag (in its FROM/USING, its WHERE, the
 *   SELECT it inserts, or a CTE it reads), so the check and the write are one statement; where the table tells
 *   which right the action needs (`FLAGS_FOR`), that flag;
 * - passes the kernel's statement guard with the plugin's grants, as it will at run time.
 * Statements are the SQL-looking string exports of src/sql/** (and `LINT_SAMPLES` of modules that assemble
 * statements); no other source file may hold SQL text. The exceptions — statements that run as the system, with
 * no user to scope by — are listed by name below.
 */
import fs from 'node:fs';
import path from 'node:path';
import { checkSql } from '@goatflow/kernel';
import { parse } from 'libpg-query';
import { beforeAll, describe, expect, it } from 'vitest';
import plugin from '../src/plugin.js';
import { REFERENCE_TABLES, SCOPE_VIEWS } from '../src/sql/scope.js';

const SRC = path.resolve(import.meta.dirname, '..', 'src');
const SQL_DIR = path.join(SRC, 'sql');

/**
 * Statements that may touch base tables without a scope, by `file:export` under src/sql: they run as the system
 * (demo seed, jobs), where no user is bound and every scope is empty.
 */
const SYSTEM_STATEMENTS = new Set<string>([
  // The pending-auto-close job: closes due pending_auto tickets of every queue.
  'tickets/pending-auto-close.ts:AUTO_CLOSE_DUE',
  // The demo seed (src/demo/seed.ts), on the kernel's demo event: writes the demo world once.
  'demo.ts:CLAIM_DEMO_MARKER',
  'demo.ts:INSERT_DEMO_QUEUES',
  'demo.ts:INSERT_DEMO_COMPANIES',
  'demo.ts:LINK_DEMO_CUSTOMERS',
  'demo.ts:INSERT_DEMO_TICKETS',
]);

/** Looks like the start of a statement (not prose that happens to begin with "select"). */
const SQL_START =
  /^\s*(select\s[\s\S]*\sfrom\s|select\s|with\s+\w+\s+as\s*\(|insert\s+into\s|update\s+\S+\s+(\S+\s+)?set\s|delete\s+from\s)/i;
/** Stricter, for string literals outside src/sql: a whole statement's shape. */
const SQL_TEXT =
  /^\s*(select\s[\s\S]*\sfrom\s|with\s+\w+\s+as\s*\(|insert\s+into\s|update\s+\S+\s+(\S+\s+)?set\s|delete\s+from\s)/i;

interface Statement {
  name: string;
  sql: string;
}

function sourceFiles(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) =>
      e.isDirectory()
        ? sourceFiles(path.join(dir, e.name))
        : e.name.endsWith('.ts') && !e.name.endsWith('.test.ts')
          ? [path.join(dir, e.name)]
          : [],
    );
}

/** Every statement exported by src/sql/**. */
async function collectStatements(): Promise<Statement[]> {
  const out: Statement[] = [];
  for (const file of sourceFiles(SQL_DIR)) {
    const rel = path.relative(SQL_DIR, file).replaceAll(path.sep, '/');
    const module = (await import(file)) as Record<string, unknown>;
    for (const [name, value] of Object.entries(module)) {
      if (typeof value === 'string' && SQL_START.test(value))
        out.push({ name: `${rel}:${name}`, sql: value });
      if (name === 'LINT_SAMPLES' && Array.isArray(value)) {
        value.forEach((sql, i) => {
          out.push({ name: `${rel}:LINT_SAMPLES[${i}]`, sql: String(sql) });
        });
      }
    }
  }
  return out;
}

// ---- the rule ----------------------------------------------------------------------------------------------------

type Node = Record<string, unknown>;

interface RangeVar {
  schemaname?: string;
  relname: string;
}

const scopeViews: ReadonlySet<string> = new Set(SCOPE_VIEWS);
const referenceTables: ReadonlySet<string> = new Set(REFERENCE_TABLES);

/** Calls `visit(key, value)` on every keyed value of a parse tree, depth first. */
function eachNode(node: unknown, visit: (key: string, value: Node) => void): void {
  if (Array.isArray(node)) {
    for (const n of node) eachNode(n, visit);
    return;
  }
  if (!node || typeof node !== 'object') return;
  for (const [key, value] of Object.entries(node)) {
    if (value && typeof value === 'object' && !Array.isArray(value)) visit(key, value as Node);
    eachNode(value, visit);
  }
}

/** The CTEs of a statement, by name (from every WITH in it). */
function ctesOf(tree: unknown): Map<string, unknown> {
  const ctes = new Map<string, unknown>();
  eachNode(tree, (key, value) => {
    if (key === 'CommonTableExpr') ctes.set(String(value.ctename), value.ctequery);
  });
  return ctes;
}

/** The plugin's own name for a relation: unqualified, or `goatflow.x`. */
function relationName(rel: RangeVar): string {
  return rel.schemaname && rel.schemaname !== 'tickets' ? `${rel.schemaname}.${rel.relname}` : rel.relname;
}

/** The relations named directly in a FROM list (through joins, not into subqueries). */
function fromRelations(from: unknown): RangeVar[] {
  const out: RangeVar[] = [];
  const visit = (node: unknown) => {
    if (Array.isArray(node)) {
      node.forEach(visit);
      return;
    }
    const n = node as Node | undefined;
    if (!n) return;
    if (n.RangeVar) out.push(n.RangeVar as RangeVar);
    if (n.JoinExpr) {
      const join = n.JoinExpr as Node;
      visit(join.larg);
      visit(join.rarg);
    }
  };
  visit(from);
  return out;
}

/** Every relation named anywhere below `node`, following CTE names into their queries. */
function reachableRelations(node: unknown, ctes: Map<string, unknown>, seen = new Set<string>()): string[] {
  const out: string[] = [];
  const add = (rel: RangeVar) => {
    const name = relationName(rel);
    out.push(name);
    if (ctes.has(name) && !seen.has(name)) {
      seen.add(name);
      out.push(...reachableRelations(ctes.get(name), ctes, seen));
    }
  };
  eachNode(node, (key, value) => {
    if (key === 'RangeVar') add(value as unknown as RangeVar);
  });
  return out;
}

/** The `can_*` columns referenced below `node`, following CTE names into their queries. */
function flagsTested(node: unknown, ctes: Map<string, unknown>, seen = new Set<string>()): Set<string> {
  const found = new Set<string>();
  eachNode(node, (key, value) => {
    if (key === 'ColumnRef') {
      const fields = (value.fields as { String?: { sval?: string } }[] | undefined) ?? [];
      for (const f of fields) if (f.String?.sval?.startsWith('can_')) found.add(f.String.sval);
    }
    if (key === 'RangeVar') {
      const name = relationName(value as unknown as RangeVar);
      if (ctes.has(name) && !seen.has(name)) {
        seen.add(name);
        for (const flag of flagsTested(ctes.get(name), ctes, seen)) found.add(flag);
      }
    }
  });
  return found;
}

/**
 * The flags that authorise a write to a table, where the table tells: a ticket is created with `can_create`
 * and changed with `can_rw` (a move also tests `can_move_into`, beside `can_rw`); an article or attachment needs
 * `can_note` or `can_rw` (or `can_create` for the first article); the reference tables need `can_admin`. A
 * table not listed (history) takes any flag: it follows the write it records.
 */
const FLAGS_FOR: Record<string, Partial<Record<'INSERT' | 'UPDATE' | 'DELETE', readonly string[]>>> = {
  tickets: { INSERT: ['can_create'], UPDATE: ['can_rw'], DELETE: ['can_rw', 'can_admin'] },
  articles: { INSERT: ['can_note', 'can_rw', 'can_create'], UPDATE: ['can_rw'] },
  attachments: { INSERT: ['can_note', 'can_rw', 'can_create'], UPDATE: ['can_rw'] },
  queues: { INSERT: ['can_admin'], UPDATE: ['can_admin'], DELETE: ['can_admin'] },
  states: { INSERT: ['can_admin'], UPDATE: ['can_admin'] },
  ticket_types: { INSERT: ['can_admin'], UPDATE: ['can_admin'] },
  customer_companies: { INSERT: ['can_admin'], UPDATE: ['can_admin'] },
  customer_users: { INSERT: ['can_admin'], UPDATE: ['can_admin'] },
};

/** What breaks the rule in one statement, in words; empty when nothing does. */
async function violations(sql: string): Promise<string[]> {
  const tree = (await parse(sql)) as { stmts?: { stmt: Node }[] };
  const ctes = ctesOf(tree);
  const problems: string[] = [];
  const checkFrom = (from: unknown, where: string) => {
    const rels = fromRelations(from);
    const names = rels.map(relationName);
    const scoped = names.some((n) => scopeViews.has(n));
    for (const [i, rel] of rels.entries()) {
      const name = names[i]!;
      if (rel.schemaname && rel.schemaname !== 'tickets' && rel.schemaname !== 'goatflow') {
        problems.push(`${where} names ${name}, outside the plugin's schema and the goatflow views`);
      } else if (
        name.startsWith('goatflow.') ||
        (!rel.schemaname && ctes.has(name)) ||
        scopeViews.has(name) ||
        referenceTables.has(name)
      ) {
        // readable as it is
      } else if (!scoped) {
        problems.push(
          `${where} reads the table ${name} without a scope view beside it: read through a *_scope view`,
        );
      }
    }
  };
  eachNode(tree, (key, value) => {
    // The arms of a UNION are SELECT bodies under larg/rarg (a join's larg/rarg hold no FROM, so they add nothing).
    if (key === 'SelectStmt' || key === 'larg' || key === 'rarg') checkFrom(value.fromClause, 'a SELECT');
    if (key === 'UpdateStmt' || key === 'DeleteStmt' || key === 'InsertStmt') {
      const verb = key === 'UpdateStmt' ? 'UPDATE' : key === 'DeleteStmt' ? 'DELETE' : 'INSERT';
      const from =
        key === 'UpdateStmt' ? value.fromClause : key === 'DeleteStmt' ? value.usingClause : undefined;
      if (from !== undefined) checkFrom(from, `the ${verb}'s ${key === 'UpdateStmt' ? 'FROM' : 'USING'}`);
      const target = relationName(value.relation as RangeVar);
      // An INSERT is authorised by the SELECT it inserts (its FROM is checked as any SELECT's).
      const authorising = key === 'InsertStmt' ? [value.selectStmt] : [from, value.whereClause];
      const reached = reachableRelations(authorising, ctes);
      const flags = flagsTested(authorising, ctes);
      if (!reached.some((n) => scopeViews.has(n)) || flags.size === 0) {
        problems.push(
          `the ${verb} of ${target} joins no scope view with a can_* flag: authorise it in the statement`,
        );
      } else {
        const wanted = FLAGS_FOR[target]?.[verb];
        if (wanted && !wanted.some((f) => flags.has(f))) {
          problems.push(
            `the ${verb} of ${target} tests ${[...flags].join(', ')} but not ${wanted.join(' or ')}: ` +
              'test the flag that grants this action',
          );
        }
      }
    }
  });
  return problems;
}

// ---- the tests -----------------------------------------------------------------------------------------------------

describe('the rule itself', () => {
  it.each([
    ['select id, title from tickets where id = $1', 'reads the table tickets'],
    ['select t.id from tickets t join queues q on q.id = t.queue_id', 'reads the table tickets'],
    ['select (select count(*) from articles) as n from ticket_scope', 'reads the table articles'],
    ['with x as (select * from ticket_history) select * from x', 'reads the table ticket_history'],
    ['select * from kernel.users', 'outside the plugin'],
    ['select id from states union all select id from tickets', 'reads the table tickets'],
    ['update tickets set title = $1 where id = $2', 'joins no scope view'],
    [
      'update tickets t set title = $1 from ticket_scope s where s.id = t.id and t.id = $2',
      'joins no scope view',
    ],
    ['delete from queues where id = $1', 'joins no scope view'],
    ["insert into ticket_history (ticket_id, action) values ($1, 'note')", 'joins no scope view'],
    [
      'insert into articles (ticket_id, body) select s.id, $2 from ticket_scope s where s.id = $1',
      'joins no scope',
    ],
    [
      'insert into articles (ticket_id, body) select s.id, $2 from ticket_scope s where s.id = $1 and s.can_owner',
      'but not can_note or can_rw',
    ],
    [
      'insert into tickets (title) select $1 from queue_scope q where q.id = $2 and q.can_ro',
      'but not can_create',
    ],
    [
      'update tickets t set title = $1 from ticket_scope s where s.id = t.id and s.can_note and t.id = $2',
      'but not can_rw',
    ],
    [
      'delete from queues q using queue_scope s where s.id = q.id and q.id = $1 and s.valid',
      'joins no scope view',
    ],
  ])('flags %s', async (sql, problem) => {
    expect((await violations(sql)).join('\n')).toContain(problem);
  });

  it.each([
    'select s.id, s.title from ticket_scope s where s.id = $1',
    'select id, name from states union all select id, name from priorities',
    'select x.content from attachments x join attachment_scope s on s.id = x.id where x.id = $1',
    'select u.id from goatflow.users u join goatflow.acting_user a on a.id = u.id',
    // The design's state change: the lock and the flag sit in a CTE the UPDATE joins.
    `with old as (select t.id, t.state_id from tickets t join ticket_scope s on s.id = t.id and s.can_rw
                   where t.id = $1 for update of t),
          upd as (update tickets t set state_id = st.id, state_type = st.type, changed_at = now()
                    from old, states st where t.id = old.id and st.id = $2 and st.valid returning t.id)
     insert into ticket_history (ticket_id, action, old_value, new_value, actor_user_id)
     select old.id, 'state', old.state_id::text, $2::text, (select id from goatflow.acting_user) from old join upd using (id)`,
    'update queues q set valid = false from admin_scope x where x.can_admin and q.id = $1',
    'delete from tickets t using ticket_scope s where s.id = t.id and s.can_rw and t.id = $1',
    'insert into articles (ticket_id, body) select s.id, $2 from ticket_scope s where s.id = $1 and s.can_note',
    `with t as (select s.id from ticket_scope s where s.id = $1 and s.can_rw)
     insert into ticket_history (ticket_id, action) select t.id, 'note' from t`,
  ])('passes %s', async (sql) => {
    expect(await violations(sql)).toEqual([]);
  });
});

describe('every statement of the plugin', () => {
  let statements: Statement[];
  beforeAll(async () => {
    statements = await collectStatements();
  });

  it('is found in src/sql', () => {
    expect(statements.length).toBeGreaterThan(20);
  });

  it('reads through the scopes and authorises its writes in the statement', async () => {
    const broken: string[] = [];
    for (const s of statements) {
      if (SYSTEM_STATEMENTS.has(s.name)) continue;
      const problems = await violations(s.sql).catch((err: Error) => [`does not parse: ${err.message}`]);
      for (const problem of problems) broken.push(`${s.name}: ${problem}`);
    }
    expect(broken).toEqual([]);
  });

  it("passes the kernel's statement guard with the plugin's grants", async () => {
    const scope = { ownSchema: 'tickets', readableViews: plugin.permissions?.db?.read ?? [] };
    const refused: string[] = [];
    for (const s of statements) {
      const verdict = await checkSql(s.sql, scope);
      if (!verdict.ok) refused.push(`${s.name}: ${verdict.reason}`);
    }
    expect(refused).toEqual([]);
  });

  it('lists only exceptions that exist', () => {
    const names = new Set(statements.map((s) => s.name));
    expect([...SYSTEM_STATEMENTS].filter((n) => !names.has(n))).toEqual([]);
  });
});

describe('the rest of the source', () => {
  it('holds no SQL: statements live in src/sql, where this test reads them', () => {
    const found: string[] = [];
    const literal = /`([^`]*)`|'((?:[^'\\\n]|\\.)*)'|"((?:[^"\\\n]|\\.)*)"/g;
    for (const file of sourceFiles(SRC).filter((f) => !f.startsWith(SQL_DIR + path.sep))) {
      const text = fs.readFileSync(file, 'utf8');
      for (const m of text.matchAll(literal)) {
        const content = m[1] ?? m[2] ?? m[3] ?? '';
        if (SQL_TEXT.test(content)) found.push(`${path.relative(SRC, file)}: ${content.slice(0, 60)}`);
      }
    }
    expect(found).toEqual([]);
  });
});
