import { afterAll, describe, expect, it } from 'vitest';
import { definePlugin, route } from '../../define/index.js';
import { buildWasmModule, I32, I64, type WasmImportSpec } from '../../testing/wasm-module.js';
import { definitionOf } from '../definition.js';
import type { Finding } from '../findings.js';
import { openProject } from '../project.js';
import { memoryIo, removeTempDirs, tempProject } from '../project.test-util.js';
import { nodeScript, runValidate, validateProject } from './validate.js';

afterAll(removeTempDirs);

const hostImport = (name: string): WasmImportSpec => ({
  module: 'extism:host/user',
  name,
  kind: 'function',
  params: [I64],
  results: [I64],
});

const wasmManifest = (extra: Record<string, unknown> = {}) => ({
  id: 'demo-wasm',
  version: '1.0.0',
  name: 'Demo',
  kernelApi: '^1.0.0',
  runtime: 'wasm',
  entry: 'dist/plugin.wasm',
  permissions: { cache: true },
  contributes: { routes: [{ method: 'GET', path: '/hello', auth: 'user', handler: 'hello' }] },
  ...extra,
});

/** A module that exports `hello`, uses the cache and declares a bounded memory: valid for {@link wasmManifest}. */
const goodModule = (overrides: Parameters<typeof buildWasmModule>[0] = {}) =>
  buildWasmModule({
    imports: [hostImport('cache_get')],
    memories: [{ min: 1, max: 1024 }],
    functionExports: ['hello'],
    ...overrides,
  });

async function findingsOf(files: Record<string, string | Uint8Array | object>): Promise<Finding[]> {
  const dir = tempProject(files);
  const result = await validateProject(openProject(memoryIo(dir), undefined), { definition: null });
  expect(result.ok).toBe(!result.findings.some((f) => f.level === 'error'));
  return result.findings;
}

const errors = (findings: Finding[]) => findings.filter((f) => f.level === 'error');

describe('validate: manifest', () => {
  it('passes a valid WASM plugin', async () => {
    expect(
      await findingsOf({ 'goatflow-plugin.json': wasmManifest(), 'dist/plugin.wasm': goodModule() }),
    ).toEqual([]);
  });

  it('names each manifest problem by file and JSON path, with where to fix it', async () => {
    const findings = await findingsOf({
      'goatflow-plugin.json': wasmManifest({
        id: 'Demo',
        contributes: { routes: [{ method: 'GET', path: '/hello', auth: 'everyone', handler: 'hello' }] },
        colour: 'blue',
      }),
    });
    const messages = findings.map((f) => f.message);
    expect(messages).toContain(
      'goatflow-plugin.json /id: must be 3–40 lower-case letters, digits or dashes, starting with a letter',
    );
    expect(messages.some((m) => m.startsWith('goatflow-plugin.json /contributes/routes/0/auth:'))).toBe(true);
    expect(messages).toContain(
      'goatflow-plugin.json /colour: is not a manifest field (remove it or fix its name)',
    );
    expect(findings[0]!.hint).toBe('fix the field in goatflow-plugin.json');
  });

  it('says the manifest is generated when there is a definition', async () => {
    const findings = await findingsOf({
      'src/plugin.ts': '// a definition',
      'goatflow-plugin.json': wasmManifest({ version: 'one' }),
    });
    expect(findings[0]!.hint).toBe(
      'goatflow-plugin.json is generated: fix the field in src/plugin.ts, then run goatflow-plugin build',
    );
  });

  it('reports a missing manifest and a manifest that is not JSON', async () => {
    const dir = tempProject({ 'src/plugin.ts': '' });
    const missing = await validateProject(openProject(memoryIo(dir), undefined), { definition: null });
    expect(missing.findings).toEqual([
      {
        level: 'error',
        message: 'goatflow-plugin.json does not exist',
        hint: 'run goatflow-plugin build, which generates it from src/plugin.ts',
      },
    ]);
    const broken = tempProject({ 'goatflow-plugin.json': '{ "id": ' });
    const io = memoryIo(broken);
    expect(await runValidate([], io)).toBe(1);
    expect(io.stderr).toContain('error: goatflow-plugin.json is not valid JSON: ');
  });
});

