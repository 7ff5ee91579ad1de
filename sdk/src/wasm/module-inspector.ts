/**
 * Reads what the runtime must know about a WebAssembly module before it may run: its imports (with their
 * function signatures) and the limits of every memory it defines or imports. `WebAssembly.Module.imports`
 * names the imports but reports neither signatures nor memory limits, so this walks the binary's type, import
 * and memory sections itself. It only reads; it never instantiates.
 * @module
 */

/** WebAssembly memory pages are 64 KiB. */
export const WASM_PAGE_BYTES = 65_536;

/** A value type as written in the text format (`i32`, `i64`, `f32`, `f64`, `v128`, `funcref`, …). */
export type WasmValueType = string;

/** The signature of a function type. */
export interface FunctionSignature {
  params: WasmValueType[];
  results: WasmValueType[];
}

/** One import of the module. */
export interface ModuleImport {
  module: string;
  name: string;
  kind: 'function' | 'table' | 'memory' | 'global' | 'tag';
  /** For function imports whose type the inspector could decode. */
  signature?: FunctionSignature;
}

/** The declared limits of one linear memory. Sizes are in 64 KiB pages. */
export interface MemoryLimits {
  /** `defined` in the module's memory section, or `imported` from the host. */
  origin: 'defined' | 'imported';
  /** For imported memories: where from. */
  module?: string;
  name?: string;
  minPages: number;
  /** `null` when the module declares no maximum (it could then grow to whatever the engine allows). */
  maxPages: number | null;
  shared: boolean;
  /** 64-bit addressed memory (the memory64 proposal). */
  memory64: boolean;
}

/** What {@link inspectModule} found. */
export interface ModuleInfo {
  imports: ModuleImport[];
  /** Names of the exported functions. */
  functionExports: string[];
  memories: MemoryLimits[];
}

/** The binary could not be read (truncated or not WebAssembly). */
export class ModuleFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ModuleFormatError';
  }
}

const SECTION_TYPE = 1;
const SECTION_IMPORT = 2;
const SECTION_MEMORY = 5;
const SECTION_EXPORT = 7;

const EXTERNAL_KINDS = ['function', 'table', 'memory', 'global', 'tag'] as const;

/** A cursor over the module bytes; every read is bounds-checked so a truncated module fails cleanly. */
class Reader {
  offset = 0;
  private readonly decoder = new TextDecoder('utf-8', { fatal: true });

  constructor(
    private readonly bytes: Uint8Array,
    private end = bytes.length,
  ) {}

  get done(): boolean {
    return this.offset >= this.end;
  }

  byte(): number {
    if (this.offset >= this.end)
      throw new ModuleFormatError(`unexpected end of module at byte ${this.offset}`);
    return this.bytes[this.offset++]!;
  }

  /** Unsigned LEB128. BigInt so that memory64 limits (u64) are read exactly. */
  unsigned(maxBits = 32): bigint {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      const b = this.byte();
      result |= BigInt(b & 0x7f) << shift;
      shift += 7n;
      if ((b & 0x80) === 0) break;
      if (shift >= BigInt(maxBits + 7))
        throw new ModuleFormatError(`LEB128 number too long at ${this.offset}`);
    }
    return result;
  }

  u32(): number {
    return Number(this.unsigned(32));
  }

  /** Signed LEB128 (only needed to skip heap types); the value itself is not used. */
  skipSigned(): void {
    while (this.byte() & 0x80) {
      // continuation bit set: keep reading
    }
  }

  name(): string {
    const length = this.u32();
    if (this.offset + length > this.end) throw new ModuleFormatError('name runs past the end of its section');
    const text = this.decoder.decode(this.bytes.subarray(this.offset, this.offset + length));
    this.offset += length;
    return text;
  }

  skip(length: number): void {
    if (this.offset + length > this.end)
      throw new ModuleFormatError('section runs past the end of the module');
    this.offset += length;
  }

  /** A reader limited to the next `length` bytes; this reader moves past them. */
  sub(length: number): Reader {
    if (this.offset + length > this.end)
      throw new ModuleFormatError('section runs past the end of the module');
    const reader = new Reader(this.bytes, this.offset + length);
    reader.offset = this.offset;
    this.offset += length;
    return reader;
  }
}

const VALUE_TYPES: Record<number, string> = {
  127: 'i32',
  126: 'i64',
  125: 'f32',
  124: 'f64',
  123: 'v128',
  112: 'funcref',
  111: 'externref',
};

function readValueType(r: Reader): WasmValueType {
  const code = r.byte();
  const known = VALUE_TYPES[code];
  if (known) return known;
  // Typed references (function-references / GC proposals): `(ref null? heaptype)`.
  if (code === 0x63 || code === 0x64) {
    r.skipSigned();
    return code === 0x63 ? 'ref null' : 'ref';
  }
  throw new ModuleFormatError(`unknown value type 0x${code.toString(16)}`);
}

