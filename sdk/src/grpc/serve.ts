/**
 * `serve()`: the plugin side of the gRPC runtime. It dials the kernel's Host service on the socket the kernel
 * passed in the environment, says hello with the one-time secret, runs invocations concurrently, carries the
 * handlers' host calls, and exits when the kernel goes away or asks it to stop.
 * @module
 */
import { type ChannelOptions, type ClientDuplexStream, credentials, type ServiceError } from '@grpc/grpc-js';
import { type DefinedPlugin, isDefinedPlugin } from '../define/define-plugin.js';
import { SDK_VERSION } from '../version.js';
import { Cancellation } from './cancellation.js';
import { pluginHandlers } from './plugin-handlers.js';
import { hostClientConstructor } from './proto.js';
import { type Handler, type Host, HostCallError, type LogLevel, type PluginContext } from './types.js';
import {
  type KernelMessageIn,
  PLUGIN_ENV,
  type PluginMessageOut,
  type WireCancel,
  type WireHostCallResult,
  type WireInvocation,
} from './wire.js';

export { SDK_VERSION } from '../version.js';

/**
 * Channel settings for a local socket. A fresh, private subchannel pool makes a restarted plugin connect at
 * once instead of inheriting a shared subchannel's reconnect backoff; messages may be as large as the kernel
 * accepts (16 MiB); keepalive is left to the kernel, which pings to detect a plugin whose event loop is stuck.
 */
const CHANNEL_OPTIONS: ChannelOptions = {
  'grpc.use_local_subchannel_pool': 1,
  'grpc.max_receive_message_length': 16 * 1024 * 1024,
  'grpc.max_send_message_length': 16 * 1024 * 1024,
  'grpc.enable_retries': 0,
  'grpc.initial_reconnect_backoff_ms': 100,
  'grpc.max_reconnect_backoff_ms': 1000,
};

/** What {@link serve} needs. */
export interface ServeOptions {
  /** The handlers by name; the names are announced to the kernel in the hello. */
  handlers: Record<string, Handler>;
  /**
   * Exit the process when the stream to the kernel ends (the default): the kernel restarts the plugin with a
   * fresh secret, so a plugin must never linger without its kernel. Set to `false` only in tests.
   */
  exitOnDisconnect?: boolean;
  /** Where to read the `GOATFLOW_*` variables; defaults to `process.env`. */
  env?: Record<string, string | undefined>;
}

/** A running plugin server. */
export interface PluginServer {
  /** Ends the stream to the kernel and releases the connection; in-flight handlers are aborted. */
  close(): Promise<void>;
  /** Resolves when the stream to the kernel has ended, for whatever reason. */
  readonly closed: Promise<void>;
}

type Stream = ClientDuplexStream<PluginMessageOut, KernelMessageIn>;

interface PendingHostCall {
  fn: string;
  resolve: (value: unknown) => void;
  reject: (error: HostCallError) => void;
}

/**
 * Connects this process to the GoatFlow kernel that started it and serves the plugin. Resolves once the kernel
 * has accepted the hello. Installs SIGTERM and SIGINT handlers that close the stream and exit with 0.
 *
 * Give it the plugin made by `definePlugin` (the usual way: requests are validated against the routes' schemas
 * and handlers get the typed `ctx.host`), or raw named handlers for low-level use.
 * @param plugin - the plugin definition, or the raw handlers with options
 * @param options - how to behave on disconnect and where to read the environment (with a definition)
 * @throws Error when the process was not started by the kernel (the `GOATFLOW_*` variables are missing), or a
 *   definition lacks a handler
 * @example
 * ```ts
 * import { serve } from '@goatflow/sdk/grpc';
 * import plugin from './plugin.js';
 * await serve(plugin);
 * ```
 */
export function serve(
  plugin: DefinedPlugin | ServeOptions,
  options: Omit<ServeOptions, 'handlers'> = {},
): Promise<PluginServer> {
  if (isDefinedPlugin(plugin)) return serveHandlers({ ...options, handlers: pluginHandlers(plugin) });
  return serveHandlers(plugin);
}

