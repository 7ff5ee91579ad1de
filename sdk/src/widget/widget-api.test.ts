import { describe, expect, it } from 'vitest';
import { ApiRequestError } from './api-request-error.js';
import { createWidgetApi, pluginRouteUrl } from './widget-api.js';
import { createCsrfTokenSource, type FetchFunction } from './widget-csrf.js';

interface Call {
  url: string;
  init: RequestInit | undefined;
  headers: Record<string, string>;
}

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
}

/** A fetch that records its calls and answers from `reply` (the `/api/auth/me` look-up included). */
function fakeServer(reply: (url: string, init: RequestInit | undefined, calls: Call[]) => Response) {
  const calls: Call[] = [];
  const fetch: FetchFunction = async (url, init) => {
    calls.push({ url, init, headers: { ...(init?.headers as Record<string, string> | undefined) } });
    return reply(url, init, calls);
  };
  return { calls, fetch };
}

function clientFor(fetch: FetchFunction, pluginId: string | (() => string | undefined) = 'hello') {
  return createWidgetApi({ pluginId, fetch, csrf: createCsrfTokenSource(fetch) });
}

describe('pluginRouteUrl', () => {
  it('puts relative paths under the plugin API and keeps /api/ paths as they are', () => {
    expect(pluginRouteUrl('hello', '/greeting')).toBe('/api/plugins/hello/greeting');
    expect(pluginRouteUrl('hello', 'items/4')).toBe('/api/plugins/hello/items/4');
    expect(pluginRouteUrl(undefined, '/api/v1/tickets')).toBe('/api/v1/tickets');
  });

  it('adds the defined query values', () => {
    expect(
      pluginRouteUrl('hello', '/log', { limit: 10, q: 'a b', skip: undefined, none: null, all: true }),
    ).toBe('/api/plugins/hello/log?limit=10&q=a+b&all=true');
    expect(pluginRouteUrl('hello', '/log?x=1', { y: 2 })).toBe('/api/plugins/hello/log?x=1&y=2');
  });

  it('explains how to name the plugin when the widget does not know it', () => {
    expect(() => pluginRouteUrl(undefined, '/greeting')).toThrow(/static pluginId/);
  });
});