describe('validate: manifest vs definition', () => {
  const plugin = definePlugin({
    id: 'demo-wasm',
    version: '1.0.0',
    name: 'Demo',
    kernelApi: '^1.0.0',
    runtime: 'wasm',
    entry: 'dist/plugin.wasm',
    permissions: { cache: true },
    routes: { hello: route({ method: 'GET', path: '/hello', auth: 'user' }) },
  });

  /** The manifest the definition generates: its routes' document is `openapi.json`. */
  const generatedManifest = () =>
    wasmManifest({
      contributes: { ...wasmManifest().contributes, openapi: 'openapi.json' },
    });

  it('accepts a manifest and an openapi.json that are what the definition generates', async () => {
    const definition = definitionOf(plugin);
    const dir = tempProject({
      'src/plugin.ts': '',
      'goatflow-plugin.json': { $schema: 'x', ...generatedManifest() },
      'openapi.json': definition.openApi!,
      'dist/plugin.wasm': goodModule(),
    });
    const result = await validateProject(openProject(memoryIo(dir), undefined), { definition });
    expect(result.findings).toEqual([]);
  });

  it('lists where a stale openapi.json differs, and reports a missing or foreign one', async () => {
    const definition = definitionOf(plugin);
    const stale = structuredClone(definition.openApi!) as unknown as Record<string, Record<string, unknown>>;
    stale.info!.version = '0.9.0';
    stale.paths!['/api/plugins/demo-wasm/old'] = {};
    const validate = async (openapi: object | undefined) => {
      const dir = tempProject({
        'src/plugin.ts': '',
        'goatflow-plugin.json': generatedManifest(),
        ...(openapi ? { 'openapi.json': openapi } : {}),
        'dist/plugin.wasm': goodModule(),
      });
      return errors((await validateProject(openProject(memoryIo(dir), undefined), { definition })).findings);
    };
    const [drift, ...others] = await validate(stale);
    expect(others).toEqual([]);
    expect(drift!.message).toContain('openapi.json does not match the routes of src/plugin.ts:');
    expect(drift!.message).toContain('- /info/version: the file has "0.9.0", the definition has "1.0.0"');
    expect(drift!.message).toContain('- /paths/~1api~1plugins~1demo-wasm~1old');
    expect(drift!.hint).toMatch(/^run goatflow-plugin build/);

    expect(await validate(undefined)).toEqual([
      {
        level: 'error',
        message: 'the OpenAPI document openapi.json does not exist',
        hint: 'run goatflow-plugin build, which generates it from the routes',
      },
    ]);
    const [foreign] = await validate({ swagger: '2.0' });
    expect(foreign!.message).toBe(
      'openapi.json is not an OpenAPI 3.1 document (its "openapi" field must be "3.1.x")',
    );
  });

  it('lists where a stale manifest differs and says to build', async () => {
    const dir = tempProject({
      'src/plugin.ts': '',
      'goatflow-plugin.json': wasmManifest({
        version: '0.9.0',
        contributes: { routes: [{ method: 'GET', path: '/hi', auth: 'user', handler: 'hello' }] },
      }),
      'dist/plugin.wasm': goodModule(),
    });
    const result = await validateProject(openProject(memoryIo(dir), undefined), {
      definition: definitionOf(plugin),
    });
    const [drift] = errors(result.findings);
    expect(drift!.message).toContain('goatflow-plugin.json does not match src/plugin.ts:');
    expect(drift!.message).toContain('- /version: the file has "0.9.0", the definition has "1.0.0"');
    expect(drift!.message).toContain('/contributes/routes/0/path');
    expect(drift!.hint).toMatch(/^run goatflow-plugin build/);
  });
});

