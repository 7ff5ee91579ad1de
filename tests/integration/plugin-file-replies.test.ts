/**
 * The HTTP edges of plugin routes added for the tickets plugin: file answers (`replyFile` in a gRPC plugin, the
 * same JSON written by a WASM handler) sent as bytes that no browser runs in GoatFlow's origin, and a body limit
 * per route (`maxBodyBytes`) that leaves every other route at GOATFLOW_BODY_LIMIT_BYTES.
 */
import type { Kernel } from '@goatflow/kernel';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PluginFolder } from '../fixtures/grpc/host-api-plugins.js';
import { TX_GRPC, TX_PERMISSIONS, TX_WASM, writeTxPlugins } from '../fixtures/grpc/tx-plugins.js';
import { freshDatabase, type TestDatabase } from '../support/database.js';
import { ApiClient } from '../support/http-client.js';
import { adminClient, startTestKernel, userClient } from '../support/kernel.js';

const folder = new PluginFolder();
let db: TestDatabase;
let kernel: Kernel;
let admin: ApiClient;
let agent: ApiClient;

const MIB = 1024 * 1024;
const FILE_CSP = "sandbox; default-src 'none'";

/** A GET whose body is kept as bytes. */
async function download(path: string, method = 'GET') {
  const res = await fetch(kernel.url + path, { method, headers: { cookie: agent.cookie! } });
  return { status: res.status, headers: res.headers, bytes: new Uint8Array(await res.arrayBuffer()) };
}

/** A JSON body of about `bytes` bytes. */
const bodyOf = (bytes: number) => ({ text: 'x'.repeat(bytes - 11) });

