/**
 * The memory rule for WASM plugins: every memory must declare a maximum, within the plugin's cap. Worker
 * `resourceLimits` do not bound WebAssembly memory, so the declared maximum is the kernel's real guard; the kernel
 * refuses a module that breaks the rule, and `goatflow-plugin validate` says so before the plugin is shipped.
 * @module
 */
import { type MemoryLimits, WASM_PAGE_BYTES } from './module-inspector.js';

/** The kernel's default cap on a WASM plugin's memory (`limits.maxMemoryMb` may lower it): 64 MiB. */
export const DEFAULT_WASM_MAX_MEMORY_MB = 64;

const MIB = 1024 * 1024;

function formatBytes(bytes: number): string {
  return bytes % MIB === 0 ? `${bytes / MIB} MiB` : `${bytes} bytes`;
}

function memoryName(memory: MemoryLimits, index: number): string {
  return memory.origin === 'imported'
    ? `imported memory ${memory.module}::${memory.name}`
    : `memory ${index}`;
}

/**
 * Problems with a module's memories, given the cap in bytes; each names the memory and how to build it right.
 * An empty list means the memories are admissible.
 */
export function checkMemories(memories: MemoryLimits[], maxMemoryBytes: number): string[] {
  const capPages = Math.floor(maxMemoryBytes / WASM_PAGE_BYTES);
  const cap = `the cap is ${capPages} pages of 64 KiB (${formatBytes(capPages * WASM_PAGE_BYTES)})`;
  const howToBuild =
    `build with \`asc --maximumMemory ${capPages}\` (AssemblyScript) or link with ` +
    `\`--max-memory=${capPages * WASM_PAGE_BYTES}\` (Rust, C, Zig), or less`;
  const problems: string[] = [];
  let totalPages = 0;
  memories.forEach((memory, index) => {
    const name = memoryName(memory, index);
    if (memory.memory64) {
      problems.push(`${name} is a 64-bit memory, which is not supported; build for wasm32`);
    } else if (memory.shared) {
      problems.push(`${name} is shared; plugins run single-threaded, build without shared memory`);
    } else if (memory.maxPages === null) {
      problems.push(
        `${name} declares no maximum size, so it could grow without bound; ${howToBuild}; ${cap}`,
      );
    } else {
      totalPages += memory.maxPages;
      if (memory.maxPages > capPages) {
        problems.push(
          `${name} declares a maximum of ${memory.maxPages} pages ` +
            `(${formatBytes(memory.maxPages * WASM_PAGE_BYTES)}), above the memory limit; ${howToBuild}; ${cap}`,
        );
      }
    }
  });
  if (problems.length === 0 && totalPages > capPages) {
    problems.push(
      `the module's memories together may grow to ${totalPages} pages, above the memory limit; ` +
        `use one memory; ${cap}`,
    );
  }
  return problems;
}
