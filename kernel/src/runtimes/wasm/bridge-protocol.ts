/**
 * The messages and the shared memory between the main thread and a plugin worker. The worker side
 * (`wasm-worker.mjs` and the modules it imports) is plain JavaScript — worker threads do not inherit the
 * TypeScript loader — and mirrors these shapes in JSDoc; keep both in step.
 *
 * Channels:
 * - worker → main, the events port: everything the worker says (ready, logs, rings, large host calls, results),
 *   so the main thread sees it in the order it was said;
 * - main → worker, `worker.postMessage`: invocations;
 * - shared memory ({@link SHARED_BYTES}): an Int32 control block ({@link CONTROL}) and two byte regions, one
 *   for the current host call's arguments, one for its reply;
 * - main → worker, the bridge port: replies too large for the reply region only, read synchronously by the
 *   blocked worker with `receiveMessageOnPort`.
 *
 * A host call (the worker makes one at a time and blocks until it is answered):
 * 1. The worker writes the arguments (UTF-8 JSON, at most {@link REQUEST_CAPACITY} bytes) to the request
 *    region, the invocation's seq, the function's index in `hostFunctionNames` and the length to their control
 *    slots, and then raises `REQUESTED` to the call's id. If `MAIN_POLLING` is 0 it posts `{type: 'ring'}` on
 *    the events port, else the main thread sees the id on its next turn. (Larger arguments travel as a
 *    `host_call` message on the events port instead, and `REQUESTED` is left alone.)
 * 2. The main thread takes the call when `REQUESTED` differs from the last id it took, first handling whatever
 *    the events port still holds (earlier log lines), runs it, and writes the reply's JSON to the reply region
 *    with its length in `REPLY_LENGTH` — or, when it does not fit, posts `{id, reply}` on the bridge port and
 *    sets `REPLY_LENGTH` to -1. Then it raises `ANSWERED` to the id (it is its only writer) and `notify`s.
 * 3. The worker, spinning briefly and then in `Atomics.wait` on `ANSWERED`, wakes and copies the reply.
 *
 * `MAIN_POLLING` is 1 only while the main thread turns its event loop looking at `REQUESTED`. It sets it to 0
 * when it stops and then looks at `REQUESTED` once more; the worker raises `REQUESTED` before it reads
 * `MAIN_POLLING`. All of these are sequentially consistent atomics, so either the worker sees 0 and rings, or the
 * main thread sees the new id: a call is never left unnoticed.
 * @module
 */
import type { MessagePort } from 'node:worker_threads';
import type { InvocationContext, PluginLogLine } from '../contract.js';
import type { CompiledModule } from './webassembly.js';

/** Slots of the Int32 control block at the start of the shared memory. */
export const CONTROL = {
  /** The highest host-call id answered so far (main thread writes). */
  ANSWERED: 0,
  /** The id of the latest host call whose arguments are in the request region (worker writes). */
  REQUESTED: 1,
  /** The invocation `seq` of that call. */
  REQUEST_SEQ: 2,
  /** The index of its Host API function in `WorkerInit.hostFunctionNames`. */
  REQUEST_FN: 3,
  /** The length of its arguments in bytes. */
  REQUEST_LENGTH: 4,
  /** The length of the reply in the reply region, or -1 when it was posted on the bridge port. */
  REPLY_LENGTH: 5,
  /** 1 while the main thread polls `REQUESTED` (no ring needed), else 0. */
  MAIN_POLLING: 6,
} as const;
/** Int32 slots in the control block (a few spare). */
export const CONTROL_LENGTH = 8;
/** Largest host-call arguments passed in shared memory; larger ones go as a `host_call` message. */
export const REQUEST_CAPACITY = 64 * 1024;
/** Largest reply passed in shared memory; larger ones go on the bridge port. */
export const REPLY_CAPACITY = 256 * 1024;
/** Byte offset of the request region. */
export const REQUEST_OFFSET = CONTROL_LENGTH * Int32Array.BYTES_PER_ELEMENT;
/** Byte offset of the reply region. */
export const REPLY_OFFSET = REQUEST_OFFSET + REQUEST_CAPACITY;
/** Size of a worker's shared memory (its pages are only committed when written). */
export const SHARED_BYTES = REPLY_OFFSET + REPLY_CAPACITY;

/** Limits the worker enforces itself, so that enforcement costs the main thread nothing. */
export interface WorkerLimits {
  /** Bytes of Extism memory (allocated blocks, input, host replies) the plugin may hold at once. */
  maxExtismMemoryBytes: number;
  maxHostCallsPerInvocation: number;
  maxOutputBytes: number;
  maxLogLinesPerInvocation: number;
  maxLogLineChars: number;
}

/** `workerData` of a plugin worker. */
export interface WorkerInit {
  pluginId: string;
  module: CompiledModule;
  /** The worker's end of the bridge channel (transferred): large host-call replies. */
  port: MessagePort;
  /** The worker's end of the events channel (transferred): everything the worker says. */
  events: MessagePort;
  /** {@link SHARED_BYTES} of shared memory: the control block and the request and reply regions. */
  shared: SharedArrayBuffer;
  /** The main thread's contention flag (`contentionBuffer()` in `busy-poll.mjs`): no spinning while it is 1. */
  contention: SharedArrayBuffer;
  limits: WorkerLimits;
  /** Host API import name → Host API function name, e.g. `db_query` → `db.query`. */
  hostFunctions: Record<string, string>;
  /** The Host API function names; a host call in shared memory names its function by index in this list. */
  hostFunctionNames: string[];
}

/** Main → worker: run one handler. `input` is the UTF-8 JSON `{"input": …, "context": …}`. */
export interface InvokeMessage {
  type: 'invoke';
  seq: number;
  handler: string;
  input: string;
}

/** Main → worker on the bridge port: the JSON text of a `HostCallResult`. */
export interface HostReplyMessage {
  id: number;
  reply: string;
}

export type WorkerMessage =
  | { type: 'ready' }
  | { type: 'init_failed'; message: string }
  /** A host call is waiting in shared memory and the main thread was not polling for it. */
  | { type: 'ring' }
  /** A host call whose arguments (JSON text) are too large for the request region. */
  | { type: 'host_call'; seq: number; id: number; fn: string; args: string }
  /** The invocation `seq` went past the host-call limit; the plugin gets error replies from now on. */
  | { type: 'host_call_limit'; seq: number }
  | ({ type: 'log' } & PluginLogLine)
  /** `output`: the handler's output as JSON text, `null` when it set none. */
  | { type: 'result'; seq: number; ok: true; output: string | null }
  /**
   * `fatal`: the instance may be inconsistent (a trap, an exception thrown through WASM frames) and the worker
   * must be replaced.
   */
  | { type: 'result'; seq: number; ok: false; code: WorkerErrorCode; message: string; fatal: boolean };

export type WorkerErrorCode = 'plugin_error' | 'unknown_handler' | 'host_call_limit';

/** The JSON document every invocation receives as its Extism input. */
export function encodeInvocationInput(input: unknown, context: InvocationContext): string {
  return JSON.stringify({ input: input === undefined ? null : input, context });
}
