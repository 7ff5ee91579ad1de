/**
 * `db.query` / `db.exec` of the Host API. A statement passes the SQL guard, then runs in its own transaction
 * as the plugin's role, with the plugin's schema as search path, a statement timeout, and the acting user bound
 * as `goatflow.user_id` — all set in one round trip — so even a statement the guard missed can only touch what
 * the role was granted.
 * @module
 */
import type pg from 'pg';
import { roleOf, schemaOf } from '../plugins/plugin-schema.js';
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

const MAX_ROWS = 10_000;

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
    if (typeof sql !== 'string' || sql.length === 0 || sql.length > 100_000) {
      throw new HostApiError('invalid_argument', 'db.query needs the SQL text (at most 100 000 characters)');
    }
    if (!Array.isArray(params) || params.length > 1000) {
      throw new HostApiError(
        'invalid_argument',
        'db.query parameters must be an array of at most 1000 values',
      );
    }
    const ownSchema = schemaOf(scope.pluginId);
    const verdict = await this.guard.check(scope.pluginId, sql, {
      ownSchema,
      readableViews: scope.readableViews,
    });
    if (!verdict.ok) throw new HostApiError('sql_denied', verdict.reason);
    const client = await this.pool.connect();
    try {
      await client.query('begin');
      await client.query(
        `select set_config('role', $1, true), set_config('search_path', $2, true),
                set_config('statement_timeout', $3, true), set_config('goatflow.user_id', $4, true)`,
        [roleOf(scope.pluginId), ownSchema, String(this.timeoutMs), userId === null ? '' : String(userId)],
      );
      const result = await client.query<Record<string, unknown>>(sql, params);
      // Checked before commit: a write that returns too much is rolled back, not half-reported.
      if (result.rows.length > MAX_ROWS) {
        throw new HostApiError(
          'result_too_large',
          `the query returned more than ${MAX_ROWS} rows; page it with LIMIT`,
        );
      }
      await client.query('commit');
      return { rows: result.rows, rowCount: result.rowCount ?? result.rows.length };
    } catch (err) {
      await client.query('rollback').catch(() => {});
      if (err instanceof HostApiError) throw err;
      throw translatePgError(err);
    } finally {
      client.release();
    }
  }
}

function translatePgError(err: unknown): HostApiError {
  const e = err as { code?: string; message?: string };
  if (e.code === '57014')
    return new HostApiError('sql_timeout', 'the statement ran past its time limit and was cancelled');
  if (e.code === '42501') return new HostApiError('sql_denied', `permission denied: ${e.message}`);
  return new HostApiError('sql_error', e.message ?? 'the statement failed');
}
