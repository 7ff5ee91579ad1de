/**
 * The gRPC plugin runtime: a plugin runs as its own process, started and supervised by the kernel, and talks to
 * the kernel over one bidirectional stream on a unix socket (contract: `@goatflow/sdk/proto/goatflow/plugin/v1/
 * plugin.proto`; plugin side: `serve()` from `@goatflow/sdk/grpc`).
 * @module
 */
import type { HostCallHandler, PluginLogLine } from '../contract.js';
import { RuntimeError } from '../contract.js';
import { GrpcPluginInstance } from './grpc-instance.js';
import { HostServer } from './host-server.js';
import type { BackoffOptions, CrashBudgetOptions } from './restart-policy.js';

export { GrpcPluginInstance } from './grpc-instance.js';
export { HostServer, type HostServerOptions } from './host-server.js';
export type { BackoffOptions, CrashBudgetOptions } from './restart-policy.js';

/** Options of {@link startGrpcPlugin}. */
export interface StartGrpcPluginOptions {
  /** The plugin's id; its process must present it in its hello. */
  pluginId: string;
  /** argv of the plugin process, e.g. `[process.execPath, '--import', 'tsx', 'plugin.ts']`. */
  command: string[];
  /** Working directory of the process (usually the plugin's package directory). */
  cwd: string;
  /**
   * Environment for the plugin. The kernel's own environment is NOT inherited (it holds the database URL and
   * other secrets); only PATH, HOME, the temp directory variables, LANG, LC_ALL and TZ are passed on.
   */
  env?: Record<string, string>;
  /** Runs the plugin's host calls, with the context of the invocation that made each. */
  hostCall: HostCallHandler;
  /** Default deadline of an invocation. Default 5000 ms. */
  deadlineMs?: number;
  /**
   * How long a started process may take to connect before it is killed (counted as a crash), and how long
   * `startGrpcPlugin` waits for the first successful start. Default 10 000 ms.
   */
  startTimeoutMs?: number;
  /** Receives the plugin's log: its stdout (`info`), stderr (`warn`), `host.log` lines, and the kernel's notes. */
  log?: (line: PluginLogLine) => void;
  /** Lines kept per second from the plugin's output and `host.log`; the rest are counted and summarised. Default 50. */
  maxLogLinesPerSecond?: number;
  /** Longer lines are cut. Default 2000 characters. */
  maxLogLineLength?: number;
  /** Quarantine after this many crashes within the window. Default 5 within 10 minutes. */
  crashBudget?: CrashBudgetOptions;
  /** Delay before a restart: initial, doubling per consecutive crash, capped. Default 100 ms to 30 s. */
  backoff?: BackoffOptions;
  /** Between SIGTERM and SIGKILL when stopping the process. Default 2000 ms. */
  killGraceMs?: number;
  /** Host calls one invocation may make before it fails with `host_call_limit`. Default 1000. */
  maxHostCallsPerInvocation?: number;
  /**
   * A Host server shared with other plugins. Without it, one is started for this plugin alone (in
   * `socketDir`, else the OS temp directory) and closed on dispose.
   */
  hostServer?: HostServer;
  /** Where to create the socket when no `hostServer` is given, e.g. the kernel's data directory. */
  socketDir?: string;
  /**
   * Wait until the plugin serves (the default). With `false`, the instance is returned as soon as the first
   * process is spawned and `health()` tells how it goes; calls fail with `plugin_unavailable` until it serves.
   */
  waitUntilReady?: boolean;
}

/**
 * Starts a gRPC plugin: spawns its process with the socket path, its id and a one-time secret, and (by default)
 * resolves once the process has connected and said a valid hello.
 * @param options - see {@link StartGrpcPluginOptions}
 * @returns the running instance
 * @throws RuntimeError `load_failed` when the plugin is not serving within `startTimeoutMs` or is quarantined
 *   first (the message carries the last error, e.g. a refused secret or the process's last output line);
 *   the instance is disposed then
 */
export async function startGrpcPlugin(options: StartGrpcPluginOptions): Promise<GrpcPluginInstance> {
  if (options.command.length === 0 || !options.command[0]) {
    throw new RuntimeError('load_failed', `Plugin "${options.pluginId}" has no command to start.`);
  }
  const startTimeoutMs = options.startTimeoutMs ?? 10_000;
  let server = options.hostServer;
  if (!server) {
    try {
      server = await HostServer.start(options.socketDir ? { socketDir: options.socketDir } : {});
    } catch (error) {
      throw new RuntimeError(
        'load_failed',
        `The Host socket for plugin "${options.pluginId}" could not be opened.`,
        {
          cause: error,
        },
      );
    }
  }
  const instance = new GrpcPluginInstance(
    {
      pluginId: options.pluginId,
      command: options.command,
      cwd: options.cwd,
      env: options.env ?? {},
      hostCall: options.hostCall,
      deadlineMs: options.deadlineMs ?? 5000,
      startTimeoutMs,
      log: options.log ?? (() => {}),
      maxLogLinesPerSecond: options.maxLogLinesPerSecond ?? 50,
      maxLineLength: options.maxLogLineLength ?? 2000,
      crashBudget: options.crashBudget ?? { crashes: 5, windowMs: 600_000 },
      backoff: options.backoff ?? { initialMs: 100, maxMs: 30_000 },
      killGraceMs: options.killGraceMs ?? 2000,
      maxHostCallsPerInvocation: options.maxHostCallsPerInvocation ?? 1000,
    },
    server,
    !options.hostServer,
  );
  instance.start();
  if (options.waitUntilReady === false) return instance;
  try {
    await instance.whenReady(startTimeoutMs);
  } catch (error) {
    await instance.dispose();
    throw error;
  }
  return instance;
}
