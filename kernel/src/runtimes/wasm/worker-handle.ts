/**
 * The main-thread side of one plugin worker: starts it, hands it one invocation at a time, serves its host
 * calls over the synchronous bridge (`bridge-server.ts` moves the bytes), and reports how each invocation ended.
 * Deadlines and the choice of worker belong to the pool (`wasm-instance.ts`); this class only knows its own
 * thread.
 * @module
 */
import { MessageChannel, type MessagePort, receiveMessageOnPort, Worker } from 'node:worker_threads';
import { contentionBuffer } from '../busy-poll.mjs';
import {
  type HostCallHandler,
  type HostCallResult,
  type InvocationContext,
  type PluginLogLine,
  RuntimeError,
} from '../contract.js';
import {
  type InvokeMessage,
  SHARED_BYTES,
  type WorkerInit,
  type WorkerLimits,
  type WorkerMessage,
} from './bridge-protocol.js';
import { BridgeServer } from './bridge-server.js';
import type { CompiledModule } from './webassembly.js';

const WORKER_URL = new URL('./wasm-worker.mjs', import.meta.url);

/** What every worker of one plugin shares. */
export interface WorkerSpec {
  pluginId: string;
  module: CompiledModule;
  limits: WorkerLimits;
  hostFunctions: Record<string, string>;
  hostCall: HostCallHandler;
  maxHostReplyBytes: number;
  log?: ((line: PluginLogLine) => void) | undefined;
  /** How long a worker may take to start (thread, Extism, the module's start function). */
  startTimeoutMs: number;
  /** V8 heap limit of the worker's JavaScript (not of the WASM memory, which its declared maximum bounds). */
  heapLimitMb: number;
}

/** How one invocation ended. `fatal`: the worker must not run anything else. */
export type JobOutcome = { ok: true; value: unknown } | { ok: false; error: RuntimeError; fatal: boolean };

/** One invocation as the worker runs it. */
export interface WorkerJob {
  handler: string;
  /** The JSON input document `{"input": …, "context": …}`. */
  input: string;
  context: InvocationContext;
  /** When the invocation is given up (epoch ms), for host calls that can bound their own work by it. */
  deadline?: number;
  /**
   * Called once with the outcome: normally when the worker answers, early with `host_call_limit` when the
   * plugin goes past its host calls (it may keep running; {@link WorkerEvents.onDone} says when it stops).
   */
  settle(outcome: JobOutcome): void;
}

export interface WorkerEvents {
  /** The worker started and can take a job. */
  onReady(handle: WorkerHandle): void;
  /** The worker finished `job`; unless `fatal`, it is idle again. */
  onDone(handle: WorkerHandle, job: WorkerJob, fatal: boolean): void;
  /** The worker died or failed to start (not called after {@link WorkerHandle.terminate}). */
  onFailed(handle: WorkerHandle, error: Error): void;
}

export type WorkerState = 'starting' | 'idle' | 'busy' | 'stopped';

let nextWorkerId = 1;

/** JSON text of a failed host call. */
function errorReply(code: string, message: string): string {
  return JSON.stringify({ ok: false, error: { code, message } });
}

/** What {@link parseArgs} returns for arguments that are not JSON. */
const NOT_JSON: unique symbol = Symbol('not JSON');

/** Parses a plugin's host-call arguments (the UTF-8 was checked in the worker). */
function parseArgs(json: string): unknown {
  try {
    // A byte order mark is not JSON, but a UTF-8 decoder would have dropped it.
    return JSON.parse(json.charCodeAt(0) === 0xfeff ? json.slice(1) : json);
  } catch {
    return NOT_JSON;
  }
}

/**
 * The reply the plugin gets: the handler's result in the documented shape, or an error if it is malformed,
 * cannot be serialised, or is larger than the limit.
 */
export function encodeHostReply(fn: string, result: HostCallResult, maxBytes: number): string {
  let text: string | undefined;
  try {
    if (result?.ok === true) {
      text = JSON.stringify({ ok: true, value: result.value === undefined ? null : result.value });
    } else if (result?.ok === false) {
      text = JSON.stringify({
        ok: false,
        error: {
          code: String(result.error?.code ?? 'host_error'),
          message: String(result.error?.message ?? ''),
          ...(result.error?.details ? { details: result.error.details } : {}),
        },
      });
    }
  } catch (err) {
    return errorReply(
      'host_error',
      `${fn}: the reply could not be serialised as JSON (${(err as Error).message})`,
    );
  }
  if (text === undefined) return errorReply('host_error', `${fn}: the kernel produced a malformed reply`);
  // A UTF-16 unit takes at most 3 UTF-8 bytes; skip the exact count when even that bound fits.
  if (text.length * 3 > maxBytes) {
    const bytes = Buffer.byteLength(text);
    if (bytes > maxBytes) {
      return errorReply(
        'reply_too_large',
        `${fn}: the reply is ${bytes} bytes, above the limit of ${maxBytes}`,
      );
    }
  }
  return text;
}

