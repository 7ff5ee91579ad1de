/**
 * At load time the kernel tells a WASM plugin's developer what its module promises but the manifest and grants do
 * not back — in the plugin's log at /admin/plugins, in the words `goatflow-plugin validate` uses.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Kernel } from '@goatflow/kernel';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from '../support/http-client.js';
import { adminClient, startTestKernel } from '../support/kernel.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'goatflow-load-checks-'));
const pluginDir = path.join(work, 'plugins');
let kernel: Kernel;
let admin: ApiClient;

beforeAll(async () => {
  const build = spawnSync(
    process.execPath,
    [path.join(root, 'scripts', 'build-wasm.mjs'), '--quiet', 'hostapi'],
    {
      encoding: 'utf8',
    },
  );
  if (build.status !== 0)
    throw new Error(`building the hostapi fixture failed:\n${build.stdout}${build.stderr}`);
  const dir = path.join(pluginDir, 'undeclared-wasm');
  fs.mkdirSync(path.join(dir, 'dist'), { recursive: true });
  fs.copyFileSync(
    path.join(root, 'tests/fixtures/wasm/hostapi/dist/plugin.wasm'),
    path.join(dir, 'dist/plugin.wasm'),
  );
  fs.writeFileSync(
    path.join(dir, 'goatflow-plugin.json'),
    JSON.stringify({
      id: 'undeclared-wasm',
      version: '1.0.0',
      name: 'Undeclared',
      kernelApi: '^1.0.0',
      runtime: 'wasm',
      entry: 'dist/plugin.wasm',
      permissions: {},
      contributes: {
        routes: [
          { method: 'POST', path: '/call', auth: 'user', handler: 'call' },
          { method: 'GET', path: '/missing', auth: 'user', handler: 'missing' },
        ],
      },
    }),
  );
  kernel = await startTestKernel({ env: { GOATFLOW_PLUGIN_DIR: pluginDir } });
  admin = await adminClient(kernel);
}, 120_000);

afterAll(async () => {
  await kernel?.stop();
  fs.rmSync(work, { recursive: true, force: true });
});

describe('loading a WASM plugin', () => {
  it('logs each ungranted Host API import and each missing handler, with the fix', async () => {
    const enabled = await admin.post('/api/admin/plugins/undeclared-wasm/enable');
    expect(enabled.status, JSON.stringify(enabled.body)).toBe(200);
    const logs = await admin.get('/api/admin/plugins/undeclared-wasm/logs?level=error');
    const messages: string[] = logs.body.items.map((l: { message: string }) => l.message);
    expect(messages).toContainEqual(
      expect.stringMatching(
        /^the module imports http_fetch \(http\.fetch\) but the plugin was not granted permissions\.http, .*To fix: declare `http: \['api\.example\.com'\]` under permissions in src\/plugin\.ts/,
      ),
    );
    expect(messages).toContainEqual(
      expect.stringMatching(
        /^route GET \/missing calls the handler "missing", which the module does not export, so each call fails\. To fix: export a function named missing/,
      ),
    );
  });
});
