/**
 * What a WASM plugin may import and how much memory it may declare, and the reader that finds both in a module:
 * the kernel admits a module with these rules, and `goatflow-plugin validate` applies the same ones at build time.
 * @module
 */
export {
  checkImport,
  EXTISM_KERNEL_FUNCTIONS,
  EXTISM_KERNEL_MODULE,
  HOST_API_FUNCTIONS,
  HOST_API_MODULE,
  HOST_API_SIGNATURE,
  type ImportVerdict,
} from './allow-list.js';
export { checkMemories, DEFAULT_WASM_MAX_MEMORY_MB } from './memory.js';
export {
  type FunctionSignature,
  formatSignature,
  inspectModule,
  type MemoryLimits,
  ModuleFormatError,
  type ModuleImport,
  type ModuleInfo,
  WASM_PAGE_BYTES,
  type WasmValueType,
} from './module-inspector.js';
