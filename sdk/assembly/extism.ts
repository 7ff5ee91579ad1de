/**
 * Extism's kernel functions (module `extism:host/env`) and the few memory operations a GoatFlow plugin needs on
 * top of them: read the input, write the output, set the error, move bytes in and out of Extism memory blocks.
 *
 * The SDK declares these itself instead of going through `@extism/as-pdk` for three reasons: a plugin needs
 * only `assemblyscript` and `@goatflow/sdk`; as-pdk 1.0.0's `Host.outputString` passes the UTF-16 length as the
 * byte count and so cuts non-ASCII output; and its `Memory.allocateBytes` stores one byte per host call, which
 * makes a 256 KiB cache value cost 262 144 calls. Here bytes move eight at a time. A plugin may still use
 * as-pdk beside the SDK (for `Host.log`, say): both declare the same imports, which the kernel allows.
 * @module
 */

@external('extism:host/env', 'input_length')
declare function input_length(): u64;
@external('extism:host/env', 'input_load_u8')
declare function input_load_u8(offset: u64): u8;
@external('extism:host/env', 'input_load_u64')
declare function input_load_u64(offset: u64): u64;
@external('extism:host/env', 'alloc')
declare function alloc(length: u64): u64;
@external('extism:host/env', 'free')
declare function free(offset: u64): void;
@external('extism:host/env', 'length')
declare function length(offset: u64): u64;
@external('extism:host/env', 'load_u8')
declare function load_u8(offset: u64): u8;
@external('extism:host/env', 'load_u64')
declare function load_u64(offset: u64): u64;
@external('extism:host/env', 'store_u8')
declare function store_u8(offset: u64, value: u8): void;
@external('extism:host/env', 'store_u64')
declare function store_u64(offset: u64, value: u64): void;
@external('extism:host/env', 'output_set')
declare function output_set(offset: u64, length: u64): void;
@external('extism:host/env', 'error_set')
declare function error_set(offset: u64): void;

/** The UTF-8 bytes of `text`: what every Extism block and the kernel's JSON expect. */
export function utf8(text: string): ArrayBuffer {
  return String.UTF8.encode(text);
}

/**
 * The invocation's input, all of it. The kernel sends UTF-8 JSON; the bytes are read eight at a time, as
 * Extism's input functions are host calls too.
 */
export function readInput(): ArrayBuffer {
  const size = <i32>input_length();
  const bytes = new ArrayBuffer(size);
  const start = changetype<usize>(bytes);
  const whole = size & ~7;
  for (let i = 0; i < whole; i += 8) store<u64>(start + <usize>i, input_load_u64(<u64>i));
  for (let i = whole; i < size; i++) store<u8>(start + <usize>i, input_load_u8(<u64>i));
  return bytes;
}

/** Copies `bytes` into a new Extism block and returns its offset; whoever takes the block frees it. */
export function writeBlock(bytes: ArrayBuffer): u64 {
  const size = bytes.byteLength;
  const offset = alloc(<u64>size);
  const start = changetype<usize>(bytes);
  const whole = size & ~7;
  for (let i = 0; i < whole; i += 8) store_u64(offset + <u64>i, load<u64>(start + <usize>i));
  for (let i = whole; i < size; i++) store_u8(offset + <u64>i, load<u8>(start + <usize>i));
  return offset;
}

/** The bytes of the Extism block at `offset` (which stays allocated: see {@link freeBlock}). */
export function readBlock(offset: u64): ArrayBuffer {
  const size = <i32>length(offset);
  const bytes = new ArrayBuffer(size);
  const start = changetype<usize>(bytes);
  const whole = size & ~7;
  for (let i = 0; i < whole; i += 8) store<u64>(start + <usize>i, load_u64(offset + <u64>i));
  for (let i = whole; i < size; i++) store<u8>(start + <usize>i, load_u8(offset + <u64>i));
  return bytes;
}

/**
 * Frees an Extism block. The runtime reclaims blocks only when the call ends and counts them against a budget
 * per call, so a handler that loops over host calls should free what it is done with.
 */
export function freeBlock(offset: u64): void {
  free(offset);
}

/** Sets the invocation's output to `bytes` (the last output set wins). */
export function setOutput(bytes: ArrayBuffer): void {
  output_set(writeBlock(bytes), <u64>bytes.byteLength);
}

/** Sets the text the caller sees when the handler returns non-zero or traps. */
export function setError(message: string): void {
  error_set(writeBlock(utf8(message)));
}
