import { describe, expect, it } from 'vitest';
import { buildWasmModule, I32, I64 } from '../testing/wasm-module.js';
import { formatSignature, inspectModule, ModuleFormatError } from './module-inspector.js';

// The SDK compiles without the DOM library, where TypeScript declares WebAssembly; the test needs only validate.
const webAssembly = (globalThis as unknown as { WebAssembly: { validate(bytes: Uint8Array): boolean } })
  .WebAssembly;

/** Inspects `bytes` after making sure the engine accepts them, so the tests describe real modules. */
function inspectValid(bytes: Uint8Array) {
  expect(webAssembly.validate(bytes)).toBe(true);
  return inspectModule(bytes);
}

describe('inspectModule', () => {
  it('reads a defined memory with its minimum and maximum', () => {
    const info = inspectValid(buildWasmModule({ memories: [{ min: 1, max: 1024 }] }));
    expect(info.memories).toEqual([
      { origin: 'defined', minPages: 1, maxPages: 1024, shared: false, memory64: false },
    ]);
  });

  it('reports a memory without maximum as maxPages null', () => {
    const info = inspectValid(buildWasmModule({ memories: [{ min: 3, max: null }] }));
    expect(info.memories).toEqual([
      { origin: 'defined', minPages: 3, maxPages: null, shared: false, memory64: false },
    ]);
  });

  it('reads multi-byte LEB128 limits exactly', () => {
    const info = inspectValid(buildWasmModule({ memories: [{ min: 200, max: 65_536 }] }));
    expect(info.memories[0]).toMatchObject({ minPages: 200, maxPages: 65_536 });
  });

  it('reads the limits of an imported memory and names its import', () => {
    const info = inspectValid(
      buildWasmModule({
        imports: [{ module: 'env', name: 'memory', kind: 'memory', limits: { min: 2, max: 4096 } }],
      }),
    );
    expect(info.memories).toEqual([
      {
        origin: 'imported',
        module: 'env',
        name: 'memory',
        minPages: 2,
        maxPages: 4096,
        shared: false,
        memory64: false,
      },
    ]);
    expect(info.imports).toEqual([{ module: 'env', name: 'memory', kind: 'memory' }]);
  });

  it('flags shared memories', () => {
    const info = inspectValid(buildWasmModule({ memories: [{ min: 1, max: 16, shared: true }] }));
    expect(info.memories[0]).toMatchObject({ shared: true, maxPages: 16 });
  });

  it('flags 64-bit memories and reads their limits', () => {
    // Not validated: Node 20 compiles memory64 only behind a flag, but the inspector must still read it.
    const info = inspectModule(buildWasmModule({ memories: [{ min: 1, max: 70_000, memory64: true }] }));
    expect(info.memories[0]).toMatchObject({ memory64: true, minPages: 1, maxPages: 70_000 });
  });

  it('lists function imports with their signatures, and other kinds', () => {
    const info = inspectValid(
      buildWasmModule({
        imports: [
          { module: 'extism:host/user', name: 'db_query', kind: 'function', params: [I64], results: [I64] },
          { module: 'extism:host/env', name: 'store_u8', kind: 'function', params: [I64, I32], results: [] },
          { module: 'env', name: 'g', kind: 'global', type: I32 },
        ],
        memories: [{ min: 1, max: 1 }],
      }),
    );
    expect(info.imports).toEqual([
      {
        module: 'extism:host/user',
        name: 'db_query',
        kind: 'function',
        signature: { params: ['i64'], results: ['i64'] },
      },
      {
        module: 'extism:host/env',
        name: 'store_u8',
        kind: 'function',
        signature: { params: ['i64', 'i32'], results: [] },
      },
      { module: 'env', name: 'g', kind: 'global' },
    ]);
  });

  it('lists exported functions and skips custom sections', () => {
    const info = inspectValid(
      buildWasmModule({ functionExports: ['echo', 'run'], custom: { name: 'producers', bytes: [1, 2, 3] } }),
    );
    expect(info.functionExports).toEqual(['echo', 'run']);
    expect(info.memories).toEqual([]);
  });

  it('refuses bytes that are not a module, a component, or a truncated module', () => {
    expect(() => inspectModule(new TextEncoder().encode('not wasm'))).toThrow(ModuleFormatError);
    expect(() => inspectModule(new Uint8Array([0, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00]))).toThrow(
      /components/,
    );
    const whole = buildWasmModule({ memories: [{ min: 1, max: 1024 }] });
    expect(() => inspectModule(whole.subarray(0, whole.length - 1))).toThrow(ModuleFormatError);
  });

  it('formats signatures the way the text format writes them', () => {
    expect(formatSignature({ params: ['i64'], results: ['i64'] })).toBe('(i64) -> i64');
    expect(formatSignature({ params: ['i64', 'i32'], results: [] })).toBe('(i64, i32) -> ()');
  });
});
