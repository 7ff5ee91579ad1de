/**
 * Entry of a plugin worker thread: one Extism instance of one plugin, running one invocation at a time. The
 * main thread owns deadlines (it terminates this thread when one passes); this thread enforces the limits
 * that are cheaper to check here: host calls per invocation, Extism memory, output size, log volume.
 *
 * Plain ESM JavaScript with JSDoc types: worker threads do not inherit the tsx/vitest TypeScript loader.
 * Message shapes mirror `bridge-protocol.ts`.
 * @module
 */
import { isUtf8 } from 'node:buffer';
import { parentPort, workerData } from 'node:worker_threads';
import { BridgeClient } from './bridge-client.mjs';
import { ExtismPlugin } from './extism-plugin.mjs';

/**
 * @typedef {{ maxExtismMemoryBytes: number, maxHostCallsPerInvocation: number, maxOutputBytes: number,
 *   maxLogLinesPerInvocation: number, maxLogLineChars: number }} WorkerLimits
 * @typedef {{ pluginId: string, module: WebAssembly.Module, port: import('node:worker_threads').MessagePort,
 *   events: import('node:worker_threads').MessagePort, shared: SharedArrayBuffer, contention: SharedArrayBuffer,
 *   limits: WorkerLimits, hostFunctions: Record<string, string>, hostFunctionNames: string[] }} WorkerInit
 * @typedef {{ type: 'invoke', seq: number, handler: string, input: string }} InvokeMessage
 * @typedef {'trace' | 'debug' | 'info' | 'warn' | 'error'} LogLevel
 */

const init = /** @type {WorkerInit} */ (workerData);
/** Invocations arrive on the parent port; everything the worker says goes out on the events port. */
const inbox = /** @type {import('node:worker_threads').MessagePort} */ (parentPort);
const port = init.events;
const { limits } = init;
const encoder = new TextEncoder();
const strictDecoder = new TextDecoder('utf-8', { fatal: true });

/**
 * Node 20 warns that WASI is experimental as soon as `@extism/extism` loads (it imports `node:wasi`, which
 * this runtime never uses). Keep that one warning off the operator's console; let every other through.
 */
async function loadExtism() {
  const emitWarning = process.emitWarning;
  process.emitWarning = /** @type {typeof process.emitWarning} */ (
    (/** @type {any} */ warning, /** @type {any[]} */ ...rest) => {
      if (String(warning?.message ?? warning).includes('WASI')) return;
      emitWarning.call(process, warning, ...rest);
    }
  );
  try {
    return (await import('@extism/extism')).createPlugin;
  } finally {
    process.emitWarning = emitWarning;
  }
}

/** @param {string} code @param {string} message */
const errorReply = (code, message) => JSON.stringify({ ok: false, error: { code, message } });

const LIMIT_REPLY = errorReply(
  'host_call_limit',
  `more than ${limits.maxHostCallsPerInvocation} host calls in one invocation; the invocation has failed`,
);

/** The invocation being run, `null` between invocations (and while the module's start function runs). */
let current = /** @type {{ seq: number, hostCalls: number, limitHit: boolean, fault?: string } | null} */ (
  null
);

/** Log lines of the current invocation: counted against the cap, the excess dropped and reported once. */
const logs = { lines: 0, dropped: 0 };

/** @param {LogLevel} level @param {string} text */
function log(level, text) {
  if (logs.lines >= limits.maxLogLinesPerInvocation) {
    logs.dropped++;
    return;
  }
  logs.lines++;
  const message =
    text.length > limits.maxLogLineChars ? `${text.slice(0, limits.maxLogLineChars)}… (truncated)` : text;
  port.postMessage({ type: 'log', level, message });
}

function flushLogs() {
  if (logs.dropped > 0) {
    port.postMessage({
      type: 'log',
      level: 'warn',
      message: `${logs.dropped} log lines dropped (at most ${limits.maxLogLinesPerInvocation} per invocation)`,
    });
  }
  logs.lines = 0;
  logs.dropped = 0;
}

const plugin = new ExtismPlugin({
  maxMemoryBytes: limits.maxExtismMemoryBytes,
  logger: {
    trace: (text) => log('trace', text),
    debug: (text) => log('debug', text),
    info: (text) => log('info', text),
    warn: (text) => log('warn', text),
    error: (text) => log('error', text),
  },
});
const bridge = new BridgeClient(
  init.port,
  init.shared,
  (message) => port.postMessage(message),
  init.contention,
);

/**
 * Hands a reply to the plugin. Never throws: a host function that threw would trap the plugin.
 * @param {string | Uint8Array} reply JSON of a HostCallResult, as text or as UTF-8 bytes.
 * @returns {bigint} Extism address of the reply.
 */
