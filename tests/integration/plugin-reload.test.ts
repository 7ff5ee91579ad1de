/**
 * `POST /api/admin/plugins/:id/reload` (what `goatflow-plugin dev` calls): a plugin's folder is read again and the
 * plugin restarted with its new code, widgets and migrations while the kernel keeps running — on the instance
 * asked and, through the cluster bus, on the other. A broken manifest stops the plugin and lists its problems
 * (never a 500); uploaded packages, unknown ids and non-admins are refused like the other admin actions.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Kernel } from '@goatflow/kernel';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../fixtures/grpc/host-api-plugins.js';
import { freshDatabase, type TestDatabase } from '../support/database.js';
import { auditRows } from '../support/helpers.js';
import { ApiClient } from '../support/http-client.js';
import { adminClient, startTestKernel, userClient } from '../support/kernel.js';
import { packPlugin, uploadForm } from '../support/plugin-package.js';
import { sql } from '../support/sql.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'goatflow-reload-'));
const pluginDir = path.join(work, 'plugins');
const hello = path.join(pluginDir, 'hello-widget');
const swap = path.join(pluginDir, 'swap-wasm');
const wasmOf = (fixture: string) =>
  fs.readFileSync(path.join(root, 'tests/fixtures/wasm', fixture, 'dist/plugin.wasm'));

type Manifest = Record<string, any>;
const readManifest = (dir: string): Manifest =>
  JSON.parse(fs.readFileSync(path.join(dir, 'goatflow-plugin.json'), 'utf8'));
const writeManifest = (dir: string, manifest: Manifest) =>
  fs.writeFileSync(path.join(dir, 'goatflow-plugin.json'), JSON.stringify(manifest, null, 2));
const editManifest = (dir: string, change: (m: Manifest) => void) => {
  const manifest = readManifest(dir);
  change(manifest);
  writeManifest(dir, manifest);
};

function wasmPlugin(id: string, fixture = 'echo'): string {
  const dir = path.join(pluginDir, id);
  fs.mkdirSync(path.join(dir, 'dist'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'dist/plugin.wasm'), wasmOf(fixture));
  writeManifest(dir, {
    id,
    version: '1.0.0',
    name: `Reload test plugin ${id}`,
    kernelApi: '^1.0.0',
    runtime: 'wasm',
    entry: 'dist/plugin.wasm',
    permissions: {},
    contributes: { routes: [{ method: 'POST', path: '/go', auth: 'user', handler: 'echo' }] },
  });
  return dir;
}

let db: TestDatabase;
let a: Kernel;
let b: Kernel;
let admin: ApiClient;
let agent: ApiClient;
let agentB: ApiClient;

const reload = (id: string, client = admin) => client.post(`/api/admin/plugins/${id}/reload`);
const greeting = (client: ApiClient) => client.get('/api/plugins/hello-widget/greeting');

beforeAll(async () => {
  const build = spawnSync(
    process.execPath,
    [path.join(root, 'scripts', 'build-wasm.mjs'), '--quiet', 'echo', 'unicode'],
    { encoding: 'utf8' },
  );
  if (build.status !== 0)
    throw new Error(`building the WASM fixtures failed:\n${build.stdout}${build.stderr}`);
  // A copy of the hello-widget fixture, as a plugin project: its node_modules are the repository's.
  fs.cpSync(path.join(root, 'tests/fixtures/plugins/hello-widget'), hello, { recursive: true });
  fs.symlinkSync(path.join(root, 'node_modules'), path.join(hello, 'node_modules'), 'junction');
  fs.writeFileSync(
    path.join(hello, 'package.json'),
    JSON.stringify({ name: 'hello-widget', type: 'module' }),
  );
  editManifest(hello, (m) => {
    m.permissions.db = { own: true };
    m.contributes.migrations = 'migrations';
  });
  fs.mkdirSync(path.join(hello, 'migrations'));
  fs.writeFileSync(
    path.join(hello, 'migrations/0001_greetings.sql'),
    'create table greetings (id serial primary key, login text not null);\n',
  );
  wasmPlugin('swap-wasm');
  wasmPlugin('idle-wasm');

  db = await freshDatabase();
  const env = { GOATFLOW_PLUGIN_DIR: pluginDir };
  a = await startTestKernel({ databaseUrl: db.url, env });
  b = await startTestKernel({ databaseUrl: db.url, env });
  admin = await adminClient(a);
  agent = (await userClient(a, admin, { login: 'reload-agent' })).client;
  agentB = (await userClient(b, admin, { login: 'reload-agent-b' })).client;
  for (const id of ['hello-widget', 'swap-wasm']) {
    const status = await admin.get(`/api/admin/plugins/${id}`);
    expect((await admin.put(`/api/admin/plugins/${id}/grants`, status.body.requested)).status).toBe(200);
    const enabled = await admin.post(`/api/admin/plugins/${id}/enable`);
    expect(enabled.status, JSON.stringify(enabled.body)).toBe(200);
  }
}, 240_000);

afterAll(async () => {
  await Promise.all([a?.stop(), b?.stop()]);
  await db?.drop();
  fs.rmSync(work, { recursive: true, force: true });
});

describe('reloading a gRPC plugin', () => {
  it('runs the new code at once, here and on the other instance, with no kernel restart', async () => {
    const before = await greeting(agent);
    expect(before.status).toBe(200);
    expect(before.body.edition).toBeUndefined();
    await waitFor('the plugin on the other instance', async () => (await greeting(agentB)).status === 200);
    const pid = (await admin.get('/api/admin/plugins/hello-widget')).body.health.pid;

    const code = path.join(hello, 'plugin.ts');
    fs.writeFileSync(
      code,
      fs.readFileSync(code, 'utf8').replace('return {', "return {\n        edition: 'v2',"),
    );
    const res = await reload('hello-widget');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: 'hello-widget', state: 'enabled', issues: [] });
    expect(res.body.health.pid).not.toBe(pid);

    const after = await greeting(agent);
    expect(after.status).toBe(200);
    expect(after.body.edition).toBe('v2');
    // The other instance heard it on the cluster bus and restarted its own copy.
    await waitFor(
      'the new code on the other instance',
      async () => (await greeting(agentB)).body?.edition === 'v2',
    );
  });

  it('applies new migrations and shows new widgets', async () => {
    fs.writeFileSync(
      path.join(hello, 'migrations/0002_more.sql'),
      'create table more (id serial primary key, note text);\n',
    );
    editManifest(hello, (m) => {
      m.version = '1.3.0';
      m.contributes.widgets.push({ ...m.contributes.widgets[0], id: 'hello-more' });
    });
    const res = await reload('hello-widget');
    expect(res.body).toMatchObject({ state: 'enabled', version: '1.3.0' });

    const applied = await sql<{ name: string }>(
      a.databaseUrl,
      "select name from kernel.plugin_migrations where plugin_id = 'hello-widget' order by name",
    );
    expect(applied.map((r) => r.name)).toEqual(['0001_greetings.sql', '0002_more.sql']);
    const [table] = await sql<{ t: string | null }>(
      a.databaseUrl,
      "select to_regclass('hello_widget.more')::text t",
    );
    expect(table!.t).toBe('hello_widget.more');

    const ui = await agent.get('/api/ui/contributions');
    expect(ui.body.widgets.filter((w: any) => w.plugin === 'hello-widget').map((w: any) => w.id)).toEqual([
      'hello',
      'hello-more',
    ]);
    const [row] = await auditRows(admin, 'plugin.reloaded');
    expect(row).toMatchObject({ targetType: 'plugin', targetId: 'hello-widget' });
    expect(row!.details).toMatchObject({ version: '1.3.0', state: 'enabled' });
  });
});

describe('reloading a WASM plugin', () => {
  it('loads the swapped module', async () => {
    expect((await agent.post('/api/plugins/swap-wasm/go', { n: 1 })).status).toBe(200);
    expect((await agent.get('/api/plugins/swap-wasm/greet')).status).toBe(404);

    fs.writeFileSync(path.join(swap, 'dist/plugin.wasm'), wasmOf('unicode'));
    editManifest(swap, (m) => {
      m.contributes.routes.push({ method: 'GET', path: '/greet', auth: 'user', handler: 'greet' });
    });
    expect((await reload('swap-wasm')).body.state).toBe('enabled');
    const greet = await agent.get('/api/plugins/swap-wasm/greet');
    expect(greet.status).toBe(200);
    expect(greet.body).toBe('Grüße ✓');

    // Only the module changes: the route stays, the code behind it is gone.
    fs.writeFileSync(path.join(swap, 'dist/plugin.wasm'), wasmOf('echo'));
    expect((await reload('swap-wasm')).body.state).toBe('enabled');
    expect((await agent.get('/api/plugins/swap-wasm/greet')).status).toBe(502);
    expect((await agent.post('/api/plugins/swap-wasm/go', { n: 2 })).status).toBe(200);
  });

  it('waits for the grant when the new version asks for more', async () => {
    editManifest(swap, (m) => {
      m.permissions = { cache: true };
    });
    const res = await reload('swap-wasm');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ state: 'failed', missingGrants: ['cache'] });
    expect(res.body.lastError).toMatch(/not granted: cache\. Grant them, then reload/);
    expect((await agent.post('/api/plugins/swap-wasm/go', {})).status).toBe(404);

    expect((await admin.put('/api/admin/plugins/swap-wasm/grants', { cache: true })).status).toBe(200);
    const again = await reload('swap-wasm');
    expect(again.body).toMatchObject({ state: 'enabled', missingGrants: [] });
    expect(again.body.lastError).toBeUndefined();
    expect((await agent.post('/api/plugins/swap-wasm/go', {})).status).toBe(200);
  });
});

describe('a manifest broken on disk', () => {
  it('stops the plugin and lists the issues (200, never a 500); the reload that fixes it starts it again', async () => {
    const good = readManifest(hello);
    editManifest(hello, (m) => {
      m.contributes.routes[0].auth = 'superuser';
    });
    const res = await reload('hello-widget');
    expect(res.status).toBe(200);
    expect(res.body.state).toBe('failed');
    expect(res.body.health).toBeUndefined();
    expect(res.body.issues.map((i: { path: string }) => i.path)).toContain('/contributes/routes/0/auth');
    expect(res.body.lastError).toMatch(/the manifest is invalid: \/contributes\/routes\/0\/auth/);
    expect((await greeting(agent)).status).toBe(404);
    await waitFor(
      'the plugin stopped on the other instance',
      async () => (await greeting(agentB)).status === 404,
    );

    fs.writeFileSync(path.join(hello, 'goatflow-plugin.json'), '{ "id": "hello-widget", ');
    const unreadable = await reload('hello-widget');
    expect(unreadable.status).toBe(200);
    expect(unreadable.body.state).toBe('failed');
    expect(unreadable.body.issues[0].message).toMatch(/not valid JSON/);

    writeManifest(hello, { ...good, id: 'hello-renamed' });
    const renamed = await reload('hello-widget');
    expect(renamed.body.state).toBe('failed');
    expect(renamed.body.issues).toEqual([
      { path: '/id', message: expect.stringMatching(/changed from "hello-widget" to "hello-renamed"/) },
    ]);

    writeManifest(hello, good);
    const fixed = await reload('hello-widget');
    expect(fixed.body, fixed.body.lastError).toMatchObject({ state: 'enabled', issues: [] });
    expect((await greeting(agent)).body.edition).toBe('v2');
    await waitFor(
      'the plugin back on the other instance',
      async () => (await greeting(agentB)).status === 200,
    );
  });
});

describe('what is only re-read, and what is refused', () => {
  it('re-reads a plugin that is not enabled without starting it', async () => {
    editManifest(path.join(pluginDir, 'idle-wasm'), (m) => {
      m.version = '1.0.1';
    });
    const res = await reload('idle-wasm');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ state: 'installed', version: '1.0.1' });
    expect(res.body.health).toBeUndefined();
  });

  it('finds a plugin folder added since the start', async () => {
    wasmPlugin('late-wasm');
    const res = await reload('late-wasm');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: 'late-wasm', state: 'installed' });
  });

  it('answers 404 for an unknown plugin and for non-admins, 401 signed out, 403 without the CSRF token', async () => {
    expect((await reload('no-such-plugin')).status).toBe(404);
    expect((await reload('hello-widget', agent)).status).toBe(404);
    expect((await reload('hello-widget', new ApiClient(a.url))).status).toBe(401);
    admin.sendCsrf = false;
    try {
      const res = await reload('hello-widget');
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('csrf_failed');
    } finally {
      admin.sendCsrf = true;
    }
  });

  it('refuses an uploaded package (409): a new upload replaces it', async () => {
    const fixture = path.join(root, 'tests/fixtures/packages/packaged-echo');
    const bytes = packPlugin(fixture, { 'dist/plugin.wasm': wasmOf('echo') });
    const uploaded = await admin.request('POST', '/api/admin/plugins/upload', uploadForm(bytes));
    expect(uploaded.status, JSON.stringify(uploaded.body)).toBeLessThan(300);
    const res = await reload('packaged-echo');
    expect(res.status).toBe(409);
    expect(res.body.error.message).toMatch(
      /installed by uploading a package.*POST \/api\/admin\/plugins\/upload/,
    );
  });
});