describe('validate: files', () => {
  it('names every referenced file that is missing, with how to produce it', async () => {
    const findings = await findingsOf({
      'goatflow-plugin.json': wasmManifest({
        permissions: { db: { own: true } },
        contributes: {
          assets: 'assets',
          widgets: [
            {
              id: 'w',
              slot: 'dashboard.main',
              title: 'w.title',
              element: 'demo-widget',
              module: 'assets/demo-widget.js',
            },
          ],
          migrations: 'migrations',
          i18n: { en: 'i18n/en.json', de: 'i18n/de.json' },
        },
      }),
      'web/demo-widget.ts': '',
      'i18n/de.json': '[1, 2]',
    });
    const messages = errors(findings).map((f) => `${f.message} → ${f.hint}`);
    expect(messages).toEqual([
      'the entry dist/plugin.wasm does not exist → build the module to dist/plugin.wasm, or fix entry in goatflow-plugin.json',
      'the assets folder assets does not exist → run goatflow-plugin build, which bundles web/*.ts into it',
      'the module of widget w, assets/demo-widget.js does not exist → run goatflow-plugin build, which bundles web/demo-widget.ts to it',
      'the migrations folder migrations does not exist → create it, or remove migrations from goatflow-plugin.json',
      'the en translations i18n/en.json does not exist → create it (a JSON object of keys to texts), or fix i18n in goatflow-plugin.json',
      'the de translations i18n/de.json are not a JSON object of keys to texts: it is not a JSON object → fix the file',
    ]);
  });

  it('finds the script of a node command line, skipping option values', () => {
    expect(nodeScript(['--import', 'tsx', 'src/main.ts'])).toBe('src/main.ts');
    expect(nodeScript(['-C', 'dev', '--enable-source-maps', 'dist/main.js', '--flag'])).toBe('dist/main.js');
    expect(nodeScript(['--import=tsx', 'x.js'])).toBe('x.js');
    expect(nodeScript(['--version'])).toBeUndefined();
  });

  it("checks a gRPC plugin's entry script", async () => {
    const findings = await findingsOf({
      'goatflow-plugin.json': wasmManifest({
        runtime: 'grpc',
        entry: { command: 'node', args: ['dist/main.js'] },
      }),
      'src/main.ts': '',
    });
    expect(errors(findings).map((f) => f.message)).toEqual(['the entry script dist/main.js does not exist']);
  });
});