function serveHandlers(options: ServeOptions): Promise<PluginServer> {
  const env = options.env ?? process.env;
  const socket = env[PLUGIN_ENV.socket];
  const pluginId = env[PLUGIN_ENV.pluginId];
  const secret = env[PLUGIN_ENV.secret];
  if (!socket || !pluginId || !secret) {
    throw new Error(
      `serve() needs ${PLUGIN_ENV.socket}, ${PLUGIN_ENV.pluginId} and ${PLUGIN_ENV.secret}: a gRPC plugin is ` +
        'started by the GoatFlow kernel (or the SDK test harness), not run on its own.',
    );
  }
  // The secret is needed exactly once; dropping it keeps it out of anything that dumps the environment.
  delete process.env[PLUGIN_ENV.secret];
  return new Connection(socket, pluginId, secret, options).start();
}

/** One stream to the kernel and everything that runs on it. */
class Connection {
  private readonly client;
  private stream!: Stream;
  private open = true;
  private closing = false;
  private nextHostCallId = 0;
  private readonly hostCalls = new Map<number, PendingHostCall>();
  private readonly running = new Map<number, Cancellation>();
  private resolveClosed!: () => void;
  private readonly closed = new Promise<void>((resolve) => {
    this.resolveClosed = resolve;
  });

  constructor(
    socket: string,
    private readonly pluginId: string,
    private readonly secret: string,
    private readonly options: ServeOptions,
  ) {
    const Client = hostClientConstructor();
    this.client = new Client(`unix:${socket}`, credentials.createInsecure(), CHANNEL_OPTIONS);
  }

  start(): Promise<PluginServer> {
    return new Promise<PluginServer>((resolve, reject) => {
      let welcomed = false;
      const server: PluginServer = { close: () => this.close(), closed: this.closed };
      this.stream = (this.client as unknown as { Connect(): Stream }).Connect();
      this.stream.on('data', (message: KernelMessageIn) => {
        if (message.kind === 'welcome') {
          welcomed = true;
          resolve(server);
        } else if (message.kind === 'invocation') this.invoke(message.invocation);
        else if (message.kind === 'hostCallResult') this.settleHostCall(message.hostCallResult);
        else if (message.kind === 'cancel') this.cancel(message.cancel);
      });
      this.stream.on('error', (error: ServiceError) => {
        // The stream always ends after an error; 'close' below does the rest.
        if (!welcomed) reject(error);
        if (!this.closing) {
          process.stderr.write(
            `[goatflow-sdk] stream to the kernel failed: ${error.code} ${error.details}\n`,
          );
        }
      });
      this.stream.on('end', () => this.onStreamGone());
      this.stream.on('close', () => this.onStreamGone());
      this.send({
        hello: {
          pluginId: this.pluginId,
          secret: this.secret,
          sdkVersion: SDK_VERSION,
          handlers: Object.keys(this.options.handlers),
        },
      });
      const stop = () => {
        void this.close().then(() => process.exit(0));
      };
      process.once('SIGTERM', stop);
      process.once('SIGINT', stop);
    });
  }

  private send(message: PluginMessageOut): void {
    if (this.open) this.stream.write(message);
  }

  private invoke(invocation: WireInvocation): void {
    const { id, handler: name } = invocation;
    const handler = Object.hasOwn(this.options.handlers, name) ? this.options.handlers[name] : undefined;
    if (!handler) {
      this.send({
        result: { id, ok: false, error: { code: 'unknown_handler', message: `no handler "${name}"` } },
      });
      return;
    }
    const cancellation = new Cancellation();
    this.running.set(id, cancellation);
    const succeed = (output: unknown) => {
      this.running.delete(id);
      if (cancellation.aborted) return;
      let outputJson: string | undefined;
      try {
        outputJson = JSON.stringify(output);
      } catch (e) {
        const message = `output is not JSON-serialisable: ${(e as Error).message}`;
        this.send({ result: { id, ok: false, error: { code: 'invalid_output', message } } });
        return;
      }
      this.send({ result: { id, ok: true, outputJson: outputJson ?? 'null' } });
    };
    const fail = (error: unknown) => {
      this.running.delete(id);
      if (cancellation.aborted) return;
      const message = error instanceof Error ? error.message : String(error);
      this.send({ result: { id, ok: false, error: { code: 'handler_error', message } } });
    };
    // The handler starts once the message that carried the invocation has been handled (in a microtask: a
    // host call written from inside the stream's 'data' event was measured to be slower); a malformed payload
    // or a throw fails this invocation, not the process.
    queueMicrotask(() => {
      let output: unknown;
      try {
        const context: PluginContext = {
          ...JSON.parse(invocation.contextJson || '{}'),
          deadline: invocation.deadlineUnixMs,
          // Most handlers never look at it, and an AbortController is not free: made on first use.
          get signal() {
            return cancellation.signal;
          },
          invocationId: id,
        };
        const input: unknown = invocation.inputJson ? JSON.parse(invocation.inputJson) : null;
        output = handler(input, context, this.hostFor(id));
      } catch (error) {
        fail(error);
        return;
      }
      // Promise.resolve hands back a native promise as it is, and makes any other thenable settle only once.
      if (isPromiseLike(output)) Promise.resolve(output).then(succeed, fail);
      else succeed(output);
    });
  }

