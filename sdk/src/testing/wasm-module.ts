/**
 * Builds small WebAssembly binaries byte by byte, so a test states exactly the import, memory or export it is
 * about: the SDK's and the kernel's tests of WASM admission use it, and so can tools that check plugins.
 * @module
 */

const encoder = new TextEncoder();

/** The value type `i32`, for {@link WasmImportSpec} signatures. */
export const I32 = 0x7f;
/** The value type `i64`, for {@link WasmImportSpec} signatures. */
export const I64 = 0x7e;

/** Unsigned LEB128. */
function leb(value: number | bigint): number[] {
  let v = BigInt(value);
  const out: number[] = [];
  do {
    let byte = Number(v & 0x7fn);
    v >>= 7n;
    if (v !== 0n) byte |= 0x80;
    out.push(byte);
  } while (v !== 0n);
  return out;
}

function name(text: string): number[] {
  const bytes = [...encoder.encode(text)];
  return [...leb(bytes.length), ...bytes];
}

function vector(items: number[][]): number[] {
  return [...leb(items.length), ...items.flat()];
}

function section(id: number, body: number[]): number[] {
  return [id, ...leb(body.length), ...body];
}

/** Memory limits: `max` null for none; `shared` and `memory64` set the flag bits. */
export interface WasmLimits {
  min: number;
  max: number | null;
  shared?: boolean;
  memory64?: boolean;
}

function limits({ min, max, shared = false, memory64 = false }: WasmLimits): number[] {
  const flags = (max === null ? 0 : 1) | (shared ? 2 : 0) | (memory64 ? 4 : 0);
  return [flags, ...leb(min), ...(max === null ? [] : leb(max))];
}

/** One import of a {@link WasmModuleSpec}: a function with its signature, a memory or a global. */
export type WasmImportSpec =
  | { module: string; name: string; kind: 'function'; params: number[]; results: number[] }
  | { module: string; name: string; kind: 'memory'; limits: WasmLimits }
  | { module: string; name: string; kind: 'global'; type: number };

/** What {@link buildWasmModule} puts into the module. */
export interface WasmModuleSpec {
  imports?: WasmImportSpec[];
  memories?: WasmLimits[];
  /** Names of exported functions; each gets an empty `() -> ()` body. */
  functionExports?: string[];
  /** Appended as a custom section (id 0) before everything else. */
  custom?: { name: string; bytes: number[] };
}

/**
 * A module with the given imports, memories and exported functions (each an empty `() -> ()`).
 * @param spec - what the module holds
 */
export function buildWasmModule(spec: WasmModuleSpec): Uint8Array {
  const imports = spec.imports ?? [];
  const exported = spec.functionExports ?? [];
  // Type 0 is `() -> ()` for the exported functions; function imports get one type each after it.
  const types: number[][] = [[0x60, 0, 0]];
  const importEntries = imports.map((imp) => {
    const head = [...name(imp.module), ...name(imp.name)];
    if (imp.kind === 'function') {
      types.push([
        0x60,
        ...leb(imp.params.length),
        ...imp.params,
        ...leb(imp.results.length),
        ...imp.results,
      ]);
      return [...head, 0x00, ...leb(types.length - 1)];
    }
    if (imp.kind === 'memory') return [...head, 0x02, ...limits(imp.limits)];
    return [...head, 0x03, imp.type, 0x00];
  });
  const importedFunctions = imports.filter((i) => i.kind === 'function').length;

  const bytes = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
  if (spec.custom) bytes.push(...section(0, [...name(spec.custom.name), ...spec.custom.bytes]));
  bytes.push(...section(1, vector(types)));
  if (importEntries.length > 0) bytes.push(...section(2, vector(importEntries)));
  if (exported.length > 0) bytes.push(...section(3, vector(exported.map(() => [0]))));
  if (spec.memories?.length) bytes.push(...section(5, vector(spec.memories.map(limits))));
  if (exported.length > 0) {
    bytes.push(
      ...section(7, vector(exported.map((e, i) => [...name(e), 0x00, ...leb(importedFunctions + i)]))),
    );
    // Each body: size 2, no locals, `end`.
    bytes.push(...section(10, vector(exported.map(() => [2, 0, 0x0b]))));
  }
  return new Uint8Array(bytes);
}
