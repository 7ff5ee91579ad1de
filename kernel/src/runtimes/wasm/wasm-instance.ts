/**
 * A loaded WASM plugin: a pool of workers, a bounded queue in front of it, and a deadline on every call.
 * When a deadline passes the caller is answered at once and the worker — which may be looping in WASM and
 * cannot be interrupted any other way — is terminated and replaced in the background. The pool keeps
 * `poolSize` workers able to run calls plus warm spares, so a replaced worker's place is taken without
 * waiting for a thread to start.
 * @module
 */
import {
  type InvocationContext,
  type PluginInstance,
  RuntimeError,
  type RuntimeHealth,
} from '../contract.js';
import { encodeInvocationInput } from './bridge-protocol.js';
import type { ModuleInfo } from './module-inspector.js';
import { type JobOutcome, WorkerHandle, type WorkerJob, type WorkerSpec } from './worker-handle.js';

/** How the pool is sized and how long calls may take. */
export interface PoolSettings {
  pluginId: string;
  /** Exported function names. */
  handlers: ReadonlySet<string>;
  deadlineMs: number;
  /** Calls that may run at the same time. */
  poolSize: number;
  /** Started workers kept ready beyond `poolSize`, to replace a terminated one at once. */
  spareWorkers: number;
  /** Calls that may wait for a worker; one more is refused with `plugin_unavailable`. */
  maxQueue: number;
}

interface Job extends WorkerJob {
  settled: boolean;
  handle: WorkerHandle | null;
  timer: NodeJS.Timeout | undefined;
  resolve(value: unknown): void;
  reject(error: RuntimeError): void;
}

/** Longest pause between attempts to start a worker after repeated failures. */
const MAX_RESPAWN_DELAY_MS = 10_000;

export class WasmPluginInstance implements PluginInstance {
  readonly #settings: PoolSettings;
  readonly #spec: WorkerSpec;
  readonly #handles = new Set<WorkerHandle>();
  readonly #running = new Map<WorkerHandle, Job>();
  #queue: Job[] = [];
  #starting = true;
  #disposed: Promise<void> | null = null;
  #restarts = 0;
  #lastError: string | undefined;
  #spawnFailures = 0;
  #respawnTimer: NodeJS.Timeout | undefined;

  /**
   * @param moduleInfo - what admission read from the module, kept so the kernel's load-time checks read it
   *   from here instead of parsing the module again
   */
  constructor(
    settings: PoolSettings,
    spec: WorkerSpec,
    readonly moduleInfo: ModuleInfo,
  ) {
    this.#settings = settings;
    this.#spec = spec;
  }

