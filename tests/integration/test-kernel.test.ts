/**
 * `startTestKernel()` from `@goatflow/sdk/testing`, as a plugin's own tests use it: a real kernel process with a
 * gRPC and a WASM plugin loaded from their folders, routes called as the seeded agent and customer, a clean stop
 * that leaves no temporary folder behind, and errors that say what is wrong with a plugin.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startTestKernel, type TestKernel } from '@goatflow/sdk/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'goatflow-sdk-testing-'));

/** A plugin folder outside the repository, as a plugin project would be. */
function writePlugin(folder: string, manifest: unknown, files: Record<string, string | Buffer> = {}): string {
  const dir = path.join(work, folder);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'goatflow-plugin.json'), JSON.stringify(manifest, null, 2));
  for (const [name, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), content);
  }
  return dir;
}

/** A gRPC plugin whose code is a fixture of tests/fixtures/grpc, run through tsx. */
function grpcPlugin(folder: string, id: string, fixture: string, routes: unknown[]): string {
  return writePlugin(folder, {
    id,
    version: '1.0.0',
    name: id,
    kernelApi: '^1.0.0',
    runtime: 'grpc',
    entry: {
      command: 'node',
      args: ['--import', import.meta.resolve('tsx'), path.join(root, 'tests/fixtures/grpc', fixture)],
    },
    permissions: { cache: true },
    contributes: { routes },
  });
}

let grpcDir: string;
let wasmDir: string;

beforeAll(() => {
  const build = spawnSync(process.execPath, [path.join(root, 'scripts', 'build-wasm.mjs'), '--quiet'], {
    encoding: 'utf8',
  });
  if (build.status !== 0)
    throw new Error(`building the WASM fixtures failed:\n${build.stdout}${build.stderr}`);
  grpcDir = grpcPlugin('echo-grpc', 'echo-grpc', 'echo.ts', [
    { method: 'GET', path: '/echo/:word', auth: 'agent', handler: 'echo' },
    { method: 'GET', path: '/mine/:word', auth: 'customer', handler: 'echo' },
    { method: 'POST', path: '/echo', auth: 'user', handler: 'echo' },
  ]);
  wasmDir = writePlugin(
    'echo-wasm',
    {
      id: 'echo-wasm',
      version: '1.0.0',
      name: 'Echo in WASM',
      kernelApi: '^1.0.0',
      runtime: 'wasm',
      entry: 'dist/plugin.wasm',
      permissions: { cache: true },
      contributes: { routes: [{ method: 'POST', path: '/calls', auth: 'user', handler: 'host_calls' }] },
    },
    { 'dist/plugin.wasm': fs.readFileSync(path.join(root, 'tests/fixtures/wasm/echo/dist/plugin.wasm')) },
  );
});

afterAll(() => {
  fs.rmSync(work, { recursive: true, force: true });
});

