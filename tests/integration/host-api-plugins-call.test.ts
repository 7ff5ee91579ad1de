/**
 * plugins.call with real plugins in both runtimes: the target runs for the same user and request, under its own
 * grant; only granted, enabled targets; a target's route auth still applies to the user; failures map to Host
 * API codes; and chains are cut at the depth limit, which ends A→B→A loops.
 */
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
let agentId: number;

const A = 'call-a';
const B = 'call-b';
const WASM = 'call-wasm';
const OFF = 'call-off';
const OTHER = 'call-other';
const grants: Record<string, Record<string, unknown>> = {
  [A]: { cache: true, plugins: { call: [B, WASM, OFF] } },
  [B]: { plugins: { call: [A] } },
  [WASM]: { plugins: { call: [B] } },
  [OTHER]: {},
};
const callRoute = { method: 'POST', path: '/call', auth: 'agent', handler: 'call' };

async function callAs(client: ApiClient, plugin: string, args: unknown, headers?: Record<string, string>) {
  const fn = plugin === WASM ? 'plugins_call' : 'plugins.call';
  const res = await client.request('POST', `/api/plugins/${plugin}/call`, { fn, args }, headers);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
}

beforeAll(async () => {
  buildWasmFixtures();
  folder.grpc(A, {
    permissions: grants[A],
    contributes: {
      routes: [callRoute, { method: 'POST', path: '/bounce', auth: 'agent', handler: 'bounce' }],
    },
  });
  folder.grpc(B, {
    permissions: grants[B],
    contributes: { routes: [{ method: 'GET', path: '/admin-ping', auth: 'admin', handler: 'ping' }] },
  });
  folder.wasm(WASM, { permissions: grants[WASM], contributes: { routes: [callRoute] } });
  folder.grpc(OFF);
  folder.grpc(OTHER, { contributes: { routes: [callRoute] } });
  db = await freshDatabase();
  kernel = await startTestKernel({ databaseUrl: db.url, env: { GOATFLOW_PLUGIN_DIR: folder.dir } });
  admin = await adminClient(kernel);
  const created = await userClient(kernel, admin, { login: 'call-agent' });
  agent = created.client;
  agentId = created.id;
  for (const id of [A, B, WASM, OTHER]) {
    await admin.put(`/api/admin/plugins/${id}/grants`, grants[id]);
    const res = await admin.post(`/api/admin/plugins/${id}/enable`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
  }
}, 120_000);

afterAll(async () => {
  await kernel?.stop();
  await db?.drop();
  folder.remove();
});

describe('plugins.call', () => {
  it("runs the target's handler for the same user and request", async () => {
    const res = await callAs(
      agent,
      A,
      { plugin: B, handler: 'whoami', input: { x: 1 } },
      { 'x-request-id': 'req-call-1' },
    );
    expect(res).toMatchObject({
      ok: true,
      value: {
        pluginId: B,
        handler: 'whoami',
        user: { id: agentId, login: 'call-agent', type: 'agent', isAdmin: false },
        requestId: 'req-call-1',
        input: { x: 1 },
      },
    });
  });

  it("checks the target's host calls against the target's own grant", async () => {
    const res = await callAs(agent, A, { plugin: B, handler: 'cacheProbe' });
    expect(res.value).toMatchObject({ ok: false, code: 'permission_denied' });
    const logs = await admin.get(`/api/admin/plugins/${B}/logs?level=warn`);
    expect(logs.body.items.map((l: { message: string }) => l.message)).toContainEqual(
      expect.stringContaining('host call cache.get refused'),
    );
  });

  it('reaches WASM plugins and is reachable from them', async () => {
    const toWasm = await callAs(agent, A, { plugin: WASM, handler: 'whoami', input: { y: 'ü' } });
    expect(toWasm.value).toMatchObject({
      input: { y: 'ü' },
      context: { pluginId: WASM, handler: 'whoami', user: { login: 'call-agent' } },
    });
    const fromWasm = await callAs(agent, WASM, { plugin: B, handler: 'whoami', input: null });
    expect(fromWasm).toMatchObject({ ok: true, value: { pluginId: B, user: { login: 'call-agent' } } });
    const refused = await callAs(agent, WASM, { plugin: A, handler: 'whoami' });
    expect(refused).toMatchObject({ ok: false, error: { code: 'permission_denied' } });
  });

  it('refuses targets outside the grant, telling the plugin and the operator', async () => {
    const res = await callAs(agent, A, { plugin: OTHER, handler: 'whoami' });
    expect(res).toEqual({
      ok: false,
      code: 'permission_denied',
      message: `plugins.call may not call "${OTHER}": it is not in this plugin's plugins.call grant`,
    });
    const none = await callAs(agent, OTHER, { plugin: A, handler: 'whoami' });
    // The refusal names both halves of the fix: the developer declares the permission, an operator grants it.
    expect(none.message).toMatch(
      /needs the permission "plugins.call", which this plugin was not granted\. To fix: declare "plugins.call" under permissions .*grant it at \/admin\/plugins/,
    );
    const logs = await admin.get(`/api/admin/plugins/${A}/logs?level=warn`);
    expect(logs.body.items.map((l: { message: string }) => l.message)).toContainEqual(
      expect.stringContaining(`host call plugins.call refused: plugins.call may not call "${OTHER}"`),
    );
  });

  it('needs the target enabled', async () => {
    expect(await callAs(agent, A, { plugin: OFF, handler: 'whoami' })).toMatchObject({
      ok: false,
      code: 'unavailable',
      message: `the plugin "${OFF}" is not enabled`,
    });
    await admin.post(`/api/admin/plugins/${B}/disable`);
    expect(await callAs(agent, A, { plugin: B, handler: 'whoami' })).toMatchObject({
      ok: false,
      code: 'unavailable',
    });
    expect((await admin.post(`/api/admin/plugins/${B}/enable`)).status).toBe(200);
    expect(await callAs(agent, A, { plugin: B, handler: 'whoami' })).toMatchObject({
      ok: true,
      value: { pluginId: B },
    });
  });

  it("applies the target's route auth to the acting user", async () => {
    const asAgent = await callAs(agent, A, { plugin: B, handler: 'ping' });
    expect(asAgent).toMatchObject({ ok: false, code: 'permission_denied' });
    expect(asAgent.message).toMatch(
      /the acting user may not use "call-b"'s handler "ping": its routes need admin/,
    );
    expect(await callAs(admin, A, { plugin: B, handler: 'ping' })).toEqual({ ok: true, value: 'pong' });
  });

  it('maps failures to Host API codes and checks its arguments', async () => {
    const boom = await callAs(agent, A, { plugin: B, handler: 'boom' });
    expect(boom).toMatchObject({ ok: false, code: 'plugin_error' });
    expect(boom.message).toMatch(/boom on purpose/);
    expect(await callAs(agent, A, { plugin: B, handler: 'nothing_here' })).toMatchObject({
      ok: false,
      code: 'not_found',
    });
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ handler: 'whoami' }, /"plugin" must be a plugin id/],
      [{ plugin: 'Call-B', handler: 'whoami' }, /"plugin" must be a plugin id/],
      [{ plugin: B }, /"handler" must be a handler name/],
      [{ plugin: B, handler: 'who-am-i' }, /"handler" must be a handler name/],
    ];
    for (const [args, message] of cases) {
      const res = await callAs(agent, A, args);
      expect(res, JSON.stringify(args)).toMatchObject({ ok: false, code: 'invalid_argument' });
      expect(res.message).toMatch(message);
    }
  });

  it('cuts a chain at the depth limit, ending an A→B→A loop', async () => {
    const res = await agent.post(`/api/plugins/${A}/bounce`, { other: B, hops: 0 });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ stoppedAt: 4, code: 'depth_exceeded' });
    expect(res.body.message).toBe(
      'plugins.call chains may be at most 4 calls deep (call-a → call-b → call-a → call-b → call-a → call-b)',
    );
    const logs = await admin.get(`/api/admin/plugins/${A}/logs?level=warn`);
    expect(logs.body.items.map((l: { message: string }) => l.message)).toContainEqual(
      expect.stringContaining('host call plugins.call refused: plugins.call chains may be at most 4'),
    );
  });
});
