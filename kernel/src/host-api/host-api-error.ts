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
  | 'result_too_large'
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
  constructor(
    readonly code: HostApiErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'HostApiError';
  }
}
