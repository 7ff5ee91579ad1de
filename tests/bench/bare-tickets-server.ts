/**
 * The benchmark's baseline for `GET /api/v1/tickets`: the tickets plugin's list handler without the platform. It
 * is express 5 (the kernel's HTTP stack) with a `pg.Pool` of 4 (the kernel's pool for plugin SQL), and it does
 * what the plugin does per request — the same query schema, the same SQL builder, the same row mapping — with
 * the same begin / bind (role, search path, statement timeout, user, JIT off) / statement / commit as the kernel's
 * `db.query`. What it leaves out is what the comparison measures: the session check, the route lookup, the gRPC
 * round trips to the plugin process, the SQL guard and the response check.
 *
 * Started by tests/bench/tickets.ts as a child process (`node --conditions=@goatflow/source --import tsx …`);
 * prints `listening <port>` once it serves. Environment: DATABASE_URL, PORT, BENCH_USER_ID (every request acts
 * as this user), PLUGIN_ROLE, PLUGIN_SCHEMA, STATEMENT_TIMEOUT_MS (the kernel's GOATFLOW_PLUGIN_SQL_TIMEOUT_MS).
 * @module
 */
import express from 'express';
import pg from 'pg';
import { ticketListQuery } from '../../plugins-core/tickets/src/api/schemas.js';
import { toSummary } from '../../plugins-core/tickets/src/routes/tickets/rows.js';
import { highlightsOf } from '../../plugins-core/tickets/src/search/highlights.js';
import {
  buildTicketList,
  sortOf,
  type TicketListRow,
  TOTAL_CAP,
} from '../../plugins-core/tickets/src/sql/tickets/list.js';

/** The kernel's PLUGIN_POOL_SIZE (kernel/src/plugins/plugin-platform.ts). */
const POOL_SIZE = 4;

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set; tests/bench/tickets.ts starts this server`);
  return value;
}

const pool = new pg.Pool({ connectionString: required('DATABASE_URL'), max: POOL_SIZE });
const bind = [
  required('PLUGIN_ROLE'),
  required('PLUGIN_SCHEMA'),
  required('STATEMENT_TIMEOUT_MS'),
  required('BENCH_USER_ID'),
];

const app = express();
app.get('/api/v1/tickets', async (req, res) => {
  const parsed = ticketListQuery.safeParse(req.query);
  if (!parsed.success) {
    res.status(400).json({ error: { code: 'invalid_input', message: parsed.error.message } });
    return;
  }
  const query = parsed.data;
  const { sql, params } = buildTicketList({ ...query, sort: sortOf(query) });
  const client = await pool.connect();
  try {
    await client.query('begin');
    await client.query(
      `select set_config('role', $1, true), set_config('search_path', $2, true),
              set_config('statement_timeout', $3, true), set_config('goatflow.user_id', $4, true),
              set_config('jit', 'off', true)`,
      bind,
    );
    const { rows } = await client.query<TicketListRow>(sql, params);
    await client.query('commit');
    const counted = Number(rows[0]?.total ?? 0);
    res.json({
      items: rows
        .filter((row) => row.id !== null)
        .map((row) => (query.q ? { ...toSummary(row), highlights: highlightsOf(row) } : toSummary(row))),
      total: Math.min(counted, TOTAL_CAP),
      totalExact: counted <= TOTAL_CAP,
      page: query.page,
      perPage: query.perPage,
    });
  } catch (error) {
    await client.query('rollback').catch(() => {});
    res.status(500).json({ error: { code: 'internal', message: (error as Error).message } });
  } finally {
    client.release();
  }
});

const server = app.listen(Number(required('PORT')), '127.0.0.1', () => {
  process.stdout.write(`listening ${Number(required('PORT'))}\n`);
});
const stop = () => {
  server.close();
  void pool.end();
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
