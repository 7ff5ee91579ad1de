import { describe, expect, it } from 'vitest';
import { ApiError } from './client.js';
import { sortFieldErrors } from './field-errors.js';

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

  it('returns nothing for errors that are not from the API', () => {
    expect(sortFieldErrors(new Error('x'), ['email'])).toEqual({ byField: {}, other: [] });
  });
});