function reply(reply) {
  try {
    const address = plugin.store(typeof reply === 'string' ? encoder.encode(reply) : reply);
    if (address !== null) return address;
    const fallback = plugin.store(
      encoder.encode(errorReply('memory_limit', 'no Extism memory left for the reply')),
    );
    if (fallback !== null) return fallback;
  } catch {
    // fall through: nothing could be stored
  }
  // The plugin reads garbage at 0, so make sure the invocation fails whatever the plugin does with it.
  if (current !== null)
    current.fault ??= 'a host reply could not be stored: the Extism memory or block limit was reached';
  return 0n;
}

/**
 * One Host API function as the plugin sees it: `(i64 offset of JSON args) -> i64 offset of JSON reply`.
 * @param {string} fn Host API function name.
 */
function hostFunction(fn) {
  const fnIndex = init.hostFunctionNames.indexOf(fn);
  return (/** @type {unknown} */ _context, /** @type {bigint} */ offset) => {
    try {
      const invocation = current;
      if (invocation === null) {
        return reply(
          errorReply('invocation_not_active', 'host functions can only be called while a handler runs'),
        );
      }
      invocation.hostCalls++;
      if (invocation.hostCalls > limits.maxHostCallsPerInvocation) {
        if (!invocation.limitHit) {
          invocation.limitHit = true;
          port.postMessage({ type: 'host_call_limit', seq: invocation.seq });
        }
        return reply(LIMIT_REPLY);
      }
      const request = plugin.read(offset);
      if (request === null) {
        return reply(
          errorReply('bad_arguments', `${fn}: the argument is not the address of an Extism block`),
        );
      }
      // Checked here; whether they are JSON is checked where they are parsed, on the main thread.
      if (!isUtf8(request)) {
        return reply(errorReply('bad_arguments', `${fn}: the arguments must be a UTF-8 JSON document`));
      }
      return reply(bridge.call(invocation.seq, fnIndex, fn, request));
    } catch (err) {
      return reply(errorReply('host_error', `${fn}: ${err instanceof Error ? err.message : String(err)}`));
    }
  };
}

/** @param {InvokeMessage} message */
function invoke({ seq, handler, input }) {
  current = { seq, hostCalls: 0, limitHit: false };
  /** @type {Record<string, unknown>} */
  let result;
  try {
    const outcome = plugin.call(handler, encoder.encode(input));
    if (outcome.kind === 'ok') {
      result = outputResult(seq, outcome.output);
    } else if (outcome.kind === 'unknown_handler') {
      result = failure(seq, 'unknown_handler', `the module exports no function "${handler}"`, false);
    } else if (outcome.kind === 'failed') {
      result = failure(seq, 'plugin_error', `returned ${outcome.rc}: ${outcome.message}`, false);
    } else {
      result = failure(seq, 'plugin_error', outcome.message, true);
    }
  } catch (err) {
    result = failure(seq, 'plugin_error', `the runtime failed: ${String(err)}`, true);
  }
  if (current.fault !== undefined && result.ok) {
    result = failure(seq, 'plugin_error', current.fault, false);
  }
  if (current.limitHit) {
    result = failure(
      seq,
      'host_call_limit',
      `made more than ${limits.maxHostCallsPerInvocation} host calls in one invocation`,
      Boolean(result.fatal),
    );
  }
  current = null;
  try {
    plugin.reset();
  } catch (err) {
    result = failure(seq, 'plugin_error', `the plugin could not be reset: ${String(err)}`, true);
  }
  flushLogs();
  port.postMessage(result);
}

/**
 * @param {number} seq
 * @param {Uint8Array | null} output
 */
function outputResult(seq, output) {
  if (output === null || output.byteLength === 0) return { type: 'result', seq, ok: true, output: null };
  if (output.byteLength > limits.maxOutputBytes) {
    return failure(
      seq,
      'plugin_error',
      `its output is ${output.byteLength} bytes, above the limit of ${limits.maxOutputBytes}`,
      false,
    );
  }
  try {
    return { type: 'result', seq, ok: true, output: strictDecoder.decode(output) };
  } catch {
    return failure(seq, 'plugin_error', 'its output is not valid UTF-8', false);
  }
}

/**
 * @param {number} seq
 * @param {string} code
 * @param {string} message
 * @param {boolean} fatal
 */
function failure(seq, code, message, fatal) {
  return { type: 'result', seq, ok: false, code, message, fatal };
}

/** @type {Record<string, Function>} */
const hostApi = {};
for (const [importName, fn] of Object.entries(init.hostFunctions)) hostApi[importName] = hostFunction(fn);
try {
  await plugin.instantiate(await loadExtism(), init.module, hostApi);
  flushLogs();
  inbox.on('message', (/** @type {InvokeMessage} */ message) => {
    if (message?.type === 'invoke') invoke(message);
  });
  port.postMessage({ type: 'ready' });
} catch (err) {
  // The main thread terminates this worker when it reads this.
  port.postMessage({ type: 'init_failed', message: err instanceof Error ? err.message : String(err) });
}
