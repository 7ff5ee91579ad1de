/**
 * The gRPC plugin runtime with real plugin processes (the fixtures in tests/fixtures/grpc, written with
 * `serve` from `@goatflow/sdk/grpc`) and a real host-call handler: invocations and their context, host calls
 * bound to the invocation that made them, crashes, hangs, floods, quarantine, a forged secret, and disposal.
 *
 * Only one timing is asserted: a crash fails the call in flight in under a second (the acceptance).
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  type GrpcPluginInstance,
  type HostCallResult,
  type InvocationContext,
  type PluginLogLine,
  RuntimeError,
  type StartGrpcPluginOptions,
  startGrpcPlugin,
} from '@goatflow/kernel';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/grpc/${name}.ts`, import.meta.url));

interface RecordedHostCall {
  fn: string;
  args: unknown;
  context: InvocationContext;
}

/** A real host-call handler: records every call and answers like the kernel would. */
function recordingHost() {
  const calls: RecordedHostCall[] = [];
  const hostCall = async (fn: string, args: unknown, context: InvocationContext): Promise<HostCallResult> => {
    calls.push({ fn, args, context });
    if (fn === 'test.refuse')
      return { ok: false, error: { code: 'permission_denied', message: 'not granted' } };
    return { ok: true, value: { fn, args, userId: context.user?.id ?? null } };
  };
  return { calls, hostCall };
}

function context(pluginId: string, handler: string, userId = 7): InvocationContext {
  return {
    pluginId,
    handler,
    user: { id: userId, login: `user${userId}`, type: 'agent', isAdmin: false, groups: ['users'] },
    scopes: ['tickets:read'],
    locale: 'de',
    requestId: `req-${userId}-${handler}`,
  };
}

const started: GrpcPluginInstance[] = [];

async function start(
  name: string,
  options: Partial<StartGrpcPluginOptions> = {},
): Promise<{ instance: GrpcPluginInstance; logs: PluginLogLine[]; calls: RecordedHostCall[] }> {
  const logs: PluginLogLine[] = [];
  const { calls, hostCall } = recordingHost();
  const instance = await startGrpcPlugin({
    pluginId: name,
    command: [process.execPath, '--import', 'tsx', fixture(name)],
    cwd: REPO,
    hostCall,
    // Two cores shared with other suites: starting node + tsx can be slow.
    startTimeoutMs: 30_000,
    log: (line) => logs.push(line),
    ...options,
  });
  started.push(instance);
  return { instance, logs, calls };
}

/** Polls `condition` every 50 ms until it holds, or fails after `timeoutMs`. */
async function until(condition: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > end) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function failure(promise: Promise<unknown>): Promise<RuntimeError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(RuntimeError);
    return error as RuntimeError;
  }
  throw new Error('expected the call to fail');
}

/** Whether a process exists and is not a zombie (an orphan's exit is reaped by whatever runs as PID 1). */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    // The state follows the parenthesised command name in /proc/<pid>/stat; Z is a zombie.
    return !/\) Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return true;
  }
}

afterAll(async () => {
  await Promise.all(started.map((instance) => instance.dispose()));
});

