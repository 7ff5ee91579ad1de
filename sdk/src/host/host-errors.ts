/**
 * The codes a Host API call fails with, the same in both runtimes, so a plugin can branch on them.
 * @module
 */

/** Every code a host call can fail with; docs/plugins/host-api.md says which function returns which. */
export const HOST_ERROR_CODES = [
  /** The plugin was not granted the permission the function needs. */
  'permission_denied',
  /** An argument is missing, of the wrong type or out of range; the message names it. */
  'invalid_argument',
  /** There is no such Host API function. */
  'unknown_function',
  /** db: the statement guard or the plugin's role refused the SQL. */
  'sql_denied',
  /** db: the statement ran past its time limit. */
  'sql_timeout',
  /** db: PostgreSQL's own error (syntax, check or foreign-key constraint, unknown column …). */
  'sql_error',
  /**
   * db: a write met a unique constraint or index (SQLSTATE 23505), e.g. a name another row took meanwhile;
   * `details` are `{constraint}` (the index's name) and in a transaction `{index, constraint}`. Nothing was
   * written; answer it as a conflict naming the field.
   */
  'unique_violation',
  /** db: more rows than a result may hold; page with LIMIT. */
  'result_too_large',
  /** db.transaction: a statement's `expect` was not met; `details` are `{index, expected, rowCount}`. */
  'precondition_failed',
  /** db.transaction: a serialization failure or deadlock (40001, 40P01) rolled it back; retrying may succeed. */
  'sql_conflict',
  /** The thing asked for does not exist (a user, a plugin handler, translation bundles). */
  'not_found',
  /** plugins.call: the target plugin is not enabled. */
  'unavailable',
  /** http.fetch or plugins.call ran past its time limit. */
  'timeout',
  /** http.fetch could not resolve the name, connect, or read the answer. */
  'network_error',
  /** email.send: the SMTP server refused the mail or could not be reached. */
  'send_failed',
  /** plugins.call: the called plugin's handler failed. */
  'plugin_error',
  /** plugins.call: the chain of calls between plugins is too deep (a loop, most likely). */
  'depth_exceeded',
  /** More host calls in one invocation than the runtime allows. */
  'host_call_limit',
  /** WASM: a host reply larger than the runtime allows. */
  'reply_too_large',
  /** The invocation the call belongs to has already ended. */
  'invocation_not_active',
  /** gRPC: the stream to the kernel is gone (the kernel stopped or the plugin is being disabled). */
  'disconnected',
  /** The kernel failed; its log says why. */
  'internal',
] as const;

/** A code from {@link HOST_ERROR_CODES}. */
export type HostErrorCode = (typeof HOST_ERROR_CODES)[number];

/**
 * Tells whether an error is a failed host call, optionally with a given code.
 * @param error - what a host call rejected with
 * @param code - the code to match, e.g. `permission_denied`
 * @example
 * ```ts
 * try { await host.cache.get('k'); } catch (e) { if (isHostError(e, 'permission_denied')) … }
 * ```
 */
export function isHostError(
  error: unknown,
  code?: HostErrorCode,
): error is Error & { code: HostErrorCode; fn: string; details?: Record<string, unknown> } {
  if (!(error instanceof Error)) return false;
  const c = (error as { code?: unknown }).code;
  // Every host call error names the function it came from; a RouteError or a Node error with a look-alike code
  // does not.
  return (
    typeof (error as { fn?: unknown }).fn === 'string' &&
    typeof c === 'string' &&
    (HOST_ERROR_CODES as readonly string[]).includes(c) &&
    (code === undefined || c === code)
  );
}
