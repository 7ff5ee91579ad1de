/**
 * Invariants 3 and 4 through the real HTTP path: a plugin that loops, exhausts memory or is refused at load costs
 * only itself, and enabling or disabling one plugin never drops another plugin's requests.
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
import { adminClient, startTestKernel } from '../support/kernel.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const pluginDir = fs.mkdtempSync(path.join(os.tmpdir(), 'goatflow-isolation-'));
const wasmFixture = (name: string) =>
  fs.readFileSync(path.join(root, 'tests/fixtures/wasm', name, 'dist/plugin.wasm'));

function wasmPlugin(
  id: string,
  fixture: string,
  routes: { path: string; handler: string }[],
  deadlineMs = 5000,
) {
  const dir = path.join(pluginDir, id);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'plugin.wasm'), wasmFixture(fixture));
  fs.writeFileSync(
    path.join(dir, 'goatflow-plugin.json'),
    JSON.stringify({
      id,
      version: '1.0.0',
      name: id,
      kernelApi: '^1.0.0',
      runtime: 'wasm',
      entry: 'plugin.wasm',
      limits: { deadlineMs },
      contributes: { routes: routes.map((r) => ({ method: 'GET', auth: 'public', ...r })) },
    }),
  );
}

let db: TestDatabase;
let kernel: Kernel;
let admin: ApiClient;

beforeAll(async () => {
  const build = spawnSync(process.execPath, [path.join(root, 'scripts', 'build-wasm.mjs')], {
    encoding: 'utf8',
  });
  if (build.status !== 0)
    throw new Error(`building the WASM fixtures failed:\n${build.stdout}${build.stderr}`);
  wasmPlugin('steady-wasm', 'echo', [{ path: '/echo', handler: 'echo' }]);
  wasmPlugin('looping-wasm', 'loop', [{ path: '/run', handler: 'run' }], 500);
  wasmPlugin('greedy-wasm', 'membomb', [{ path: '/run', handler: 'run' }]);
  wasmPlugin('wasi-wasm', 'wasi-import', []);
  const grpcDir = path.join(pluginDir, 'toggled-grpc');
  fs.mkdirSync(grpcDir, { recursive: true });
  fs.writeFileSync(
    path.join(grpcDir, 'goatflow-plugin.json'),
    JSON.stringify({
      id: 'toggled-grpc',
      version: '1.0.0',
      name: 'toggled',
      kernelApi: '^1.0.0',
      runtime: 'grpc',
      entry: {
        command: 'node',
        args: ['--import', import.meta.resolve('tsx'), path.join(root, 'tests/fixtures/grpc/echo.ts')],
      },
      contributes: { routes: [{ method: 'GET', path: '/ping', auth: 'public', handler: 'ping' }] },
    }),
  );
  db = await freshDatabase();
  kernel = await startTestKernel({ databaseUrl: db.url, env: { GOATFLOW_PLUGIN_DIR: pluginDir } });
  admin = await adminClient(kernel);
  for (const id of ['steady-wasm', 'looping-wasm', 'greedy-wasm', 'toggled-grpc']) {
    const res = await admin.post(`/api/admin/plugins/${id}/enable`);
    expect(res.status, `${id}: ${JSON.stringify(res.body)}`).toBe(200);
  }
}, 240_000);

afterAll(async () => {
  await kernel?.stop();
  await db?.drop();
  fs.rmSync(pluginDir, { recursive: true, force: true });
});

describe('hostile WASM plugins through HTTP', () => {
  it('an infinite loop answers 504 at its deadline while the kernel keeps serving', async () => {
    const looping = fetch(`${kernel.url}/api/plugins/looping-wasm/run`);
    let served = 0;
    const started = Date.now();
    while (Date.now() - started < 300) {
      expect((await fetch(`${kernel.url}/api/health`)).status).toBe(200);
      expect((await fetch(`${kernel.url}/api/plugins/steady-wasm/echo`)).status).toBe(200);
      served++;
    }
    const res = await looping;
    expect(res.status).toBe(504);
    expect((await res.json()).error.code).toBe('plugin_timeout');
    expect(served).toBeGreaterThan(0);
    // The looping plugin's worker was replaced: it answers (with its deadline again), it did not die.
    expect((await fetch(`${kernel.url}/api/plugins/looping-wasm/run`)).status).toBe(504);
  });

  it('a memory bomb stops at its cap with 502, and the kernel and the plugin live on', async () => {
    const res = await fetch(`${kernel.url}/api/plugins/greedy-wasm/run`);
    expect(res.status).toBe(502);
    expect((await res.json()).error.code).toBe('plugin_error');
    expect((await fetch(`${kernel.url}/api/health`)).status).toBe(200);
    expect((await fetch(`${kernel.url}/api/plugins/greedy-wasm/run`)).status).toBe(502);
  });

  it('a module importing WASI is refused at enable, naming the import, and shown as failed', async () => {
    const res = await admin.post('/api/admin/plugins/wasi-wasm/enable');
    expect(res.status).toBe(409);
    expect(res.body.error.message).toMatch(/wasi_snapshot_preview1::fd_write/);
    const status = await admin.get('/api/admin/plugins/wasi-wasm');
    expect(status.body.state).toBe('failed');
    expect(status.body.lastError).toMatch(/wasi_snapshot_preview1::fd_write/);
    // …and says how to build it instead: the same words `goatflow-plugin validate` prints before shipping.
    expect(status.body.lastError).toMatch(/plugins run without WASI .*build the plugin without WASI support/);
  });
});

describe('enabling and disabling never drops another plugin’s requests', () => {
  it('toggles a gRPC plugin 20 times while a client keeps calling a WASM plugin: zero failures', async () => {
    let stop = false;
    const failures: number[] = [];
    let calls = 0;
    const client = (async () => {
      while (!stop) {
        const res = await fetch(`${kernel.url}/api/plugins/steady-wasm/echo`);
        calls++;
        if (res.status !== 200) failures.push(res.status);
        await res.arrayBuffer();
      }
    })();
    for (let i = 0; i < 20; i++) {
      expect((await admin.post('/api/admin/plugins/toggled-grpc/disable')).status).toBe(200);
      expect((await fetch(`${kernel.url}/api/plugins/toggled-grpc/ping`)).status).toBe(404);
      expect((await admin.post('/api/admin/plugins/toggled-grpc/enable')).status).toBe(200);
      expect((await fetch(`${kernel.url}/api/plugins/toggled-grpc/ping`)).status).toBe(200);
    }
    stop = true;
    await client;
    expect(failures).toEqual([]);
    expect(calls).toBeGreaterThan(20);
  }, 180_000);
});
