/**
 * Turns any thrown value into a sentence in the user's language. The kernel's own `message` is English and meant
 * for developers, so the shell translates by `code` and never shows the raw message as the headline.
 * @module
 */
import { ApiError } from '../api/client.js';
import { t } from './i18n.js';

/** Every code with its own `errors.<code>` translation; the bundle test keeps this list and the bundles in step. */
export const TRANSLATED_ERROR_CODES = [
  'validation_failed',
  'malformed_json',
  'invalid_package',
  'unauthenticated',
  'invalid_credentials',
  'csrf_failed',
  'not_found',
  'conflict',
  'payload_too_large',
  'unsupported_media_type',
  'rate_limited',
  'internal',
  'service_unavailable',
  'network',
  'unknown',
] as const;

const translated: ReadonlySet<string> = new Set(TRANSLATED_ERROR_CODES);

export function errorCode(error: unknown): string {
  return error instanceof ApiError && translated.has(error.code) ? error.code : 'unknown';
}

export function errorMessage(error: unknown): string {
  return t(`errors.${errorCode(error)}`);
}
