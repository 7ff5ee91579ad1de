import { describe, expect, it } from 'vitest';
import { ApiRequestError, apiRequestErrorFrom, isAbortError } from './api-request-error.js';

describe('apiRequestErrorFrom', () => {
  it('reads status, code, message and field details from a GoatFlow error body', () => {
    const error = apiRequestErrorFrom(400, {
      error: {
        code: 'validation_failed',
        message: 'The request is not valid.',
        details: [
          { path: 'body.email', message: 'must be an email', code: 'invalid_email' },
          { path: 'query.limit', message: 'too large', code: 'too_large', params: { maximum: 100 } },
        ],
      },
    });
    expect(error).toBeInstanceOf(ApiRequestError);
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('ApiRequestError');
    expect(error.status).toBe(400);
    expect(error.code).toBe('validation_failed');
    expect(error.message).toBe('The request is not valid.');
    expect(error.details).toHaveLength(2);
    expect(error.detailFor('query.limit')?.params).toEqual({ maximum: 100 });
    expect(error.detailFor('body.name')).toBeUndefined();
  });

  it('drops malformed details and copes with a missing list', () => {
    const error = apiRequestErrorFrom(422, {
      error: { code: 'x', message: 'y', details: [{ path: 'a' }, 'junk', { path: 'b', message: 'ok' }] },
    });
    expect(error.details).toEqual([{ path: 'b', message: 'ok' }]);
    expect(apiRequestErrorFrom(404, { error: { code: 'not_found', message: 'gone' } }).details).toEqual([]);
    expect(
      apiRequestErrorFrom(404, { error: { code: 'not_found', message: 'gone', details: 'no' } }).details,
    ).toEqual([]);
  });

  it('turns anything that is not the error shape into bad_response with the status', () => {
    for (const body of [
      undefined,
      null,
      'Bad Gateway',
      { message: 'x' },
      { error: { code: 1, message: 'x' } },
    ]) {
      const error = apiRequestErrorFrom(502, body);
      expect(error.code).toBe('bad_response');
      expect(error.status).toBe(502);
      expect(error.message).toBe('Unexpected response with status 502.');
    }
  });
});

describe('isAbortError', () => {
  it('recognises the abort of a fetch or load', () => {
    const controller = new AbortController();
    controller.abort();
    expect(isAbortError(controller.signal.reason)).toBe(true);
    expect(isAbortError(new DOMException('stop', 'AbortError'))).toBe(true);
    expect(isAbortError(new Error('stop'))).toBe(false);
    expect(isAbortError('AbortError')).toBe(false);
    expect(isAbortError(null)).toBe(false);
  });
});
