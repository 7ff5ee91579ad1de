/**
 * Runs one plugin's process: starts it with the socket, its id and a new one-time secret in the environment,
 * turns its stdout and stderr into log lines, restarts it with exponential backoff when it dies, and quarantines
 * it when it has spent its crash budget. It knows nothing about gRPC; the instance tells it when the process
 * has connected ({@link ProcessSupervisor.ready}) or must go ({@link ProcessSupervisor.kill}).
 * @module
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { PLUGIN_ENV } from '@goatflow/sdk/grpc';
import type { PluginLogLine, RuntimeHealth } from '../contract.js';
import { signalGroup, terminate, track, untrack } from './child-processes.js';
import { LineSplitter, truncate } from './log-limiter.js';
import { Backoff, type BackoffOptions, CrashBudget, type CrashBudgetOptions } from './restart-policy.js';

/** The supervisor's state; the same words as {@link RuntimeHealth.state}. */
export type SupervisorState = RuntimeHealth['state'];

/**
 * Variables a plugin inherits from the kernel's environment. Nothing else is passed on: the kernel's own
 * environment holds the database URL and other secrets, which are none of a plugin's business. A plugin that
 * needs more gets it through the `env` option.
 */
const INHERITED_ENV = ['PATH', 'HOME', 'TMPDIR', 'TEMP', 'TMP', 'LANG', 'LC_ALL', 'TZ', 'SYSTEMROOT'];

/** A process that stayed connected this long earns a fresh backoff when it next dies. */
const STABLE_RUN_MS = 60_000;

/** After its stream ends, a process gets this long to exit by itself before it is terminated. */
const LINGER_MS = 500;

/** What the supervisor needs. */
export interface SupervisorOptions {
  pluginId: string;
  /** argv of the plugin process, e.g. `[process.execPath, '--import', 'tsx', 'plugin.ts']`. */
  command: string[];
  cwd: string;
  /** Extra environment for the plugin (on top of the few inherited variables). */
  env: Record<string, string>;
  /** The Host server's socket, passed as `GOATFLOW_HOST_SOCKET`. */
  socketPath: string;
  /** A started process that has not connected within this time is killed (and counts as a crash). */
  startTimeoutMs: number;
  backoff: BackoffOptions;
  crashBudget: CrashBudgetOptions;
  /** Between SIGTERM and SIGKILL. */
  killGraceMs: number;
  /** Longest output line kept (longer ones are cut by the log limiter; the splitter holds no more). */
  maxLineLength: number;
  /** Called with the new secret right before each start, to arm the Host server for it. */
  beforeStart(secret: string): void;
  /** A line of the process's output: stdout as `info`, stderr as `warn`. */
  output(line: PluginLogLine): void;
  /** A line the kernel writes about the process (started, exited, restarting, quarantined). */
  event(line: PluginLogLine): void;
  /** The process has exited (any reason); `reason` is for people. */
  onExit(reason: string): void;
  /** Every change of state. */
  onStateChange(state: SupervisorState): void;
}

/** Supervises the process of one plugin. */
export class ProcessSupervisor {
  private current: SupervisorState = 'stopped';
  private child: ChildProcess | null = null;
  private restartCount = 0;
  private error: string | undefined;
  private readonly backoff: Backoff;
  private readonly budget: CrashBudget;
  private restartTimer: NodeJS.Timeout | undefined;
  private startTimer: NodeJS.Timeout | undefined;
  private lingerTimer: NodeJS.Timeout | undefined;
  private connectedSince: number | null = null;
  /** Why the kernel killed the current process, if it did; prefixes the exit reason. */
  private killReason: string | null = null;
  private lastOutput: string | undefined;
  /** A problem noted while the current process lived (a refused hello); explains its exit. */
  private note: string | undefined;
  private stopping = false;

  constructor(private readonly options: SupervisorOptions) {
    this.backoff = new Backoff(options.backoff);
    this.budget = new CrashBudget(options.crashBudget);
  }

  get state(): SupervisorState {
    return this.current;
  }

  /** The running process's id, if one is running. */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** How many times the process was started again after dying. */
  get restarts(): number {
    return this.restartCount;
  }

  /** Why the process last died or was refused, for the operator. */
  get lastError(): string | undefined {
    return this.error;
  }

  /** Starts the first process. */
  start(): void {
    if (this.child || this.stopping || this.current !== 'stopped') return;
    this.setState('starting');
    this.spawnProcess();
  }

  /** The process has connected and said a valid hello: it is serving. */
  ready(): void {
    if (!this.child) return;
    clearTimeout(this.startTimer);
    this.connectedSince = Date.now();
    this.setState('running');
  }

  /** Records a problem that did not (yet) kill the process, such as a refused connection. */
  noteError(message: string): void {
    this.error = message;
    this.note = message;
  }

  /**
   * The process is of no use any more (its stream ended): stop taking calls now, and terminate it unless it
   * exits by itself shortly. Its exit counts as a crash.
   */
  kill(reason: string): void {
    const child = this.child;
    if (!child || this.stopping) return;
    if (this.current === 'running' || this.current === 'starting') this.setState('restarting');
    clearTimeout(this.lingerTimer);
    this.lingerTimer = setTimeout(() => {
      if (this.child !== child) return;
      this.killReason = reason;
      void terminate(child, this.options.killGraceMs);
    }, LINGER_MS);
  }