describe('a kernel with a gRPC and a WASM plugin', () => {
  let kernel: TestKernel;

  beforeAll(async () => {
    kernel = await startTestKernel({
      cwd: root,
      plugins: [grpcDir, wasmDir],
      users: [
        { login: 'agent', type: 'agent' },
        { login: 'customer', type: 'customer' },
        { login: 'lead', type: 'agent', isAdmin: true, groups: ['support'] },
      ],
    });
  }, 300_000);

  afterAll(() => kernel?.stop());

  it('loads both plugins enabled, granted what they ask for', async () => {
    expect(kernel.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(kernel.plugins).toEqual(['echo-grpc', 'echo-wasm']);
    for (const id of kernel.plugins) {
      const status = await kernel.plugin(id);
      expect(status).toMatchObject({
        state: 'enabled',
        granted: { cache: true },
        missingGrants: [],
        issues: [],
      });
      // Found in GOATFLOW_PLUGIN_DIR: third-party, which is why startTestKernel grants and enables it.
      expect(status.firstParty).toBe(false);
    }
    expect(fs.lstatSync(path.join(kernel.pluginDir, 'echo-grpc')).isSymbolicLink()).toBe(true);
  });

  it('calls a gRPC route as the agent, and hides it from the customer', async () => {
    const res = await kernel.as('agent').get('/api/plugins/echo-grpc/echo/hi');
    expect(res.status).toBe(200);
    expect(res.body.input.params).toEqual({ word: 'hi' });
    expect(res.body.context.user).toMatchObject({ login: 'agent', type: 'agent', isAdmin: false });
    expect((await kernel.as('customer').get('/api/plugins/echo-grpc/echo/hi')).status).toBe(404);
    const mine = await kernel.as('customer').get('/api/plugins/echo-grpc/mine/x');
    expect(mine.status).toBe(200);
    expect(mine.body.context.user).toMatchObject({ login: 'customer', type: 'customer' });
  });

  it('sends writes with the session and its CSRF token', async () => {
    const res = await kernel.as('customer').post('/api/plugins/echo-grpc/echo', { hello: 'world' });
    expect(res.status).toBe(200);
    expect(res.body.input.body).toEqual({ hello: 'world' });
    const wasm = await kernel.as('agent').post('/api/plugins/echo-wasm/calls', { count: 2, fn: 'log' });
    expect(wasm.status).toBe(200);
    expect(wasm.body).toHaveLength(2);
  });

  it('seeds admins and groups, and knows nobody else', async () => {
    const lead = await kernel.as('lead').get('/api/plugins/echo-grpc/echo/x');
    expect(lead.body.context.user).toMatchObject({ login: 'lead', isAdmin: true });
    expect([...lead.body.context.user.groups].sort()).toEqual(['admin', 'support']);
    expect((await kernel.as('lead').get('/api/admin/plugins')).status).toBe(200);
    expect((await kernel.as('agent').get('/api/admin/plugins')).status).toBe(404);
    expect((await kernel.anonymous().get('/api/plugins/echo-grpc/echo/x')).status).toBe(401);
    expect(() => kernel.as('nobody')).toThrow(/no test user "nobody".*agent, customer, lead/);
    expect(kernel.as('agent')).toBe(kernel.as('agent'));
  });

  it('reloads a plugin from its folder and shows the kernel output', async () => {
    const status = await kernel.reload('echo-wasm');
    expect(status.state).toBe('enabled');
    expect(
      (await kernel.as('agent').post('/api/plugins/echo-wasm/calls', { count: 1, fn: 'log' })).status,
    ).toBe(200);
    expect(kernel.logs()).toContain('GoatFlow kernel listening');
  });

  it('stops, and leaves no temporary folder behind (nor touches the plugins)', async () => {
    const { dataDir, pluginDir, url } = kernel;
    expect(fs.existsSync(dataDir)).toBe(true);
    await kernel.stop();
    await kernel.stop();
    expect(fs.existsSync(dataDir)).toBe(false);
    expect(fs.existsSync(pluginDir)).toBe(false);
    expect(fs.existsSync(path.dirname(dataDir))).toBe(false);
    expect(fs.existsSync(path.join(grpcDir, 'goatflow-plugin.json'))).toBe(true);
    await expect(fetch(`${url}/api/health`)).rejects.toThrow();
  });
});

describe('errors a plugin developer can act on', () => {
  it('names a plugin folder that does not exist', async () => {
    const missing = path.join(work, 'no-such-plugin');
    await expect(startTestKernel({ cwd: root, plugins: [missing] })).rejects.toThrow(
      `the plugin folder ${missing} does not exist`,
    );
  });

  it('says to build a plugin that has no manifest', async () => {
    const dir = path.join(work, 'unbuilt');
    fs.mkdirSync(dir, { recursive: true });
    await expect(startTestKernel({ cwd: root, plugins: [dir] })).rejects.toThrow(
      /has no goatflow-plugin\.json: build the plugin first \(goatflow-plugin build\)/,
    );
  });

  it('says where to get the kernel when the project has none', async () => {
    await expect(startTestKernel({ cwd: os.tmpdir(), plugins: [] })).rejects.toThrow(
      /@goatflow\/kernel cannot be found .*npm install --save-dev @goatflow\/kernel/,
    );
  });

  it('lists what the kernel refuses in a manifest', async () => {
    const dir = grpcPlugin('bad-auth', 'bad-auth', 'echo.ts', [
      { method: 'GET', path: '/x', auth: 'superuser', handler: 'echo' },
    ]);
    await expect(startTestKernel({ cwd: root, plugins: [dir] })).rejects.toThrow(
      /the kernel refused the manifest of bad-auth .*\n.*\/contributes\/routes\/0\/auth/,
    );
  }, 300_000);

  it('shows the status and last log lines of a plugin that does not start', async () => {
    const dir = grpcPlugin('crashing', 'crashing', 'always-crash.ts', []);
    const err = await startTestKernel({ cwd: root, plugins: [dir] }).catch((e: Error) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toMatch(/^crashing could not be enabled: /);
    expect((err as Error).message).toContain('--- its last log lines ---');
    expect((err as Error).message).toContain('always-crash: cannot start, giving up');
  }, 300_000);
});
