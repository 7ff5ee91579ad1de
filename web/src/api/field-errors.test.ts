import { beforeEach, describe, expect, it } from 'vitest';
import { initI18n, setLanguage } from '../i18n/i18n.js';
import { ApiError } from './client.js';
import { sortFieldErrors } from './field-errors.js';

beforeEach(async () => {
  await initI18n('en');
});

describe('sortFieldErrors', () => {
  it('puts issues next to the fields they name and keeps the rest', () => {
    const error = new ApiError(400, 'validation_failed', 'Bad', [
      { path: 'email', message: 'Invalid email' },
      { path: 'body.login', message: 'Too short' },
      { path: 'email', message: 'Second email issue' },
      { path: 'unknown', message: 'Elsewhere' },
    ]);
    expect(sortFieldErrors(error, ['login', 'email'])).toEqual({
      byField: { email: 'Invalid email', login: 'Too short' },
      other: [{ path: 'unknown', message: 'Elsewhere' }],
    });
  });

  it('translates coded issues into the user language', async () => {
    const error = new ApiError(400, 'validation_failed', 'Bad', [
      { path: 'email', message: 'must be an email address', code: 'invalid_email' },
      {
        path: 'password',
        message: 'must be at least 8 characters',
        code: 'too_short',
        params: { minimum: 8 },
      },
    ]);
    expect(sortFieldErrors(error, ['email', 'password']).byField).toEqual({
      email: 'Enter a valid email address.',
      password: 'Must be at least 8 characters long.',
    });
    await setLanguage('de');
    expect(sortFieldErrors(error, ['email', 'password']).byField).toEqual({
      email: 'Geben Sie eine gültige E-Mail-Adresse ein.',
      password: 'Muss mindestens 8 Zeichen lang sein.',
    });
  });

  it('returns nothing for errors that are not from the API', () => {
    expect(sortFieldErrors(new Error('x'), ['email'])).toEqual({ byField: {}, other: [] });
  });
});
