/**
 * A gRPC plugin as the kernel sees it: a {@link PluginInstance} whose calls travel over the plugin's one stream.
 * It numbers invocations, enforces their deadlines, runs the plugin's host calls with the context of the
 * invocation that made them, and fails every call in flight at once when the process or its stream goes away.
 * @module
 */
import type { PluginMessageIn, WireHostCall, WireInvocationResult } from '@goatflow/sdk/grpc';
import {
  type HostCallHandler,
  type HostCallResult,
  type InvocationContext,
  type PluginInstance,
  type PluginLogLine,
  RuntimeError,
  type RuntimeHealth,
} from '../contract.js';
import {
  type HostServer,
  MAX_MESSAGE_BYTES,
  type PluginConnection,
  type PluginRegistration,
} from './host-server.js';
import { LogLimiter, truncate } from './log-limiter.js';
import { ProcessSupervisor, type SupervisorOptions, type SupervisorState } from './process-supervisor.js';

/** Everything an instance needs, defaults already applied (see `startGrpcPlugin` for their meaning). */
export interface GrpcInstanceOptions
  extends Omit<
    SupervisorOptions,
    'beforeStart' | 'output' | 'event' | 'onExit' | 'onStateChange' | 'socketPath'
  > {
  hostCall: HostCallHandler;
  deadlineMs: number;
  maxHostCallsPerInvocation: number;
  maxLogLinesPerSecond: number;
  log: (line: PluginLogLine) => void;
}

/** How many of the latest log lines an instance keeps for {@link GrpcPluginInstance.recentLogs}. */
const RECENT_LOG_LINES = 50;

/** Longest plugin-supplied error message passed on to callers and logs. */
const MAX_ERROR_MESSAGE = 1000;

const LOG_LEVELS = new Set<string>(['trace', 'debug', 'info', 'warn', 'error']);

interface Pending {
  handler: string;
  context: InvocationContext;
  resolve: (output: unknown) => void;
  reject: (error: RuntimeError) => void;
  timer: NodeJS.Timeout;
  hostCalls: number;
  /** When the invocation is given up (epoch ms). */
  deadline: number;
}

/**
 * A running gRPC plugin.
 *
 * Calls made while the plugin is not connected (starting, restarting after a crash, quarantined, stopped) fail
 * at once with `plugin_unavailable` rather than wait: a restart may be a backoff of up to 30 s away, and a quick
 * 503 lets the caller decide whether to retry. Readiness can be awaited explicitly with {@link whenReady}.
 */
export class GrpcPluginInstance implements PluginInstance {
  private connection: PluginConnection | null = null;
  private readonly inflight = new Map<number, Pending>();
  private nextId = 0;
  private disposed = false;
  private readonly limiter: LogLimiter;
  private readonly recent: PluginLogLine[] = [];
  private readonly supervisor: ProcessSupervisor;
  private readonly registration: PluginRegistration;
  private readonly stateListeners = new Set<(state: SupervisorState) => void>();

  /**
   * @param options - the plugin and its limits
   * @param server - the Host server its process connects to
   * @param ownsServer - close the server on dispose (it was started for this instance alone)
   */
  constructor(
    private readonly options: GrpcInstanceOptions,
    private readonly server: HostServer,
    private readonly ownsServer: boolean,
  ) {
    this.limiter = new LogLimiter({
      maxLinesPerSecond: options.maxLogLinesPerSecond,
      maxLineLength: options.maxLineLength,
      sink: (line) => this.emit(line),
    });
    this.registration = server.register(options.pluginId, {
      onConnect: (connection) => this.connected(connection),
      onRefused: (reason) => {
        this.supervisor.noteError(reason);
        this.emit({ level: 'warn', message: reason });
      },
    });
    this.supervisor = new ProcessSupervisor({
      ...options,
      socketPath: server.socketPath,
      beforeStart: (secret) => this.registration.arm(secret),
      output: (line) => this.limiter.write(line),
      event: (line) => this.emit(line),
      onExit: (reason) => this.processExited(reason),
      onStateChange: (state) => {
        for (const listener of this.stateListeners) listener(state);
      },
    });
  }

  /** Starts the plugin's process. */
  start(): void {
    this.supervisor.start();
  }