  /**
   * Starts the pool and waits until every worker is ready. A worker that cannot start (its module's start
   * function traps or loops, a thread cannot be created) fails the load with `load_failed`.
   */
  async start(): Promise<void> {
    const target = this.#settings.poolSize + this.#settings.spareWorkers;
    try {
      const handles = Array.from({ length: target }, () => this.#spawn());
      await Promise.all(handles.map((h) => h.ready));
    } catch (err) {
      await this.dispose();
      throw new RuntimeError(
        'load_failed',
        `WASM plugin "${this.#settings.pluginId}" could not be started: ${(err as Error).message}`,
        { cause: err },
      );
    }
    this.#starting = false;
  }

  invoke(
    handler: string,
    input: unknown,
    context: InvocationContext,
    options: { deadlineMs?: number } = {},
  ): Promise<unknown> {
    const { pluginId, handlers, maxQueue } = this.#settings;
    if (this.#disposed) return Promise.reject(this.#unavailable('it was stopped'));
    if (!handlers.has(handler)) {
      return Promise.reject(
        new RuntimeError('unknown_handler', `WASM plugin "${pluginId}" exports no handler "${handler}"`),
      );
    }
    let text: string;
    try {
      text = encodeInvocationInput(input, context);
    } catch (err) {
      return Promise.reject(
        new RuntimeError(
          'plugin_error',
          `WASM plugin "${pluginId}" handler "${handler}" was not called: its input is not JSON-serialisable ` +
            `(${(err as Error).message})`,
        ),
      );
    }
    const deadlineMs = options.deadlineMs ?? this.#settings.deadlineMs;
    return new Promise((resolve, reject) => {
      const job: Job = {
        handler,
        input: text,
        context,
        deadline: Date.now() + deadlineMs,
        settled: false,
        handle: null,
        timer: undefined,
        resolve,
        reject,
        settle: (outcome: JobOutcome) => this.#settle(job, outcome),
      };
      this.#queue.push(job);
      this.#pump();
      if (job.handle === null && this.#queue.length > maxQueue) {
        this.#queue.pop();
        job.settled = true;
        reject(this.#unavailable(`all its workers are busy and ${maxQueue} calls are already waiting`));
        return;
      }
      job.timer = setTimeout(() => this.#onDeadline(job, deadlineMs), deadlineMs);
    });
  }

  health(): RuntimeHealth {
    const base = { restarts: this.#restarts, ...(this.#lastError ? { lastError: this.#lastError } : {}) };
    if (this.#disposed) return { state: 'stopped', ...base };
    if (this.#starting) return { state: 'starting', ...base };
    const serving = [...this.#handles].some((h) => h.state === 'idle' || h.state === 'busy');
    return { state: serving ? 'running' : 'restarting', ...base };
  }

  dispose(): Promise<void> {
    if (!this.#disposed) this.#disposed = this.#dispose();
    return this.#disposed;
  }

  async #dispose(): Promise<void> {
    clearTimeout(this.#respawnTimer);
    const stopped = this.#unavailable('it was stopped');
    const jobs = [...this.#queue, ...this.#running.values()];
    this.#queue = [];
    this.#running.clear();
    for (const job of jobs) {
      clearTimeout(job.timer);
      this.#settle(job, { ok: false, fatal: false, error: stopped });
    }
    const handles = [...this.#handles];
    this.#handles.clear();
    await Promise.all(handles.map((h) => h.terminate()));
  }

  #unavailable(why: string): RuntimeError {
    return new RuntimeError(
      'plugin_unavailable',
      `WASM plugin "${this.#settings.pluginId}" is unavailable: ${why}`,
    );
  }

  #settle(job: Job, outcome: JobOutcome): void {
    if (job.settled) return;
    job.settled = true;
    if (outcome.ok) job.resolve(outcome.value);
    else job.reject(outcome.error);
  }

  /** Hands queued calls to idle workers while fewer than `poolSize` calls run. */
  #pump(): void {
    while (this.#queue.length > 0 && this.#running.size < this.#settings.poolSize) {
      const handle = [...this.#handles].find((h) => h.state === 'idle');
      if (!handle) return;
      const job = this.#queue.shift() as Job;
      job.handle = handle;
      this.#running.set(handle, job);
      handle.run(job);
    }
  }

  #onDeadline(job: Job, deadlineMs: number): void {
    this.#settle(job, {
      ok: false,
      fatal: false,
      error: new RuntimeError(
        'deadline_exceeded',
        `WASM plugin "${this.#settings.pluginId}" handler "${job.handler}" did not finish within ${deadlineMs} ms`,
      ),
    });
    const handle = job.handle;
    if (handle === null) {
      this.#queue = this.#queue.filter((queued) => queued !== job);
      return;
    }
    // Still running (possibly after being answered early for its host calls): stop it where it is.
    if (this.#running.get(handle) === job) {
      this.#running.delete(handle);
      this.#retire(handle, `handler "${job.handler}" ran past its deadline of ${deadlineMs} ms`);
      this.#pump();
    }
  }

  #spawn(): WorkerHandle {
    const handle = new WorkerHandle(this.#spec, {
      onReady: () => {
        this.#spawnFailures = 0;
        this.#pump();
      },
      onDone: (h, job, fatal) => this.#onDone(h, job as Job, fatal),
      onFailed: (h, error) => this.#onFailed(h, error),
    });
    this.#handles.add(handle);
    return handle;
  }

  #onDone(handle: WorkerHandle, job: Job, fatal: boolean): void {
    clearTimeout(job.timer);
    if (this.#running.get(handle) === job) this.#running.delete(handle);
    if (fatal) this.#retire(handle, `handler "${job.handler}" left its instance unusable`);
    this.#pump();
  }

  #onFailed(handle: WorkerHandle, error: Error): void {
    if (!this.#handles.delete(handle)) return;
    const job = this.#running.get(handle);
    if (job) {
      // The handle has already answered the caller; only the bookkeeping is left.
      clearTimeout(job.timer);
      this.#running.delete(handle);
    }
    this.#lastError = error.message;
    if (this.#starting) return;
    if (handle.started) this.#restarts++;
    else this.#spawnFailures++;
    this.#replenish();
    this.#pump();
  }

  /** Takes a worker out of the pool for good and starts its replacement. */
  #retire(handle: WorkerHandle, reason: string): void {
    this.#handles.delete(handle);
    this.#restarts++;
    this.#lastError = reason;
    void handle.terminate();
    this.#replenish();
  }

  /** Starts workers until the pool is at size again; after repeated start failures, with growing pauses. */
  #replenish(): void {
    if (this.#disposed || this.#respawnTimer) return;
    const spawnMissing = (): void => {
      this.#respawnTimer = undefined;
      if (this.#disposed) return;
      const target = this.#settings.poolSize + this.#settings.spareWorkers;
      for (let missing = target - this.#handles.size; missing > 0; missing--) {
        try {
          this.#spawn();
        } catch (err) {
          this.#lastError = `a worker could not be started: ${(err as Error).message}`;
          this.#spawnFailures++;
          this.#replenish();
          return;
        }
      }
    };
    if (this.#spawnFailures <= 1) {
      spawnMissing();
      return;
    }
    const delay = Math.min(MAX_RESPAWN_DELAY_MS, 100 * 2 ** (this.#spawnFailures - 2));
    this.#respawnTimer = setTimeout(spawnMissing, delay);
    this.#respawnTimer.unref();
  }
}
