/**
 * Turns one failing field of a 400/409 answer into a sentence in the user's language. The kernel's `message` is
 * English for logs; its `code` and `params` are the contract, so the shell translates those and shows the English
 * words only for a code it does not know (an older kernel, or a plugin with codes of its own).
 * @module
 */
import type { FieldIssue } from '../api/client.js';
import { t } from './i18n.js';

/** Every field code the kernel sends, with the parameters its translation needs. */
const FIELD_ERROR_PARAMS = {
  required: [],
  too_short: ['minimum'],
  too_long: ['maximum'],
  too_few: ['minimum'],
  too_many: ['maximum'],
  too_small: ['minimum'],
  too_large: ['maximum'],
  invalid_email: [],
  invalid_format: [],
  invalid_option: ['options'],
  invalid_type: ['expected'],
  invalid_characters: [],
  unknown_field: [],
  taken: [],
  self_deactivation: [],
  invalid: [],
} as const satisfies Record<string, readonly string[]>;

export type FieldErrorCode = keyof typeof FIELD_ERROR_PARAMS;

/** Every code with its own `errors.field.<code>` translation; the bundle test keeps this list and the bundles in step. */
export const FIELD_ERROR_CODES = Object.keys(FIELD_ERROR_PARAMS) as FieldErrorCode[];

const known: ReadonlySet<string> = new Set(FIELD_ERROR_CODES);

/** Codes counting characters or entries: their translations have plural forms chosen by this parameter. */
const COUNTED: Partial<Record<FieldErrorCode, 'minimum' | 'maximum'>> = {
  too_short: 'minimum',
  too_long: 'maximum',
  too_few: 'minimum',
  too_many: 'maximum',
};

export function isFieldErrorCode(code: unknown): code is FieldErrorCode {
  return typeof code === 'string' && known.has(code);
}

/** Kernel messages are fragments ("must be an email address"); shown on their own they need a capital. */
export function sentence(message: string): string {
  return message.charAt(0).toUpperCase() + message.slice(1);
}

function englishFallback(issue: FieldIssue): string {
  return issue.message ? sentence(issue.message) : t('errors.field.invalid');
}

export function fieldIssueMessage(issue: FieldIssue): string {
  const code = issue.code;
  if (!isFieldErrorCode(code)) return englishFallback(issue);
  // Only the declared parameters reach t(): a stray `lng` or `count` in the answer must not steer i18next.
  const options: Record<string, string | number> = {};
  for (const name of FIELD_ERROR_PARAMS[code] as readonly string[]) {
    const value = issue.params?.[name];
    if (typeof value !== 'string' && typeof value !== 'number') return englishFallback(issue);
    options[name] = value;
  }
  const counted = COUNTED[code];
  if (counted) {
    const count = Number(options[counted]);
    if (!Number.isFinite(count)) return englishFallback(issue);
    // "At least 1 character" is how zod says "not empty"; people know that as a required field.
    if (code === 'too_short' && count <= 1) return t('errors.field.required');
    options.count = count;
  }
  return t(`errors.field.${code}`, options);
}
