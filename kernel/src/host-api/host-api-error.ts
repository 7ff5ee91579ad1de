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
