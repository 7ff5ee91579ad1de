/**
 * The WASM plugin runtime: Extism modules in kernel-owned worker threads, with no WASI, no filesystem and no
 * network; imports checked against the Host API allow-list and memory against the cap before instantiation;
 * host calls through a synchronous bridge; a deadline on every call.
 *
 * ABI, for plugin authors:
 * - the kernel calls the export named after the handler, with the Extism input set to the UTF-8 JSON
 *   `{"input": <input>, "context": <InvocationContext>}`; the export returns 0 and sets the output to the UTF-8
 *   JSON of its result (no output means `null`). A non-zero return, `error_set`, or a trap fails the call
 *   with `plugin_error` carrying the plugin's error text;
 * - the Host API is imported from module `extism:host/user` (see {@link HOST_API_FUNCTIONS}), each function
 *   `(i64) -> i64`: the offset of a UTF-8 JSON document with the arguments in, the offset of the UTF-8 JSON
 *   reply `{"ok":true,"value":…}` or `{"ok":false,"error":{"code":…,"message":…}}` out.
 * @module
 */
import type { HostCallHandler, PluginInstance, PluginLogLine } from '../contract.js';
import { HOST_API_FUNCTIONS } from './allow-list.js';
import { admitModule } from './load-module.js';
import type { ModuleInfo } from './module-inspector.js';
import { WasmPluginInstance } from './wasm-instance.js';

export { EXTISM_KERNEL_FUNCTIONS, HOST_API_FUNCTIONS, HOST_API_MODULE } from './allow-list.js';

/** Options of {@link loadWasmPlugin}. */
export interface WasmPluginOptions {
  pluginId: string;
  /** The module's bytes. */
  wasm: Uint8Array;
  /** Runs the plugin's Host API calls; called with the context of the invocation that made them. */
  hostCall: HostCallHandler;
  /** Deadline of a call, including time spent waiting for a worker. Default 5000 ms. */
  deadlineMs?: number;
  /**
   * Cap on the module's declared maximum memory, and separately on the Extism memory (input, output, host
   * replies, allocated blocks) it may hold during a call. Default 64 MiB.
   */
  maxMemoryBytes?: number;
  /** Calls that may run at once, one worker each. Default 2. */
  poolSize?: number;
  /** Workers started beyond `poolSize` to replace a terminated one at once. Default 1. */
  spareWorkers?: number;
  /** Calls that may wait for a worker. Default 64. */
  maxQueue?: number;
  /** Host calls one invocation may make; past it the invocation fails with `host_call_limit`. Default 1000. */
  maxHostCallsPerInvocation?: number;
  /** Largest host reply the plugin receives; a larger one reaches it as `reply_too_large`. Default 1 MiB. */
  maxHostReplyBytes?: number;
  /** Largest output a handler may return. Default 4 MiB. */
  maxOutputBytes?: number;
  /** Receives what the plugin logs through Extism's own log functions (`log_info`, …). */
  log?: (line: PluginLogLine) => void;
}

/** A started WASM plugin, with what admission read from its module. */
export interface LoadedWasmPlugin extends PluginInstance {
  /** The module's imports, function exports and memories, read once when it was admitted. */
  readonly moduleInfo: ModuleInfo;
}

const MIB = 1024 * 1024;
export const WASM_DEFAULTS = {
  deadlineMs: 5000,
  maxMemoryBytes: 64 * MIB,
  poolSize: 2,
  spareWorkers: 1,
  maxQueue: 64,
  maxHostCallsPerInvocation: 1000,
  maxHostReplyBytes: MIB,
  maxOutputBytes: 4 * MIB,
} as const;

/** Log lines per invocation through Extism's log functions; the rest are counted and dropped. */
const MAX_LOG_LINES_PER_INVOCATION = 1000;
const MAX_LOG_LINE_CHARS = 8192;
/** JavaScript heap of a worker (Extism's bookkeeping, JSON text); WASM memory is bounded separately. */
const WORKER_HEAP_MB = 128;

function positiveInteger(name: string, value: number, min = 1): number {
  if (!Number.isInteger(value) || value < min) {
    throw new RangeError(`loadWasmPlugin: ${name} must be an integer of at least ${min}, got ${value}`);
  }
  return value;
}

/**
 * Admits and starts a WASM plugin. Rejects with `RuntimeError('load_failed')` when the module imports
 * anything outside the allow-list, declares no maximum memory or one above the cap, or cannot start.
 */
export async function loadWasmPlugin(options: WasmPluginOptions): Promise<LoadedWasmPlugin> {
  const o = { ...WASM_DEFAULTS, ...stripUndefined(options) };
  positiveInteger('deadlineMs', o.deadlineMs);
  positiveInteger('maxMemoryBytes', o.maxMemoryBytes, 65_536);
  positiveInteger('poolSize', o.poolSize);
  positiveInteger('spareWorkers', o.spareWorkers, 0);
  positiveInteger('maxQueue', o.maxQueue, 0);
  positiveInteger('maxHostCallsPerInvocation', o.maxHostCallsPerInvocation, 0);
  positiveInteger('maxHostReplyBytes', o.maxHostReplyBytes);
  positiveInteger('maxOutputBytes', o.maxOutputBytes);

  const admitted = await admitModule(o.pluginId, o.wasm, { maxMemoryBytes: o.maxMemoryBytes });
  const instance = new WasmPluginInstance(
    {
      pluginId: o.pluginId,
      handlers: admitted.handlers,
      deadlineMs: o.deadlineMs,
      poolSize: o.poolSize,
      spareWorkers: o.spareWorkers,
      maxQueue: o.maxQueue,
    },
    {
      pluginId: o.pluginId,
      module: admitted.module,
      limits: {
        maxExtismMemoryBytes: o.maxMemoryBytes,
        maxHostCallsPerInvocation: o.maxHostCallsPerInvocation,
        maxOutputBytes: o.maxOutputBytes,
        maxLogLinesPerInvocation: MAX_LOG_LINES_PER_INVOCATION,
        maxLogLineChars: MAX_LOG_LINE_CHARS,
      },
      hostFunctions: Object.fromEntries(HOST_API_FUNCTIONS),
      hostCall: o.hostCall,
      maxHostReplyBytes: o.maxHostReplyBytes,
      log: o.log,
      startTimeoutMs: Math.max(15_000, o.deadlineMs),
      heapLimitMb: WORKER_HEAP_MB,
    },
    admitted.info,
  );
  await instance.start();
  return instance;
}

function stripUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