describe('validate: WASM module', () => {
  it('refuses a forbidden import, naming it and what to do', async () => {
    const findings = await findingsOf({
      'goatflow-plugin.json': wasmManifest(),
      'dist/plugin.wasm': goodModule({
        imports: [
          hostImport('cache_get'),
          {
            module: 'wasi_snapshot_preview1',
            name: 'fd_write',
            kind: 'function',
            params: [I32, I32, I32, I32],
            results: [I32],
          },
        ],
      }),
    });
    const [finding] = errors(findings);
    expect(finding!.message).toMatch(
      /^dist\/plugin\.wasm: import wasi_snapshot_preview1::fd_write is not allowed: plugins run without WASI/,
    );
    expect(finding!.hint).toContain('remove what makes the module import wasi_snapshot_preview1::fd_write');
  });

  it('refuses a memory without maximum, and one above limits.maxMemoryMb', async () => {
    const unbounded = await findingsOf({
      'goatflow-plugin.json': wasmManifest(),
      'dist/plugin.wasm': goodModule({ memories: [{ min: 1, max: null }] }),
    });
    expect(errors(unbounded)[0]!.message).toContain('memory 0 declares no maximum size');
    const tooBig = await findingsOf({
      'goatflow-plugin.json': wasmManifest({ limits: { maxMemoryMb: 16 } }),
      'dist/plugin.wasm': goodModule({ memories: [{ min: 1, max: 1024 }] }),
    });
    expect(errors(tooBig)[0]!.message).toContain('the cap is 256 pages of 64 KiB (16 MiB)');
  });

  it('names a handler the manifest uses that the module does not export', async () => {
    const findings = await findingsOf({
      'goatflow-plugin.json': wasmManifest({
        contributes: {
          routes: [{ method: 'GET', path: '/hello', auth: 'user', handler: 'hello' }],
          jobs: [{ id: 'tick', schedule: '* * * * *', handler: 'tick' }],
        },
      }),
      'assembly/index.ts': '',
      'dist/plugin.wasm': goodModule(),
    });
    expect(errors(findings)).toEqual([
      {
        level: 'error',
        message: 'job tick names the handler "tick", which dist/plugin.wasm does not export',
        hint: 'add `export function tick(): i32 { … }` to assembly/index.ts, then run goatflow-plugin build',
      },
    ]);
  });

  it('refuses a Host API import whose permission is not declared, and warns about one never used', async () => {
    const findings = await findingsOf({
      'goatflow-plugin.json': wasmManifest({ permissions: { cache: true, audit: true } }),
      'dist/plugin.wasm': goodModule({ imports: [hostImport('cache_get'), hostImport('http_fetch')] }),
    });
    expect(findings).toEqual([
      {
        level: 'error',
        message:
          'the plugin calls http.fetch (dist/plugin.wasm imports extism:host/user::http_fetch) but does not ask for the permission permissions.http; the kernel would refuse the call with permission_denied',
        hint: "add `http: ['api.example.com']` to permissions in goatflow-plugin.json",
      },
      {
        level: 'warning',
        message: 'permissions.audit is declared but the plugin never calls audit.* of the Host API',
        hint: 'remove it from permissions in goatflow-plugin.json unless a call is coming: operators are asked to grant every permission listed',
      },
    ]);
  });

  it('reports a file that is not WebAssembly', async () => {
    const findings = await findingsOf({
      'goatflow-plugin.json': wasmManifest(),
      'dist/plugin.wasm': 'not wasm',
    });
    expect(errors(findings)[0]!.message).toMatch(/^dist\/plugin\.wasm is not a valid WebAssembly module/);
  });
});

describe('validate: gRPC permissions', () => {
  it('scans the sources for Host API calls and literal event names, skipping tests', async () => {
    const findings = await findingsOf({
      'goatflow-plugin.json': wasmManifest({
        runtime: 'grpc',
        entry: { command: 'node', args: ['dist/main.js'] },
        permissions: { cache: true, events: { publish: ['demo.one'] } },
      }),
      'dist/main.js': '',
      'src/handlers/a.ts': "await ctx.host.cache.set('k', 1);\nawait ctx.host.events.publish('demo.two');\n",
      'src/handlers/a.test.ts': 'await host.email.send({});',
    });
    expect(findings.map((f) => f.message)).toEqual([
      'the plugin publishes "demo.two" (src/handlers/a.ts:2), which permissions.events.publish does not list',
    ]);
  });
});

describe('goatflow-plugin validate', () => {
  it('prints errors with hints to stderr and exits 1; a valid plugin prints a summary and exits 0', async () => {
    const bad = tempProject({ 'goatflow-plugin.json': wasmManifest() });
    const badIo = memoryIo(bad);
    expect(await runValidate([], badIo)).toBe(1);
    expect(badIo.stderr).toContain('error: the entry dist/plugin.wasm does not exist\n  → ');
    expect(badIo.stderr).toMatch(/✗ .*: 1 error, 0 warnings\n$/);

    const good = tempProject({ 'goatflow-plugin.json': wasmManifest(), 'dist/plugin.wasm': goodModule() });
    const goodIo = memoryIo(tempProject({}));
    expect(await runValidate(['--dir', good], goodIo)).toBe(0);
    expect(goodIo.stdout).toBe('✓ demo-wasm 1.0.0 (wasm) is valid: 1 route, 0 widgets\n');
  });
});
