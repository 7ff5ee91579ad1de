import { beforeEach, describe, expect, it } from 'vitest';
import type { FieldIssue } from '../api/client.js';
import en from './en.json' with { type: 'json' };
import { FIELD_ERROR_CODES, fieldIssueMessage } from './field-message.js';
import { initI18n, setLanguage } from './i18n.js';

/** The codes the kernel documents for `ApiFieldIssue.code` (sdk/src/api-error.ts). */
const KERNEL_CODES = [
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
  'self_deactivation',
  'invalid',
];

const issue = (fields: Partial<FieldIssue>): FieldIssue => ({
  path: 'x',
  message: 'english words',
  ...fields,
});

beforeEach(async () => {
  await initI18n('en');
});

describe('fieldIssueMessage', () => {
  it('knows every code the kernel documents', () => {
    expect([...FIELD_ERROR_CODES].sort()).toEqual([...KERNEL_CODES].sort());
  });

  it('translates by code and ignores the English message', () => {
    expect(fieldIssueMessage(issue({ code: 'taken', message: 'is already taken' }))).toBe(
      'This is already taken.',
    );
    expect(fieldIssueMessage(issue({ code: 'invalid_email' }))).toBe('Enter a valid email address.');
    expect(fieldIssueMessage(issue({ code: 'invalid_option', params: { options: 'ro, rw' } }))).toBe(
      'Choose one of: ro, rw.',
    );
    expect(fieldIssueMessage(issue({ code: 'too_large', params: { maximum: 500 } }))).toBe(
      'Must be at most 500.',
    );
  });

  it('chooses plural forms by the counted parameter', () => {
    expect(fieldIssueMessage(issue({ code: 'too_short', params: { minimum: 8 } }))).toBe(
      'Must be at least 8 characters long.',
    );
    expect(fieldIssueMessage(issue({ code: 'too_long', params: { maximum: 1 } }))).toBe(
      'Must be at most 1 character long.',
    );
    expect(fieldIssueMessage(issue({ code: 'too_few', params: { minimum: 1 } }))).toBe(
      'Choose at least 1 entry.',
    );
  });

  it('calls a string that must not be empty a required field', () => {
    expect(fieldIssueMessage(issue({ code: 'too_short', params: { minimum: 1 } }))).toBe(
      'This field is required.',
    );
  });

  it('speaks German to a German user', async () => {
    await setLanguage('de');
    expect(fieldIssueMessage(issue({ code: 'taken', message: 'is already taken' }))).toBe(
      'Das ist bereits vergeben.',
    );
    expect(fieldIssueMessage(issue({ code: 'too_short', params: { minimum: 8 } }))).toBe(
      'Muss mindestens 8 Zeichen lang sein.',
    );
    expect(fieldIssueMessage(issue({ code: 'self_deactivation' }))).toBe(
      'Sie können Ihr eigenes Konto nicht deaktivieren.',
    );
  });

  it('falls back to the English message for a missing or unknown code', () => {
    expect(fieldIssueMessage(issue({ message: 'must be shiny' }))).toBe('Must be shiny');
    expect(fieldIssueMessage(issue({ code: 'too_shiny', message: 'is too shiny' }))).toBe('Is too shiny');
    expect(fieldIssueMessage(issue({ code: 'toString', message: 'is odd' }))).toBe('Is odd');
    expect(fieldIssueMessage(issue({ code: 'too_shiny', message: '' }))).toBe('This value is not valid.');
  });

  it('falls back to the English message when a needed parameter is missing', () => {
    expect(fieldIssueMessage(issue({ code: 'too_short', message: 'is short' }))).toBe('Is short');
    expect(fieldIssueMessage(issue({ code: 'invalid_option', params: {}, message: 'bad option' }))).toBe(
      'Bad option',
    );
  });

  it('passes only the declared parameters to i18next', () => {
    const message = fieldIssueMessage(
      issue({ code: 'too_large', params: { maximum: 9, lng: 'de', count: 2 } }),
    );
    expect(message).toBe('Must be at most 9.');
  });

  it('has an English translation for every code', () => {
    const field = en.errors.field as Record<string, string>;
    for (const code of FIELD_ERROR_CODES) {
      expect(field[code] ?? field[`${code}_other`], code).toBeTruthy();
    }
  });
});
