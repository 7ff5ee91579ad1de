/**
 * The GoatFlow Host API for AssemblyScript plugins: `host.db.query(...)`, `host.cache.get(...)` and so on, the
 * same functions with the same arguments as the gRPC SDK's `host`, documented in docs/plugins/host-api.md.
 *
 * Each function has its own import from `extism:host/user`, and the compiler only emits the imports a plugin
 * reaches. So a module's import list names exactly the Host API functions the plugin uses, which is what the
 * operator is asked to grant and what tooling can check against the manifest's permissions. Keep it that way:
 * a helper that dispatches on a name to several imports would make a plugin import them all.
 *
 * A host call never traps: a refusal or a failure comes back as a {@link HostResult} that is not `ok`, with the
 * kernel's code (`permission_denied`, `sql_error` …) and message. AssemblyScript cannot catch exceptions, so
 * check `ok` and decide; {@link failWith} (in `invocation`) turns a failed result into the handler's error.
 * @module
 */
import { freeBlock, readBlock, utf8, writeBlock } from './extism';
import { JsonValue, jsonArray, jsonObject, parseJson, toJson } from './json';

// Every Host API import takes the offset of an Extism block holding its arguments as UTF-8 JSON and returns the
// offset of a block holding the reply, {"ok":true,"value":…} or {"ok":false,"error":{"code","message"}}.
@external('extism:host/user', 'db_query')
declare function db_query(args: u64): u64;
@external('extism:host/user', 'db_exec')
declare function db_exec(args: u64): u64;
@external('extism:host/user', 'db_transaction')
declare function db_transaction(args: u64): u64;
@external('extism:host/user', 'cache_get')
declare function cache_get(args: u64): u64;
@external('extism:host/user', 'cache_set')
declare function cache_set(args: u64): u64;
@external('extism:host/user', 'cache_delete')
declare function cache_delete(args: u64): u64;
@external('extism:host/user', 'http_fetch')
declare function http_fetch(args: u64): u64;
@external('extism:host/user', 'email_send')
declare function email_send(args: u64): u64;
@external('extism:host/user', 'i18n_t')
declare function i18n_t(args: u64): u64;
@external('extism:host/user', 'log')
declare function host_log(args: u64): u64;
// Not Extism's own config_get (module extism:host/env), which is always empty in GoatFlow.
@external('extism:host/user', 'config_get')
declare function config_get(args: u64): u64;
@external('extism:host/user', 'events_publish')
declare function events_publish(args: u64): u64;
@external('extism:host/user', 'identity_get_user')
declare function identity_get_user(args: u64): u64;
@external('extism:host/user', 'plugins_call')
declare function plugins_call(args: u64): u64;
@external('extism:host/user', 'audit_record')
declare function audit_record(args: u64): u64;

/** Why a host call failed. */
export class HostError {
  constructor(
    /** The Host API function, e.g. `cache.get`. */
    public fn: string,
    /**
     * A stable code to branch on: one of the Host API's (`permission_denied`, `invalid_argument`, `not_found`,
     * `sql_error` …, see docs/plugins/host-api.md), one of the WASM runtime's (`host_call_limit`,
     * `reply_too_large`, `memory_limit` …), or `host_error` when no readable reply came back.
     */
    public code: string,
    /** What went wrong, for people: meant for logs and error texts, not for parsing. */
    public message: string,
  ) {}

  /**
   * What the kernel adds for some codes, e.g. `{"index", "expected", "rowCount"}` for `precondition_failed`,
   * `{"constraint"}` for `unique_violation`, or `{"index"}` for a failed statement of `db.transaction`; JSON
   * `null` when there is nothing.
   */
  details: JsonValue = JsonValue.null();

  /** `code: fn: message`, the form a handler's error text takes with {@link failWith}. */
  toString(): string {
    return this.code + ': ' + this.fn + ': ' + this.message;
  }
}

/** What a host call answered: its value when `ok`, else why it failed. */
export class HostResult {
  constructor(
    /** Whether the kernel ran the call. */
    public ok: bool,
    /** The function's value (see each function); JSON `null` when the call failed. */
    public value: JsonValue,
    /** Why the call failed; `null` when it is `ok`. */
    public error: HostError | null,
  ) {}

  /** The error's code, or "" when the call is `ok`: lets a plugin branch without unwrapping `error`. */
  get code(): string {
    const error = this.error;
    return error === null ? '' : error.code;
  }

  /** The error's message, or "" when the call is `ok`. */
  get message(): string {
    const error = this.error;
    return error === null ? '' : error.message;
  }

