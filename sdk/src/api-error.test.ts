import { describe, expect, it } from 'vitest';
import { isApiErrorBody, isApiFieldIssue } from './api-error.js';

describe('isApiErrorBody', () => {
  it('accepts the error envelope', () => {
    expect(isApiErrorBody({ error: { code: 'not_found', message: 'Not found.' } })).toBe(true);
    expect(
      isApiErrorBody({
        error: { code: 'validation_failed', message: 'x', details: [{ path: 'a', message: 'b' }] },
      }),
    ).toBe(true);
  });

  it('rejects anything else', () => {
    for (const v of [
      null,
      'x',
      {},
      { error: 'x' },
      { error: { code: 1, message: 'm' } },
      { error: { code: 'c' } },
    ]) {
      expect(isApiErrorBody(v)).toBe(false);
    }
  });
});

describe('isApiFieldIssue', () => {
  it('keeps only {path, message} entries', () => {
    expect([{ path: 'a', message: 'b' }, 7, { path: 1, message: 'x' }, null].filter(isApiFieldIssue)).toEqual(
      [{ path: 'a', message: 'b' }],
    );
  });
});
