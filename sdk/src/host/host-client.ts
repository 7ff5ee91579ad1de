/**
 * The Host API as typed functions: `host.db.query(...)`, `host.cache.get(...)` and so on, over any transport that
 * can make one raw host call (`fn`, `args`) → value. The gRPC runtime's `serve()` hands one to every handler; the
 * same shapes are documented, capability by capability, in docs/plugins/host-api.md.
 * @module
 */
import type { ApiUser } from '../api-types.js';
import type { HostErrorCode } from './host-errors.js';

/** Makes one raw Host API call; rejects with an error carrying a {@link HostErrorCode} when the kernel refuses. */
export type RawHostCall = (fn: string, args: unknown) => Promise<unknown>;

/** Result rows of `db.query`. */
export interface QueryResult<Row> {
  rows: Row[];
  rowCount: number;
}

/**
 * What a statement of {@link HostClient.db.transaction} must have affected (its `rowCount`: rows returned, or
 * rows inserted, updated or deleted), checked right after it runs: `any` (the default) checks nothing, `none`
 * wants 0, `one` exactly 1, `some` at least 1. A miss rolls the whole transaction back with
 * `precondition_failed`, whose `details` are `{index, expected, rowCount}`.
 */
export type TransactionExpectation = 'any' | 'none' | 'one' | 'some';

/** One statement of a transaction: the same single guarded statement as `db.query` takes. */
export interface TransactionStatement {
  /** One `SELECT`, `INSERT`, `UPDATE` or `DELETE` (a `WITH` is fine) with `$1…$n` parameters. */
  sql: string;
  /** At most 1000 per statement and 20 000 in the whole transaction. */
  params?: unknown[];
  /** Checked after the statement runs; see {@link TransactionExpectation}. Default `any`. */
  expect?: TransactionExpectation;
}

/**
 * An event published by the transaction, written in it and delivered only once it commits. Either one event
 * with `payload` (any JSON up to 64 KiB), or with `rowsOf: i` one event per row statement `i` returned, that row
 * as its payload (each at most 64 KiB). The name must be in the plugin's `events.publish` grant.
 */
export type TransactionEvent = { name: string; payload?: unknown } | { name: string; rowsOf: number };

/** Options of {@link HostClient.db.transaction}. */
export interface TransactionOptions {
  /** At most 100 events in all (one per row for `rowsOf`). */
  events?: TransactionEvent[];
}

/** What a committed transaction answers. */
export interface TransactionResult<Row = Record<string, unknown>> {
  /** One result per statement, in order. */
  results: QueryResult<Row>[];
  /** The ids of the published events, in the order they were listed (`rowsOf` in row order). */
  events: { id: number }[];
}

/** A user as `identity.getUser` shows it: the API's user, never a password hash or a session. */
export type HostUser = ApiUser;

/** An HTTP request through `http.fetch` (allow-listed hosts only; see the plugin's `http` permission). */
export interface HttpRequest {
  url: string;
  method?: 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'OPTIONS';
  headers?: Record<string, string>;
  /** A string: serialise JSON yourself. */
  body?: string;
  /** 1 to 30 000; default 10 000, name resolution included. */
  timeoutMs?: number;
  /** The body is cut here (default 512 KiB, at most 4 MiB) and `truncated` set. */
  maxBytes?: number;
}

/** The answer to an {@link HttpRequest}. Redirects are returned, not followed. */
export interface HttpResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
  truncated: boolean;
}

/** A mail through `email.send`. */
export interface EmailMessage {
  /** One address or 1 to 50; each must be allowed by the plugin's `email` permission. */
  to: string | string[];
  /** At most 500 characters, no line breaks. */
  subject: string;
  text: string;
  html?: string;
}

/** An audit row; it is recorded as `plugin.<id>.<action>` with the invocation's user as the actor. */
export interface AuditRecord {
  /** Lower-case words joined by `.` or `_`, e.g. `invoice.sent`. */
  action: string;
  targetType?: string;
  targetId?: string | number;
  details?: Record<string, unknown>;
}

/** Log severities, least severe first. */
export type HostLogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error';

