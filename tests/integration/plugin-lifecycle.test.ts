/**
 * The plugin lifecycle through the admin API, with real plugins in both runtimes: discovery, refused manifests,
 * grants, enable and disable at runtime, routes guarded by the kernel, host calls checked against the grant,
 * and the plugin's log.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Kernel } from '@goatflow/kernel';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase, type TestDatabase } from '../support/database.js';
import type { ApiClient } from '../support/http-client.js';
import { adminClient, startTestKernel, userClient } from '../support/kernel.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const pluginDir = fs.mkdtempSync(path.join(os.tmpdir(), 'goatflow-plugins-'));

function writePlugin(folder: string, manifest: unknown, files: Record<string, string | Buffer> = {}): void {
  const dir = path.join(pluginDir, folder);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'goatflow-plugin.json'), JSON.stringify(manifest, null, 2));
  for (const [name, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), content);
  }
}

let db: TestDatabase;
let kernel: Kernel;
let admin: ApiClient;
let agent: ApiClient;

beforeAll(async () => {
  const build = spawnSync(process.execPath, [path.join(root, 'scripts', 'build-wasm.mjs')], {
    encoding: 'utf8',
  });
  if (build.status !== 0)
    throw new Error(`building the WASM fixtures failed:\n${build.stdout}${build.stderr}`);
  writePlugin(
    'echo-grpc',
    {
      id: 'echo-grpc',
      version: '1.0.0',
      name: 'Echo over gRPC',
      kernelApi: '^1.0.0',
      runtime: 'grpc',
      // The plugin folder is outside the repository, so the TypeScript loader is named by its full URL.
      entry: {
        command: 'node',
        args: ['--import', import.meta.resolve('tsx'), path.join(root, 'tests/fixtures/grpc/echo.ts')],
      },
      permissions: { cache: true },
      contributes: {
        assets: 'web',
        widgets: [
          {
            id: 'echo',
            slot: 'dashboard.main',
            title: 'echo.title',
            element: 'gf-echo-widget',
            module: 'web/echo-widget.js',
          },
        ],
        menu: [{ id: 'echo', label: 'echo.menu', path: '/echo', location: 'agent', order: 5 }],
        i18n: { en: 'i18n/en.json', de: 'i18n/de.json' },
        routes: [
          { method: 'GET', path: '/echo/:word', auth: 'agent', handler: 'echo' },
          { method: 'GET', path: '/public', auth: 'public', handler: 'ping' },
          { method: 'GET', path: '/admins', auth: 'admin', handler: 'ping' },
        ],
      },
    },
    {
      'web/echo-widget.js': "customElements.define('gf-echo-widget', class extends HTMLElement {});\n",
      'i18n/en.json': JSON.stringify({ echo: { title: 'Echo', menu: 'Echo room' } }),
      'i18n/de.json': JSON.stringify({ echo: { title: 'Echo', menu: 'Echoraum' } }),
    },
  );
  writePlugin(
    'echo-wasm',
    {
      id: 'echo-wasm',
      version: '2.1.0',
      name: 'Echo in WASM',
      kernelApi: '^1.0.0',
      runtime: 'wasm',
      entry: 'plugin.wasm',
      permissions: { cache: true },
      contributes: { routes: [{ method: 'POST', path: '/calls', auth: 'user', handler: 'host_calls' }] },
    },
    { 'plugin.wasm': fs.readFileSync(path.join(root, 'tests/fixtures/wasm/echo/dist/plugin.wasm')) },
  );
  writePlugin('broken', {
    id: 'broken',
    version: '1.0.0',
    name: 'Broken',
    kernelApi: '^1.0.0',
    runtime: 'grpc',
    entry: { command: 'node' },
    contributes: {
      routes: [{ method: 'GET', path: '/x', auth: 'superuser', handler: 'x', middleware: 'auth' }],
    },
  });
  db = await freshDatabase();
  kernel = await startTestKernel({ databaseUrl: db.url, env: { GOATFLOW_PLUGIN_DIR: pluginDir } });
  admin = await adminClient(kernel);
  agent = (await userClient(kernel, admin, { login: 'plain-agent' })).client;
}, 240_000);

afterAll(async () => {
  await kernel?.stop();
  await db?.drop();
  fs.rmSync(pluginDir, { recursive: true, force: true });
});

describe('discovery', () => {
  it('lists third-party plugins as installed, with what they ask for and nothing granted', async () => {
    const res = await admin.get('/api/admin/plugins');
    expect(res.status).toBe(200);
    const echo = res.body.items.find((p: { id: string }) => p.id === 'echo-grpc');
    expect(echo).toMatchObject({
      state: 'installed',
      runtime: 'grpc',
      firstParty: false,
      requested: { cache: true },
      granted: {},
      missingGrants: ['cache'],
    });
  });

  it('shows a broken manifest as failed, naming each problem by its JSON path', async () => {
    const res = await admin.get('/api/admin/plugins/broken');
    expect(res.body.state).toBe('failed');
    expect(res.body.issues.map((i: { path: string }) => i.path).sort()).toEqual([
      '/contributes/routes/0/auth',
      '/contributes/routes/0/middleware',
    ]);
    // Each issue says what would be right: the allowed values, or that the field does not exist.
    const messages = Object.fromEntries(
      res.body.issues.map((i: { path: string; message: string }) => [i.path, i.message]),
    );
    expect(messages['/contributes/routes/0/auth']).toMatch(/public.*customer.*agent.*user.*admin/);
    expect(messages['/contributes/routes/0/middleware']).toBe(
      'is not a manifest field (remove it or fix its name)',
    );
    const enable = await admin.post('/api/admin/plugins/broken/enable');
    expect(enable.status).toBe(409);
    expect(enable.body.error.message).toMatch(/invalid manifest/);
  });

  it('answers 404 for an unknown plugin and for non-admins', async () => {
    expect((await admin.get('/api/admin/plugins/nope')).status).toBe(404);
    expect((await agent.get('/api/admin/plugins')).status).toBe(404);
    expect((await agent.post('/api/admin/plugins/echo-grpc/enable')).status).toBe(404);
  });
});

describe('enable, call, disable — no restart', () => {
  it('refuses to enable before the operator grants what the plugin asks for', async () => {
    const res = await admin.post('/api/admin/plugins/echo-grpc/enable');
    expect(res.status).toBe(409);
    expect(res.body.error.message).toMatch(/not granted: cache/);
    expect((await agent.get('/api/plugins/echo-grpc/echo/hi')).status).toBe(404);
  });

  it('runs the gRPC plugin once granted and enabled, with the kernel guarding its routes', async () => {
    expect((await admin.put('/api/admin/plugins/echo-grpc/grants', { cache: true })).status).toBe(200);
    const enabled = await admin.post('/api/admin/plugins/echo-grpc/enable');
    expect(enabled.status, JSON.stringify(enabled.body)).toBe(200);
    expect(enabled.body).toMatchObject({ state: 'enabled', missingGrants: [] });
    expect(enabled.body.health.pid).toEqual(expect.any(Number));

    const res = await agent.get('/api/plugins/echo-grpc/echo/hello?x=1');
    expect(res.status).toBe(200);
    expect(res.body.input).toMatchObject({ method: 'GET', params: { word: 'hello' }, query: { x: '1' } });
    expect(res.body.context).toMatchObject({
      pluginId: 'echo-grpc',
      handler: 'echo',
      user: { login: 'plain-agent' },
    });

    const anonymous = await fetch(`${kernel.url}/api/plugins/echo-grpc/echo/hello`);
    expect(anonymous.status).toBe(401);
    expect((await fetch(`${kernel.url}/api/plugins/echo-grpc/public`)).status).toBe(200);
    expect((await agent.get('/api/plugins/echo-grpc/admins')).status).toBe(404);
    expect((await admin.get('/api/plugins/echo-grpc/admins')).body).toBe('pong');
  });

  it('disables at once (404) and enables again (200), many times, with no restart', async () => {
    for (let i = 0; i < 3; i++) {
      expect((await admin.post('/api/admin/plugins/echo-grpc/disable')).body.state).toBe('disabled');
      expect((await agent.get('/api/plugins/echo-grpc/echo/x')).status).toBe(404);
      expect((await admin.post('/api/admin/plugins/echo-grpc/enable')).status).toBe(200);
      expect((await agent.get('/api/plugins/echo-grpc/echo/x')).status).toBe(200);
    }
  });

  it('contributes its widget and menu to the shell while enabled, and serves only its assets folder', async () => {
    const ui = await agent.get('/api/ui/contributions');
    expect(ui.status).toBe(200);
    expect(ui.body.widgets).toEqual([
      {
        plugin: 'echo-grpc',
        id: 'echo',
        slot: 'dashboard.main',
        title: 'Echo',
        size: 'medium',
        element: 'gf-echo-widget',
        module: '/plugins/echo-grpc/assets/echo-widget.js',
        refreshSeconds: null,
      },
    ]);
    expect(ui.body.menu).toEqual([
      { plugin: 'echo-grpc', id: 'echo', label: 'Echo room', path: '/echo', location: 'agent', order: 5 },
    ]);
    const asset = await fetch(`${kernel.url}/plugins/echo-grpc/assets/echo-widget.js`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-type')).toMatch(/javascript/);
    expect((await fetch(`${kernel.url}/plugins/echo-grpc/assets/../goatflow-plugin.json`)).status).toBe(404);
    expect((await fetch(`${kernel.url}/plugins/echo-grpc/assets/%2e%2e/goatflow-plugin.json`)).status).toBe(
      404,
    );

    await admin.post('/api/admin/plugins/echo-grpc/disable');
    const after = await agent.get('/api/ui/contributions');
    expect(after.body).toEqual({ widgets: [], menu: [], pages: [] });
    expect((await fetch(`${kernel.url}/plugins/echo-grpc/assets/echo-widget.js`)).status).toBe(404);
    await admin.post('/api/admin/plugins/echo-grpc/enable');
  });

  it('runs the WASM plugin, whose host calls go through the Host API under its grant', async () => {
    await admin.put('/api/admin/plugins/echo-wasm/grants', { cache: true });
    expect((await admin.post('/api/admin/plugins/echo-wasm/enable')).status).toBe(200);
    const logged = await agent.post('/api/plugins/echo-wasm/calls', { count: 2, fn: 'log' });
    expect(logged.status).toBe(200);
    expect(logged.body).toEqual([
      { ok: true, value: true },
      { ok: true, value: true },
    ]);
    const cached = await agent.post('/api/plugins/echo-wasm/calls', { count: 1, fn: 'cache_get', key: 'k' });
    expect(cached.body).toEqual([{ ok: true, value: null }]);

    const logs = await admin.get('/api/admin/plugins/echo-wasm/logs?level=info');
    expect(logs.body.items.map((l: { message: string }) => l.message)).toEqual(
      expect.arrayContaining(['line 0', 'line 1', 'enabled version 2.1.0']),
    );
  });

  it('a host call beyond the grant is refused to the plugin, and shows in its log', async () => {
    await admin.post('/api/admin/plugins/echo-wasm/disable');
    await admin.put('/api/admin/plugins/echo-wasm/grants', { cache: true });
    // Take the cache grant away by granting nothing: enabling must now be refused…
    await admin.put('/api/admin/plugins/echo-wasm/grants', {});
    const refused = await admin.post('/api/admin/plugins/echo-wasm/enable');
    expect(refused.status).toBe(409);
    // …and the audit log has every one of these admin changes.
    const audit = await admin.get('/api/admin/audit?action=plugin.granted');
    expect(audit.body.items.some((r: { targetId: string }) => r.targetId === 'echo-wasm')).toBe(true);
  });
});
