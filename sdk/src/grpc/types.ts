/**
 * What a gRPC plugin's handlers see: the invocation context, the host client and the handler signature.
 * @module
 */

/** The end user an invocation acts for. */
export interface PluginUser {
  id: number;
  login: string;
  type: 'agent' | 'customer';
  isAdmin: boolean;
  groups: string[];
}

/** Severity of a line in the plugin's log. */
export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error';

/**
 * The context of one invocation, as the kernel sent it, plus what the SDK adds for the handler: the deadline,
 * an abort signal and the invocation id.
 */
export interface PluginContext {
  /** The plugin's id. */
  pluginId: string;
  /** The handler being run. */
  handler: string;
  /** The end user the invocation acts for; `null` for kernel-initiated work such as a cron job. */
  user: PluginUser | null;
  /** Token scopes of the request, if it came with a token. */
  scopes: string[];
  /** The locale to answer in, e.g. `en`. */
  locale: string;
  /** The id of the HTTP request (or job run) behind this invocation, for correlating logs. */
  requestId: string;
  /** When the kernel stops waiting, in milliseconds since the Unix epoch. */
  deadline: number;
  /**
   * Aborted when the kernel gives up on this invocation (deadline passed, too many host calls) or the plugin
   * is shutting down. Long-running handlers should watch it and stop.
   */
  signal: AbortSignal;
  /** The kernel's id of this invocation (for logs). */
  invocationId: number;
}

/** The kernel's Host API, as seen from one invocation. */
export interface Host {
  /**
   * Calls a Host API function (`db.query`, `cache.get`, …) on behalf of this invocation's user. Resolves with
   * the function's value; rejects with a {@link HostCallError} when the kernel refuses or the call fails.
   * @param fn - the function name, e.g. `db.query`
   * @param args - its arguments; must be JSON-serialisable
   */
  call<T = unknown>(fn: string, args?: unknown): Promise<T>;
  /**
   * Writes a line to the plugin's log (shown to operators). Rate-limited by the kernel like stdout.
   * @param level - severity
   * @param message - the text; long lines are truncated
   */
  log(level: LogLevel, message: string): void;
}

/**
 * One handler of a gRPC plugin: receives the parsed JSON input, the context and the host client, and returns
 * (or resolves with) a JSON-serialisable output. A thrown error fails the invocation with `plugin_error`.
 *
 * Declared through a method signature so a handler may annotate its input with a narrower type than `unknown`.
 */
export type Handler<I = unknown, O = unknown> = {
  handle(input: I, context: PluginContext, host: Host): O | Promise<O>;
}['handle'];

/**
 * A failed host call: the kernel answered `{ok: false, error: {code, message, details?}}` or could not be
 * reached.
 */
export class HostCallError extends Error {
  /**
   * @param code - stable code from the kernel, e.g. `permission_denied`, `invocation_not_active`, or
   *   `disconnected` when the stream to the kernel is gone
   * @param message - what went wrong
   * @param fn - the host function that was called
   * @param details - what the kernel adds for some codes, e.g. `{index, expected, rowCount}` for
   *   `precondition_failed`, `{constraint}` (and `index`) for `unique_violation`, `{index}` for a failed
   *   statement of `db.transaction`
   */
  constructor(
    readonly code: string,
    message: string,
    readonly fn: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'HostCallError';
  }
}
