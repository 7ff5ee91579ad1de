import { inspectModule, type PluginManifest, validateManifest } from '@goatflow/sdk';
import { buildWasmModule, I64 } from '@goatflow/sdk/testing';
import { describe, expect, it } from 'vitest';
import { wasmLoadFindings } from './wasm-load-checks.js';

const hostImport = (name: string) => ({
  module: 'extism:host/user',
  name,
  kind: 'function' as const,
  params: [I64],
  results: [I64],
});

const wasm = inspectModule(
  buildWasmModule({
    imports: [hostImport('cache_get'), hostImport('http_fetch'), hostImport('log'), hostImport('config_get')],
    memories: [{ min: 1, max: 16 }],
    functionExports: ['greet'],
  }),
);

function manifest(permissions: object): PluginManifest {
  const result = validateManifest({
    id: 'load-check',
    version: '1.0.0',
    name: 'Load check',
    kernelApi: '^1.0.0',
    runtime: 'wasm',
    entry: 'dist/plugin.wasm',
    permissions,
    contributes: {
      routes: [
        { method: 'GET', path: '/greet', auth: 'user', handler: 'greet' },
        { method: 'GET', path: '/count', auth: 'user', handler: 'count' },
      ],
      jobs: [{ id: 'tidy', schedule: '0 * * * *', handler: 'tidy' }],
    },
  });
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  return result.manifest;
}

describe('wasmLoadFindings', () => {
  it('names each Host API import the plugin was not granted, and how to declare it', () => {
    const findings = wasmLoadFindings(wasm, manifest({}), {});
    expect(findings).toContainEqual(
      'the module imports cache_get (cache.get) but the plugin was not granted permissions.cache, so each call is refused with permission_denied. To fix: declare `cache: true` under permissions in src/plugin.ts (or goatflow-plugin.json), rebuild, and have an administrator grant it at /admin/plugins',
    );
    expect(findings.some((f) => f.startsWith('the module imports http_fetch (http.fetch)'))).toBe(true);
    // log and config.get need no permission.
    expect(findings.some((f) => /imports (log|config_get)/.test(f))).toBe(false);
  });

  it('tells an operator to grant what the manifest already asks for', () => {
    const findings = wasmLoadFindings(wasm, manifest({ cache: true, http: ['api.example.com'] }), {
      http: ['api.example.com'],
    });
    expect(findings.filter((f) => f.includes('imports'))).toEqual([
      'the module imports cache_get (cache.get) but the plugin was not granted permissions.cache, so each call is refused with permission_denied. To fix: an administrator grants it at /admin/plugins',
    ]);
  });

  it('names each handler the manifest calls that the module does not export', () => {
    const findings = wasmLoadFindings(wasm, manifest({ cache: true, http: ['x.example.com'] }), {
      cache: true,
      http: ['x.example.com'],
    });
    expect(findings).toEqual([
      'route GET /count calls the handler "count", which the module does not export, so each call fails. To fix: export a function named count from the module (AssemblyScript: `export function count(): i32` in assembly/index.ts), or rename the handler in the manifest',
      'job tidy calls the handler "tidy", which the module does not export, so each call fails. To fix: export a function named tidy from the module (AssemblyScript: `export function tidy(): i32` in assembly/index.ts), or rename the handler in the manifest',
    ]);
  });
});
