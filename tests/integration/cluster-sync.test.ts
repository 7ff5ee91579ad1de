/**
 * Two kernel instances on one database stay in step through LISTEN/NOTIFY: enabling, disabling, grants and
 * settings changed on one reach the other with no restart, and a cache key written on one is never served stale
 * by the other. Also: plugin settings are checked against the plugin's JSON Schema, and grants apply live.
 */
import type { Kernel } from '@goatflow/kernel';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PluginFolder, waitFor } from '../fixtures/grpc/host-api-plugins.js';
import { freshDatabase, type TestDatabase } from '../support/database.js';
import type { ApiClient } from '../support/http-client.js';
import { adminClient, startTestKernel, userClient } from '../support/kernel.js';
import { sql } from '../support/sql.js';

const folder = new PluginFolder();
const env = { GOATFLOW_PLUGIN_DIR: folder.dir };

const PROBE = 'sync-probe';
const PLAIN = 'sync-plain';
const permissions = { cache: true };

const settingsSchema = {
  type: 'object',
  properties: {
    greeting: { type: 'string', title: 'Greeting', minLength: 2, maxLength: 40 },
    limit: { type: 'integer', minimum: 1, maximum: 10 },
    notify: { type: 'string', format: 'email' },
    mode: { enum: ['quiet', 'loud'] },
    token: { type: 'string', writeOnly: true, minLength: 4 },
  },
  required: ['greeting'],
  additionalProperties: false,
};

let db: TestDatabase;
let a: Kernel;
let b: Kernel;
let adminA: ApiClient;
let agentA: ApiClient;
let agentB: ApiClient;

/** Makes a host call through the probe plugin on one instance. */
async function hostCall(client: ApiClient, fn: string, args: unknown = {}) {
  return client.post(`/api/plugins/${PROBE}/call`, { fn, args });
}

async function status(client: ApiClient, path: string, expected: number): Promise<boolean> {
  return (await client.post(path, { fn: 'config.get' })).status === expected;
}

beforeAll(async () => {
  folder.grpc(PROBE, {
    permissions,
    contributes: {
      routes: [{ method: 'POST', path: '/call', auth: 'agent', handler: 'call' }],
      settings: settingsSchema,
    },
    settingsDefaults: { limit: 3, mode: 'quiet' },
  });
  folder.grpc(PLAIN, {
    contributes: { routes: [{ method: 'POST', path: '/call', auth: 'agent', handler: 'call' }] },
  });
  db = await freshDatabase();
  a = await startTestKernel({ databaseUrl: db.url, env });
  b = await startTestKernel({ databaseUrl: db.url, env });
  adminA = await adminClient(a);
  agentA = (await userClient(a, adminA, { login: 'sync-agent' })).client;
  agentB = (await userClient(b, adminA, { login: 'sync-agent-b' })).client;
  expect((await adminA.put(`/api/admin/plugins/${PROBE}/grants`, permissions)).status).toBe(200);
}, 120_000);

afterAll(async () => {
  await Promise.all([a?.stop(), b?.stop()]);
  await db?.drop();
  folder.remove();
});

describe('plugin state across instances', () => {
  it('enabling and disabling on one instance starts and stops the plugin on the other', async () => {
    const route = `/api/plugins/${PROBE}/call`;
    expect(await status(agentB, route, 404)).toBe(true);
    for (let round = 0; round < 3; round++) {
      const enabled = await adminA.post(`/api/admin/plugins/${PROBE}/enable`);
      expect(enabled.status, JSON.stringify(enabled.body)).toBe(200);
      await waitFor('the plugin to answer on instance B', () => status(agentB, route, 200));
      expect((await adminA.post(`/api/admin/plugins/${PROBE}/disable`)).status).toBe(200);
      await waitFor('the plugin to be gone from instance B', () => status(agentB, route, 404));
    }
    expect((await adminA.post(`/api/admin/plugins/${PROBE}/enable`)).status).toBe(200);
    await waitFor('the plugin to answer on instance B', () => status(agentB, route, 200));
  });
});

