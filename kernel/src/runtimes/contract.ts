/**
 * What every plugin runtime (WASM, gRPC) offers the kernel, and what the kernel offers every runtime. The
 * lifecycle and the HTTP layer only ever see this contract, so a plugin behaves the same whichever runtime
 * runs it.
 * @module
 */

/** The end user an invocation acts for; `null` for kernel-initiated work such as a cron job. */
export interface InvocationUser {
  id: number;
  login: string;
  type: 'agent' | 'customer';
  isAdmin: boolean;
  groups: string[];
}

/** Carried by every invocation and handed back with every host call it makes. */
export interface InvocationContext {
  pluginId: string;
  handler: string;
  user: InvocationUser | null;
  scopes: string[];
  locale: string;
  requestId: string;
}

export type HostCallResult =
  | { ok: true; value: unknown }
  | { ok: false; error: { code: string; message: string; details?: Record<string, unknown> } };

/** What a runtime knows about the invocation a host call belongs to, beyond its context. */
export interface HostCallInfo {
  /** When the runtime gives up on the invocation (epoch ms); work for it past then is wasted. */
  deadline?: number;
}

/**
 * The kernel side of host calls: a runtime calls it for every host function the plugin calls, with the context
 * of the invocation that made it. It never throws; a denied or failed call is an `{ok: false}` result.
 */
export type HostCallHandler = (
  fn: string,
  args: unknown,
  context: InvocationContext,
  info?: HostCallInfo,
) => Promise<HostCallResult>;

export type RuntimeErrorCode =
  /** The invocation ran past its deadline; the plugin instance was stopped or abandoned. */
  | 'deadline_exceeded'
  /** The plugin cannot take calls now (crashed, restarting, quarantined, disposed). HTTP 503. */
  | 'plugin_unavailable'
  /** The plugin's handler failed or returned something unreadable. */
  | 'plugin_error'
  /** The handler name is not exported / not served by the plugin. */
  | 'unknown_handler'
  /** The invocation made more host calls than allowed. */
  | 'host_call_limit'
  /** The module or process could not be loaded (bad imports, memory above the cap, process failed to start). */
  | 'load_failed';

/** A failure of an invocation or of loading, with a stable code; messages name the plugin and the fix. */
export class RuntimeError extends Error {
  constructor(
    readonly code: RuntimeErrorCode,
    message: string,
    options: { cause?: unknown } = {},
  ) {
    super(message, options);
    this.name = 'RuntimeError';
  }
}

export interface RuntimeHealth {
  state: 'starting' | 'running' | 'restarting' | 'quarantined' | 'stopped';
  /** OS process id of a gRPC plugin process. */
  pid?: number;
  restarts?: number;
  lastError?: string;
}

/** A loaded plugin in its runtime. */
export interface PluginInstance {
  /**
   * Runs one handler. Resolves with the handler's output (parsed JSON); rejects with a {@link RuntimeError}.
   * The deadline defaults to the instance's configured one.
   */
  invoke(
    handler: string,
    input: unknown,
    context: InvocationContext,
    options?: { deadlineMs?: number },
  ): Promise<unknown>;
  health(): RuntimeHealth;
  /** Stops the instance (workers terminated, process stopped); calls in flight fail with `plugin_unavailable`. */
  dispose(): Promise<void>;
}

/** One line a plugin logged, either through the Host API or on its stdout/stderr. */
export interface PluginLogLine {
  level: 'trace' | 'debug' | 'info' | 'warn' | 'error';
  message: string;
}
