/**
 * http.fetch with real plugins in both runtimes against a real server on loopback: granted hosts only (port
 * included), loopback and other private addresses only with httpPrivate, redirects returned and not followed,
 * timeouts, response and request caps, and arguments that try to smuggle headers or schemes.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Kernel } from '@goatflow/kernel';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWasmFixtures, PluginFolder } from '../fixtures/grpc/host-api-plugins.js';
import { freshDatabase, type TestDatabase } from '../support/database.js';
import type { ApiClient } from '../support/http-client.js';
import { adminClient, startTestKernel, userClient } from '../support/kernel.js';

const folder = new PluginFolder();
let db: TestDatabase;
let kernel: Kernel;
let admin: ApiClient;
let agent: ApiClient;
let server: http.Server;
let port: number;
let base: string;
const seen: { method: string; url: string; headers: http.IncomingHttpHeaders }[] = [];

const PRIVATE = 'http-private';
const PUBLIC = 'http-public';
const NONE = 'http-none';
const WASM = 'http-wasm';
const grants: Record<string, Record<string, unknown>> = {};

function startServer(): Promise<void> {
  server = http.createServer((req, res) => {
    seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers });
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = req.url ?? '/';
      if (url === '/hello') {
        res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8', 'x-test': 'yes' });
        res.end('hello ✓');
      } else if (url === '/echo') {
        res.writeHead(201, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            method: req.method,
            headers: req.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
      } else if (url === '/redirect') {
        res.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data/' });
        res.end();
      } else if (url === '/big') {
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.end('€'.repeat(700 * 1024)); // 2.1 MB of 3-byte characters
      } else if (url === '/slow') {
        // Never answers; the client's timeout ends it.
      } else {
        res.writeHead(404);
        res.end('nope');
      }
    });
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      port = (server.address() as AddressInfo).port;
      base = `http://127.0.0.1:${port}`;
      resolve();
    });
  });
}

/** Makes a host call through the plugin's `call` route; gRPC plugins answer `{ok, value | code, message}`. */
async function call(plugin: string, fn: string, args: unknown): Promise<any> {
  const res = await agent.post(`/api/plugins/${plugin}/call`, { fn, args });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
}

const fetchAs = (plugin: string, args: Record<string, unknown>) => call(plugin, 'http.fetch', args);

beforeAll(async () => {
  buildWasmFixtures();
  await startServer();
  const route = { routes: [{ method: 'POST', path: '/call', auth: 'agent', handler: 'call' }] };
  grants[PRIVATE] = { http: [`127.0.0.1:${port}`], httpPrivate: true };
  grants[PUBLIC] = { http: [`127.0.0.1:${port}`, `localhost:${port}`, 'example.com'] };
  grants[WASM] = { http: [`127.0.0.1:${port}`], httpPrivate: true };
  folder.grpc(PRIVATE, { permissions: grants[PRIVATE], contributes: route });
  folder.grpc(PUBLIC, { permissions: grants[PUBLIC], contributes: route });
  folder.grpc(NONE, { contributes: route });
  folder.wasm(WASM, { permissions: grants[WASM], contributes: route });
  db = await freshDatabase();
  kernel = await startTestKernel({
    databaseUrl: db.url,
    // Room for a request body over http.fetch's own 1 MiB cap.
    env: { GOATFLOW_PLUGIN_DIR: folder.dir, GOATFLOW_BODY_LIMIT_BYTES: String(4 * 1024 * 1024) },
  });
  admin = await adminClient(kernel);
  agent = (await userClient(kernel, admin, { login: 'http-agent' })).client;
  for (const id of [PRIVATE, PUBLIC, NONE, WASM]) {
    await admin.put(`/api/admin/plugins/${id}/grants`, grants[id] ?? {});
    const res = await admin.post(`/api/admin/plugins/${id}/enable`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
  }
}, 120_000);

afterAll(async () => {
  await kernel?.stop();
  await db?.drop();
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
  folder.remove();
});

describe('http.fetch, granted', () => {
  it('fetches from a granted host and answers status, headers and text', async () => {
    const res = await fetchAs(PRIVATE, { url: `${base}/hello` });
    expect(res).toMatchObject({
      ok: true,
      value: { status: 200, body: 'hello ✓', truncated: false, headers: { 'x-test': 'yes' } },
    });
    const request = seen.at(-1)!;
    expect(request.headers.host).toBe(`127.0.0.1:${port}`);
    expect(request.headers['user-agent']).toBe('GoatFlow');
  });

  it('sends the method, headers and body it is given', async () => {
    const res = await fetchAs(PRIVATE, {
      url: `${base}/echo`,
      method: 'post',
      headers: { 'Content-Type': 'application/json', 'X-Token': 'abc' },
      body: '{"a":"ü"}',
    });
    expect(res.value.status).toBe(201);
    const echoed = JSON.parse(res.value.body);
    expect(echoed).toMatchObject({
      method: 'POST',
      body: '{"a":"ü"}',
      headers: { 'content-type': 'application/json', 'x-token': 'abc', 'content-length': '10' },
    });
  });

  it('returns a redirect instead of following it', async () => {
    const before = seen.length;
    const res = await fetchAs(PRIVATE, { url: `${base}/redirect` });
    expect(res.value).toMatchObject({
      status: 302,
      headers: { location: 'http://169.254.169.254/latest/meta-data/' },
    });
    expect(seen.slice(before).map((r) => r.url)).toEqual(['/redirect']);
  });

  it('cuts a large response at the cap and says so, without splitting a character', async () => {
    const whole = await fetchAs(PRIVATE, { url: `${base}/big` });
    expect(whole.value.truncated).toBe(true);
    expect(Buffer.byteLength(whole.value.body)).toBeLessThanOrEqual(512 * 1024);
    expect(whole.value.body).toMatch(/^€+$/);
    const small = await fetchAs(PRIVATE, { url: `${base}/big`, maxBytes: 1000 });
    expect(small.value).toMatchObject({ truncated: true, body: '€'.repeat(333) });
  });

  it('gives up after timeoutMs', async () => {
    const res = await fetchAs(PRIVATE, { url: `${base}/slow`, timeoutMs: 300 });
    expect(res).toMatchObject({ ok: false, code: 'timeout' });
    expect(res.message).toMatch(/longer than 300 ms/);
  });

  it('answers network_error for a granted port nobody listens on', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const closedPort = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    await admin.post(`/api/admin/plugins/${PRIVATE}/disable`);
    await admin.put(`/api/admin/plugins/${PRIVATE}/grants`, {
      ...grants[PRIVATE],
      http: [`127.0.0.1:${port}`, `127.0.0.1:${closedPort}`],
    });
    await admin.post(`/api/admin/plugins/${PRIVATE}/enable`);
    const res = await fetchAs(PRIVATE, { url: `http://127.0.0.1:${closedPort}/` });
    expect(res).toMatchObject({ ok: false, code: 'network_error' });
    expect(res.message).toMatch(/ECONNREFUSED/);
  });

  it('works from WASM with the same checks', async () => {
    const ok = await call(WASM, 'http_fetch', { url: `${base}/hello` });
    expect(ok).toMatchObject({ ok: true, value: { status: 200, body: 'hello ✓' } });
    const refused = await call(WASM, 'http_fetch', { url: 'http://example.com/' });
    expect(refused).toMatchObject({ ok: false, error: { code: 'permission_denied' } });
  });
});

