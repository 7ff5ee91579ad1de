import { describe, expect, it } from 'vitest';
import { checkMemories, DEFAULT_WASM_MAX_MEMORY_MB } from './memory.js';
import type { MemoryLimits } from './module-inspector.js';

const MIB = 1024 * 1024;
const defined = (maxPages: number | null, extra: Partial<MemoryLimits> = {}): MemoryLimits => ({
  origin: 'defined',
  minPages: 1,
  maxPages,
  shared: false,
  memory64: false,
  ...extra,
});

describe('checkMemories', () => {
  it('accepts a memory with a maximum within the cap, and no memory at all', () => {
    expect(checkMemories([defined(1024)], DEFAULT_WASM_MAX_MEMORY_MB * MIB)).toEqual([]);
    expect(checkMemories([], MIB)).toEqual([]);
  });

  it('refuses a memory without maximum, saying which flag sets one', () => {
    const [problem] = checkMemories([defined(null)], 4 * MIB);
    expect(problem).toContain('memory 0 declares no maximum size');
    expect(problem).toContain('asc --maximumMemory 64');
  });

  it('refuses a maximum above the cap, with both in pages and bytes', () => {
    const [problem] = checkMemories([defined(2048)], 64 * MIB);
    expect(problem).toContain('2048 pages (128 MiB)');
    expect(problem).toContain('the cap is 1024 pages of 64 KiB (64 MiB)');
  });

  it('refuses shared, 64-bit and together-too-large memories', () => {
    expect(checkMemories([defined(16, { shared: true })], MIB)[0]).toContain('shared');
    expect(checkMemories([defined(16, { memory64: true })], MIB)[0]).toContain('64-bit');
    expect(checkMemories([defined(10), defined(10)], MIB)[0]).toContain('together may grow to 20 pages');
  });

  it('names an imported memory by its import', () => {
    const memory: MemoryLimits = { ...defined(null), origin: 'imported', module: 'env', name: 'memory' };
    expect(checkMemories([memory], MIB)[0]).toContain('imported memory env::memory');
  });
});
