/**
 * The `goatflow-plugin` CLI end to end, as a plugin developer runs it: `new` for both runtimes in a temporary
 * folder outside the repository, then `build`, `validate` and `pack`, and the errors `validate` gives for a
 * stale manifest, a forbidden WASM import and a capability used without its permission; and `dev` against a
 * running kernel, which serves the changed handler after a save, without a restart. The projects use the
 * workspace SDK through a linked node_modules/@goatflow/sdk (no npm install; the quickstart test does that);
 * the CLI runs from its sources with tsx, resolving the SDK's sources as the repository's tooling does.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import zlib from 'node:zlib';
import type { Kernel } from '@goatflow/kernel';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase, type TestDatabase } from '../support/database.js';
import { ADMIN_PASSWORD, adminClient, startTestKernel } from '../support/kernel.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const require = createRequire(import.meta.url);
const cliMain = path.join(root, 'sdk', 'src', 'cli', 'main.ts');
const tsxLoader = pathToFileURL(require.resolve('tsx', { paths: [path.join(root, 'kernel')] })).href;
/** Where a package the scaffold's code imports is installed for the workspace SDK (its own or the root's). */
function packageDir(name: string): string {
  for (let dir = path.join(root, 'sdk'); ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'node_modules', name);
    if (fs.existsSync(path.join(candidate, 'package.json'))) return fs.realpathSync(candidate);
    if (path.dirname(dir) === dir) throw new Error(`${name} is not installed in the workspace`);
  }
}

let work: string;

beforeAll(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'goatflow-cli-e2e-'));
});

