import { describe, expect, it } from 'vitest';
import { isApiErrorBody } from './api-error.js';

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
