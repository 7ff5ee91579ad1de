/**
 * `db.transaction`, from a gRPC plugin (the SDK's typed client) and a WASM plugin (the `db_transaction` import):
 * all or nothing, `expect`, events that exist only once the transaction commits (and reach their subscriber),
 * every statement guarded before anything runs, the caps on rows, parameters and statements, and a pooled
 * connection that comes back with the plugin's role and the acting user reset.
 */
import { type Kernel, PluginDatabase, SqlGuard } from '@goatflow/kernel';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PluginFolder, schemaOf, waitFor } from '../fixtures/grpc/host-api-plugins.js';
import { TX_GRPC, TX_PERMISSIONS, TX_WASM, writeTxPlugins } from '../fixtures/grpc/tx-plugins.js';
import { freshDatabase, type TestDatabase } from '../support/database.js';
import type { ApiClient } from '../support/http-client.js';
import { adminClient, startTestKernel, userClient } from '../support/kernel.js';
import { sql } from '../support/sql.js';

const folder = new PluginFolder();
let db: TestDatabase;
let kernel: Kernel;
let admin: ApiClient;
let agent: ApiClient;
let agentId: number;

type Reply =
  | {
      ok: true;
      value: { results: { rows: Record<string, unknown>[]; rowCount: number }[]; events: { id: number }[] };
    }
  | { ok: false; error: { code: string; message: string; details?: Record<string, unknown> } };

type Statement = { sql: string; params?: unknown[]; expect?: string };

async function tx(plugin: string, statements: Statement[], events?: unknown[]): Promise<Reply> {
  const res = await agent.post(`/api/plugins/${plugin}/tx`, events ? { statements, events } : { statements });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
}

function failed(reply: Reply): { code: string; message: string; details?: Record<string, unknown> } {
  if (reply.ok) throw new Error(`expected a failure, got ${JSON.stringify(reply.value)}`);
  return reply.error;
}

function value(reply: Reply) {
  if (!reply.ok) throw new Error(`expected success, got ${JSON.stringify(reply.error)}`);
  return reply.value;
}

const notes = (plugin: string, titles: string[]) =>
  sql<{ title: string; n: number }>(
    db.url,
    `select title, n from ${schemaOf(plugin)}.notes where title = any($1) order by title`,
    [titles],
  );

const lastEventId = async () =>
  Number(
    (await sql<{ id: string | null }>(db.url, 'select max(id) as id from kernel.plugin_events'))[0]!.id ?? 0,
  );

const insert = (title: string, expect?: string): Statement => ({
  sql: 'insert into notes (title) values ($1) returning id, title',
  params: [title],
  ...(expect ? { expect } : {}),
});