afterAll(() => {
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Starts `goatflow-plugin <args>` in `cwd`. */
function startCli(cwd: string, args: string[], env: Record<string, string> = {}) {
  return spawn(process.execPath, ['--import', tsxLoader, '--conditions=@goatflow/source', cliMain, ...args], {
    cwd,
    env: { ...process.env, NO_COLOR: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Runs `goatflow-plugin <args>` in `cwd`. */
function cli(cwd: string, ...args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = startCli(cwd, args);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => {
      stdout += c.toString();
    });
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}

/** Links what `npm install` would put in the project's node_modules, from the workspace. */
function linkDependencies(dir: string, runtime: 'wasm' | 'grpc'): void {
  const link = (name: string, target: string) => {
    const at = path.join(dir, 'node_modules', ...name.split('/'));
    fs.mkdirSync(path.dirname(at), { recursive: true });
    fs.symlinkSync(target, at, 'dir');
  };
  link('@goatflow/sdk', path.join(root, 'sdk'));
  // npm hoists the SDK's lit next to it, where the widget's own `import { html } from 'lit'` finds it.
  link('lit', packageDir('lit'));
  if (runtime === 'wasm') link('assemblyscript', packageDir('assemblyscript'));
}

/** The entry paths of a .tgz (a ustar archive, gzip-compressed), in archive order. */
function tgzEntries(file: string): string[] {
  const tar = zlib.gunzipSync(fs.readFileSync(file));
  const names: string[] = [];
  for (let offset = 0; offset + 512 <= tar.length; ) {
    const header = tar.subarray(offset, offset + 512);
    if (header.every((b) => b === 0)) break;
    const field = (start: number, length: number) =>
      header
        .subarray(start, start + length)
        .toString('utf8')
        .replace(/\0.*$/s, '');
    const name = field(0, 100);
    const prefix = field(345, 155);
    const size = Number.parseInt(field(124, 12).trim() || '0', 8);
    const type = field(156, 1) || '0';
    // Pax extended headers ('x') carry attributes of the next entry, not an entry of their own.
    if (type !== 'x' && type !== 'g')
      names.push(`${type === '5' ? 'dir' : 'file'} ${prefix ? `${prefix}/` : ''}${name}`);
    offset += 512 + Math.ceil(size / 512) * 512;
  }
  return names;
}

const read = (file: string) => fs.readFileSync(file, 'utf8');

describe.each(['wasm', 'grpc'] as const)('goatflow-plugin with a %s plugin', (runtime) => {
  const id = `e2e-${runtime}`;
  const dir = () => path.join(work, id);

  it('scaffolds, builds, validates and packs', { timeout: 180_000 }, async () => {
    const created = await cli(work, 'new', id, '--runtime', runtime);
    expect(created.code, created.stderr).toBe(0);
    expect(created.stdout).toContain(`✓ created ${id} (${runtime})`);
    linkDependencies(dir(), runtime);

    const built = await cli(dir(), 'build');
    expect(built.code, built.stderr + built.stdout).toBe(0);
    const manifest = JSON.parse(read(path.join(dir(), 'goatflow-plugin.json'))) as Record<string, any>;
    expect(manifest).toMatchObject({
      $schema: './node_modules/@goatflow/sdk/schema/goatflow-plugin.schema.json',
      id,
      version: '0.1.0',
      runtime,
      permissions: { db: { own: true } },
      contributes: {
        routes: [{ method: 'GET', path: '/hello', auth: 'user', handler: 'hello' }],
        widgets: [{ element: `${id}-widget`, module: `assets/${id}-widget.js`, slot: 'dashboard.main' }],
        assets: 'assets',
        migrations: 'migrations',
        i18n: { en: 'i18n/en.json' },
        openapi: 'openapi.json',
      },
      settingsDefaults: { greeting: 'Hello' },
    });
    expect(Object.keys(manifest)[0]).toBe('$schema');
    // The route's OpenAPI document, for the kernel to merge into GET /api/v1/openapi.json.
    const openapi = JSON.parse(read(path.join(dir(), 'openapi.json'))) as Record<string, any>;
    expect(openapi).toMatchObject({
      openapi: '3.1.0',
      info: { title: expect.any(String), version: '0.1.0' },
    });
    expect(openapi.paths[`/api/plugins/${id}/hello`].get.operationId).toBe('hello');
    const code = runtime === 'wasm' ? 'dist/plugin.wasm' : 'dist/main.js';
    expect(fs.statSync(path.join(dir(), code)).size).toBeGreaterThan(1000);
    const widget = read(path.join(dir(), 'assets', `${id}-widget.js`));
    // Lit is inlined and the element registered: the module loads in a browser on its own.
    expect(widget).not.toMatch(/from\s*["']lit/);
    expect(widget).toContain(`${id}-widget`);
    if (runtime === 'grpc') {
      expect(read(path.join(dir(), 'dist/main.js'))).not.toMatch(/from\s*["']@goatflow\/sdk/);
      expect(JSON.parse(read(path.join(dir(), 'dist/package.json')))).toEqual({ type: 'module' });
    }

    const validated = await cli(dir(), 'validate');
    expect(validated.code, validated.stderr).toBe(0);
    expect(validated.stdout).toBe(`✓ ${id} 0.1.0 (${runtime}) is valid: 1 route, 1 widget\n`);

    const packed = await cli(dir(), 'pack');
    expect(packed.code, packed.stderr).toBe(0);
    const tgz = path.join(dir(), `${id}-0.1.0.tgz`);
    const sha256 = createHash('sha256').update(fs.readFileSync(tgz)).digest('hex');
    expect(read(`${tgz}.sha256`)).toBe(`${sha256}  ${id}-0.1.0.tgz\n`);
    expect(packed.stdout).toContain(`package:  ${tgz}\n`);
    expect(packed.stdout).toContain(`sha256:   ${sha256}\n`);
    expect(tgzEntries(tgz)).toEqual([
      'file package/README.md',
      `file package/assets/${id}-widget.js`,
      ...(runtime === 'wasm'
        ? ['file package/dist/plugin.wasm']
        : ['file package/dist/main.js', 'file package/dist/package.json']),
      'file package/goatflow-plugin.json',
      'file package/i18n/en.json',
      'file package/migrations/0001_init.sql',
      'file package/openapi.json',
    ]);
  });

  it('fails validate on a hand-edited manifest, naming the difference and the fix', {
    timeout: 120_000,
  }, async () => {
    const file = path.join(dir(), 'goatflow-plugin.json');
    const original = read(file);
    fs.writeFileSync(file, original.replace('"/hello"', '"/hi"'));
    const stale = await cli(dir(), 'validate');
    expect(stale.code).toBe(1);
    expect(stale.stderr).toContain('error: goatflow-plugin.json does not match src/plugin.ts:');
    expect(stale.stderr).toContain(
      '/contributes/routes/0/path: the file has "/hi", the definition has "/hello"',
    );
    expect(stale.stderr).toContain('→ run goatflow-plugin build');

    fs.writeFileSync(file, original.replace('"dashboard.main"', '"sidebar"'));
    const invalid = await cli(dir(), 'validate');
    expect(invalid.code).toBe(1);
    expect(invalid.stderr).toContain('error: goatflow-plugin.json /contributes/widgets/0/slot:');
    expect(invalid.stderr).toContain('fix the field in src/plugin.ts, then run goatflow-plugin build');

    const packed = await cli(dir(), 'pack');
    expect(packed.code).toBe(1);
    expect(packed.stderr).toContain('nothing was packed');
    fs.writeFileSync(file, original);
  });

  if (runtime === 'wasm') {
    it('fails validate on a forbidden import and on a Host API call without its permission', {
      timeout: 180_000,
    }, async () => {
      const source = path.join(dir(), 'assembly', 'index.ts');
      fs.writeFileSync(
        source,
        read(source).replace(
          '  output(jsonObject()',
          "  if (Math.random() > 2) return fail('never');\n  host.cache.get('seen');\n  output(jsonObject()",
        ),
      );
      const built = await cli(dir(), 'build');
      expect(built.code, built.stderr).toBe(0);
      const result = await cli(dir(), 'validate');
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('error: dist/plugin.wasm: import env::seed is not allowed');
      expect(result.stderr).toContain('Math.random');
      expect(result.stderr).toContain(
        'the plugin calls cache.get (dist/plugin.wasm imports extism:host/user::cache_get) but does not ask for the permission permissions.cache',
      );
      expect(result.stderr).toContain(
        '→ add `cache: true` to permissions in src/plugin.ts, then run goatflow-plugin build',
      );
    });
  } else {
    it('fails validate on a Host API call without its permission', async () => {
      const handler = path.join(dir(), 'src', 'handlers', 'hello.ts');
      fs.writeFileSync(
        handler,
        read(handler).replace(
          '  const { greeting }',
          "  await ctx.host.http.fetch({ url: 'https://api.example.com/' });\n  const { greeting }",
        ),
      );
      const result = await cli(dir(), 'validate');
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(
        'error: the plugin calls http.fetch (src/handlers/hello.ts:7) but does not ask for the permission permissions.http',
      );
      expect(result.stderr).toContain("→ add `http: ['api.example.com']` to permissions in src/plugin.ts");
    });
  }
});

describe('goatflow-plugin dev', () => {
  let db: TestDatabase;
  let kernel: Kernel;
  let pluginDir: string;
  const id = 'e2e-dev';
  const dir = () => path.join(work, id);

  beforeAll(async () => {
    const created = await cli(work, 'new', id, '--runtime', 'grpc');
    expect(created.code, created.stderr).toBe(0);
    linkDependencies(dir(), 'grpc');
    const built = await cli(dir(), 'build');
    expect(built.code, built.stderr).toBe(0);
    // The kernel's plugin folder holds a link to the project, as the dev workflow sets it up.
    pluginDir = fs.mkdtempSync(path.join(os.tmpdir(), 'goatflow-cli-dev-plugins-'));
    fs.symlinkSync(dir(), path.join(pluginDir, id), 'dir');
    db = await freshDatabase();
    kernel = await startTestKernel({ databaseUrl: db.url, env: { GOATFLOW_PLUGIN_DIR: pluginDir } });
  }, 240_000);

  afterAll(async () => {
    await kernel?.stop();
    await db?.drop();
    if (pluginDir) fs.rmSync(pluginDir, { recursive: true, force: true });
  });

  it('reloads the plugin in the running kernel after every change', { timeout: 180_000 }, async () => {
    const admin = await adminClient(kernel);
    expect((await admin.put(`/api/admin/plugins/${id}/grants`, { db: { own: true } })).status).toBe(200);
    const enabled = await admin.post(`/api/admin/plugins/${id}/enable`);
    expect(enabled.status, JSON.stringify(enabled.body)).toBe(200);
    expect((await admin.get(`/api/plugins/${id}/hello`)).body).toMatchObject({ message: 'Hello, admin!' });

    const dev = startCli(dir(), ['dev', '--kernel', kernel.url], { GOATFLOW_ADMIN_PASSWORD: ADMIN_PASSWORD });
    let stdout = '';
    let stderr = '';
    let waiting: { until: () => boolean; resolve: () => void } | undefined;
    const reloads = () => stdout.split('✓ reloaded in the kernel').length - 1;
    dev.stdout.on('data', (c: Buffer) => {
      stdout += c.toString();
      if (waiting?.until()) waiting.resolve();
    });
    dev.stderr.on('data', (c: Buffer) => {
      stderr += c.toString();
    });
    const exited = new Promise<number | null>((resolve) => dev.on('close', resolve));
    /** Resolves once dev has printed what `until` looks for. */
    const printed = (what: string, until: () => boolean) =>
      new Promise<void>((resolve, reject) => {
        if (until()) return resolve();
        waiting = { until, resolve };
        exited.then(() => reject(new Error(`dev exited: ${stdout}${stderr}`)));
        setTimeout(() => reject(new Error(`no ${what} after 60 s: ${stdout}${stderr}`)), 60_000).unref();
      });
    try {
      // Watching starts after the first build and reload.
      await printed('watching', () => stdout.includes('watching src/, web/, migrations/, i18n/'));
      expect(reloads()).toBe(1);

      const handler = path.join(dir(), 'src', 'handlers', 'hello.ts');
      fs.writeFileSync(
        handler,
        // The scaffold's handler answers "<greeting>, <login>!"; the change adds a word after the greeting.
        read(handler).replace(/(\{greeting\}), /, '$1 again, '),
      );
      await printed('second reload', () => reloads() >= 2);
      const res = await admin.get(`/api/plugins/${id}/hello`);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body).toMatchObject({ message: 'Hello again, admin!' });
      expect(stderr).toBe('');
    } finally {
      dev.kill('SIGINT');
    }
    expect(await exited).toBe(0);
  });
});