  /** The error's details (see {@link HostError.details}), or JSON `null`. */
  get details(): JsonValue {
    const error = this.error;
    return error === null ? JsonValue.null() : error.details;
  }

  /**
   * The reply in the kernel's own form, `{"ok":true,"value":…}` or
   * `{"ok":false,"error":{"code","message","details"?}}`.
   */
  toJson(): JsonValue {
    const reply = jsonObject().set('ok', this.ok);
    if (this.ok) return reply.set('value', this.value);
    const error = jsonObject().set('code', this.code).set('message', this.message);
    const details = this.details;
    if (!details.isNull()) error.set('details', details);
    return reply.set('error', error);
  }
}

function failure(fn: string, code: string, message: string): HostResult {
  return new HostResult(false, JsonValue.null(), new HostError(fn, code, message));
}

/** Writes `args` to a new Extism block; {@link readReply} frees it. */
function writeArgs(args: JsonValue): u64 {
  return writeBlock(utf8(args.stringify()));
}

/**
 * Reads and frees the reply of a call to `fn` (Extism counts blocks against a budget per invocation, freed or
 * not, so a plugin that loops over host calls holds two blocks per call at most, never more).
 */
function readReply(fn: string, args: u64, reply: u64): HostResult {
  freeBlock(args);
  // 0: not even an error reply could be stored (the runtime's memory budget is spent).
  if (reply == 0) return failure(fn, 'host_error', 'no reply from the kernel');
  const text = String.UTF8.decode(readBlock(reply));
  freeBlock(reply);
  const doc = parseJson(text);
  if (doc === null || !doc.isObject()) return failure(fn, 'host_error', 'the reply is not a JSON object');
  if (doc.get('ok').asBool()) return new HostResult(true, doc.get('value'), null);
  const error = doc.get('error');
  const result = failure(fn, error.get('code').asString('host_error'), error.get('message').asString());
  const details = error.get('details');
  if (details.isObject()) result.error!.details = details;
  return result;
}

function statement(sql: string, params: JsonValue | null): JsonValue {
  const args = jsonObject().set('sql', sql);
  if (params !== null) args.set('params', params);
  return args;
}

/**
 * A batch for {@link host.db.transaction}: up to 32 statements that commit together or not at all, and the
 * events (at most 100 in all) that are published only if they do.
 */
export class Transaction {
  /** The statements so far, as `db.transaction` takes them. */
  statements: JsonValue = jsonArray();
  /** The events so far, as `db.transaction` takes them. */
  events: JsonValue = jsonArray();

  /**
   * Adds a statement (one `SELECT`, `INSERT`, `UPDATE` or `DELETE` with `$1…$n` parameters) and returns the
   * transaction, so calls chain.
   * @param params a JSON array of the parameters, or `null`
   * @param expect what its row count must be: `any` (no check), `none` (0), `one` (1) or `some` (1 or more); a
   *   miss rolls everything back with `precondition_failed`
   */
  statement(sql: string, params: JsonValue | null = null, expect: string = 'any'): Transaction {
    const args = statement(sql, params);
    if (expect != 'any') args.set('expect', expect);
    this.statements.push(args);
    return this;
  }

  /** Publishes `name` with `payload` (any JSON up to 64 KiB) if the transaction commits. */
  publish(name: string, payload: JsonValue | null = null): Transaction {
    this.events.push(jsonObject().set('name', name).set('payload', payload));
    return this;
  }

  /** Publishes `name` once for every row statement `index` (from 0) returned, that row as the payload. */
  publishRows(name: string, index: i32): Transaction {
    this.events.push(jsonObject().set('name', name).set('rowsOf', index));
    return this;
  }

  /** The batch as `db.transaction` takes it. */
  toJson(): JsonValue {
    const args = jsonObject().set('statements', this.statements);
    if (this.events.length > 0) args.set('events', this.events);
    return args;
  }
}

/**
 * An HTTP request for {@link host.http.fetch}. Only hosts in the plugin's `http` grant are reached, and private
 * addresses only with `httpPrivate`.
 */
export class HttpRequest {
  /** Request headers, name → value; hop-by-hop headers and `Host` are refused. */
  headers: JsonValue = jsonObject();
  /** 1 to 30 000 ms, name resolution included; 0 leaves the kernel's default of 10 s. */
  timeoutMs: i32 = 0;
  /** Where the response body is cut (and `truncated` set); 0 leaves the kernel's default of 512 KiB. */
  maxBytes: i32 = 0;

