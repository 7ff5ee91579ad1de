/**
 * Reads a WebAssembly module's imports (with signatures), function exports and memory limits without
 * instantiating it. The reader lives in the SDK (`@goatflow/sdk`), which `goatflow-plugin validate` uses on the
 * same modules; the runtime imports it from here.
 * @module
 */
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
} from '@goatflow/sdk';