describe('http.fetch, refused', () => {
  it('refuses loopback without httpPrivate, however the address is written, and logs it', async () => {
    const before = seen.length;
    for (const url of [
      `${base}/hello`,
      `http://localhost:${port}/hello`,
      `http://2130706433:${port}/hello`,
    ]) {
      const res = await fetchAs(PUBLIC, { url });
      expect(res, url).toMatchObject({ ok: false, code: 'permission_denied' });
      expect(res.message, url).toMatch(/resolves to (127\.0\.0\.1|::1), a loopback address/);
      expect(res.message).toMatch(/httpPrivate/);
    }
    expect(seen.length).toBe(before);
    const logs = await admin.get(`/api/admin/plugins/${PUBLIC}/logs?level=warn`);
    expect(logs.body.items.map((l: { message: string }) => l.message)).toContainEqual(
      expect.stringContaining('host call http.fetch refused: http.fetch refused 127.0.0.1'),
    );
  });

  it('refuses hosts and ports outside the grant, and plugins with no http grant', async () => {
    const cases: [string, string, RegExp][] = [
      [PRIVATE, 'http://example.org/', /may not reach example\.org:80/],
      [PRIVATE, `http://127.0.0.1:${port + 1}/`, /may not reach 127\.0\.0\.1:\d+/],
      [PRIVATE, `http://127.0.0.1.evil.example:${port}/`, /may not reach 127\.0\.0\.1\.evil\.example/],
      [PUBLIC, 'http://example.com:8080/', /may not reach example\.com:8080/], // no port: default only
      [PUBLIC, 'http://www.example.com/', /may not reach www\.example\.com:80/], // no wildcard granted
      [PRIVATE, `http://[::ffff:127.0.0.1]:${port}/`, /may not reach \[::ffff:7f00:1\]/],
      [NONE, `${base}/hello`, /needs the permission "http"/],
    ];
    for (const [plugin, url, message] of cases) {
      const res = await fetchAs(plugin, { url });
      expect(res, `${plugin} ${url}`).toMatchObject({ ok: false, code: 'permission_denied' });
      expect(res.message, url).toMatch(message);
    }
  });

  it('refuses arguments that are not a plain request', async () => {
    const cases: [Record<string, unknown>, RegExp][] = [
      [{}, /"url" must be/],
      [{ url: 'ftp://127.0.0.1/x' }, /must use http or https, not ftp/],
      [{ url: 'file:///etc/passwd' }, /must use http or https/],
      [{ url: `http://user:pw@127.0.0.1:${port}/` }, /user name or password/],
      [{ url: `${base}/`, method: 'TRACE' }, /"method" must be one of/],
      [{ url: `${base}/`, headers: { 'X-A': 'a\r\nX-Injected: 1' } }, /line break/],
      [{ url: `${base}/`, headers: { 'Bad Name': 'x' } }, /not a valid HTTP token/],
      [{ url: `${base}/`, headers: { Host: 'evil.example' } }, /set by the kernel/],
      [{ url: `${base}/`, headers: { 'Transfer-Encoding': 'chunked' } }, /set by the kernel/],
      [{ url: `${base}/`, headers: ['x'] }, /"headers" must be an object/],
      [{ url: `${base}/`, body: 'x' }, /a GET request has no body/],
      [{ url: `${base}/`, method: 'POST', body: { a: 1 } }, /"body" must be a string/],
      [{ url: `${base}/`, method: 'POST', body: 'x'.repeat(1024 * 1024 + 1) }, /at most 1048576 bytes/],
      [{ url: `${base}/`, timeoutMs: 60_000 }, /"timeoutMs" must be an integer from 1 to 30000/],
      [{ url: `${base}/`, maxBytes: 0 }, /"maxBytes" must be an integer/],
    ];
    const before = seen.length;
    for (const [args, message] of cases) {
      const res = await fetchAs(PRIVATE, args);
      expect(res, JSON.stringify(args).slice(0, 100)).toMatchObject({ ok: false, code: 'invalid_argument' });
      expect(res.message).toMatch(message);
    }
    expect(seen.length).toBe(before);
  });
});