describe('settings', () => {
  it('lists the schema and the settings in effect (defaults until saved)', async () => {
    const res = await adminA.get(`/api/admin/plugins/${PROBE}`);
    expect(res.body.settingsSchema).toEqual(settingsSchema);
    expect(res.body.settings).toEqual({ limit: 3, mode: 'quiet' });
  });

  it('refuses settings the schema rejects, naming each field, and keeps what was saved', async () => {
    const res = await adminA.put(`/api/admin/plugins/${PROBE}/settings`, {
      greeting: 'x',
      limit: 11,
      notify: 'not-an-address',
      mode: 'shouting',
      colour: 'blue',
    });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('validation_failed');
    const byPath = Object.fromEntries(
      res.body.error.details.map((d: { path: string; code: string }) => [d.path, d.code]),
    );
    expect(byPath).toEqual({
      'settings.greeting': 'too_short',
      'settings.limit': 'too_large',
      'settings.notify': 'invalid_email',
      'settings.mode': 'invalid_option',
      'settings.colour': 'unknown_field',
    });
    const missing = await adminA.put(`/api/admin/plugins/${PROBE}/settings`, { limit: 2 });
    expect(missing.status).toBe(400);
    expect(missing.body.error.details).toEqual([
      expect.objectContaining({ path: 'settings.greeting', code: 'required' }),
    ]);
    expect((await adminA.get(`/api/admin/plugins/${PROBE}`)).body.settings).toEqual({
      limit: 3,
      mode: 'quiet',
    });
  });

  it('refuses a body that is not an object, a plugin without settings, and an unknown plugin', async () => {
    const list = await adminA.put(`/api/admin/plugins/${PROBE}/settings`, ['greeting']);
    expect(list.status).toBe(400);
    expect(list.body.error.details[0].path).toBe('settings');
    expect((await adminA.put(`/api/admin/plugins/${PLAIN}/settings`, { a: 1 })).status).toBe(409);
    expect((await adminA.put('/api/admin/plugins/no-such-plugin/settings', {})).status).toBe(404);
    expect((await agentA.put(`/api/admin/plugins/${PROBE}/settings`, { greeting: 'hi' })).status).toBe(404);
  });

  it('applies saved settings at once here and on the other instance, and records who changed them', async () => {
    const saved = await adminA.put(`/api/admin/plugins/${PROBE}/settings`, { greeting: 'Moin', limit: 7 });
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    expect(saved.body.settings).toEqual({ greeting: 'Moin', limit: 7, mode: 'quiet' });
    const here = await hostCall(agentA, 'config.get');
    expect(here.body).toEqual({ ok: true, value: { greeting: 'Moin', limit: 7, mode: 'quiet' } });
    await waitFor('instance B to read the new settings', async () => {
      const there = await hostCall(agentB, 'config.get');
      return there.body.value?.greeting === 'Moin';
    });
    const audit = await sql<{ details: { keys: string[] } }>(
      db.url,
      `select details from kernel.audit_log where action = 'plugin.settings_changed' and target_id = $1`,
      [PROBE],
    );
    expect(audit.map((r) => r.details.keys)).toEqual([['greeting', 'limit']]);
    const log = await adminA.get(`/api/admin/plugins/${PROBE}/logs?level=info`);
    expect(log.body.items.map((l: { message: string }) => l.message)).toContain('settings changed');
  });

  it('never shows a secret setting back, and keeps it when the mask is sent back unchanged', async () => {
    const saved = await adminA.put(`/api/admin/plugins/${PROBE}/settings`, {
      greeting: 'Moin',
      limit: 7,
      token: 's3cret-value',
    });
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    expect(saved.body.settings.token).toBe('********');
    expect(JSON.stringify((await adminA.get(`/api/admin/plugins/${PROBE}`)).body)).not.toContain('s3cret');
    expect((await hostCall(agentA, 'config.get')).body.value.token).toBe('s3cret-value');
    const again = await adminA.put(`/api/admin/plugins/${PROBE}/settings`, {
      ...saved.body.settings,
      greeting: 'Moin moin',
    });
    expect(again.status).toBe(200);
    expect((await hostCall(agentA, 'config.get')).body.value).toMatchObject({
      greeting: 'Moin moin',
      token: 's3cret-value',
    });
    const short = await adminA.put(`/api/admin/plugins/${PROBE}/settings`, {
      greeting: 'Moin',
      token: 'abc',
    });
    expect(short.status).toBe(400);
    expect(JSON.stringify(short.body)).not.toContain('s3cret');
    const cleared = await adminA.put(`/api/admin/plugins/${PROBE}/settings`, { greeting: 'Moin', limit: 7 });
    expect(cleared.body.settings.token).toBeUndefined();
    expect((await hostCall(agentA, 'config.get')).body.value.token).toBeUndefined();
  });
});