  /** Stops the process (SIGTERM, then SIGKILL after the grace) and never restarts it. */
  async stop(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.restartTimer);
    clearTimeout(this.startTimer);
    clearTimeout(this.lingerTimer);
    const child = this.child;
    if (child) await terminate(child, this.options.killGraceMs);
    this.setState('stopped');
  }

  private spawnProcess(): void {
    const secret = randomBytes(32).toString('base64url');
    this.options.beforeStart(secret);
    const [file, ...args] = this.options.command;
    if (!existsSync(this.options.cwd)) {
      // spawn would report this as ENOENT of the executable, which sends the operator looking in the wrong place.
      this.exited(null, `could not start ${file}: its working directory ${this.options.cwd} does not exist`);
      return;
    }
    let child: ChildProcess;
    try {
      child = spawn(file!, args, {
        cwd: this.options.cwd,
        env: this.environment(secret),
        stdio: ['ignore', 'pipe', 'pipe'],
        // Its own process group, so that a signal reaches the plugin's own children too.
        detached: true,
      });
    } catch (error) {
      // Synchronous spawn failures (bad arguments); missing executables arrive as an 'error' event below.
      this.exited(null, `could not start ${file}: ${(error as Error).message}`);
      return;
    }
    this.child = child;
    this.lastOutput = undefined;
    this.note = undefined;
    if (child.pid !== undefined) track(child);
    this.pipeOutput(child, 'stdout', 'info');
    this.pipeOutput(child, 'stderr', 'warn');
    let finished = false;
    const finish = (description: string) => {
      if (finished) return;
      finished = true;
      this.exited(child, description);
    };
    // 'on', not 'once': an unhandled second 'error' (a failed kill) would throw in the kernel.
    child.on('error', (error) => {
      if (child.pid === undefined) finish(`could not start ${file}: ${error.message}`);
    });
    child.once('exit', (code, signal) =>
      finish(signal ? `the process was killed by ${signal}` : `the process exited with code ${code}`),
    );
    if (child.pid !== undefined) {
      this.options.event({ level: 'info', message: `started process ${child.pid}` });
      this.startTimer = setTimeout(() => {
        if (this.child !== child) return;
        this.killReason = `it did not connect within ${this.options.startTimeoutMs} ms`;
        void terminate(child, this.options.killGraceMs);
      }, this.options.startTimeoutMs);
    }
  }

  private environment(secret: string): Record<string, string> {
    const env: Record<string, string> = {};
    for (const name of INHERITED_ENV) {
      const value = process.env[name];
      if (value !== undefined) env[name] = value;
    }
    Object.assign(env, this.options.env);
    env[PLUGIN_ENV.socket] = this.options.socketPath;
    env[PLUGIN_ENV.pluginId] = this.options.pluginId;
    env[PLUGIN_ENV.secret] = secret;
    return env;
  }

  private pipeOutput(child: ChildProcess, name: 'stdout' | 'stderr', level: PluginLogLine['level']): void {
    const stream = child[name];
    if (!stream) return;
    stream.setEncoding('utf8');
    const splitter = new LineSplitter(this.options.maxLineLength, (message) => {
      if (name === 'stderr' || this.lastOutput === undefined) this.lastOutput = message;
      this.options.output({ level, message });
    });
    stream.on('data', (chunk: string) => splitter.push(chunk));
    stream.on('end', () => splitter.end());
    stream.on('error', () => {});
  }

  private exited(child: ChildProcess | null, description: string): void {
    if (child && this.child !== child) return;
    this.child = null;
    if (child) {
      untrack(child);
      // Whatever the plugin started must not outlive it.
      signalGroup(child, 'SIGKILL');
    }
    clearTimeout(this.startTimer);
    clearTimeout(this.lingerTimer);
    const reason = [this.note, this.killReason, description].filter(Boolean).join('; ');
    this.killReason = null;
    this.note = undefined;
    const wasConnectedFor = this.connectedSince === null ? 0 : Date.now() - this.connectedSince;
    this.connectedSince = null;
    this.options.onExit(reason);
    if (this.stopping) {
      this.options.event({ level: 'info', message: `stopped: ${reason}` });
      this.setState('stopped');
      return;
    }

    const detail = this.lastOutput ? ` (last output: ${truncate(this.lastOutput, 300)})` : '';
    this.error = `${reason}${detail}`;
    if (wasConnectedFor >= STABLE_RUN_MS) this.backoff.reset();
    const { crashes, windowMs } = this.options.crashBudget;
    if (this.budget.record(Date.now())) {
      this.error = `quarantined after ${crashes} crashes within ${Math.round(windowMs / 1000)} s; last: ${this.error}`;
      this.options.event({ level: 'error', message: `${this.error}. Fix the plugin, then enable it again.` });
      this.setState('quarantined');
      return;
    }
    const delay = this.backoff.next();
    this.options.event({ level: 'warn', message: `${this.error}; restarting in ${delay} ms` });
    this.setState('restarting');
    this.restartTimer = setTimeout(() => {
      this.restartCount++;
      this.spawnProcess();
    }, delay);
  }

  private setState(state: SupervisorState): void {
    if (this.current === state) return;
    this.current = state;
    this.options.onStateChange(state);
  }
}
