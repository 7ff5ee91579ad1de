/**
 * The messages between the main thread and a plugin worker. The worker side (`wasm-worker.mjs` and the
 * modules it imports) is plain JavaScript — worker threads do not inherit the TypeScript loader — and mirrors
 * these shapes in JSDoc; keep both in step.
 *
 * Channels:
 * - worker → main, `parentPort`: everything the worker says (ready, host calls, logs, results), so the main
 *   thread sees it in the order it was said;
 * - main → worker, `worker.postMessage`: invocations;
 * - main → worker, the bridge port: host-call replies only, read synchronously by the blocked worker with
 *   `receiveMessageOnPort`. After posting a reply the main thread raises `control[CONTROL_ANSWERED_ID]` to the
 *   reply's id with `Atomics.store` (it is the only writer) and `Atomics.notify`s the worker waiting on it.
 * @module
 */
import type { MessagePort } from 'node:worker_threads';
import type { InvocationContext, PluginLogLine } from '../contract.js';
import type { CompiledModule } from './webassembly.js';

/** Index in the shared Int32Array of the highest host-call id answered so far. */
export const CONTROL_ANSWERED_ID = 0;
/** Length of the shared control array. */
export const CONTROL_LENGTH = 1;

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
  /** The worker's end of the bridge channel (transferred). */
  port: MessagePort;
  /** Backs an Int32Array of {@link CONTROL_LENGTH}. */
  control: SharedArrayBuffer;
  limits: WorkerLimits;
  /** Host API import name → Host API function name, e.g. `db_query` → `db.query`. */
  hostFunctions: Record<string, string>;
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
  | { type: 'host_call'; seq: number; id: number; fn: string; args: unknown }
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