function readLimits(r: Reader): Omit<MemoryLimits, 'origin' | 'module' | 'name'> {
  const flags = r.byte();
  const hasMax = (flags & 0x01) !== 0;
  const shared = (flags & 0x02) !== 0;
  const memory64 = (flags & 0x04) !== 0;
  const bits = memory64 ? 64 : 32;
  const minPages = Number(r.unsigned(bits));
  const maxPages = hasMax ? Number(r.unsigned(bits)) : null;
  // Custom page sizes (a later proposal) append log2 of the page size; pages stay the unit we report, which
  // only errs on the safe side because such pages are smaller than 64 KiB.
  if (flags & 0x08) r.u32();
  return { minPages, maxPages, shared, memory64 };
}

/** Type section entries; `null` for entries that are not plain function types (GC rec groups and such). */
function readTypes(r: Reader): (FunctionSignature | null)[] {
  const types: (FunctionSignature | null)[] = [];
  const count = r.u32();
  for (let i = 0; i < count; i++) {
    const form = r.byte();
    if (form !== 0x60) {
      // Anything richer than a plain function type needs the GC proposal; stop decoding signatures rather
      // than guess, the remaining imports are then reported without one.
      return types;
    }
    const params: string[] = [];
    const results: string[] = [];
    for (let n = r.u32(); n > 0; n--) params.push(readValueType(r));
    for (let n = r.u32(); n > 0; n--) results.push(readValueType(r));
    types.push({ params, results });
  }
  return types;
}

function readImports(
  r: Reader,
  types: (FunctionSignature | null)[],
  memories: MemoryLimits[],
): ModuleImport[] {
  const imports: ModuleImport[] = [];
  const count = r.u32();
  for (let i = 0; i < count; i++) {
    const module = r.name();
    const name = r.name();
    const kindCode = r.byte();
    const kind = EXTERNAL_KINDS[kindCode];
    if (!kind)
      throw new ModuleFormatError(`import ${module}::${name} has unknown kind 0x${kindCode.toString(16)}`);
    const entry: ModuleImport = { module, name, kind };
    switch (kind) {
      case 'function': {
        const signature = types[r.u32()];
        if (signature) entry.signature = signature;
        break;
      }
      case 'table':
        readValueType(r);
        readLimits(r);
        break;
      case 'memory':
        memories.push({ origin: 'imported', module, name, ...readLimits(r) });
        break;
      case 'global':
        readValueType(r);
        r.byte(); // mutability
        break;
      case 'tag':
        r.byte(); // attribute
        r.u32(); // type index
        break;
    }
    imports.push(entry);
  }
  return imports;
}

function readFunctionExports(r: Reader): string[] {
  const names: string[] = [];
  for (let count = r.u32(); count > 0; count--) {
    const name = r.name();
    const kind = r.byte();
    r.u32(); // index
    if (kind === 0) names.push(name);
  }
  return names;
}

/**
 * Inspects a WebAssembly binary. The caller should have compiled it first (`WebAssembly.compile`), so that a
 * malformed module is reported by the engine; this function still refuses truncated input with a
 * {@link ModuleFormatError} rather than reading past the end.
 */
export function inspectModule(bytes: Uint8Array): ModuleInfo {
  const r = new Reader(bytes);
  const magic = [r.byte(), r.byte(), r.byte(), r.byte()];
  if (magic[0] !== 0x00 || magic[1] !== 0x61 || magic[2] !== 0x73 || magic[3] !== 0x6d) {
    throw new ModuleFormatError('not a WebAssembly module (the file does not start with \\0asm)');
  }
  const version = r.byte() | (r.byte() << 8) | (r.byte() << 16) | (r.byte() << 24);
  if (version !== 1) {
    throw new ModuleFormatError(
      `binary version ${version} is not a core WebAssembly module (components are not supported)`,
    );
  }

  let types: (FunctionSignature | null)[] = [];
  let imports: ModuleImport[] = [];
  let functionExports: string[] = [];
  const memories: MemoryLimits[] = [];
  while (!r.done) {
    const id = r.byte();
    const section = r.sub(r.u32());
    switch (id) {
      case SECTION_TYPE:
        types = readTypes(section);
        break;
      case SECTION_IMPORT:
        imports = readImports(section, types, memories);
        break;
      case SECTION_MEMORY:
        for (let count = section.u32(); count > 0; count--) {
          memories.push({ origin: 'defined', ...readLimits(section) });
        }
        break;
      case SECTION_EXPORT:
        functionExports = readFunctionExports(section);
        break;
      default:
        // Custom sections (id 0), code, data and the rest do not matter here.
        break;
    }
  }
  return { imports, functionExports, memories };
}

/** `(i64) -> i64` */
export function formatSignature(signature: FunctionSignature): string {
  return `(${signature.params.join(', ')}) -> ${
    signature.results.length === 1 ? signature.results[0] : `(${signature.results.join(', ')})`
  }`;
}