  /** The host client handed to one invocation: every call names that invocation. */
  private hostFor(invocationId: number): Host {
    return {
      call: <T>(fn: string, args?: unknown): Promise<T> =>
        new Promise<unknown>((resolve, reject) => {
          if (!this.open) {
            reject(new HostCallError('disconnected', 'the stream to the kernel is closed', fn));
            return;
          }
          const argsJson = JSON.stringify(args ?? null);
          const id = ++this.nextHostCallId;
          this.hostCalls.set(id, { fn, resolve, reject });
          this.send({ hostCall: { id, invocationId, fn, argsJson } });
        }) as Promise<T>,
      log: (level: LogLevel, message: string) => {
        this.send({ log: { level, message: String(message) } });
      },
    };
  }

  private settleHostCall(reply: WireHostCallResult): void {
    const pending = this.hostCalls.get(reply.id);
    if (!pending) return;
    this.hostCalls.delete(reply.id);
    let result: {
      ok?: unknown;
      value?: unknown;
      error?: { code?: unknown; message?: unknown; details?: unknown };
    };
    try {
      result = JSON.parse(reply.resultJson);
    } catch {
      pending.reject(new HostCallError('invalid_reply', 'the kernel sent an unreadable reply', pending.fn));
      return;
    }
    if (result?.ok === true) pending.resolve(result.value);
    else {
      const code = typeof result?.error?.code === 'string' ? result.error.code : 'host_call_failed';
      const message = typeof result?.error?.message === 'string' ? result.error.message : 'host call failed';
      const details = result?.error?.details;
      pending.reject(
        details && typeof details === 'object' && !Array.isArray(details)
          ? new HostCallError(code, message, pending.fn, details as Record<string, unknown>)
          : new HostCallError(code, message, pending.fn),
      );
    }
  }

  private cancel(cancel: WireCancel): void {
    this.running.get(cancel.id)?.abort(new Error(`cancelled by the kernel: ${cancel.reason}`));
    this.running.delete(cancel.id);
  }

  private onStreamGone(): void {
    if (!this.open) return;
    this.open = false;
    for (const cancellation of this.running.values())
      cancellation.abort(new Error('disconnected from the kernel'));
    this.running.clear();
    for (const pending of this.hostCalls.values()) {
      pending.reject(new HostCallError('disconnected', 'the stream to the kernel is closed', pending.fn));
    }
    this.hostCalls.clear();
    this.client.close();
    this.resolveClosed();
    if (!this.closing && this.options.exitOnDisconnect !== false) {
      // Without its kernel a plugin is useless; exiting lets the kernel's supervisor start a fresh process.
      process.stderr.write('[goatflow-sdk] disconnected from the kernel; exiting\n');
      process.exit(1);
    }
  }

  async close(): Promise<void> {
    if (this.open && !this.closing) {
      this.closing = true;
      this.stream.end();
      // Give the kernel a moment to see the half-close, then drop the connection regardless.
      await Promise.race([this.closed, new Promise((r) => setTimeout(r, 500).unref())]);
      this.stream.cancel();
      this.onStreamGone();
    }
    await this.closed;
  }
}

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return (
    value !== null &&
    (typeof value === 'object' || typeof value === 'function') &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}