  constructor(
    /** An http or https URL without credentials. */
    public url: string,
    /** GET, HEAD, POST, PUT, PATCH, DELETE or OPTIONS. */
    public method: string = 'GET',
    /** The request body, serialised by the plugin (no body on GET and HEAD); at most 1 MiB. */
    public body: string | null = null,
  ) {}

  /** Sets a header and returns the request, so calls chain. */
  header(name: string, value: string): HttpRequest {
    this.headers.set(name, value);
    return this;
  }

  /** The request as `http.fetch` takes it. */
  toJson(): JsonValue {
    const args = jsonObject().set('url', this.url).set('method', this.method);
    if (this.headers.length > 0) args.set('headers', this.headers);
    const body = this.body;
    if (body !== null) args.set('body', body);
    if (this.timeoutMs > 0) args.set('timeoutMs', this.timeoutMs);
    if (this.maxBytes > 0) args.set('maxBytes', this.maxBytes);
    return args;
  }
}

/** A mail for {@link host.email.send}. */
export class EmailMessage {
  /** An HTML alternative to `text`, at most 1 MiB. */
  html: string | null = null;

  constructor(
    /** 1 to 50 addresses, each allowed by the plugin's `email` grant (a domain, or `users`). */
    public to: string[],
    /** At most 500 characters, no line breaks. */
    public subject: string,
    /** The plain-text body, at most 1 MiB. */
    public text: string,
  ) {}

  /** The message as `email.send` takes it. */
  toJson(): JsonValue {
    const args = jsonObject().set('to', this.to).set('subject', this.subject).set('text', this.text);
    const html = this.html;
    if (html !== null) args.set('html', html);
    return args;
  }
}

/**
 * The Host API. Every function checks the plugin's grant and acts for the invocation's user; each returns a
 * {@link HostResult} whose `value` is described below.
 */
export namespace host {
  /** Permission `db.own` (the plugin's own schema) and/or `db.read` (views other plugins export). */
  export abstract class db {
    /**
     * Runs one `SELECT` (or `WITH`, `INSERT … RETURNING` …) with `$1…$n` parameters, as the plugin's database
     * role. Value: `{"rows": [...], "rowCount": n}`.
     * @param params a JSON array of the parameters, e.g. `jsonArray().push(id).push(login)`
     */
    static query(sql: string, params: JsonValue | null = null): HostResult {
      const args = writeArgs(statement(sql, params));
      return readReply('db.query', args, db_query(args));
    }

    /** Runs a statement whose rows are not needed. Value: `{"rowCount": n}`. */
    static exec(sql: string, params: JsonValue | null = null): HostResult {
      const args = writeArgs(statement(sql, params));
      return readReply('db.exec', args, db_exec(args));
    }

    /**
     * Runs the statements of `transaction` in one database transaction, all or nothing, and writes its events
     * in it, so they exist only if it commits. Every statement is checked before anything runs. Value:
     * `{"results": [{"rows": [...], "rowCount": n}, ...], "events": [{"id": n}, ...]}`. A failed statement's
     * error has `details` `{"index": i}`; a missed `expect` is `precondition_failed` with
     * `{"index", "expected", "rowCount"}`; a unique constraint met is `unique_violation` with
     * `{"index", "constraint"}`; `sql_conflict` (a deadlock or serialization failure) may be retried.
     */
    static transaction(transaction: Transaction): HostResult {
      const args = writeArgs(transaction.toJson());
      return readReply('db.transaction', args, db_transaction(args));
    }
  }

  /** Permission `cache`: keys of 1 to 512 characters, private to the plugin, dropped when it is disabled. */
  export abstract class cache {
    /** Value: what was stored, or `null` when the key is missing or expired. */
    static get(key: string): HostResult {
      const args = writeArgs(jsonObject().set('key', key));
      return readReply('cache.get', args, cache_get(args));
    }

    /**
     * Stores `value` (any JSON up to 256 KiB; anything {@link toJson} takes) for `ttlSeconds` (1 s to 7 days;
     * 0 leaves the kernel's default of one hour). Value: `true`.
     */
    static set<T>(key: string, value: T, ttlSeconds: i32 = 0): HostResult {
      const request = jsonObject().set('key', key).set('value', toJson<T>(value));
      if (ttlSeconds > 0) request.set('ttlSeconds', ttlSeconds);
      const args = writeArgs(request);
      return readReply('cache.set', args, cache_set(args));
    }

    /** Value: whether the key existed. */
    static delete(key: string): HostResult {
      const args = writeArgs(jsonObject().set('key', key));
      return readReply('cache.delete', args, cache_delete(args));
    }
  }

