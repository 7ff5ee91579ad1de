/**
 * What every client can rely on: the JSON error envelope for bad bodies and unknown routes, request ids,
 * security headers, the health check, and the web shell for deep links.
 */
import { KERNEL_VERSION, type Kernel } from '@goatflow/kernel';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ErrorBody, HealthBody, UserView } from '../support/api-types.js';
import { freshDatabase, type TestDatabase } from '../support/database.js';
import { createUser, USER_PASSWORD } from '../support/helpers.js';
import { ApiClient, type ApiResponse } from '../support/http-client.js';
import { adminClient, startTestKernel } from '../support/kernel.js';
import { sql } from '../support/sql.js';

const SMALL_LIMIT = 4096;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

let db: TestDatabase;
let kernel: Kernel;
/** Same database, a small GOATFLOW_BODY_LIMIT_BYTES. */
let small: Kernel;
let admin: ApiClient;

beforeAll(async () => {
  db = await freshDatabase();
  kernel = await startTestKernel({ databaseUrl: db.url });
  small = await startTestKernel({
    databaseUrl: db.url,
    env: { GOATFLOW_BODY_LIMIT_BYTES: String(SMALL_LIMIT) },
  });
  admin = await adminClient(kernel);
  await createUser(admin, { login: 'http-user' });
});

afterAll(async () => {
  await small?.stop();
  await kernel?.stop();
  await db?.drop();
});

function expectError(res: ApiResponse<ErrorBody>, status: number, code: string): void {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  expect(res.body.error.code).toBe(code);
  expect(typeof res.body.error.message).toBe('string');
}

async function userCount(): Promise<number> {
  return (await sql<{ n: number }>(db.url, 'select count(*)::int as n from kernel.users'))[0]!.n;
}