export class WorkerHandle {
  /** For logs and tests. */
  readonly id = nextWorkerId++;
  readonly ready: Promise<void>;
  #state: WorkerState = 'starting';
  readonly #spec: WorkerSpec;
  readonly #events: WorkerEvents;
  readonly #worker: Worker;
  /** The bridge port (large replies), and the inbox: the events port on which the worker says everything. */
  readonly #port: MessagePort;
  readonly #inbox: MessagePort;
  readonly #bridge: BridgeServer;
  #job: { job: WorkerJob; seq: number; settled: boolean } | null = null;
  #terminated = false;
  #started = false;
  #seq = 0;
  #startTimer: NodeJS.Timeout | undefined;
  #resolveReady!: () => void;
  #rejectReady!: (error: Error) => void;

  constructor(spec: WorkerSpec, events: WorkerEvents) {
    this.#spec = spec;
    this.#events = events;
    this.ready = new Promise<void>((resolve, reject) => {
      this.#resolveReady = resolve;
      this.#rejectReady = reject;
    });
    // Callers that only care through events must not see an unhandled rejection.
    this.ready.catch(() => {});

    const bridge = new MessageChannel();
    const inbox = new MessageChannel();
    this.#port = bridge.port1;
    this.#inbox = inbox.port1;
    const shared = new SharedArrayBuffer(SHARED_BYTES);
    const hostFunctionNames = [...new Set(Object.values(spec.hostFunctions))];
    this.#bridge = new BridgeServer(shared, this.#port, hostFunctionNames, {
      call: (seq, id, fn, args) => void this.#serveHostCall(seq, id, fn, args),
      drain: () => this.#drain(),
    });
    const init: WorkerInit = {
      pluginId: spec.pluginId,
      module: spec.module,
      port: bridge.port2,
      events: inbox.port2,
      shared,
      contention: contentionBuffer(),
      limits: spec.limits,
      hostFunctions: spec.hostFunctions,
      hostFunctionNames,
    };
    this.#worker = new Worker(WORKER_URL, {
      workerData: init,
      transferList: [bridge.port2, inbox.port2],
      // Nothing of the kernel's environment or flags (loaders, inspector) is the plugin's business.
      env: {},
      execArgv: [],
      resourceLimits: { maxOldGenerationSizeMb: spec.heapLimitMb, maxYoungGenerationSizeMb: 16 },
      name: `goatflow-wasm:${spec.pluginId}#${this.id}`,
    });
    // Idle workers must not keep the process alive; a pending invocation's deadline timer does.
    this.#worker.unref();
    this.#inbox.on('message', (message: WorkerMessage) => this.#onMessage(message));
    this.#inbox.unref();
    this.#worker.on('error', (error) => this.#fail(error));
    this.#worker.on('exit', (code) => this.#fail(new Error(`the worker thread exited (code ${code})`)));
    this.#startTimer = setTimeout(
      () => this.#fail(new Error(`the worker did not start within ${spec.startTimeoutMs} ms`)),
      spec.startTimeoutMs,
    );
  }

  /** Whether the worker ever became ready (a failure before that is a failure to start). */
  get started(): boolean {
    return this.#started;
  }

  get state(): WorkerState {
    return this.#state;
  }

  /** Runs one job; the worker must be idle. */
  run(job: WorkerJob): void {
    if (this.#state !== 'idle') throw new Error(`worker ${this.id} is ${this.#state}, not idle`);
    this.#state = 'busy';
    const seq = ++this.#seq;
    this.#job = { job, seq, settled: false };
    const message: InvokeMessage = { type: 'invoke', seq, handler: job.handler, input: job.input };
    this.#bridge.invoking();
    this.#worker.postMessage(message);
  }

  /**
   * Stops the thread, wherever it is (looping in WASM, blocked on a host call). The current job, if any, is
   * left to the caller to settle. Resolves when the thread is gone.
   */
  async terminate(): Promise<void> {
    if (this.#terminated) return;
    this.#stop();
    this.#rejectReady(new Error('the worker was stopped'));
    await this.#worker.terminate();
  }

  #stop(): void {
    this.#terminated = true;
    this.#state = 'stopped';
    this.#job = null;
    clearTimeout(this.#startTimer);
    this.#bridge.stop();
    // terminate() also ends a worker blocked in Atomics.wait on a host call; no need to wake it first.
    this.#port.close();
    this.#inbox.close();
  }

  #fail(error: Error): void {
    if (this.#terminated) return;
    const current = this.#job;
    this.#stop();
    this.#rejectReady(error);
    void this.#worker.terminate();
    if (current && !current.settled) {
      current.settled = true;
      current.job.settle({
        ok: false,
        fatal: true,
        error: new RuntimeError(
          'plugin_error',
          `WASM plugin "${this.#spec.pluginId}" handler "${current.job.handler}" failed: ` +
            `its worker stopped (${error.message})`,
          { cause: error },
        ),
      });
    }
    this.#events.onFailed(this, error);
  }

  #onMessage(message: WorkerMessage): void {
    if (this.#terminated) return;
    switch (message.type) {
      case 'ready':
        clearTimeout(this.#startTimer);
        this.#started = true;
        this.#state = 'idle';
        this.#resolveReady();
        this.#events.onReady(this);
        break;
      case 'init_failed':
        this.#fail(new Error(message.message));
        break;
      case 'ring':
        this.#bridge.check();
        break;
      case 'host_call':
        this.#bridge.arrived();
        void this.#serveHostCall(message.seq, message.id, message.fn, message.args);
        break;
      case 'host_call_limit':
        this.#bridge.arrived();
        this.#settleEarly(message.seq);
        break;
      case 'log':
        try {
          this.#spec.log?.({ level: message.level, message: message.message });
        } catch {
          // A failing log sink must not take the runtime down.
        }
        break;
      case 'result':
        this.#bridge.arrived();
        this.#finish(message);
        break;
    }
  }

  /** Handles, synchronously and in order, whatever the worker has posted and the event loop not yet delivered. */
  #drain(): void {
    for (;;) {
      if (this.#terminated) return;
      const received = receiveMessageOnPort(this.#inbox);
      if (received === undefined) return;
      this.#onMessage(received.message as WorkerMessage);
    }
  }

  async #serveHostCall(seq: number, id: number, fn: string, json: string): Promise<void> {
    const current = this.#job;
    const active = current !== null && current.seq === seq;
    const args = active ? parseArgs(json) : NOT_JSON;
    let text: string;
    if (!active) {
      text = errorReply('invocation_not_active', `${fn}: the invocation that made this call is over`);
    } else if (args === NOT_JSON) {
      text = errorReply('bad_arguments', `${fn}: the arguments must be a UTF-8 JSON document`);
    } else {
      let result: HostCallResult;
      try {
        result = await this.#spec.hostCall(fn, args, current.job.context, {
          deadline: current.job.deadline,
        });
      } catch (err) {
        // The handler promises never to throw; if it does anyway the plugin still gets an answer.
        result = {
          ok: false,
          error: { code: 'host_error', message: `${fn}: ${(err as Error)?.message ?? err}` },
        };
      }
      text = encodeHostReply(fn, result, this.#spec.maxHostReplyBytes);
    }
    // A worker terminated meanwhile (deadline) needs no answer.
    if (this.#terminated) return;
    this.#bridge.answer(id, text);
  }

  #settleEarly(seq: number): void {
    const current = this.#job;
    if (current === null || current.seq !== seq || current.settled) return;
    current.settled = true;
    current.job.settle({
      ok: false,
      fatal: false,
      error: new RuntimeError(
        'host_call_limit',
        `WASM plugin "${this.#spec.pluginId}" handler "${current.job.handler}" made more than ` +
          `${this.#spec.limits.maxHostCallsPerInvocation} host calls in one invocation`,
      ),
    });
  }

  #finish(message: Extract<WorkerMessage, { type: 'result' }>): void {
    const current = this.#job;
    if (current === null || current.seq !== message.seq) return;
    this.#job = null;
    const fatal = !message.ok && message.fatal;
    // A fatal worker stays out of the idle set until the pool terminates it.
    if (!fatal) this.#state = 'idle';
    if (!current.settled) {
      current.settled = true;
      current.job.settle(this.#outcome(current.job, message));
    }
    this.#events.onDone(this, current.job, fatal);
  }

  #outcome(job: WorkerJob, message: Extract<WorkerMessage, { type: 'result' }>): JobOutcome {
    const where = `WASM plugin "${this.#spec.pluginId}" handler "${job.handler}"`;
    if (!message.ok) {
      return {
        ok: false,
        fatal: message.fatal,
        error: new RuntimeError(message.code, `${where} failed: ${message.message}`),
      };
    }
    if (message.output === null) return { ok: true, value: null };
    try {
      return { ok: true, value: JSON.parse(message.output) };
    } catch (err) {
      return {
        ok: false,
        fatal: false,
        error: new RuntimeError(
          'plugin_error',
          `${where} failed: its output is not JSON (${(err as Error).message})`,
        ),
      };
    }
  }
}