describe('createWidgetApi', () => {
  it('GETs JSON with the session cookie and no CSRF token', async () => {
    const server = fakeServer(() => json(200, { greeting: 'Hi' }));
    const api = clientFor(server.fetch);
    await expect(api.get('/greeting', { query: { lang: 'de' } })).resolves.toEqual({ greeting: 'Hi' });
    expect(server.calls).toHaveLength(1);
    const [call] = server.calls;
    expect(call?.url).toBe('/api/plugins/hello/greeting?lang=de');
    expect(call?.init?.method).toBe('GET');
    expect(call?.init?.credentials).toBe('same-origin');
    expect(call?.init?.body).toBeNull();
    expect(call?.headers).toEqual({ Accept: 'application/json' });
  });

  it('asks the plugin id on every request', async () => {
    let id: string | undefined;
    const server = fakeServer(() => json(200, {}));
    const api = clientFor(server.fetch, () => id);
    await expect(api.get('/x')).rejects.toThrow(/does not know its plugin/);
    id = 'late';
    await api.get('/x');
    expect(server.calls.map((c) => c.url)).toEqual(['/api/plugins/late/x']);
  });

  it('sends writes as JSON with the CSRF token from /api/auth/me, looked up once', async () => {
    const server = fakeServer((url) =>
      url === '/api/auth/me' ? json(200, { user: {}, csrfToken: 'tok-1' }) : json(200, { ok: true }),
    );
    const api = clientFor(server.fetch);
    await api.post('/count', { by: 2 });
    await api.put('/settings', { a: 1 });
    await api.patch('/settings', { a: 2 });
    await api.delete('/items/1');
    expect(server.calls.map((c) => `${c.init?.method ?? 'GET'} ${c.url}`)).toEqual([
      'GET /api/auth/me',
      'POST /api/plugins/hello/count',
      'PUT /api/plugins/hello/settings',
      'PATCH /api/plugins/hello/settings',
      'DELETE /api/plugins/hello/items/1',
    ]);
    const post = server.calls[1];
    expect(post?.headers).toEqual({
      Accept: 'application/json',
      'Content-Type': 'application/json',
      'X-CSRF-Token': 'tok-1',
    });
    expect(post?.init?.body).toBe('{"by":2}');
    expect(server.calls[0]?.init?.credentials).toBe('same-origin');
    expect(server.calls[4]?.headers['Content-Type']).toBeUndefined();
    expect(server.calls[4]?.headers['X-CSRF-Token']).toBe('tok-1');
  });

  it('fetches a fresh token and sends the write once more after csrf_failed', async () => {
    let token = 'old';
    const server = fakeServer((url, init) => {
      if (url === '/api/auth/me') return json(200, { csrfToken: token });
      const sent = (init?.headers as Record<string, string> | undefined)?.['X-CSRF-Token'];
      if (sent !== 'new') return json(403, { error: { code: 'csrf_failed', message: 'needs the token' } });
      return json(201, { saved: true });
    });
    const api = clientFor(server.fetch);
    await api.get('/warm-up').catch(() => {});
    await expect(api.post('/count')).rejects.toMatchObject({ status: 403, code: 'csrf_failed' });
    token = 'new';
    await expect(api.post('/count')).resolves.toEqual({ saved: true });
    const lookUps = server.calls.filter((c) => c.url === '/api/auth/me').length;
    // First write: look-up, 403, look-up again, 403 (one retry, no loop). Second write: the cached (stale) token,
    // 403, look-up, 201.
    expect(lookUps).toBe(3);
  });

  it('does not cache a failed token look-up, and sends no header when the session has no token', async () => {
    let meStatus = 500;
    const server = fakeServer((url) => {
      if (url === '/api/auth/me')
        return meStatus === 200
          ? json(200, { csrfToken: null })
          : json(meStatus, { error: { code: 'internal', message: 'boom' } });
      return json(200, {});
    });
    const api = clientFor(server.fetch);
    await expect(api.post('/count')).rejects.toMatchObject({
      status: 500,
      code: 'internal',
      message: 'boom',
    });
    meStatus = 200;
    await api.post('/count');
    expect(server.calls.at(-1)?.headers['X-CSRF-Token']).toBeUndefined();
  });

  it('rejects with ApiRequestError carrying the error body', async () => {
    const server = fakeServer(() =>
      json(400, {
        error: {
          code: 'validation_failed',
          message: 'Check the fields.',
          details: [{ path: 'query.limit', message: 'too large', code: 'too_large' }],
        },
      }),
    );
    const error = await clientFor(server.fetch)
      .get('/log')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiRequestError);
    expect(error).toMatchObject({ status: 400, code: 'validation_failed', message: 'Check the fields.' });
    expect((error as ApiRequestError).details).toEqual([
      { path: 'query.limit', message: 'too large', code: 'too_large' },
    ]);
  });

  it('answers 204 with undefined and a non-JSON success with bad_response', async () => {
    const noContent = fakeServer(() => new Response(null, { status: 204 }));
    await expect(clientFor(noContent.fetch).delete('/x')).resolves.toBeUndefined();
    const html = fakeServer((url) =>
      url === '/api/auth/me'
        ? json(200, {})
        : new Response('<html>', { status: 200, headers: { 'content-type': 'text/html' } }),
    );
    await expect(clientFor(html.fetch).get('/x')).rejects.toMatchObject({
      code: 'bad_response',
      status: 200,
    });
    const proxy = fakeServer(() => new Response('Bad Gateway', { status: 502 }));
    await expect(clientFor(proxy.fetch).get('/x')).rejects.toMatchObject({
      code: 'bad_response',
      status: 502,
    });
  });

  it('reports a network failure as status 0 and lets an abort through as it is', async () => {
    const offline: FetchFunction = async () => {
      throw new TypeError('Failed to fetch');
    };
    await expect(clientFor(offline).get('/x')).rejects.toMatchObject({
      status: 0,
      code: 'network',
      message: 'Failed to fetch',
    });

    const controller = new AbortController();
    const hanging: FetchFunction = (_url, init) =>
      new Promise((_resolve, reject) => {
        init?.signal?.addEventListener('abort', () => reject(init.signal?.reason));
      });
    const pending = clientFor(hanging).get('/x', { signal: controller.signal });
    controller.abort();
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
  });
});