describe('request bodies', () => {
  it('answers malformed JSON with 400 malformed_json and writes nothing', async () => {
    const before = await userCount();
    const res = await admin.post<ErrorBody>('/api/admin/users', '{"login":"broken","type":"agent",');
    expectError(res, 400, 'malformed_json');
    expect(await userCount()).toBe(before);

    expectError(
      await new ApiClient(kernel.url).post<ErrorBody>('/api/auth/login', '{login: admin}'),
      400,
      'malformed_json',
    );

    const client = new ApiClient(kernel.url);
    await client.login('http-user', USER_PASSWORD);
    expectError(await client.patch<ErrorBody>('/api/auth/me', "{'locale':'de'}"), 400, 'malformed_json');
    expect((await client.get<{ user: UserView }>('/api/auth/me')).body.user.locale).toBe('en');
  });

  it('answers a 2 MB JSON body with 413 payload_too_large, signed in or not', async () => {
    const big = JSON.stringify({ login: 'x', password: 'y'.repeat(2 * 1024 * 1024) });
    expectError(
      await new ApiClient(kernel.url).post<ErrorBody>('/api/auth/login', big),
      413,
      'payload_too_large',
    );
    const before = await userCount();
    const bigUser = JSON.stringify({
      login: 'huge',
      type: 'agent',
      firstName: 'H',
      lastName: 'U',
      email: 'huge@example.com',
      password: 'long-enough-password',
      padding: 'z'.repeat(2 * 1024 * 1024),
    });
    expectError(await admin.post<ErrorBody>('/api/admin/users', bigUser), 413, 'payload_too_large');
    expect(await userCount()).toBe(before);
    // The connection is still usable afterwards.
    expect((await admin.get('/api/auth/me')).status).toBe(200);
  });

  it('lets a body just under the limit through to validation', async () => {
    const body = JSON.stringify({ login: 'x', password: 'p'.repeat(1000) });
    const padded = body.replace('{', `{"pad":"${'a'.repeat(1024 * 1024 - body.length - 20)}",`);
    expect(Buffer.byteLength(padded)).toBeLessThan(1024 * 1024);
    const res = await new ApiClient(kernel.url).post<ErrorBody>('/api/auth/login', padded);
    expect(res.status).not.toBe(413);
    expect(res.status).toBe(401);
  });

  it('honours GOATFLOW_BODY_LIMIT_BYTES, also for a chunked body without Content-Length', async () => {
    const over = JSON.stringify({ login: 'x', password: 'p'.repeat(SMALL_LIMIT) });
    expectError(
      await new ApiClient(small.url).post<ErrorBody>('/api/auth/login', over),
      413,
      'payload_too_large',
    );

    const bytes = new TextEncoder().encode(over);
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < bytes.length; i += 1000) controller.enqueue(bytes.slice(i, i + 1000));
        controller.close();
      },
    });
    const res = await fetch(`${small.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: stream,
      duplex: 'half',
    } as RequestInit & { duplex: 'half' });
    expect(res.status).toBe(413);
    expect(((await res.json()) as ErrorBody).error.code).toBe('payload_too_large');

    // Under the small limit all is normal.
    const ok = await new ApiClient(small.url).login('http-user', USER_PASSWORD);
    expect(ok.status).toBe(200);
  });

  it('accepts application/*+json and refuses JSON in a charset other than UTF-8', async () => {
    const client = new ApiClient(kernel.url);
    await client.login('http-user', USER_PASSWORD);
    const merge = await client.patch('/api/auth/me', JSON.stringify({ locale: 'de' }), {
      'content-type': 'application/merge-patch+json',
    });
    expect(merge.status).toBe(200);
    const latin = await client.patch<ErrorBody>('/api/auth/me', JSON.stringify({ locale: 'en' }), {
      'content-type': 'application/json; charset=latin1',
    });
    expectError(latin, 415, 'unsupported_media_type');
    expect((await client.get<{ user: UserView }>('/api/auth/me')).body.user.locale).toBe('de');
    await client.patch('/api/auth/me', { locale: 'en' });
  });
});

describe('unknown API routes', () => {
  it.each([
    ['GET', '/api/nope'],
    ['POST', '/api/nope'],
    ['DELETE', '/api/auth/nope'],
    ['GET', '/api'],
    ['GET', '/api/auth/me/extra'],
    ['PUT', '/api/auth/login'],
  ])('%s %s → 404 not_found JSON envelope', async (method, path) => {
    // Signed in, so a write is not refused for CSRF before the router looks.
    const res = await admin.request<ErrorBody>(method, path, method === 'GET' ? undefined : {});
    expectError(res, 404, 'not_found');
    expect(Object.keys(res.body)).toEqual(['error']);
    // ...and anonymously too.
    const anon = await new ApiClient(kernel.url).request<ErrorBody>(method, path);
    expectError(anon, 404, 'not_found');
  });
});

describe('headers on every response', () => {
  const requests: [string, (c: ApiClient) => Promise<ApiResponse>][] = [
    ['health', (c) => c.get('/api/health')],
    ['login 200', (c) => c.post('/api/auth/login', { login: 'http-user', password: USER_PASSWORD })],
    ['401', (c) => c.get('/api/auth/me')],
    ['400', (c) => c.post('/api/auth/login', '{')],
    ['404', (c) => c.get('/api/nope')],
    ['415', (c) => c.post('/api/auth/login', 'a=b', { 'content-type': 'application/x-www-form-urlencoded' })],
    ['web shell', (c) => c.get('/admin/users')],
  ];

  it.each(requests)('%s: X-Request-Id and security headers', async (_, send) => {
    const res = await send(new ApiClient(kernel.url));
    expect(res.headers.get('x-request-id')).toMatch(UUID);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'self'");
    expect(res.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(res.headers.get('x-powered-by')).toBeNull();
  });

  it('echoes a well-formed incoming X-Request-Id and replaces anything else', async () => {
    const client = new ApiClient(kernel.url);
    const given = 'trace-abc_123.XYZ';
    expect((await client.get('/api/health', { 'x-request-id': given })).headers.get('x-request-id')).toBe(
      given,
    );
    const on404 = await client.get('/api/nope', { 'x-request-id': given });
    expect(on404.headers.get('x-request-id')).toBe(given);

    for (const bad of ['has space', 'x'.repeat(65), 'semi;colon', '<script>']) {
      const res = await client.get('/api/health', { 'x-request-id': bad });
      expect(res.headers.get('x-request-id'), bad).toMatch(UUID);
    }
    // Every request gets its own id.
    const a = await client.get('/api/health');
    const b = await client.get('/api/health');
    expect(a.headers.get('x-request-id')).not.toBe(b.headers.get('x-request-id'));
  });

  it('the request id of a write is the one in its audit row', async () => {
    const res = await admin.post<{ id: number }>(
      '/api/admin/groups',
      { name: 'traced-group' },
      { 'x-request-id': 'my-trace-0001' },
    );
    expect(res.status).toBe(201);
    const rows = await sql(db.url, `select request_id from kernel.audit_log where action = 'group.created'`);
    expect(rows).toEqual([{ request_id: 'my-trace-0001' }]);
  });
});

describe('GET /api/health', () => {
  it('answers 200 with status, database and version, without a session', async () => {
    const res = await new ApiClient(kernel.url).get<HealthBody>('/api/health');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok', database: 'ok', version: KERNEL_VERSION });
    expect(KERNEL_VERSION).toMatch(/^\d+\.\d+\.\d+/);
  });
  // The 503 when the database is gone is checked at the end of restart.test.ts, which owns a disposable database.
});

describe('the web shell', () => {
  it.each(['/', '/admin/users', '/admin/users/7', '/login?next=%2Fadmin'])(
    'a deep link like %s gets the HTML shell (or 503 text when web/dist is not built), never a JSON 404',
    async (path) => {
      const res = await fetch(kernel.url + path);
      const type = res.headers.get('content-type') ?? '';
      const text = await res.text();
      if (res.status === 200) {
        expect(type).toMatch(/^text\/html/);
        expect(text.toLowerCase()).toContain('<!doctype html>');
        expect(res.headers.get('cache-control')).toBe('no-cache');
      } else {
        expect(res.status).toBe(503);
        expect(type).toMatch(/^text\/plain/);
        expect(text).toContain('npm run build');
      }
      expect(res.headers.get('x-request-id')).toMatch(UUID);
    },
  );

  it('a missing file is a 404, not a 500 and not the HTML shell', async () => {
    // Regression: express.static with fallthrough:false passed serve-static's 404 HttpError to the error
    // handler, which knows only KernelError and body-parser errors and answered 500 internal (logged as an
    // unhandled error) for every stale /assets reference after a deploy.
    for (const path of ['/assets/index-doesnotexist.js', '/assets/nested/missing.css', '/missing-icon.png']) {
      const res = await fetch(kernel.url + path);
      const text = await res.text();
      expect(res.status, path).toBe(404);
      expect(text.toLowerCase(), path).not.toContain('<!doctype html>');
    }
  });

  it('a browser navigating to a deep link with a dot still gets the app', async () => {
    const res = await fetch(`${kernel.url}/admin/users/carol.case`, { headers: { accept: 'text/html' } });
    // 503 only when web/dist is not built; never the 404 a module import of a missing file gets.
    expect([200, 503]).toContain(res.status);
    if (res.status === 200) expect((await res.text()).toLowerCase()).toContain('<!doctype html>');
  });
});
