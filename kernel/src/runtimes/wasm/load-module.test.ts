import { buildWasmModule, I64 } from '@goatflow/sdk/testing';
import { describe, expect, it } from 'vitest';
import { RuntimeError } from '../contract.js';
import { admitModule, checkMemories } from './load-module.js';

const MIB = 1024 * 1024;
const CAP = 64 * MIB;

async function refusal(bytes: Uint8Array, maxMemoryBytes = CAP): Promise<RuntimeError> {
  try {
    await admitModule('test-plugin', bytes, { maxMemoryBytes });
  } catch (err) {
    expect(err).toBeInstanceOf(RuntimeError);
    return err as RuntimeError;
  }
  throw new Error('the module was admitted');
}

describe('checkMemories', () => {
  it('accepts memories whose declared maximum is within the cap', () => {
    expect(checkMemories([], CAP)).toEqual([]);
    expect(
      checkMemories(
        [{ origin: 'defined', minPages: 1, maxPages: 1024, shared: false, memory64: false }],
        CAP,
      ),
    ).toEqual([]);
  });

  it('refuses a missing maximum, a maximum above the cap, shared and 64-bit memories', () => {
    const [none] = checkMemories(
      [{ origin: 'defined', minPages: 1, maxPages: null, shared: false, memory64: false }],
      CAP,
    );
    expect(none).toContain('declares no maximum');
    expect(none).toContain('asc --maximumMemory 1024');
    const [big] = checkMemories(
      [{ origin: 'defined', minPages: 1, maxPages: 1025, shared: false, memory64: false }],
      CAP,
    );
    expect(big).toContain('1025 pages');
    expect(big).toContain('the cap is 1024 pages of 64 KiB (64 MiB)');
    expect(
      checkMemories([{ origin: 'defined', minPages: 1, maxPages: 8, shared: true, memory64: false }], CAP)[0],
    ).toContain('shared');
    expect(
      checkMemories([{ origin: 'defined', minPages: 1, maxPages: 8, shared: false, memory64: true }], CAP)[0],
    ).toContain('64-bit');
  });

  it('counts all memories against the cap', () => {
    const half = { origin: 'defined' as const, minPages: 1, maxPages: 600, shared: false, memory64: false };
    expect(checkMemories([half, half], CAP)[0]).toContain('together');
  });

  it('follows the configured cap', () => {
    expect(
      checkMemories(
        [{ origin: 'defined', minPages: 1, maxPages: 256, shared: false, memory64: false }],
        16 * MIB,
      ),
    ).toEqual([]);
    expect(
      checkMemories(
        [{ origin: 'defined', minPages: 1, maxPages: 257, shared: false, memory64: false }],
        16 * MIB,
      )[0],
    ).toContain('asc --maximumMemory 256');
  });
});

describe('admitModule', () => {
  it('admits a module with allowed imports and a bounded memory, listing its handlers', async () => {
    const admitted = await admitModule(
      'test-plugin',
      buildWasmModule({
        imports: [
          { module: 'extism:host/user', name: 'cache_get', kind: 'function', params: [I64], results: [I64] },
          { module: 'extism:host/env', name: 'alloc', kind: 'function', params: [I64], results: [I64] },
        ],
        memories: [{ min: 1, max: 1024 }],
        functionExports: ['overview', 'rollup'],
      }),
      { maxMemoryBytes: CAP },
    );
    expect([...admitted.handlers]).toEqual(['overview', 'rollup']);
  });

  it('reports every problem at once, naming each import and the memory', async () => {
    const error = await refusal(
      buildWasmModule({
        imports: [
          { module: 'wasi_snapshot_preview1', name: 'fd_write', kind: 'function', params: [], results: [] },
          {
            module: 'extism:host/user',
            name: 'steal_secrets',
            kind: 'function',
            params: [I64],
            results: [I64],
          },
        ],
        memories: [{ min: 1, max: null }],
      }),
    );
    expect(error.code).toBe('load_failed');
    expect(error.message).toContain('"test-plugin"');
    expect(error.message).toContain('wasi_snapshot_preview1::fd_write');
    expect(error.message).toContain('extism:host/user::steal_secrets');
    expect(error.message).toContain('declares no maximum');
  });

  it('refuses an imported memory even when its maximum is small', async () => {
    const error = await refusal(
      buildWasmModule({
        imports: [{ module: 'env', name: 'memory', kind: 'memory', limits: { min: 1, max: 2 } }],
      }),
    );
    expect(error.message).toContain('env::memory');
  });

  it('refuses bytes the engine cannot compile', async () => {
    const error = await refusal(new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 0x42]));
    expect(error.code).toBe('load_failed');
    expect(error.message).toContain('not a valid WebAssembly module');
  });
});
