/**
 * Turning a failed API call into words: one message for the form or toast, and one per field for a 400, shown
 * next to the field it names. Field codes are translated from the plugin's tables; the English message of an
 * unknown code is shown as it is.
 * @module
 */
import { ApiRequestError, type WidgetMessageParams } from '@goatflow/sdk/widget';

type Translate = (key: string, params?: WidgetMessageParams) => string;

/**
 * Field codes the SDK and the plugin send (see `ApiFieldIssue.code`; `unknown_reference` is the plugin's own), each
 * with an `error.field.<code>` message.
 */
export const FIELD_CODES: ReadonlySet<string> = new Set([
  'required',
  'too_short',
  'too_long',
  'too_few',
  'too_many',
  'too_small',
  'too_large',
  'invalid_email',
  'invalid_format',
  'invalid_option',
  'invalid_type',
  'invalid_characters',
  'unknown_field',
  'taken',
  'unknown_reference',
  'invalid',
]);

/** Error codes with an `error.<code>` message of their own. */
export const ERROR_CODES: ReadonlySet<string> = new Set([
  'not_found',
  'forbidden',
  'conflict',
  'network',
  'validation_failed',
  'payload_too_large',
  'rate_limited',
]);

/**
 * The sentence for a failed call: its code's translation when there is one, the server's message otherwise.
 * @param error - what the call threw
 * @param t - the element's translate function
 */
export function errorMessage(error: unknown, t: Translate): string {
  if (error instanceof ApiRequestError) {
    if (error.status === 413) return t('error.payload_too_large');
    if (error.status === 409) return t('error.conflict');
    if (ERROR_CODES.has(error.code)) return t(`error.${error.code}`);
    return error.message || t('error.unknown');
  }
  return error instanceof Error ? error.message : t('error.unknown');
}

/**
 * The field errors of a 400 or 409, by field path without the `body.` prefix (`title`, `article.body`,
 * `article.attachments.0.filename`); empty for any other failure.
 * @param error - what the call threw
 * @param t - the element's translate function
 */
export function fieldErrors(error: unknown, t: Translate): Record<string, string> {
  const out: Record<string, string> = {};
  // A 400 names invalid fields; a 409 may name one too (a name already taken).
  if (!(error instanceof ApiRequestError) || (error.status !== 400 && error.status !== 409)) return out;
  for (const issue of error.details) {
    const path = issue.path.replace(/^body\./, '');
    if (out[path]) continue;
    out[path] =
      issue.code && FIELD_CODES.has(issue.code)
        ? t(`error.field.${issue.code}`, issue.params ?? {})
        : issue.message.charAt(0).toUpperCase() + issue.message.slice(1);
  }
  return out;
}

/**
 * The field errors no input of the form shows, joined into one line, so nothing the server said is lost.
 * @param errors - from {@link fieldErrors}
 * @param shown - the paths the form shows next to a field
 */
export function otherFieldErrors(errors: Record<string, string>, shown: readonly string[]): string {
  return Object.entries(errors)
    .filter(([path]) => !shown.some((field) => path === field || path.startsWith(`${field}.`)))
    .map(([path, message]) => `${path}: ${message}`)
    .join(' ');
}
