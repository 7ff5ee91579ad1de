/**
 * EXPLAIN for the tickets plugin's statements, run the way the kernel runs them (db-capability.ts): in a
 * transaction, as the plugin's role, with its schema as search path, the acting user bound and JIT off, then rolled
 * back.
 * Shared by the plan test (tests/integration/tickets-plan.test.ts) and the benchmark (tests/bench/tickets.ts).
 * @module
 */
import type pg from 'pg';

/** One statement of the plugin, as its SQL builders return it. */
export interface PlanStatement {
  sql: string;
  params: unknown[];
}

/** A benchmark case: who asks, what the plugin sends, which indexes its plan must use. */
export interface PlanCase {
  name: string;
  userId: number;
  statement: PlanStatement;
  indexes: string[];
  /**
   * At most this many rows read from tickets and articles in all: an index can still be walked from end to end
   * (a search that reads the whole scope through an index is as slow as a sequential scan).
   */
  maxBigTableRows?: number;
}

/** A node of `EXPLAIN (FORMAT JSON)`. */
export interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  'Actual Rows'?: number;
  'Actual Loops'?: number;
  'Actual Total Time'?: number;
  Plans?: PlanNode[];
  [key: string]: unknown;
}

/** What the plan test and the benchmark check in a plan. */
export interface PlanFacts {
  /** Rows the statement returned. */
  rows: number;
  /** Executed sequential scans of tickets or articles, e.g. `Seq Scan on tickets (200000 rows)`. */
  seqScans: string[];
  /** Indexes the executed part of the plan used. */
  indexes: string[];
  /** The executed scans of tickets and articles, e.g. `Index Scan using tickets_pkey on tickets (rows=1 loops=25)`. */
  bigTableScans: string[];
  /** The rows those scans read from tickets and articles, loops counted (bitmap index scans not twice). */
  bigTableRows: number;
  /** The plan, one line per node, for failure messages. */
  text: string;
}

/** The tables a list may never read from start to end. */
const BIG_TABLES = new Set(['tickets', 'articles']);

export interface PlanBinding {
  /** The plugin's role (`roleOf('tickets')`). */
  role: string;
  /** The plugin's schema (`schemaOf('tickets')`). */
  schema: string;
  /** Cancels a runaway plan instead of hanging the caller; default 60 s. */
  timeoutMs?: number;
}

async function asPlugin<T>(
  client: pg.Client,
  userId: number,
  binding: PlanBinding,
  run: () => Promise<T>,
): Promise<T> {
  await client.query('begin');
  try {
    await client.query(
      `select set_config('role', $1, true), set_config('search_path', $2, true),
              set_config('statement_timeout', $3, true), set_config('goatflow.user_id', $4, true),
              set_config('jit', 'off', true)`,
      [binding.role, binding.schema, String(binding.timeoutMs ?? 60_000), String(userId)],
    );
    return await run();
  } finally {
    await client.query('rollback');
  }
}

/** What `EXPLAIN (ANALYZE, FORMAT JSON)` answers besides the plan. */
export interface Explained {
  root: PlanNode;
  planningMs: number;
  executionMs: number;
  /** Time spent compiling with JIT (0 when PostgreSQL did not use it). */
  jitMs: number;
}

/** `EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON)` of the case's statement. */
export async function planOf(client: pg.Client, c: PlanCase, binding: PlanBinding): Promise<Explained> {
  return asPlugin(client, c.userId, binding, async () => {
    const res = await client.query<{
      'QUERY PLAN': [
        {
          Plan: PlanNode;
          'Planning Time': number;
          'Execution Time': number;
          JIT?: { Timing?: { Total?: number } };
        },
      ];
    }>(`explain (analyze, buffers, format json) ${c.statement.sql}`, c.statement.params);
    const explained = res.rows[0]!['QUERY PLAN'][0];
    return {
      root: explained.Plan,
      planningMs: explained['Planning Time'],
      executionMs: explained['Execution Time'],
      jitMs: explained.JIT?.Timing?.Total ?? 0,
    };
  });
}

/** `EXPLAIN (ANALYZE, BUFFERS)` as PostgreSQL prints it, for docs/performance.md. */
export async function planText(client: pg.Client, c: PlanCase, binding: PlanBinding): Promise<string> {
  return asPlugin(client, c.userId, binding, async () => {
    const res = await client.query<{ 'QUERY PLAN': string }>(
      `explain (analyze, buffers) ${c.statement.sql}`,
      c.statement.params,
    );
    return res.rows.map((r) => r['QUERY PLAN']).join('\n');
  });
}

function describeNode(node: PlanNode): string {
  const on = node['Relation Name'] ? ` on ${node['Relation Name']}` : '';
  const using = node['Index Name'] ? ` using ${node['Index Name']}` : '';
  const loops = node['Actual Loops'] ?? 0;
  const ran = loops === 0 ? 'never executed' : `rows=${node['Actual Rows']} loops=${loops}`;
  return `${node['Node Type']}${using}${on} (${ran})`;
}

/**
 * The facts of a plan. Only the executed part counts: for an agent, the customers' half of the `ticket_scope`
 * union is never executed (its one-time filter is false), and what it would have scanned costs nothing.
 */
export function planFacts({ root }: Pick<Explained, 'root'>): PlanFacts {
  const seqScans: string[] = [];
  const bigTableScans: string[] = [];
  const indexes = new Set<string>();
  const lines: string[] = [];
  let bigTableRows = 0;
  const visit = (node: PlanNode, depth: number) => {
    lines.push(`${'  '.repeat(depth)}${describeNode(node)}`);
    const executed = (node['Actual Loops'] ?? 0) > 0;
    if (executed && node['Node Type'] === 'Seq Scan' && BIG_TABLES.has(node['Relation Name'] ?? ''))
      seqScans.push(
        `Seq Scan on ${node['Relation Name']} (${node['Actual Rows']} rows × ${node['Actual Loops']})`,
      );
    if (executed && node['Index Name']) indexes.add(node['Index Name']);
    const index = node['Index Name'] ?? '';
    if (executed && (BIG_TABLES.has(node['Relation Name'] ?? '') || /^(tickets|articles)_/.test(index)))
      bigTableScans.push(describeNode(node));
    // A bitmap index scan names no relation: its rows are counted once, at the heap scan above it.
    if (executed && BIG_TABLES.has(node['Relation Name'] ?? ''))
      bigTableRows += (node['Actual Rows'] ?? 0) * (node['Actual Loops'] ?? 0);
    for (const child of node.Plans ?? []) visit(child, depth + 1);
  };
  visit(root, 0);
  return {
    rows: root['Actual Rows'] ?? 0,
    seqScans,
    indexes: [...indexes].sort(),
    bigTableScans,
    bigTableRows,
    text: lines.join('\n'),
  };
}