describe('echo', () => {
  let echo: Awaited<ReturnType<typeof start>>;
  beforeAll(async () => {
    echo = await start('echo', { maxHostCallsPerInvocation: 10 });
  });
  afterEach(() => {
    echo.calls.length = 0;
  });

  it('is running with a pid, and answers with its input and the invocation context', async () => {
    const health = echo.instance.health();
    expect(health.state).toBe('running');
    expect(health.pid).toBeTypeOf('number');
    const ctx = context('echo', 'echo', 42);
    const output = await echo.instance.invoke('echo', { text: 'grüß dich', n: [1, 2] }, ctx);
    expect(output).toEqual({ input: { text: 'grüß dich', n: [1, 2] }, context: ctx, deadlineInFuture: true });
  });

  it('makes no host call when asked for none', async () => {
    expect(await echo.instance.invoke('hostCalls', { n: 0 }, context('echo', 'hostCalls'))).toEqual([]);
    expect(echo.calls).toEqual([]);
  });

  it('runs one host call with the context of the invocation that made it', async () => {
    const ctx = context('echo', 'hostCalls', 99);
    const output = await echo.instance.invoke('hostCalls', { n: 1 }, ctx);
    expect(output).toEqual([{ fn: 'test.echo', args: { i: 0, tag: null }, userId: 99 }]);
    expect(echo.calls).toHaveLength(1);
    expect(echo.calls[0]!.context).toEqual(ctx);
  });

  it('binds each host call to its own invocation when many run at once', async () => {
    const users = [1, 2, 3, 4, 5, 6, 7, 8];
    const outputs = await Promise.all(
      users.map((id) =>
        echo.instance.invoke('hostCalls', { n: 3, tag: id }, context('echo', 'hostCalls', id)),
      ),
    );
    for (const [index, id] of users.entries()) {
      expect(outputs[index]).toEqual(
        [0, 1, 2].map((i) => ({ fn: 'test.echo', args: { i, tag: id }, userId: id })),
      );
    }
    expect(echo.calls).toHaveLength(24);
    for (const call of echo.calls) expect(call.context.user!.id).toBe((call.args as { tag: number }).tag);
  });

  it('hands a refused host call to the plugin as a HostCallError with its code', async () => {
    expect(await echo.instance.invoke('hostCallError', null, context('echo', 'hostCallError'))).toEqual({
      code: 'permission_denied',
      message: 'not granted',
      fn: 'test.refuse',
    });
  });

  it('fails an invocation that makes more host calls than allowed with host_call_limit', async () => {
    const error = await failure(echo.instance.invoke('hostCalls', { n: 11 }, context('echo', 'hostCalls')));
    expect(error.code).toBe('host_call_limit');
    expect(echo.calls).toHaveLength(10);
  });

  it('reports a throwing handler as plugin_error and an unserved handler as unknown_handler', async () => {
    const failed = await failure(echo.instance.invoke('fail', null, context('echo', 'fail')));
    expect(failed.code).toBe('plugin_error');
    expect(failed.message).toContain('this handler always fails');
    const unknown = await failure(echo.instance.invoke('nope', null, context('echo', 'nope')));
    expect(unknown.code).toBe('unknown_handler');
    // Neither took the plugin down.
    expect(await echo.instance.invoke('ping', null, context('echo', 'ping'))).toBe('pong');
  });
});

describe('crashy', () => {
  it('fails the calls in flight at once when the process dies, restarts it, and serves again', async () => {
    const { instance, logs } = await start('crashy');
    const firstPid = instance.health().pid!;
    const slow = failure(instance.invoke('slow', null, context('crashy', 'slow')));

    const before = performance.now();
    const crashed = await failure(instance.invoke('crash', null, context('crashy', 'crash')));
    const elapsed = performance.now() - before;
    expect(crashed.code).toBe('plugin_unavailable');
    expect(elapsed).toBeLessThan(1000);
    expect((await slow).code).toBe('plugin_unavailable');

    await until(() => instance.health().state === 'running', 'crashy is running again');
    const health = instance.health();
    expect(health.restarts).toBe(1);
    expect(health.pid).not.toBe(firstPid);
    expect(health.lastError).toMatch(/exited with code 3/);
    expect(isAlive(firstPid)).toBe(false);
    expect(await instance.invoke('ping', null, context('crashy', 'ping'))).toBe('pong');
    expect(logs.some((l) => l.level === 'warn' && /restarting in \d+ ms/.test(l.message))).toBe(true);
  });

  it('fails calls made while the plugin restarts at once with plugin_unavailable', async () => {
    const { instance } = await start('crashy', {
      pluginId: 'crashy-2',
      backoff: { initialMs: 2000, maxMs: 2000 },
    });
    await failure(instance.invoke('crash', null, context('crashy-2', 'crash')));
    expect(instance.health().state).toBe('restarting');
    const error = await failure(instance.invoke('ping', null, context('crashy-2', 'ping')));
    expect(error.code).toBe('plugin_unavailable');
    expect(error.message).toContain('crashy-2');
  });
});

