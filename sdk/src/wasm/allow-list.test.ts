import { describe, expect, it } from 'vitest';
import {
  checkImport,
  EXTISM_KERNEL_FUNCTIONS,
  EXTISM_KERNEL_MODULE,
  HOST_API_FUNCTIONS,
  HOST_API_MODULE,
  HOST_API_SIGNATURE,
} from './allow-list.js';
import type { ModuleImport } from './module-inspector.js';

const fn = (module: string, name: string, params: string[], results: string[]): ModuleImport => ({
  module,
  name,
  kind: 'function',
  signature: { params, results },
});

function reasonFor(imp: ModuleImport): string {
  const verdict = checkImport(imp);
  if (verdict.allowed) throw new Error(`${imp.module}::${imp.name} was allowed`);
  return verdict.reason;
}

describe('checkImport', () => {
  it('allows every Extism kernel function with its Extism signature', () => {
    for (const [name, signature] of EXTISM_KERNEL_FUNCTIONS) {
      expect(checkImport(fn(EXTISM_KERNEL_MODULE, name, signature.params, signature.results))).toEqual({
        allowed: true,
      });
    }
  });

  it('allows every Host API function as (i64) -> i64 and maps it to the dotted Host API name', () => {
    expect([...HOST_API_FUNCTIONS.keys()].sort()).toEqual(
      [
        'audit_record',
        'cache_delete',
        'cache_get',
        'cache_set',
        'config_get',
        'db_exec',
        'db_query',
        'db_transaction',
        'email_send',
        'events_publish',
        'http_fetch',
        'i18n_t',
        'identity_get_user',
        'log',
        'plugins_call',
      ].sort(),
    );
    expect(HOST_API_FUNCTIONS.get('db_query')).toBe('db.query');
    expect(HOST_API_FUNCTIONS.get('db_transaction')).toBe('db.transaction');
    expect(HOST_API_FUNCTIONS.get('identity_get_user')).toBe('identity.getUser');
    for (const name of HOST_API_FUNCTIONS.keys()) {
      expect(
        checkImport(fn(HOST_API_MODULE, name, HOST_API_SIGNATURE.params, HOST_API_SIGNATURE.results)),
      ).toEqual({
        allowed: true,
      });
    }
  });

  it('allows an allowed function whose signature could not be decoded', () => {
    expect(checkImport({ module: HOST_API_MODULE, name: 'cache_get', kind: 'function' })).toEqual({
      allowed: true,
    });
  });

  it('refuses WASI, naming the import and what is allowed', () => {
    const reason = reasonFor(fn('wasi_snapshot_preview1', 'fd_write', ['i32', 'i32', 'i32', 'i32'], ['i32']));
    expect(reason).toContain('wasi_snapshot_preview1::fd_write');
    expect(reason).toContain('without WASI');
    expect(reason).toContain('allowed are');
    expect(reasonFor(fn('wasi:io/streams', 'read', [], []))).toContain('wasi:io/streams::read');
  });

  it("refuses Extism's own HTTP functions, pointing at http_fetch", () => {
    for (const name of ['http_request', 'http_status_code', 'http_headers']) {
      const reason = reasonFor(fn(EXTISM_KERNEL_MODULE, name, ['i64', 'i64'], ['i64']));
      expect(reason).toContain(`extism:host/env::${name}`);
      expect(reason).toContain('http_fetch');
    }
  });

  it('refuses unknown names in both Extism modules and any other module', () => {
    expect(reasonFor(fn(HOST_API_MODULE, 'steal_secrets', ['i64'], ['i64']))).toContain(
      'extism:host/user::steal_secrets',
    );
    expect(reasonFor(fn(EXTISM_KERNEL_MODULE, 'exit', ['i32'], []))).toContain('extism:host/env::exit');
    expect(reasonFor(fn('env', 'seed', [], ['f64']))).toContain('module "env" is not available');
  });

  it('explains how to get rid of AssemblyScript’s env::abort', () => {
    expect(reasonFor(fn('env', 'abort', ['i32', 'i32', 'i32', 'i32'], []))).toContain('--use abort=');
  });

  it('says which AssemblyScript feature brought in an env import, and what to use instead', () => {
    expect(reasonFor(fn('env', 'seed', [], ['f64']))).toContain('Math.random');
    expect(reasonFor(fn('env', 'Date.now', [], ['f64']))).toContain('no clock');
    expect(reasonFor(fn('env', 'console.log', ['i32'], []))).toContain('host.log');
    // A name that happens to be an Object.prototype member is an ordinary unknown import.
    expect(reasonFor(fn('env', 'constructor', [], []))).toContain(
      'module "env" is not available to plugins; allowed',
    );
  });

  it('refuses an allowed name declared with another signature or as another kind', () => {
    const reason = reasonFor(fn(HOST_API_MODULE, 'db_query', ['i32'], ['i32']));
    expect(reason).toContain('(i64) -> i64');
    expect(reason).toContain('(i32) -> i32');
    expect(reasonFor({ module: EXTISM_KERNEL_MODULE, name: 'alloc', kind: 'global' })).toContain(
      'must be a function',
    );
  });

  it('refuses imported memory', () => {
    expect(reasonFor({ module: 'env', name: 'memory', kind: 'memory' })).toContain('define its own memory');
  });
});