/** The Host API, typed. Every function rejects with an error whose `code` is a {@link HostErrorCode}. */
export interface HostClient {
  /** Permission `db.own` and/or `db.read`: one guarded statement as the plugin's role. */
  db: {
    /** A single `SELECT` (or `WITH`, `INSERT … RETURNING` …) with `$1…$n` parameters. */
    query<Row = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<QueryResult<Row>>;
    /** A statement whose rows are not needed; resolves with how many rows it touched. */
    exec(sql: string, params?: unknown[]): Promise<{ rowCount: number }>;
    /**
     * Up to 32 statements in one transaction, sent as one batch: all of them commit, or none does. Every
     * statement is checked before anything runs (a refused one fails the whole batch with `sql_denied` naming
     * `statements[i]`); the events are written in the same transaction, so they exist only if it commits.
     * Fails with `precondition_failed` when an `expect` is not met, `unique_violation` (details
     * `{index, constraint}`) when a statement meets a unique constraint, `sql_conflict` on a serialization failure
     * or deadlock (safe to retry), `result_too_large` past 10 000 rows in all. Needs `events.publish` only for the
     * events it publishes.
     * @example
     * ```ts
     * const { results } = await host.db.transaction(
     *   [
     *     { sql: 'insert into tickets (title) values ($1) returning id, title', params: [title], expect: 'one' },
     *     { sql: 'insert into history (ticket_id, what) select id, $1 from tickets where title = $2', params: ['created', title] },
     *   ],
     *   { events: [{ name: 'ticket.created', rowsOf: 0 }] },
     * );
     * ```
     */
    transaction<Row = Record<string, unknown>>(
      statements: TransactionStatement[],
      options?: TransactionOptions,
    ): Promise<TransactionResult<Row>>;
  };
  /** Permission `cache`: per-plugin keys with a TTL, invalidated across kernel instances. */
  cache: {
    /** The value, or `null` when missing or expired. */
    get<T = unknown>(key: string): Promise<T | null>;
    /** Stores any JSON up to 256 KiB; `ttlSeconds` 1 to 7 days, default 1 hour. */
    set(key: string, value: unknown, ttlSeconds?: number): Promise<void>;
    /** Resolves with whether the key existed. */
    delete(key: string): Promise<boolean>;
  };
  /** Permission `http`: allow-listed hosts, private addresses refused unless `httpPrivate` is granted. */
  http: { fetch(request: HttpRequest): Promise<HttpResponse> };
  /** Permission `email`: resolves with the outbox id. */
  email: { send(message: EmailMessage): Promise<{ id: number }> };
  /** Permission `i18n`: the plugin's own bundles, in the invocation's locale unless `locale` is given. */
  i18n: { t(key: string, params?: Record<string, unknown>, locale?: string): Promise<string> };
  /** No permission needed: a line in the plugin's log at /admin/plugins. */
  log(level: HostLogLevel, message: string): Promise<void>;
  /** No permission needed: the plugin's settings in effect (defaults overlaid with what the admin saved). */
  config: { get<T extends Record<string, unknown> = Record<string, unknown>>(): Promise<T> };
  /** Permission `events.publish` listing the name: resolves with the event id. */
  events: { publish(name: string, payload?: unknown): Promise<{ id: number }> };
  /** Permission `identity.read`. */
  identity: { getUser(id: number): Promise<HostUser> };
  /** Permission `plugins.call` listing the target: runs its handler as this invocation's user. */
  plugins: { call<T = unknown>(plugin: string, handler: string, input?: unknown): Promise<T> };
  /** Permission `audit`. */
  audit: { record(record: AuditRecord): Promise<void> };
}

/**
 * Builds the typed {@link HostClient} over a raw host call.
 * @param call - makes one raw call; the gRPC runtime passes its stream, tests may pass a kernel's dispatcher
 */
export function createHostClient(call: RawHostCall): HostClient {
  const typed = <T>(fn: string, args: unknown) => call(fn, args) as Promise<T>;
  return {
    db: {
      query: (sql, params = []) => typed('db.query', { sql, params }),
      exec: (sql, params = []) => typed('db.exec', { sql, params }),
      transaction: (statements, options = {}) =>
        typed('db.transaction', options.events ? { statements, events: options.events } : { statements }),
    },
    cache: {
      get: (key) => typed('cache.get', { key }),
      set: async (key, value, ttlSeconds) => {
        await call('cache.set', ttlSeconds === undefined ? { key, value } : { key, value, ttlSeconds });
      },
      delete: (key) => typed('cache.delete', { key }),
    },
    http: { fetch: (request) => typed('http.fetch', request) },
    email: { send: (message) => typed('email.send', message) },
    i18n: {
      t: (key, params, locale) =>
        typed('i18n.t', { key, ...(params ? { params } : {}), ...(locale ? { locale } : {}) }),
    },
    log: async (level, message) => {
      await call('log', { level, message });
    },
    config: { get: () => typed('config.get', {}) },
    events: { publish: (name, payload) => typed('events.publish', { name, payload: payload ?? null }) },
    identity: { getUser: (id) => typed('identity.getUser', { id }) },
    plugins: {
      call: (plugin, handler, input) => typed('plugins.call', { plugin, handler, input: input ?? null }),
    },
    audit: {
      record: async (record) => {
        await call('audit.record', record);
      },
    },
  };
}
