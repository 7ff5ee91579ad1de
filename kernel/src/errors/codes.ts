/**
 * Every error code the kernel's HTTP API can answer with, in one place, with its HTTP status.
 * Codes are part of the public contract: clients switch on them, so they never change meaning.
 * @module
 */
export const ERROR_CODES = {
  validation_failed: 400,
  bad_request: 400,
  malformed_json: 400,
  /** An uploaded plugin package that cannot be installed: unsafe or unreadable archive, missing or invalid manifest. */
  invalid_package: 400,
  unauthenticated: 401,
  invalid_credentials: 401,
  csrf_failed: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  internal: 500,
  plugin_error: 502,
  service_unavailable: 503,
  plugin_unavailable: 503,
  plugin_timeout: 504,
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;
