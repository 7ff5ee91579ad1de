/**
 * Splits a 400/409 answer's `details` into messages for the form's own fields and the rest, so nothing the
 * kernel reported is silently dropped when a path does not match a field on screen. Messages come out in the
 * user's language, translated from each issue's `code`.
 * @module
 */
import { fieldIssueMessage } from '../i18n/field-message.js';
import { ApiError, type FieldIssue } from './client.js';

export interface SortedFieldErrors {
  /** Translated message per form field: the first issue the kernel reported for it. */
  byField: Record<string, string>;
  other: FieldIssue[];
}

/** The kernel may prefix paths (`body.email`) or index into arrays (`permissions.0`); the field is what we need. */
function fieldOf(path: string, fields: readonly string[]): string | undefined {
  const segments = path.split('.');
  return segments.reverse().find((segment) => fields.includes(segment));
}

export function sortFieldErrors(error: unknown, fields: readonly string[]): SortedFieldErrors {
  const result: SortedFieldErrors = { byField: {}, other: [] };
  if (!(error instanceof ApiError)) return result;
  for (const issue of error.details) {
    const field = fieldOf(issue.path, fields);
    if (field === undefined) result.other.push(issue);
    else if (!(field in result.byField)) result.byField[field] = fieldIssueMessage(issue);
  }
  return result;
}