beforeAll(async () => {
  writeTxPlugins(folder);
  db = await freshDatabase();
  kernel = await startTestKernel({ databaseUrl: db.url, env: { GOATFLOW_PLUGIN_DIR: folder.dir } });
  admin = await adminClient(kernel);
  agent = (await userClient(kernel, admin, { login: 'file-agent' })).client;
  for (const id of [TX_GRPC, TX_WASM]) {
    expect((await admin.put(`/api/admin/plugins/${id}/grants`, TX_PERMISSIONS)).status).toBe(200);
    const res = await admin.post(`/api/admin/plugins/${id}/enable`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
  }
}, 120_000);

afterAll(async () => {
  await kernel?.stop();
  await db?.drop();
  folder.remove();
});

describe('file replies', () => {
  it('sends the bytes as an attachment with the name encoded per RFC 6266, nosniff and a sandbox CSP', async () => {
    const res = await download(`/api/plugins/${TX_GRPC}/files/csv`);
    expect(res.status).toBe(200);
    expect(new TextDecoder().decode(res.bytes)).toBe('id;title\n1;Grüße\n');
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-length')).toBe(String(res.bytes.length));
    const disposition = res.headers.get('content-disposition')!;
    expect(disposition).toMatch(/^attachment; filename="Tickets M\?rz \\"Q1\\".csv"; /);
    expect(disposition).toContain("filename*=UTF-8''Tickets%20M%C3%A4rz%20%22Q1%22.csv");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('content-security-policy')).toBe(FILE_CSP);
  });

  it('shows an image inline when it asks, byte for byte; a PDF that does not ask is an attachment', async () => {
    const png = await download(`/api/plugins/${TX_GRPC}/files/png`);
    expect(png.headers.get('content-type')).toBe('image/png');
    expect(png.headers.get('content-disposition')).toBe('inline; filename=pixel.png');
    expect([...png.bytes]).toEqual(Array.from({ length: 256 }, (_, i) => i));
    const pdf = await download(`/api/plugins/${TX_GRPC}/files/pdf`);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    expect(pdf.headers.get('content-disposition')).toBe('attachment; filename=report.pdf');
  });

  it('never shows HTML or SVG inline, even when asked, and sandboxes them', async () => {
    for (const kind of ['svg', 'html']) {
      const res = await download(`/api/plugins/${TX_GRPC}/files/${kind}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-disposition'), kind).toMatch(/^attachment; /);
      expect(res.headers.get('content-security-policy')).toBe(FILE_CSP);
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    }
  });

  it('sends a content type that is not type/subtype as application/octet-stream', async () => {
    const res = await download(`/api/plugins/${TX_GRPC}/files/bad-type`);
    expect(res.headers.get('content-type')).toBe('application/octet-stream');
    expect(res.headers.get('content-disposition')).toBe('attachment; filename=x.bin');
  });

  it('keeps a file name from adding headers', async () => {
    const res = await download(`/api/plugins/${TX_GRPC}/files/header-injection`);
    expect(res.status).toBe(200);
    expect(res.headers.get('x-evil')).toBeNull();
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="a__X-Evil: 1.txt"');
  });

  it("passes the handler's 404 through as the API's JSON error", async () => {
    const res = await agent.get(`/api/plugins/${TX_GRPC}/files/missing`);
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(res.body).toEqual({ error: { code: 'not_found', message: 'there is no file "missing"' } });
  });

  it('answers HEAD with the headers and no body', async () => {
    const res = await download(`/api/plugins/${TX_GRPC}/files/png`, 'HEAD');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-length')).toBe('256');
    expect(res.bytes).toHaveLength(0);
  });

  it('sends a file a WASM handler answers, and a 502 for one without its bytes', async () => {
    const res = await download(`/api/plugins/${TX_WASM}/pixel`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/png');
    expect(res.headers.get('content-disposition')).toBe(
      'inline; filename="pixel ?.png"; filename*=UTF-8\'\'pixel%20%E2%9C%93.png',
    );
    expect([...res.bytes.slice(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    expect(res.headers.get('content-security-policy')).toBe(FILE_CSP);
    const broken = await agent.get(`/api/plugins/${TX_WASM}/broken-file`);
    expect(broken.status).toBe(502);
    expect(broken.body.error.code).toBe('plugin_error');
    expect(broken.body.error.message).toContain('file.base64');
  });
});

describe('body limit per route', () => {
  it("takes a body up to the route's maxBodyBytes, above the default", async () => {
    const res = await agent.post(`/api/plugins/${TX_GRPC}/upload`, bodyOf(2 * MIB));
    expect(res.status, JSON.stringify(res.body).slice(0, 200)).toBe(200);
    expect(res.body.size).toBe(2 * MIB);
  });

  it("answers 413 above the route's own limit, naming it", async () => {
    const over = await agent.post(`/api/plugins/${TX_GRPC}/upload`, bodyOf(3 * MIB + 1));
    expect(over.status).toBe(413);
    expect(over.body.error).toEqual({
      code: 'payload_too_large',
      message: `The request body exceeds the limit of ${3 * MIB} bytes.`,
    });
    const small = await agent.post(`/api/plugins/${TX_GRPC}/small`, bodyOf(1001));
    expect(small.status).toBe(413);
    expect(small.body.error.message).toBe('The request body exceeds the limit of 1000 bytes.');
    expect((await agent.post(`/api/plugins/${TX_GRPC}/small`, bodyOf(1000))).status).toBe(200);
  });

  it('holds a caller the route does not accept to the default limit, so anonymous uploads stay small', async () => {
    const anonymous = new ApiClient(kernel.url);
    const big = await anonymous.post(`/api/plugins/${TX_GRPC}/upload`, bodyOf(2 * MIB));
    expect(big.status).toBe(413);
    expect(big.body.error.message).toBe(`The request body exceeds the limit of ${MIB} bytes.`);
    expect((await anonymous.post(`/api/plugins/${TX_GRPC}/upload`, bodyOf(1000))).status).toBe(401);
  });

  it('keeps the default limit for routes without their own, plugin and kernel alike', async () => {
    const big = bodyOf(MIB + 1);
    for (const path of [
      `/api/plugins/${TX_GRPC}/echo`,
      `/api/plugins/${TX_GRPC}/nothing-here`,
      '/api/auth/login',
    ]) {
      const res = await agent.post(path, big);
      expect(res.status, path).toBe(413);
      expect(res.body.error.message).toBe(`The request body exceeds the limit of ${MIB} bytes.`);
    }
    expect((await agent.post(`/api/plugins/${TX_GRPC}/echo`, bodyOf(MIB))).status).toBe(200);
  });
});
