/**
 * `db.query` / `db.exec` / `db.transaction` of the Host API. Every statement passes the SQL guard, then runs in
 * a transaction as the plugin's role, with the plugin's schema as search path, a statement timeout, and the
 * acting user bound as `goatflow.user_id` — all set in one round trip, all local to the transaction — so even a
 * statement the guard missed can only touch what the role was granted, and the pooled connection goes back
 * clean.
 * @module
 */
import type pg from 'pg';
import { roleOf, schemaOf } from '../plugins/plugin-schema.js';
import {
  type Expectation,
  eventsToPublish,
  meets,
  TRANSACTION_LIMITS,
  type TransactionRequest,
} from './db-transaction.js';
import type { EventBus } from './event-bus.js';
import { HostApiError } from './host-api-error.js';
import type { SqlGuard } from './sql-guard.js';

export interface PluginDbScope {
  pluginId: string;
  readableViews: readonly string[];
}

export interface QueryResult {
  rows: Record<string, unknown>[];
  rowCount: number;
}

/** What a committed `db.transaction` answers. */
export interface TransactionResult {
  results: QueryResult[];
  events: { id: number }[];
}

const MAX_ROWS = TRANSACTION_LIMITS.rows;

const EXPECTED: Record<Expectation, string> = {
  any: 'any number of rows',
  none: 'no rows',
  one: 'exactly one row',
  some: 'at least one row',
};

/**
 * Binds the session for one transaction. `transaction_timeout` (PostgreSQL 17 and later) is set only where the
 * server knows it: `current_setting(…, true)` is null on older servers instead of an error. JIT is off: plugin
 * statements are short OLTP queries, and on a freshly loaded table the planner's estimates can push a small query
 * over `jit_above_cost`, where compiling alone took seconds (measured on the tickets search).
 */
const BIND = `select set_config('role', $1, true), set_config('search_path', $2, true),
       set_config('statement_timeout', $3, true), set_config('goatflow.user_id', $4, true),
       set_config('jit', 'off', true),
       case when $5::text <> '' and current_setting('transaction_timeout', true) is not null
            then set_config('transaction_timeout', $5, true) end`;

export class PluginDatabase {
  constructor(
    private readonly pool: pg.Pool,
    private readonly guard: SqlGuard,
    private readonly timeoutMs: number,
  ) {}

  async query(
    scope: PluginDbScope,
    userId: number | null,
    sql: string,
    params: unknown[],
  ): Promise<QueryResult> {
    if (typeof sql !== 'string' || sql.length === 0 || sql.length > TRANSACTION_LIMITS.sqlChars) {
      throw new HostApiError('invalid_argument', 'db.query needs the SQL text (at most 100 000 characters)');
    }
    if (!Array.isArray(params) || params.length > TRANSACTION_LIMITS.paramsPerStatement) {
      throw new HostApiError(
        'invalid_argument',
        'db.query parameters must be an array of at most 1000 values',
      );
    }
    await this.check(scope, sql);
    return this.inTransaction(scope, userId, undefined, async (client) => {
      const result = await client.query<Record<string, unknown>>(sql, params);
      // Checked before commit: a write that returns too much is rolled back, not half-reported.
      if (result.rows.length > MAX_ROWS) {
        throw new HostApiError(
          'result_too_large',
          `the query returned more than ${MAX_ROWS} rows; page it with LIMIT`,
        );
      }
      return { rows: result.rows, rowCount: result.rowCount ?? result.rows.length };
    });
  }

  /**
   * Runs a checked batch (see {@link parseTransaction}) in one transaction: every statement is guarded before
   * `begin`, then they run in order, each `expect` checked after its statement; the events are written with the
   * same connection as the kernel, the transaction commits, and only then is the dispatcher woken.
   * @param events - the bus that writes the events; the publisher is the plugin
   * @param deadline - when the invocation is given up (epoch ms): the transaction may not outlive it
   */
  async transaction(
    scope: PluginDbScope,
    userId: number | null,
    request: TransactionRequest,
    events: EventBus,
    deadline?: number,
  ): Promise<TransactionResult> {
    for (const [index, statement] of request.statements.entries()) {
      await this.check(scope, statement.sql, index);
    }
    // Read before `begin`: see EventBus.subscriptions.
    const subscriptions = await events.subscriptions(request.events.map((e) => e.name));
    const remaining = deadline === undefined ? undefined : Math.floor(deadline - Date.now());
    if (remaining !== undefined && remaining < 1) {
      throw new HostApiError('sql_timeout', "the invocation's deadline has passed; nothing ran");
    }
    const written = await this.inTransaction(scope, userId, remaining, async (client) => {
      const results: QueryResult[] = [];
      let rows = 0;
      for (const [index, statement] of request.statements.entries()) {
        let result: pg.QueryResult<Record<string, unknown>>;
        try {
          result = await client.query<Record<string, unknown>>(statement.sql, statement.params);
        } catch (err) {
          throw translatePgError(err, index);
        }
        rows += result.rows.length;
        if (rows > MAX_ROWS) {
          throw new HostApiError(
            'result_too_large',
            `the statements returned more than ${MAX_ROWS} rows in all (at statements[${index}]); page with LIMIT`,
            { index },
          );
        }
        const rowCount = result.rowCount ?? result.rows.length;
        if (!meets(statement.expect, rowCount)) {
          throw new HostApiError(
            'precondition_failed',
            `statements[${index}] expected ${EXPECTED[statement.expect]} but had ${rowCount}; nothing was written`,
            { index, expected: statement.expect, rowCount },
          );
        }
        results.push({ rows: result.rows, rowCount });
      }
      const toPublish = eventsToPublish(request.events, results);
      if (toPublish.length === 0) return { results, published: [] };
      // The events are the kernel's tables: the plugin's role is dropped for them, still in the transaction.
      await client.query(`select set_config('role', 'none', true)`);
      return {
        results,
        published: await events.publishWith(client, scope.pluginId, toPublish, subscriptions),
      };
    });
    if (written.published.some((e) => e.subscribers.length > 0)) events.wake();
    return { results: written.results, events: written.published.map((e) => ({ id: e.id })) };
  }