describe('hang', () => {
  let hang: Awaited<ReturnType<typeof start>>;
  beforeAll(async () => {
    hang = await start('hang');
  });

  it('fails a call past its deadline with deadline_exceeded while other calls still work', async () => {
    const [hung, pong] = await Promise.all([
      failure(hang.instance.invoke('hang', null, context('hang', 'hang'), { deadlineMs: 300 })),
      hang.instance.invoke('ping', null, context('hang', 'ping')),
    ]);
    expect(hung.code).toBe('deadline_exceeded');
    expect(pong).toBe('pong');
    expect(hang.instance.health()).toMatchObject({ state: 'running', restarts: 0 });
  });

  it('refuses host calls for an invocation that is no longer running', async () => {
    const late = await failure(
      hang.instance.invoke('late', null, context('hang', 'late'), { deadlineMs: 300 }),
    );
    expect(late.code).toBe('deadline_exceeded');
    await until(
      () => hang.logs.some((l) => l.message.startsWith('late host call:')),
      'the late host call is logged',
    );
    expect(hang.logs.find((l) => l.message.startsWith('late host call:'))!.message).toBe(
      'late host call: invocation_not_active',
    );
    expect(hang.calls).toEqual([]);
  });
});

describe('flood-log', () => {
  it('keeps a bounded number of log lines, accounts for the rest, and stays responsive', async () => {
    const maxLogLinesPerSecond = 20;
    const { instance, logs } = await start('flood-log', { maxLogLinesPerSecond, maxLogLineLength: 500 });
    const echo = await start('echo', { pluginId: 'echo-beside-flood' });
    const lines = 3000;
    const hostLines = 500;

    const [flooded, beside] = await Promise.all([
      instance.invoke('flood', { lines, hostLines }, context('flood-log', 'flood'), { deadlineMs: 60_000 }),
      echo.instance.invoke('ping', null, context('echo-beside-flood', 'ping')),
    ]);
    const written = lines * 2 + 1 + hostLines;
    expect(flooded).toEqual({ written });
    expect(beside).toBe('pong');

    const floodLines = () => logs.filter((l) => l.message.startsWith('flood '));
    const summaries = () => logs.filter((l) => /^\d+ log lines dropped/.test(l.message));
    const dropped = () => summaries().reduce((sum, l) => sum + Number.parseInt(l.message, 10), 0);
    // Every line the plugin wrote is either kept or counted in a summary (summaries come once per second).
    await until(() => floodLines().length + dropped() >= written, 'every flood line is kept or counted');

    const kept = floodLines().length;
    expect(summaries().length).toBeGreaterThan(0);
    expect(kept).toBeLessThanOrEqual(maxLogLinesPerSecond * (summaries().length + 1));
    expect(kept).toBeLessThan(written / 10);
    for (const line of logs) expect(line.message.length).toBeLessThanOrEqual(500 + 20);
    expect(summaries().every((l) => l.level === 'warn')).toBe(true);

    expect(await instance.invoke('ping', null, context('flood-log', 'ping'))).toBe('pong');
    expect(instance.health()).toMatchObject({ state: 'running', restarts: 0 });
  });
});

describe('always-crash', () => {
  it('is quarantined after five crashes, fails calls with plugin_unavailable, and is not restarted again', async () => {
    const { instance, logs } = await start('always-crash', {
      waitUntilReady: false,
      backoff: { initialMs: 10, maxMs: 50 },
    });
    await until(() => instance.health().state === 'quarantined', 'always-crash is quarantined', 60_000);
    const health = instance.health();
    expect(health.restarts).toBe(4);
    expect(health.pid).toBeUndefined();
    expect(health.lastError).toMatch(/quarantined after 5 crashes/);
    expect(health.lastError).toContain('always-crash: cannot start, giving up');
    expect(logs.filter((l) => l.message.startsWith('started process'))).toHaveLength(5);

    const error = await failure(instance.invoke('ping', null, context('always-crash', 'ping')));
    expect(error.code).toBe('plugin_unavailable');
    expect(error.message).toContain('quarantined');

    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(instance.health()).toMatchObject({ state: 'quarantined', restarts: 4 });
    expect(logs.filter((l) => l.message.startsWith('started process'))).toHaveLength(5);
  }, 120_000);
});