async function grantAndEnable(id: string): Promise<void> {
  expect((await admin.put(`/api/admin/plugins/${id}/grants`, TX_PERMISSIONS)).status).toBe(200);
  const res = await admin.post(`/api/admin/plugins/${id}/enable`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
}

beforeAll(async () => {
  writeTxPlugins(folder);
  db = await freshDatabase();
  kernel = await startTestKernel({
    databaseUrl: db.url,
    env: { GOATFLOW_PLUGIN_DIR: folder.dir, GOATFLOW_EVENTS_POLL_MS: '5000' },
  });
  admin = await adminClient(kernel);
  ({ client: agent, id: agentId } = await userClient(kernel, admin, { login: 'tx-agent' }));
  await grantAndEnable(TX_GRPC);
  await grantAndEnable(TX_WASM);
}, 120_000);

afterAll(async () => {
  await kernel?.stop();
  await db?.drop();
  folder.remove();
});

describe.each([
  { plugin: TX_GRPC, runtime: 'gRPC' },
  { plugin: TX_WASM, runtime: 'WASM' },
])('db.transaction from $runtime', ({ plugin }) => {
  const t = (name: string) => `${plugin}-${name}`;

  it('runs every statement in order and answers each result', async () => {
    const [a, b] = [t('a'), t('b')];
    const reply = value(
      await tx(plugin, [
        insert(a, 'one'),
        insert(b, 'one'),
        { sql: 'update notes set n = n + 10 where title = any($1)', params: [[a, b]], expect: 'some' },
        { sql: 'select count(*)::int as c from notes where title = any($1) and n = 10', params: [[a, b]] },
      ]),
    );
    expect(reply.results.map((r) => r.rowCount)).toEqual([1, 1, 2, 1]);
    expect(reply.results[0]!.rows[0]).toMatchObject({ title: a, id: expect.any(Number) });
    expect(reply.results[3]!.rows).toEqual([{ c: 2 }]);
    expect(reply.events).toEqual([]);
    expect(await notes(plugin, [a, b])).toEqual([
      { title: a, n: 10 },
      { title: b, n: 10 },
    ]);
  });

  it("binds the plugin's role and the acting user for every statement", async () => {
    const reply = value(
      await tx(plugin, [
        { sql: "select current_user as role, current_setting('goatflow.user_id', true) as uid" },
        insert(t('bound')),
        { sql: "select current_user as role, current_setting('goatflow.user_id', true) as uid" },
      ]),
    );
    const bound = { role: `plugin_${schemaOf(plugin)}`, uid: String(agentId) };
    expect(reply.results[0]!.rows).toEqual([bound]);
    expect(reply.results[2]!.rows).toEqual([bound]);
  });

  it('writes nothing when a statement fails, and names the statement', async () => {
    const [c, d] = [t('c'), t('d')];
    const error = failed(await tx(plugin, [insert(c), insert(d), insert(c)]));
    expect(error.code).toBe('unique_violation');
    expect(error.message).toMatch(
      /^statements\[2\]: duplicate key value violates unique constraint "notes_title_key"/,
    );
    expect(error.details).toEqual({ index: 2, constraint: 'notes_title_key' });
    // The constraint, never the value that collided.
    expect(JSON.stringify(error)).not.toContain(c);
    expect(await notes(plugin, [c, d])).toEqual([]);
  });

  it('rolls everything back when an expectation is not met, and says which', async () => {
    const e = t('e');
    const error = failed(
      await tx(plugin, [
        insert(e, 'one'),
        { sql: 'update notes set n = 1 where title = $1', params: [t('nobody')], expect: 'one' },
      ]),
    );
    expect(error.code).toBe('precondition_failed');
    expect(error.details).toEqual({ index: 1, expected: 'one', rowCount: 0 });
    expect(error.message).toContain('statements[1] expected exactly one row but had 0');
    expect(await notes(plugin, [e])).toEqual([]);
    const met = await tx(plugin, [
      { sql: 'select 1 from notes where false', expect: 'none' },
      { sql: 'select 1 union all select 2', expect: 'some' },
      { sql: 'select 1', expect: 'any' },
    ]);
    expect(value(met).results.map((r) => r.rowCount)).toEqual([0, 2, 1]);
    const none = failed(await tx(plugin, [{ sql: 'select 1', expect: 'none' }]));
    expect(none).toMatchObject({
      code: 'precondition_failed',
      details: { index: 0, expected: 'none', rowCount: 1 },
    });
  });

  it('publishes its events only when it commits, one per row for rowsOf', async () => {
    const [f, g] = [t('f'), t('g')];
    const before = await lastEventId();
    const failing = failed(
      await tx(
        plugin,
        [insert(f), insert(f)],
        [
          { name: 'tx.created', rowsOf: 0 },
          { name: 'tx.done', payload: { n: 1 } },
        ],
      ),
    );
    expect(failing.code).toBe('unique_violation');
    expect(await lastEventId()).toBe(before);

    const reply = value(
      await tx(
        plugin,
        [
          {
            sql: 'insert into notes (title) values ($1), ($2) returning id, title',
            params: [f, g],
            expect: 'some',
          },
        ],
        [
          { name: 'tx.created', rowsOf: 0 },
          { name: 'tx.done', payload: { titles: [f, g] } },
        ],
      ),
    );
    const rows = reply.results[0]!.rows;
    expect(reply.events).toHaveLength(3);
    const written = await sql<{ id: string; name: string; payload: unknown; publisher: string }>(
      db.url,
      'select id, name, payload, publisher from kernel.plugin_events where id > $1 order by id',
      [before],
    );
    expect(written).toEqual([
      { id: String(reply.events[0]!.id), name: 'tx.created', payload: rows[0], publisher: plugin },
      { id: String(reply.events[1]!.id), name: 'tx.created', payload: rows[1], publisher: plugin },
      { id: String(reply.events[2]!.id), name: 'tx.done', payload: { titles: [f, g] }, publisher: plugin },
    ]);
    // The subscriber (tx-grpc's onCreated) gets both, woken by the commit rather than the 5 s poll.
    const seen = await waitFor(
      'both tx.created deliveries',
      async () => {
        const found = await sql<{ event_id: string; payload: unknown }>(
          db.url,
          `select event_id, payload from ${schemaOf(TX_GRPC)}.seen where event_id = any($1) order by event_id`,
          [reply.events.slice(0, 2).map((e) => e.id)],
        );
        return found.length === 2 ? found : undefined;
      },
      4000,
    );
    expect(seen.map((s) => s.payload)).toEqual(rows);
  });

  it('refuses a statement, or an event it may not publish, before anything runs', async () => {
    const h = t('h');
    const denied = failed(
      await tx(plugin, [insert(h), { sql: 'select login from kernel.users' }, insert(t('h2'))]),
    );
    expect(denied.code).toBe('sql_denied');
    expect(denied.message).toMatch(/^statements\[1\]: .*nothing ran$/);
    expect(denied.details).toEqual({ index: 1 });
    const forged = failed(
      await tx(plugin, [insert(h), { sql: "select set_config('goatflow.user_id', '1', true)" }]),
    );
    expect(forged).toMatchObject({ code: 'sql_denied', details: { index: 1 } });
    const event = failed(await tx(plugin, [insert(h)], [{ name: 'tx.other', payload: 1 }]));
    expect(event.code).toBe('permission_denied');
    expect(event.message).toContain('"tx.other" (events[0])');
    expect(await notes(plugin, [h, t('h2')])).toEqual([]);
    const logs = await admin.get(`/api/admin/plugins/${plugin}/logs?level=warn`);
    expect(logs.body.items.map((l: { message: string }) => l.message)).toContainEqual(
      expect.stringMatching(/^host call db\.transaction refused: statements\[1\]/),
    );
  });

  it('caps the rows of all results together, before commit', async () => {
    const j = t('j');
    const series = (n: number): Statement => ({
      sql: 'select generate_series(1, $1::int) as n',
      params: [n],
    });
    const error = failed(await tx(plugin, [insert(j), series(6000), series(5000)]));
    expect(error).toMatchObject({ code: 'result_too_large', details: { index: 2 } });
    expect(await notes(plugin, [j])).toEqual([]);
    const full = value(await tx(plugin, [series(5000), series(5000)]));
    expect(full.results.map((r) => r.rowCount)).toEqual([5000, 5000]);
  });

  it('caps parameters and statements, naming the field', async () => {
    const params = (n: number): Statement => ({
      sql: 'select $1::int as x',
      params: [1, ...Array.from({ length: n - 1 }, () => null)],
    });
    const perStatement = failed(await tx(plugin, [params(1001)]));
    expect(perStatement.code).toBe('invalid_argument');
    expect(perStatement.message).toContain('"statements[0].params" must be an array of at most 1000 values');
    const total = failed(
      await tx(
        plugin,
        Array.from({ length: 21 }, () => params(1000)),
      ),
    );
    expect(total.message).toContain('21000 parameters in all; at most 20000');
    const many = failed(
      await tx(
        plugin,
        Array.from({ length: 33 }, () => ({ sql: 'select 1' })),
      ),
    );
    expect(many.message).toContain('at most 32 statements');
  });
});

describe('db.transaction through the AssemblyScript API', () => {
  it('chains statements and events, and publishes nothing when it fails', async () => {
    const title = 'wasm-chained';
    const first = await agent.post(`/api/plugins/${TX_WASM}/note`, { title });
    expect(first.body.ok, JSON.stringify(first.body)).toBe(true);
    expect(first.body.value.events).toHaveLength(2);
    expect(await notes(TX_WASM, [title])).toEqual([{ title, n: 1 }]);
    const before = await lastEventId();
    const again = await agent.post(`/api/plugins/${TX_WASM}/note`, { title });
    expect(again.body).toMatchObject({
      ok: false,
      error: { code: 'unique_violation', details: { index: 0, constraint: 'notes_title_key' } },
    });
    expect(await lastEventId()).toBe(before);
  });
});

describe('the pooled connection after a transaction', () => {
  it("comes back with the plugin's role, search path, timeouts and user reset, whatever the outcome", async () => {
    // One connection, so every transaction below and every check run on the same session.
    const pool = new pg.Pool({ connectionString: db.url, max: 1 });
    const database = new PluginDatabase(pool, new SqlGuard(), 5000);
    const scope = { pluginId: TX_GRPC, readableViews: [] };
    const state = async () =>
      (
        await pool.query(
          `select current_user = session_user as own_role, current_setting('search_path') as search_path,
                  current_setting('statement_timeout') as statement_timeout,
                  current_setting('transaction_timeout', true) as transaction_timeout,
                  coalesce(current_setting('goatflow.user_id', true), '') as user_id`,
        )
      ).rows[0];
    try {
      const clean = await state();
      expect(clean).toMatchObject({ own_role: true, user_id: '' });
      const run = (statements: Statement[], events: { name: string; payload: unknown }[] = []) =>
        database
          .transaction(
            scope,
            agentId,
            {
              statements: statements.map((s) => ({
                sql: s.sql,
                params: s.params ?? [],
                expect: (s.expect ?? 'any') as 'any',
              })),
              events,
            },
            kernel.plugins.events,
            Date.now() + 5000,
          )
          .then(
            () => 'committed',
            (err: { code: string }) => err.code,
          );
      expect(await run([insert('pool-a')], [{ name: 'tx.done', payload: { pool: true } }])).toBe('committed');
      expect(await state()).toEqual(clean);
      expect(await run([insert('pool-b'), { sql: 'select 1', expect: 'none' }])).toBe('precondition_failed');
      expect(await state()).toEqual(clean);
      expect(await run([insert('pool-c'), insert('pool-c')])).toBe('unique_violation');
      expect(await state()).toEqual(clean);
      const duplicate = await database
        .query(scope, agentId, 'insert into notes (title) values ($1)', ['pool-a'])
        .then(
          () => ({ code: 'committed', message: '', details: undefined }),
          (err: { code: string; message: string; details?: unknown }) => err,
        );
      expect(duplicate).toMatchObject({
        code: 'unique_violation',
        details: { constraint: 'notes_title_key' },
      });
      expect(`${duplicate.message} ${JSON.stringify(duplicate.details)}`).not.toContain('pool-a');
      expect(await state()).toEqual(clean);
      expect(await notes(TX_GRPC, ['pool-a', 'pool-b', 'pool-c'])).toEqual([{ title: 'pool-a', n: 0 }]);
    } finally {
      await pool.end();
    }
  });
});