  /** Runs the SQL guard; a refusal names the statement of a transaction. */
  private async check(scope: PluginDbScope, sql: string, index?: number): Promise<void> {
    const verdict = await this.guard.check(scope.pluginId, sql, {
      ownSchema: schemaOf(scope.pluginId),
      readableViews: scope.readableViews,
    });
    if (verdict.ok) return;
    if (index === undefined) throw new HostApiError('sql_denied', verdict.reason);
    throw new HostApiError('sql_denied', `statements[${index}]: ${verdict.reason}; nothing ran`, { index });
  }

  /**
   * `begin`, the bind, `work`, `commit` — or `rollback` on any error. A connection that cannot roll back (the
   * server ended the session, e.g. at `transaction_timeout`) is destroyed rather than returned to the pool.
   */
  private async inTransaction<T>(
    scope: PluginDbScope,
    userId: number | null,
    transactionTimeoutMs: number | undefined,
    work: (client: pg.PoolClient) => Promise<T>,
  ): Promise<T> {
    const client = await this.pool.connect();
    let broken: Error | undefined;
    // A checked-out client has no listener of the pool's: a session the server ends (transaction_timeout, a
    // restart) would otherwise be an uncaught 'error'.
    const lost = (err: Error) => {
      broken = err;
    };
    client.on('error', lost);
    try {
      await client.query('begin');
      await client.query(BIND, [
        roleOf(scope.pluginId),
        schemaOf(scope.pluginId),
        String(this.timeoutMs),
        userId === null ? '' : String(userId),
        transactionTimeoutMs === undefined ? '' : String(transactionTimeoutMs),
      ]);
      const value = await work(client);
      await client.query('commit');
      return value;
    } catch (err) {
      await client.query('rollback').catch((rollbackError: Error) => {
        broken = rollbackError;
      });
      if (err instanceof HostApiError) throw err;
      throw translatePgError(err);
    } finally {
      client.off('error', lost);
      client.release(broken);
    }
  }
}

/**
 * PostgreSQL's error as the Host API's. Within a transaction the message and details name the statement.
 * @param index - the statement of a transaction that failed, if any
 */
export function translatePgError(err: unknown, index?: number): HostApiError {
  if (err instanceof HostApiError) return err;
  const e = err as { code?: string; message?: string; constraint?: unknown };
  const at = index === undefined ? '' : `statements[${index}]: `;
  const details = index === undefined ? undefined : { index };
  switch (e.code) {
    case '57014':
      return new HostApiError(
        'sql_timeout',
        `${at}the statement ran past its time limit and was cancelled`,
        details,
      );
    // transaction_timeout (PostgreSQL 17): the server ends the session.
    case '25P04':
      return new HostApiError(
        'sql_timeout',
        `${at}the transaction ran past the invocation's deadline`,
        details,
      );
    case '42501':
      return new HostApiError('sql_denied', `${at}permission denied: ${e.message}`, details);
    // PostgreSQL's message names the constraint; its `detail`, which holds the conflicting values (perhaps another
    // user's), is left out.
    case '23505': {
      const constraint = typeof e.constraint === 'string' ? e.constraint : null;
      return new HostApiError(
        'unique_violation',
        `${at}${e.message ?? 'a unique constraint was violated'}; nothing was written, choose another value`,
        { ...details, constraint },
      );
    }
    case '40001':
    case '40P01':
      return new HostApiError(
        'sql_conflict',
        `${at}${e.message ?? 'the transaction conflicted with another'}; nothing was written, retrying may succeed`,
        details,
      );
    default:
      return new HostApiError('sql_error', `${at}${e.message ?? 'the statement failed'}`, details);
  }
}
