/**
 * Admission of a WASM plugin: compile, inspect, and refuse before anything is instantiated. A module is
 * refused when it imports anything outside the allow-list or when its memory is not bounded by a declared
 * maximum within the cap — worker `resourceLimits` do not bound WebAssembly memory, so the declared maximum is
 * the real guard. Every problem is reported at once, each naming the import or memory and the fix.
 * @module
 */
import { RuntimeError } from '../contract.js';
import { checkImport } from './allow-list.js';
import { inspectModule, type MemoryLimits, type ModuleInfo, WASM_PAGE_BYTES } from './module-inspector.js';
import { type CompiledModule, webAssembly } from './webassembly.js';

/** A module that passed admission. */
export interface AdmittedModule {
  module: CompiledModule;
  /** Exported functions: the handlers the plugin can serve. */
  handlers: ReadonlySet<string>;
  info: ModuleInfo;
}

const MIB = 1024 * 1024;

function formatBytes(bytes: number): string {
  return bytes % MIB === 0 ? `${bytes / MIB} MiB` : `${bytes} bytes`;
}

function memoryName(memory: MemoryLimits, index: number): string {
  return memory.origin === 'imported'
    ? `imported memory ${memory.module}::${memory.name}`
    : `memory ${index}`;
}

/** Problems with the module's memories, given the cap in bytes. */
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

/**
 * Compiles and admits a plugin's module, or throws `RuntimeError('load_failed')` naming every offending
 * import (`module::name`) and memory problem with the fix. Compilation is asynchronous, so the engine does it
 * off the main thread.
 */
export async function admitModule(
  pluginId: string,
  wasm: Uint8Array,
  options: { maxMemoryBytes: number },
): Promise<AdmittedModule> {
  const fail = (problems: string[]): RuntimeError =>
    new RuntimeError(
      'load_failed',
      `WASM plugin "${pluginId}" cannot be loaded:\n${problems.map((p) => `  - ${p}`).join('\n')}`,
    );

  let module: CompiledModule;
  try {
    module = await webAssembly.compile(wasm);
  } catch (err) {
    throw fail([`the file is not a valid WebAssembly module (${(err as Error).message})`]);
  }
  let info: ModuleInfo;
  try {
    info = inspectModule(wasm);
  } catch (err) {
    throw fail([`the module could not be read: ${(err as Error).message}`]);
  }

  const problems: string[] = [];
  for (const imp of info.imports) {
    const verdict = checkImport(imp);
    if (!verdict.allowed) problems.push(verdict.reason);
  }
  problems.push(...checkMemories(info.memories, options.maxMemoryBytes));
  if (problems.length > 0) throw fail(problems);

  return { module, handlers: new Set(info.functionExports), info };
}