  /**
   * Resolves when the plugin is connected and serving; rejects with `load_failed` if it gets quarantined or
   * stopped first, or is not serving within `timeoutMs`.
   */
  whenReady(timeoutMs: number): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const check = (state: SupervisorState): boolean => {
        if (state === 'running') {
          done();
          resolve();
          return true;
        }
        if (state === 'quarantined' || (state === 'stopped' && this.disposed)) {
          done();
          reject(this.loadFailed(`it was ${state}`));
          return true;
        }
        return false;
      };
      const timer = setTimeout(() => {
        done();
        reject(this.loadFailed(`it was not serving within ${timeoutMs} ms`));
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        this.stateListeners.delete(check);
      };
      if (!check(this.supervisor.state)) this.stateListeners.add(check);
    });
  }

  async invoke(
    handler: string,
    input: unknown,
    context: InvocationContext,
    options: { deadlineMs?: number } = {},
  ): Promise<unknown> {
    const connection = this.connection;
    if (this.disposed || !connection) throw this.unavailable();
    if (!connection.hello.handlers.includes(handler)) {
      throw new RuntimeError(
        'unknown_handler',
        `Plugin "${this.options.pluginId}" does not serve handler "${handler}" (it serves: ${connection.hello.handlers.join(', ') || 'none'}).`,
      );
    }
    let inputJson: string;
    let contextJson: string;
    try {
      inputJson = JSON.stringify(input ?? null);
      contextJson = JSON.stringify(context);
    } catch (error) {
      throw new RuntimeError('plugin_error', `The input for "${handler}" is not JSON-serialisable.`, {
        cause: error,
      });
    }
    // Clamped to what a timer can hold; larger values would fire at once.
    const deadlineMs = Math.min(Math.max(1, options.deadlineMs ?? this.options.deadlineMs), 2 ** 31 - 1);
    const id = ++this.nextId;
    const deadline = Date.now() + deadlineMs;
    return new Promise<unknown>((resolve, reject) => {
      const timer = setTimeout(
        () =>
          this.giveUp(
            id,
            new RuntimeError(
              'deadline_exceeded',
              `Plugin "${this.options.pluginId}" did not answer "${handler}" within ${deadlineMs} ms.`,
            ),
          ),
        deadlineMs,
      );
      this.inflight.set(id, { handler, context, resolve, reject, timer, hostCalls: 0, deadline });
      connection.send({
        invocation: { id, handler, inputJson, contextJson, deadlineUnixMs: deadline },
      });
    });
  }

  health(): RuntimeHealth {
    const health: RuntimeHealth = { state: this.supervisor.state, restarts: this.supervisor.restarts };
    const pid = this.supervisor.pid;
    if (pid !== undefined) health.pid = pid;
    const lastError = this.supervisor.lastError;
    if (lastError !== undefined) health.lastError = lastError;
    return health;
  }

  /** The latest log lines (at most 50), oldest first: what an operator sees next to a quarantined plugin. */
  recentLogs(): PluginLogLine[] {
    return [...this.recent];
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    this.failAll(this.unavailable());
    this.connection = null;
    // SIGTERM first, with the stream still open, so the plugin can close it and exit cleanly; then forget it.
    await this.supervisor.stop();
    this.registration.unregister();
    this.limiter.flush();
    for (const listener of this.stateListeners) listener('stopped');
    if (this.ownsServer) await this.server.close();
  }

  private connected(connection: PluginConnection): void {
    if (this.disposed) {
      connection.close('the plugin is stopped');
      return;
    }
    this.connection = connection;
    connection.onMessage = (message) => this.received(connection, message);
    connection.onClose = (reason) => this.disconnected(connection, reason);
    const { sdkVersion, handlers } = connection.hello;
    this.emit({
      level: 'info',
      message: `connected (sdk ${sdkVersion || 'unknown'}; handlers: ${handlers.join(', ') || 'none'})`,
    });
    this.supervisor.ready();
  }

  private disconnected(connection: PluginConnection, reason: string): void {
    if (this.connection !== connection) return;
    this.connection = null;
    this.failAll(this.unavailable(reason));
    // A process without its stream cannot serve; make room for a fresh one.
    if (!this.disposed) this.supervisor.kill(`its stream ended (${reason})`);
  }

  private processExited(reason: string): void {
    this.connection?.close(reason);
    this.connection = null;
    this.failAll(this.unavailable(reason));
  }

  private received(connection: PluginConnection, message: PluginMessageIn): void {
    switch (message.kind) {
      case 'result':
        this.settle(message.result);
        return;
      case 'hostCall':
        void this.runHostCall(connection, message.hostCall);
        return;
      case 'log': {
        const level = LOG_LEVELS.has(message.log.level)
          ? (message.log.level as PluginLogLine['level'])
          : 'info';
        this.limiter.write({ level, message: message.log.message });
        return;
      }
      default:
        this.limiter.write({
          level: 'warn',
          message: `protocol: unexpected message "${message.kind ?? 'empty'}"`,
        });
    }
  }

  private settle(result: WireInvocationResult): void {
    const pending = this.take(result.id);
    if (!pending) return; // late (after its deadline) or unknown: nobody is waiting
    const { pluginId } = this.options;
    if (result.ok) {
      try {
        pending.resolve(JSON.parse(result.outputJson || 'null'));
      } catch (error) {
        pending.reject(
          new RuntimeError(
            'plugin_error',
            `Plugin "${pluginId}" returned unreadable output from "${pending.handler}".`,
            {
              cause: error,
            },
          ),
        );
      }
      return;
    }
    const code = result.error?.code ?? '';
    const message = truncate(result.error?.message || 'no message', MAX_ERROR_MESSAGE);
    pending.reject(
      code === 'unknown_handler'
        ? new RuntimeError(
            'unknown_handler',
            `Plugin "${pluginId}" does not serve "${pending.handler}": ${message}`,
          )
        : new RuntimeError(
            'plugin_error',
            `Plugin "${pluginId}" failed in "${pending.handler}"${code ? ` (${truncate(code, 100)})` : ''}: ${message}`,
          ),
    );
  }

  /** Runs one host call with the kernel's own copy of the invocation's context and writes the answer back. */
  private async runHostCall(connection: PluginConnection, call: WireHostCall): Promise<void> {
    const answer = (result: HostCallResult) => {
      let resultJson: string;
      try {
        resultJson = JSON.stringify(result);
      } catch {
        resultJson = JSON.stringify(
          failure('internal', 'the host function returned a value JSON cannot carry'),
        );
      }
      if (resultJson.length > MAX_MESSAGE_BYTES - 1024) {
        resultJson = JSON.stringify(failure('reply_too_large', 'the reply exceeds the message size limit'));
      }
      connection.send({ hostCallResult: { id: call.id, resultJson } });
    };
    const pending = this.inflight.get(call.invocationId);
    if (!pending) {
      answer(
        failure(
          'invocation_not_active',
          `invocation ${call.invocationId} is not running (it finished, timed out or never existed)`,
        ),
      );
      return;
    }
    pending.hostCalls++;
    if (pending.hostCalls > this.options.maxHostCallsPerInvocation) {
      const limit = this.options.maxHostCallsPerInvocation;
      answer(failure('host_call_limit', `an invocation may make at most ${limit} host calls`));
      this.giveUp(
        call.invocationId,
        new RuntimeError(
          'host_call_limit',
          `Plugin "${this.options.pluginId}" made more than ${limit} host calls in "${pending.handler}".`,
        ),
      );
      return;
    }
    let args: unknown;
    try {
      args = call.argsJson ? JSON.parse(call.argsJson) : null;
    } catch {
      answer(failure('invalid_argument', 'args_json is not valid JSON'));
      return;
    }
    let result: HostCallResult;
    try {
      result = await this.options.hostCall(call.fn, args, pending.context, { deadline: pending.deadline });
    } catch (error) {
      // The handler promises never to throw; if it does, the plugin still gets an answer.
      this.emit({
        level: 'error',
        message: `host call ${call.fn} failed in the kernel: ${(error as Error).message}`,
      });
      result = failure('internal', 'the host call failed in the kernel');
    }
    answer(result);
  }

  /** Fails one invocation and tells the plugin to stop working on it. */
  private giveUp(id: number, error: RuntimeError): void {
    const pending = this.take(id);
    if (!pending) return;
    pending.reject(error);
    this.connection?.send({ cancel: { id, reason: error.code } });
  }

  private take(id: number): Pending | undefined {
    const pending = this.inflight.get(id);
    if (!pending) return undefined;
    this.inflight.delete(id);
    clearTimeout(pending.timer);
    return pending;
  }

  private failAll(error: RuntimeError): void {
    const all = [...this.inflight.values()];
    this.inflight.clear();
    for (const pending of all) {
      clearTimeout(pending.timer);
      pending.reject(error);
    }
  }

  private unavailable(reason?: string): RuntimeError {
    const { pluginId } = this.options;
    if (this.disposed) return new RuntimeError('plugin_unavailable', `Plugin "${pluginId}" is stopped.`);
    const state = this.supervisor.state;
    const why = reason ?? this.supervisor.lastError;
    const advice =
      state === 'quarantined'
        ? ' Fix the plugin, then enable it again.'
        : ' It is being restarted; retry shortly.';
    return new RuntimeError(
      'plugin_unavailable',
      `Plugin "${pluginId}" is unavailable (${state === 'running' ? 'restarting' : state})${why ? `: ${why}` : ''}.${advice}`,
    );
  }

  private loadFailed(what: string): RuntimeError {
    const why = this.supervisor.lastError;
    return new RuntimeError(
      'load_failed',
      `Plugin "${this.options.pluginId}" could not be started: ${what}${why ? ` (${why})` : ''}.`,
    );
  }

  private emit(line: PluginLogLine): void {
    this.recent.push(line);
    if (this.recent.length > RECENT_LOG_LINES) this.recent.shift();
    try {
      this.options.log(line);
    } catch {
      // A failing log sink must not break the runtime.
    }
  }
}

function failure(code: string, message: string): HostCallResult {
  return { ok: false, error: { code, message } };
}