describe('cache across instances', () => {
  it('a key written on one instance is never served stale by the other', async () => {
    expect((await hostCall(agentB, 'cache.set', { key: 'greeting', value: 'v1' })).body.ok).toBe(true);
    expect((await hostCall(agentB, 'cache.get', { key: 'greeting' })).body.value).toBe('v1');
    expect((await hostCall(agentA, 'cache.set', { key: 'greeting', value: 'v2' })).body.ok).toBe(true);
    await waitFor('instance B to drop its copy', async () => {
      const value = (await hostCall(agentB, 'cache.get', { key: 'greeting' })).body.value;
      expect(value === null || value === 'v1').toBe(true);
      return value === null;
    });
    expect((await hostCall(agentB, 'cache.set', { key: 'greeting', value: 'v3' })).body.ok).toBe(true);
    expect((await hostCall(agentA, 'cache.delete', { key: 'greeting' })).body.ok).toBe(true);
    await waitFor(
      'instance B to forget the deleted key',
      async () => (await hostCall(agentB, 'cache.get', { key: 'greeting' })).body.value === null,
    );
  });
});

describe('grants apply live', () => {
  it('a wider grant is usable and a narrower one denied at once, with no re-enable, on both instances', async () => {
    const wide = await adminA.put(`/api/admin/plugins/${PROBE}/grants`, { cache: true, audit: true });
    expect(wide.status).toBe(200);
    expect(wide.body.state).toBe('enabled');
    const record = { action: 'probe.checked', targetType: 'probe', targetId: 1 };
    expect((await hostCall(agentA, 'audit.record', record)).body).toEqual({ ok: true, value: true });
    await waitFor(
      'instance B to use the wider grant',
      async () => (await hostCall(agentB, 'audit.record', record)).body.ok === true,
    );
    expect((await adminA.put(`/api/admin/plugins/${PROBE}/grants`, permissions)).status).toBe(200);
    expect((await hostCall(agentA, 'audit.record', record)).body).toMatchObject({
      ok: false,
      code: 'permission_denied',
    });
    await waitFor(
      'instance B to deny the narrowed grant',
      async () => (await hostCall(agentB, 'audit.record', record)).body.code === 'permission_denied',
    );
  });

  it('revoking a permission the plugin needs disables it everywhere and says why', async () => {
    const revoked = await adminA.put(`/api/admin/plugins/${PROBE}/grants`, {});
    expect(revoked.status).toBe(200);
    expect(revoked.body.state).toBe('disabled');
    expect(revoked.body.lastError).toMatch(/no longer covers: cache/);
    expect((await hostCall(agentA, 'config.get')).status).toBe(404);
    await waitFor(
      'the plugin to stop on instance B',
      async () => (await hostCall(agentB, 'config.get')).status === 404,
    );
    const enable = await adminA.post(`/api/admin/plugins/${PROBE}/enable`);
    expect(enable.status).toBe(409);
    expect(enable.body.error.message).toMatch(/cache/);
  });
});

describe.skipIf(!process.env.DATABASE_URL)('a lost notification connection', () => {
  it('reconnects and catches up on what changed meanwhile', async () => {
    expect((await adminA.put(`/api/admin/plugins/${PROBE}/grants`, permissions)).status).toBe(200);
    expect((await adminA.post(`/api/admin/plugins/${PROBE}/enable`)).status).toBe(200);
    await waitFor(
      'the plugin on instance B',
      async () => (await hostCall(agentB, 'config.get')).status === 200,
    );
    // Cut every listening connection, then change something while they are gone.
    await sql(
      db.url,
      `select pg_terminate_backend(pid) from pg_stat_activity
        where datname = current_database() and query ilike 'listen %' and pid <> pg_backend_pid()`,
    );
    await adminA.put(`/api/admin/plugins/${PROBE}/settings`, { greeting: 'Reconnected' });
    await waitFor(
      'instance B to catch up after reconnecting',
      async () => (await hostCall(agentB, 'config.get')).body.value?.greeting === 'Reconnected',
    );
  });
});