  /** Permission `http`. */
  export abstract class http {
    /**
     * Makes the request. Redirects are returned, not followed. Value:
     * `{"status": n, "headers": {...}, "body": "...", "truncated": bool}`.
     */
    static fetch(request: HttpRequest): HostResult {
      const args = writeArgs(request.toJson());
      return readReply('http.fetch', args, http_fetch(args));
    }
  }

  /** Permission `email`. */
  export abstract class email {
    /** Sends the mail (or queues it in the outbox when no SMTP server is configured). Value: `{"id": n}`. */
    static send(message: EmailMessage): HostResult {
      const args = writeArgs(message.toJson());
      return readReply('email.send', args, email_send(args));
    }
  }

  /** Permission `i18n`: the plugin's own bundles (`contributes.i18n`). */
  export abstract class i18n {
    /**
     * Translates `key`, filling `{{name}}` placeholders from `params` (a JSON object), in `locale` or else the
     * invocation's locale, falling back to English. Value: the string.
     */
    static t(key: string, params: JsonValue | null = null, locale: string | null = null): HostResult {
      const request = jsonObject().set('key', key);
      if (params !== null) request.set('params', params);
      if (locale !== null) request.set('locale', locale);
      const args = writeArgs(request);
      return readReply('i18n.t', args, i18n_t(args));
    }
  }

  /** No permission needed. */
  export abstract class config {
    /**
     * The plugin's settings in effect: the manifest's `settingsDefaults` overlaid with what the operator saved.
     * Read them on every call: a saved change applies at once, with no restart. Value: the settings object.
     */
    static get(): HostResult {
      const args = writeArgs(jsonObject());
      return readReply('config.get', args, config_get(args));
    }
  }

  /** Permission `events.publish`, listing each name the plugin may publish. */
  export abstract class events {
    /**
     * Publishes `name` with `payload` (any JSON up to 64 KiB) to every enabled plugin that subscribes, at least
     * once. Value: `{"id": n}`.
     */
    static publish(name: string, payload: JsonValue | null = null): HostResult {
      const request = jsonObject().set('name', name).set('payload', payload);
      const args = writeArgs(request);
      return readReply('events.publish', args, events_publish(args));
    }
  }

  /** Permission `identity.read`. */
  export abstract class identity {
    /**
     * User `id` as the API shows it (`id`, `login`, `type`, `firstName`, `lastName`, `email`, `locale`,
     * `active`, `isAdmin`, `groups`), never a password hash or a session; `not_found` for an unknown id.
     */
    static getUser(id: i64): HostResult {
      const args = writeArgs(jsonObject().set('id', id));
      return readReply('identity.getUser', args, identity_get_user(args));
    }
  }

  /** Permission `plugins.call`, listing each plugin the plugin may call. */
  export abstract class plugins {
    /**
     * Runs `handler` of the enabled plugin `plugin` with `input`, as this invocation's user, and returns its
     * output as the value. Chains are limited to 4 calls.
     */
    static call(plugin: string, handler: string, input: JsonValue | null = null): HostResult {
      const request = jsonObject().set('plugin', plugin).set('handler', handler).set('input', input);
      const args = writeArgs(request);
      return readReply('plugins.call', args, plugins_call(args));
    }
  }

  /** Permission `audit`. */
  export abstract class audit {
    /**
     * Writes an audit row `plugin.<id>.<action>` with the invocation's user as the actor. `action` is lower-case
     * words joined by `.` or `_`; `details` a JSON object. Value: `true`.
     */
    static record(
      action: string,
      targetType: string | null = null,
      targetId: string | null = null,
      details: JsonValue | null = null,
    ): HostResult {
      const request = jsonObject().set('action', action);
      if (targetType !== null) request.set('targetType', targetType);
      if (targetId !== null) request.set('targetId', targetId);
      if (details !== null) request.set('details', details);
      const args = writeArgs(request);
      return readReply('audit.record', args, audit_record(args));
    }
  }

  /**
   * Writes a line to the plugin's log, which the operator reads at /admin/plugins. No permission needed, but it
   * is a host call like any other and counts towards the limit per invocation. Value: `true`.
   * @param level `trace`, `debug`, `info`, `warn` or `error` (anything else is taken as `info`)
   * @param message at most 4000 characters
   */
  export function log(level: string, message: string): HostResult {
    const args = writeArgs(jsonObject().set('level', level).set('message', message));
    return readReply('log', args, host_log(args));
  }
}
