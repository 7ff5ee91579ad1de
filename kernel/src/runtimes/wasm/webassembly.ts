/**
 * The few `WebAssembly` JavaScript APIs the runtime uses, typed here because the kernel compiles without the DOM
 * library (where TypeScript declares them). Keeping the surface this small also documents exactly what the
 * main thread does with plugin code: compile it, never run it.
 * @module
 */

/** A compiled, not yet instantiated module. Opaque on the main thread; it is handed to the workers as is. */
export interface CompiledModule {
  readonly [Symbol.toStringTag]: string;
}

interface WebAssemblyApi {
  compile(bytes: Uint8Array): Promise<CompiledModule>;
  validate(bytes: Uint8Array): boolean;
}

/** The engine's `WebAssembly` global. */
export const webAssembly = (globalThis as unknown as { WebAssembly: WebAssemblyApi }).WebAssembly;
