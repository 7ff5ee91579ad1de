/**
 * A Host API call that was denied or failed. It never escapes to the HTTP layer: the dispatcher turns it into
 * `{ok: false, error: {code, message}}` for the plugin.
 * @module
 */
export type HostApiErrorCode =
  | 'permission_denied'
  | 'invalid_argument'
  | 'unknown_function'
  | 'sql_denied'
  | 'sql_timeout'
  | 'sql_error'
  /**
   * A write met a unique constraint or index (SQLSTATE 23505); details: `constraint`, and `index` in a
   * transaction. Never the conflicting values: they may be another user's data.
   */
  | 'unique_violation'
  | 'result_too_large'
  /** db.transaction: a statement's `expect` was not met (details: index, expected, rowCount). */
  | 'precondition_failed'
  /** db.transaction: a serialization failure or deadlock rolled it back; the plugin may retry. */
  | 'sql_conflict'
  | 'not_found'
  | 'unavailable'
  /** http.fetch or plugins.call ran past its time limit. */
  | 'timeout'
  /** http.fetch could not resolve the name, connect, or read the answer. */
  | 'network_error'
  /** email.send: the SMTP server refused the mail or could not be reached (the outbox row says why). */
  | 'send_failed'
  /** plugins.call: the called plugin's handler failed. */
  | 'plugin_error'
  /** plugins.call: the chain of calls between plugins is deeper than allowed (a loop, most likely). */
  | 'depth_exceeded'
  | 'internal';

export class HostApiError extends Error {
  /**
   * @param code - the stable code the plugin branches on
   * @param message - what was wrong and what to do, for the plugin's developer
   * @param details - JSON the plugin can act on, e.g. which statement of a transaction failed
   */
  constructor(
    readonly code: HostApiErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'HostApiError';
  }
}

/**
 * The refusal of a call whose capability the plugin was not granted. It names the problem and both halves of
 * the fix, because the reader is either the plugin's developer (who must declare it) or an operator (who must
 * grant it).
 * @param fn - the Host API function, e.g. `cache.get`
 * @param permission - the manifest permission it needs, e.g. `cache`
 */
export function notGranted(fn: string, permission: string): HostApiError {
  return new HostApiError(
    'permission_denied',
    `${fn} needs the permission "${permission}", which this plugin was not granted. To fix: declare ` +
      `"${permission}" under permissions in the plugin's definition (src/plugin.ts, or goatflow-plugin.json ` +
      'when it is written by hand), then have an administrator grant it at /admin/plugins.',
  );
}
