/**
 * Admission of a WASM plugin: compile, inspect, and refuse before anything is instantiated. A module is
 * refused when it imports anything outside the allow-list or when its memory is not bounded by a declared
 * maximum within the cap — worker `resourceLimits` do not bound WebAssembly memory, so the declared maximum is
 * the real guard. Every problem is reported at once, each naming the import or memory and the fix.
 * @module
 */

import { checkMemories } from '@goatflow/sdk';
import { RuntimeError } from '../contract.js';
import { checkImport } from './allow-list.js';
import { inspectModule, type ModuleInfo } from './module-inspector.js';
import { type CompiledModule, webAssembly } from './webassembly.js';

/** A module that passed admission. */
export interface AdmittedModule {
  module: CompiledModule;
  /** Exported functions: the handlers the plugin can serve. */
  handlers: ReadonlySet<string>;
  info: ModuleInfo;
}

/** The memory rule is the SDK's, so `goatflow-plugin validate` and admission refuse the same modules. */
export { checkMemories };

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