describe('bad-secret', () => {
  it('has its stream refused and never becomes running; the start fails with the reason', async () => {
    const logs: PluginLogLine[] = [];
    const error = await failure(
      start('bad-secret', {
        // Long enough for the first refusal even on a loaded machine; the crash budget usually ends it sooner.
        startTimeoutMs: 20_000,
        backoff: { initialMs: 50, maxMs: 200 },
        log: (line) => logs.push(line),
      }),
    );
    expect(error.code).toBe('load_failed');
    expect(error.message).toContain('wrong secret');
    expect(logs.some((l) => l.message.includes('refused: wrong secret'))).toBe(true);
    // The plugin itself was told UNAUTHENTICATED (16) and learned nothing more.
    expect(
      logs.some((l) => l.message.includes('stream to the kernel failed: 16 authentication failed')),
    ).toBe(true);
    expect(logs.some((l) => l.message.startsWith('connected'))).toBe(false);
    const pids = logs.flatMap((l) => /^started process (\d+)/.exec(l.message)?.[1] ?? []).map(Number);
    expect(pids.length).toBeGreaterThan(0);
    for (const pid of pids) expect(isAlive(pid)).toBe(false);
  });
});

describe('dispose', () => {
  it('kills the process and fails calls in flight and later calls with plugin_unavailable', async () => {
    const { instance, logs } = await start('hang', { pluginId: 'hang-dispose' });
    const pid = instance.health().pid!;
    expect(isAlive(pid)).toBe(true);
    const inFlight = failure(instance.invoke('hang', null, context('hang-dispose', 'hang')));

    await instance.dispose();
    expect((await inFlight).code).toBe('plugin_unavailable');
    expect(isAlive(pid)).toBe(false);
    expect(instance.health()).toMatchObject({ state: 'stopped' });
    expect(instance.health().pid).toBeUndefined();
    // SIGTERM let the SDK close its stream and exit cleanly.
    expect(logs.some((l) => l.message === 'stopped: the process exited with code 0')).toBe(true);

    const later = await failure(instance.invoke('ping', null, context('hang-dispose', 'ping')));
    expect(later.code).toBe('plugin_unavailable');
  });
});

describe('the kernel process going away', () => {
  /** Starts a stand-in kernel process running the echo plugin; resolves with both pids once it serves. */
  let socketDir: string;
  beforeAll(async () => {
    socketDir = await mkdtemp(join(tmpdir(), 'gf-test-'));
  });
  afterAll(async () => {
    await rm(socketDir, { recursive: true, force: true });
  });

  async function miniKernel(...args: string[]) {
    const kernel = spawn(process.execPath, ['--import', 'tsx', fixture('mini-kernel'), ...args], {
      cwd: REPO,
      env: { ...process.env, MINI_KERNEL_SOCKET_DIR: socketDir },
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    const exited = new Promise<void>((resolve) => kernel.once('exit', () => resolve()));
    const pluginPid = await new Promise<number>((resolve, reject) => {
      let out = '';
      kernel.stdout.setEncoding('utf8');
      kernel.stdout.on('data', (chunk: string) => {
        out += chunk;
        const match = /READY (\d+)/.exec(out);
        if (match) resolve(Number(match[1]));
      });
      kernel.once('exit', (code) =>
        reject(new Error(`the mini kernel exited with ${code} before it was ready`)),
      );
    });
    return { kernel, pluginPid, exited };
  }

  it('kills the plugin processes when the kernel exits', async () => {
    // --stay: this plugin ignores the loss of its stream, so only the kernel's exit hook can end it.
    const { kernel, pluginPid, exited } = await miniKernel('--stay');
    try {
      expect(isAlive(pluginPid)).toBe(true);
      kernel.stdin.write('exit\n');
      await exited;
      await until(() => !isAlive(pluginPid), 'the plugin process is gone', 10_000);
    } finally {
      if (isAlive(pluginPid)) process.kill(pluginPid, 'SIGKILL');
    }
  });

  it('lets a plugin exit by itself when its kernel is killed outright (no hook runs on SIGKILL)', async () => {
    const { kernel, pluginPid, exited } = await miniKernel();
    kernel.kill('SIGKILL');
    await exited;
    await until(() => !isAlive(pluginPid), 'the orphaned plugin process is gone');
  });
});
