/**
 * The error shape of every GoatFlow HTTP API, kernel and plugins alike.
 * @module
 */

/** One failing field of a rejected request. */
export interface ApiFieldIssue {
  /** Dotted path of the field, e.g. `email` or `query.limit`. */
  path: string;
  /** What is wrong with it, in English. */
  message: string;
  /**
   * Stable code to translate: `required`, `too_short`, `too_long`, `too_few`, `too_many`, `too_small`,
   * `too_large`, `invalid_email`, `invalid_format`, `invalid_option`, `invalid_type`, `invalid_characters`,
   * `unknown_field`, `taken`, `self_deactivation`, or `invalid` for anything else.
   */
  code?: string;
  /** Values the translated message needs, e.g. `{minimum: 8}` for `too_short`. */
  params?: Record<string, string | number>;
}

/** The body of every error response: `{"error": {code, message, details?}}`. */
export interface ApiErrorBody {
  error: {
    /** Stable machine-readable code such as `validation_failed` or `not_found`; clients switch on this. */
    code: string;
    /** What went wrong and what to do, for people. */
    message: string;
    /** For `validation_failed`: the failing fields. */
    details?: ApiFieldIssue[];
  };
}

/**
 * Tells whether a parsed response body has the GoatFlow error shape.
 * @param value - any parsed JSON body
 */
export function isApiErrorBody(value: unknown): value is ApiErrorBody {
  if (typeof value !== 'object' || value === null) return false;
  const error = (value as { error?: unknown }).error;
  return (
    typeof error === 'object' &&
    error !== null &&
    typeof (error as { code?: unknown }).code === 'string' &&
    typeof (error as { message?: unknown }).message === 'string'
  );
}

/**
 * Tells whether a value is a well-formed `{path, message}` field issue; use it to keep only usable entries of
 * `details` from a response that came through an unknown proxy.
 * @param value - one entry of `error.details`
 */
export function isApiFieldIssue(value: unknown): value is ApiFieldIssue {
  if (typeof value !== 'object' || value === null) return false;
  const issue = value as { path?: unknown; message?: unknown };
  return typeof issue.path === 'string' && typeof issue.message === 'string';
}
