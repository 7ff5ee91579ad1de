import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError, api, onUnauthenticated, setCsrfToken, withQuery } from './client.js';

function jsonResponse(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
}

const fetchMock = vi.fn<typeof fetch>();

function lastRequest(): { url: string; init: RequestInit; headers: Record<string, string> } {
  const [url, init] = fetchMock.mock.lastCall ?? [];
  return { url: String(url), init: init ?? {}, headers: (init?.headers ?? {}) as Record<string, string> };
}

beforeEach(() => {
  fetchMock.mockReset();
  vi.stubGlobal('fetch', fetchMock);
  setCsrfToken(null);
  onUnauthenticated(null);
});

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('api client', () => {
  it('sends JSON with same-origin credentials and parses the answer', async () => {
    fetchMock.mockResolvedValue(jsonResponse(201, { id: 1 }));
    await expect(api.post('/api/things', { a: 1 })).resolves.toEqual({ id: 1 });
    const { init, headers } = lastRequest();
    expect(init.method).toBe('POST');
    expect(init.credentials).toBe('same-origin');
    expect(init.body).toBe('{"a":1}');
    expect(headers['Content-Type']).toBe('application/json');
  });

  it('sends form data as multipart with the CSRF token, leaving Content-Type to the browser', async () => {
    setCsrfToken('tok-2');
    fetchMock.mockResolvedValue(jsonResponse(201, { ok: true }));
    const form = new FormData();
    form.append('package', new Blob(['bytes']), 'plugin.tgz');
    await expect(api.postForm('/api/upload', form)).resolves.toEqual({ ok: true });
    const { init, headers } = lastRequest();
    expect(init.method).toBe('POST');
    expect(init.body).toBe(form);
    expect(headers['Content-Type']).toBeUndefined();
    expect(headers['X-CSRF-Token']).toBe('tok-2');
  });

  it('attaches the CSRF token to every non-GET request, never to GET', async () => {
    setCsrfToken('tok-1');
    fetchMock.mockImplementation(async () => jsonResponse(200, {}));
    await api.get('/api/x');
    expect(lastRequest().headers['X-CSRF-Token']).toBeUndefined();
    for (const call of [
      () => api.post('/api/x', {}),
      () => api.patch('/api/x', {}),
      () => api.put('/api/x', {}),
      () => api.delete('/api/x'),
    ]) {
      await call();
      expect(lastRequest().headers['X-CSRF-Token']).toBe('tok-1');
    }
  });

  it('resolves 204 answers without reading a body', async () => {
    fetchMock.mockResolvedValue(new Response(null, { status: 204 }));
    await expect(api.delete('/api/x')).resolves.toBeUndefined();
  });

  it('turns the kernel error envelope into an ApiError', async () => {
    fetchMock.mockResolvedValue(
      jsonResponse(400, {
        error: {
          code: 'validation_failed',
          message: 'Bad',
          details: [{ path: 'email', message: 'Invalid' }, 7],
        },
      }),
    );
    const error = await api.post('/api/x', {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({
      status: 400,
      code: 'validation_failed',
      message: 'Bad',
      details: [{ path: 'email', message: 'Invalid' }],
    });
  });

  it('reports answers that are not the kernel JSON as bad_response', async () => {
    fetchMock.mockResolvedValue(
      new Response('<html>', { status: 502, headers: { 'Content-Type': 'text/html' } }),
    );
    await expect(api.get('/api/x')).rejects.toMatchObject({ status: 502, code: 'bad_response' });
    fetchMock.mockResolvedValue(
      new Response('<html>', { status: 200, headers: { 'Content-Type': 'text/html' } }),
    );
    await expect(api.get('/api/x')).rejects.toMatchObject({ status: 200, code: 'bad_response' });
  });

  it('reports failed connections as network errors', async () => {
    fetchMock.mockRejectedValue(new TypeError('Failed to fetch'));
    await expect(api.get('/api/x')).rejects.toMatchObject({ status: 0, code: 'network' });
  });

  it('calls the unauthenticated handler on an expired session, unless told not to', async () => {
    const handler = vi.fn();
    onUnauthenticated(handler);
    fetchMock.mockImplementation(async () =>
      jsonResponse(401, { error: { code: 'unauthenticated', message: 'x' } }),
    );
    await expect(api.get('/api/x')).rejects.toBeInstanceOf(ApiError);
    expect(handler).toHaveBeenCalledTimes(1);
    await expect(api.get('/api/x', { ignoreUnauthenticated: true })).rejects.toBeInstanceOf(ApiError);
    expect(handler).toHaveBeenCalledTimes(1);
  });

  it('does not treat wrong credentials as an expired session', async () => {
    const handler = vi.fn();
    onUnauthenticated(handler);
    fetchMock.mockResolvedValue(jsonResponse(401, { error: { code: 'invalid_credentials', message: 'x' } }));
    await expect(api.post('/api/auth/login', {})).rejects.toMatchObject({ code: 'invalid_credentials' });
    expect(handler).not.toHaveBeenCalled();
  });
});

describe('withQuery', () => {
  it('leaves out empty and undefined values', () => {
    expect(withQuery('/api/u', { type: 'agent', q: '' })).toBe('/api/u?type=agent');
    expect(withQuery('/api/u', { type: undefined })).toBe('/api/u');
    expect(withQuery('/api/u', { q: 'a b&c' })).toBe('/api/u?q=a+b%26c');
  });
});
