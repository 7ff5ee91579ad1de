/**
 * The WASM plugin runtime against real AssemblyScript plugins (tests/fixtures/wasm, built by
 * scripts/build-wasm.mjs) and a real, in-memory Host API: no part of the runtime is mocked. Nothing here
 * asserts on speed; the few time bounds are an order of magnitude above what the behaviour needs.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  type HostCallHandler,
  type HostCallResult,
  type InvocationContext,
  loadWasmPlugin,
  type PluginInstance,
  type PluginLogLine,
  type RuntimeError,
  type WasmPluginOptions,
} from '@goatflow/kernel';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const fixture = (name: string): Uint8Array =>
  new Uint8Array(fs.readFileSync(path.join(root, 'tests', 'fixtures', 'wasm', name, 'dist', 'plugin.wasm')));

const HUGE_VALUE = 'x'.repeat(2 * 1024 * 1024);

/** A small but real Host API: a cache in a Map, a log in an array, every call recorded. */
class TestHost {
  readonly cache = new Map<string, unknown>();
  readonly logs: unknown[] = [];
  readonly calls: { fn: string; args: unknown; context: InvocationContext }[] = [];

  readonly handler: HostCallHandler = async (fn, args, context): Promise<HostCallResult> => {
    this.calls.push({ fn, args, context });
    // Some calls resolve on a later turn of the event loop, like real I/O does.
    if (this.calls.length % 7 === 0) await new Promise((resolve) => setImmediate(resolve));
    const a = (args ?? {}) as Record<string, unknown>;
    switch (fn) {
      case 'cache.get':
        if (a.key === 'huge') return { ok: true, value: HUGE_VALUE };
        return { ok: true, value: this.cache.get(String(a.key)) ?? null };
      case 'cache.set':
        this.cache.set(String(a.key), a.value);
        return { ok: true, value: null };
      case 'log':
        this.logs.push(a);
        return { ok: true, value: null };
      default:
        return { ok: false, error: { code: 'not_granted', message: `${fn} is not granted` } };
    }
  };

  callsOf(requestId: string) {
    return this.calls.filter((c) => c.context.requestId === requestId);
  }
}

let requestCounter = 0;
function context(handler: string): InvocationContext {
  return {
    pluginId: 'fixture',
    handler,
    user: { id: 7, login: 'agent7', type: 'agent', isAdmin: false, groups: ['support'] },
    scopes: ['tickets:read'],
    locale: 'de',
    requestId: `req-${++requestCounter}`,
  };
}

/** The rejection of `promise`, failing the test if it resolves. */
async function rejection(promise: Promise<unknown>): Promise<RuntimeError> {
  try {
    const value = await promise;
    throw new Error(`expected a rejection, got ${JSON.stringify(value)}`);
  } catch (err) {
    return err as RuntimeError;
  }
}

const instances: PluginInstance[] = [];
let host: TestHost;

async function load(name: string, options: Partial<WasmPluginOptions> = {}): Promise<PluginInstance> {
  const instance = await loadWasmPlugin({
    pluginId: name,
    wasm: fixture(name),
    hostCall: host.handler,
    ...options,
  });
  instances.push(instance);
  return instance;
}

beforeAll(() => {
  // Builds what is missing or stale; a no-op when `node scripts/build-wasm.mjs` already ran.
  const build = spawnSync(process.execPath, [path.join(root, 'scripts', 'build-wasm.mjs')], {
    encoding: 'utf8',
  });
  if (build.status !== 0)
    throw new Error(`building the WASM fixtures failed:\n${build.stdout}${build.stderr}`);
}, 180_000);

afterEach(async () => {
  await Promise.all(instances.splice(0).map((i) => i.dispose()));
});

describe('WASM runtime: invocations', () => {
  it('round-trips input and context through the echo plugin', async () => {
    host = new TestHost();
    const plugin = await load('echo');
    expect(plugin.health()).toMatchObject({ state: 'running', restarts: 0 });
    const ctx = context('echo');
    const input = {
      text: 'Grüße ✓ — ünïcödé 🐐',
      list: [1, 2.5, null, true],
      nested: { deep: { ok: 'yes' } },
    };
    expect(await plugin.invoke('echo', input, ctx)).toEqual({ input, context: ctx });
    expect(await plugin.invoke('echo', undefined, ctx)).toEqual({ input: null, context: ctx });
  });

  it.each([0, 1, 20])(
    'delivers %i host calls to hostCall with their function, arguments and context',
    async (n) => {
      host = new TestHost();
      const plugin = await load('echo');
      const ctx = context('host_calls');
      const replies = await plugin.invoke('host_calls', { count: n, fn: 'log' }, ctx);
      expect(replies).toEqual(Array.from({ length: n }, () => ({ ok: true, value: null })));
      const calls = host.callsOf(ctx.requestId);
      expect(calls).toHaveLength(n);
      calls.forEach((call, i) => {
        expect(call.fn).toBe('log');
        expect(call.args).toEqual({ level: 'info', message: `line ${i}` });
        expect(call.context).toEqual(ctx);
      });
      expect(host.logs).toHaveLength(n);

      for (let i = 0; i < n; i++) host.cache.set(`k${i}`, { value: i, label: `Wert ${i} ✓` });
      const cacheCtx = context('host_calls');
      const values = await plugin.invoke('host_calls', { count: n, fn: 'cache_get' }, cacheCtx);
      expect(values).toEqual(
        Array.from({ length: n }, (_, i) => ({ ok: true, value: { value: i, label: `Wert ${i} ✓` } })),
      );
      expect(host.callsOf(cacheCtx.requestId).map((c) => [c.fn, c.args])).toEqual(
        Array.from({ length: n }, (_, i) => ['cache.get', { key: `k${i}` }]),
      );
    },
  );

  it('keeps non-ASCII text intact in output and through host calls', async () => {
    host = new TestHost();
    const plugin = await load('unicode');
    expect(await plugin.invoke('greet', null, context('greet'))).toBe('Grüße ✓');
    expect(await plugin.invoke('roundtrip', null, context('roundtrip'))).toEqual({
      ok: true,
      value: 'Grüße ✓',
    });
    expect(host.cache.get('gruss')).toBe('Grüße ✓');
  });

  it('hands denied host calls to the plugin as error values', async () => {
    const denied = await loadWasmPlugin({
      pluginId: 'denied',
      wasm: fixture('echo'),
      hostCall: async () => ({ ok: false, error: { code: 'not_granted', message: 'cache is not granted' } }),
    });
    instances.push(denied);
    expect(await denied.invoke('host_calls', { count: 1, fn: 'cache_get' }, context('host_calls'))).toEqual([
      { ok: false, error: { code: 'not_granted', message: 'cache is not granted' } },
    ]);
  });

  it('reports plugin failures as plugin_error with the plugin’s text, and keeps serving', async () => {
    host = new TestHost();
    const plugin = await load('echo');
    const failed = await rejection(plugin.invoke('fail', null, context('fail')));
    expect(failed.code).toBe('plugin_error');
    expect(failed.message).toContain('bad input ✗');
    expect(failed.message).toContain('returned 1');

    const aborted = await rejection(plugin.invoke('abort_now', null, context('abort_now')));
    expect(aborted.code).toBe('plugin_error');
    expect(aborted.message).toContain('on purpose');

    const notJson = await rejection(plugin.invoke('not_json', null, context('not_json')));
    expect(notJson.code).toBe('plugin_error');
    expect(notJson.message).toContain('not JSON');

    expect(await plugin.invoke('nothing', null, context('nothing'))).toBeNull();
    const unknown = await rejection(plugin.invoke('no_such_handler', null, context('no_such_handler')));
    expect(unknown.code).toBe('unknown_handler');
    const unserialisable = await rejection(plugin.invoke('echo', { n: 1n }, context('echo')));
    expect(unserialisable.code).toBe('plugin_error');

    const ctx = context('echo');
    expect(await plugin.invoke('echo', 'still here', ctx)).toEqual({ input: 'still here', context: ctx });
  });

  it("passes the plugin's own Extism log lines to the log option", async () => {
    host = new TestHost();
    const lines: PluginLogLine[] = [];
    const plugin = await load('echo', { log: (line) => lines.push(line) });
    expect(await plugin.invoke('pdk_log', null, context('pdk_log'))).toBeNull();
    await expect.poll(() => lines.length).toBeGreaterThanOrEqual(2);
    expect(lines).toEqual([
      { level: 'info', message: 'hello ✓' },
      { level: 'error', message: 'something failed' },
    ]);
  });
});

describe('WASM runtime: admission', () => {
  beforeAll(() => {
    host = new TestHost();
  });

  it.each([
    ['wasi-import', 'wasi_snapshot_preview1::fd_write'],
    ['unknown-import', 'extism:host/user::steal_secrets'],
  ])('refuses %s, naming the import', async (name, offending) => {
    const error = await rejection(load(name));
    expect(error.code).toBe('load_failed');
    expect(error.message).toContain(offending);
    expect(error.message).toContain('allowed are');
  });

  it('refuses a module without a declared maximum memory, saying how to build it', async () => {
    const error = await rejection(load('no-max-memory'));
    expect(error.code).toBe('load_failed');
    expect(error.message).toContain('declares no maximum');
    expect(error.message).toContain('--maximumMemory 1024');
  });

  it('refuses a module whose maximum memory is above the cap', async () => {
    const error = await rejection(load('big-memory'));
    expect(error.code).toBe('load_failed');
    expect(error.message).toContain('maximum of 2048 pages (128 MiB)');
    expect(error.message).toContain('--maximumMemory 1024');
    // The same module fits a larger cap.
    const roomy = await load('big-memory', { maxMemoryBytes: 128 * 1024 * 1024 });
    const ctx = context('echo');
    expect(await roomy.invoke('echo', 1, ctx)).toEqual({ input: 1, context: ctx });
  });

  it('fails the load of a module that traps while starting', async () => {
    const error = await rejection(load('bad-start'));
    expect(error.code).toBe('load_failed');
    expect(error.message).toContain('could not be started');
    expect(error.message).toContain('refusing to start');
  });

  it('refuses bytes that are not WebAssembly', async () => {
    const error = await rejection(
      loadWasmPlugin({
        pluginId: 'junk',
        wasm: new TextEncoder().encode('not wasm'),
        hostCall: host.handler,
      }),
    );
    expect(error.code).toBe('load_failed');
    expect(error.message).toContain('not a valid WebAssembly module');
  });
});

describe('WASM runtime: runaway plugins', () => {
  it('answers deadline_exceeded for a plugin that loops, keeps the main thread serving, and recovers', async () => {
    host = new TestHost();
    // One worker and no spare: whatever serves after a deadline is a replacement.
    const plugin = await load('loop', { deadlineMs: 300, poolSize: 1, spareWorkers: 0 });
    const patient = { deadlineMs: 30_000 };
    const server = http.createServer((_req, res) => res.end('pong'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    let ticks = 0;
    const interval = setInterval(() => ticks++, 10);
    try {
      const started = performance.now();
      let settled = false;
      const outcome = rejection(plugin.invoke('run', null, context('run'))).finally(() => {
        settled = true;
      });
      let answeredWhileLooping = 0;
      while (!settled) {
        const body = await (await fetch(url)).text();
        if (body === 'pong' && !settled) answeredWhileLooping++;
      }
      const error = await outcome;
      const elapsed = performance.now() - started;
      const ticksWhileLooping = ticks;
      expect(error.code).toBe('deadline_exceeded');
      expect(elapsed).toBeGreaterThanOrEqual(290);
      expect(elapsed).toBeLessThan(4000);
      expect(answeredWhileLooping).toBeGreaterThan(0);
      expect(ticksWhileLooping).toBeGreaterThan(0);
    } finally {
      clearInterval(interval);
      await new Promise((resolve) => server.close(resolve));
    }

    const ctx = context('echo');
    expect(await plugin.invoke('echo', 'after the loop', ctx, patient)).toEqual({
      input: 'after the loop',
      context: ctx,
    });
    // And again: every replacement is replaced in turn.
    expect((await rejection(plugin.invoke('run', null, context('run')))).code).toBe('deadline_exceeded');
    expect(await plugin.invoke('echo', 2, ctx, patient)).toEqual({ input: 2, context: ctx });
    expect(plugin.health()).toMatchObject({ state: 'running', restarts: 2 });
  });

  it('answers deadline_exceeded while the plugin waits on a host call that never returns', async () => {
    let answered = 0;
    const plugin = await loadWasmPlugin({
      pluginId: 'hang',
      wasm: fixture('echo'),
      deadlineMs: 300,
      hostCall: (fn, args) =>
        (args as { key?: string }).key === 'hang'
          ? new Promise<HostCallResult>(() => {})
          : Promise.resolve({ ok: true, value: `${fn} ${++answered}` }),
    });
    instances.push(plugin);
    const error = await rejection(
      plugin.invoke('host_calls', { count: 1, fn: 'cache_get', key: 'hang' }, context('h')),
    );
    expect(error.code).toBe('deadline_exceeded');
    expect(await plugin.invoke('host_calls', { count: 1, fn: 'cache_get' }, context('h'))).toEqual([
      { ok: true, value: 'cache.get 1' },
    ]);
  });

  it('fails a plugin that exhausts its memory with plugin_error, replaces the worker, and serves on', async () => {
    host = new TestHost();
    // One worker and no spare: whatever serves after a trap is a replacement.
    const plugin = await load('membomb', { poolSize: 1, spareWorkers: 0 });
    const ctx = context('echo');
    const patient = { deadlineMs: 30_000 };

    const hoarded = await rejection(plugin.invoke('run', null, context('run')));
    expect(hoarded.code).toBe('plugin_error');
    expect(hoarded.message).toContain('trapped');
    expect(await plugin.invoke('echo', 'ok', ctx, patient)).toEqual({ input: 'ok', context: ctx });

    const grown = await rejection(plugin.invoke('grow', null, context('grow')));
    expect(grown.code).toBe('plugin_error');
    expect(grown.message).toContain('memory.grow failed');
    expect(await plugin.invoke('echo', 'ok', ctx, patient)).toEqual({ input: 'ok', context: ctx });
    expect(plugin.health()).toMatchObject({ state: 'running', restarts: 2 });
  });

  it('bounds Extism memory: a plugin that never frees fails, one that frees does not', async () => {
    host = new TestHost();
    const plugin = await load('membomb');
    const error = await rejection(plugin.invoke('extism_alloc', null, context('extism_alloc')));
    expect(error.code).toBe('plugin_error');
    expect(error.message).toContain('Extism memory');
    // 200 MiB allocated over the call, never more than 1 MiB at once.
    expect(await plugin.invoke('extism_alloc_free', null, context('extism_alloc_free'))).toBe('ok');
  });

  it('fails an invocation past its host-call limit with host_call_limit', async () => {
    host = new TestHost();
    const plugin = await load('flood', { maxHostCallsPerInvocation: 50, deadlineMs: 2000 });
    const ctx = context('run');
    const error = await rejection(plugin.invoke('run', null, ctx));
    expect(error.code).toBe('host_call_limit');
    expect(error.message).toContain('50');
    expect(host.callsOf(ctx.requestId)).toHaveLength(50);

    // One that never stops calling is answered as soon as it passes the limit, and stopped at its deadline.
    const foreverCtx = context('forever');
    const forever = await rejection(plugin.invoke('forever', null, foreverCtx));
    expect(forever.code).toBe('host_call_limit');
    expect(host.callsOf(foreverCtx.requestId)).toHaveLength(50);

    const echoCtx = context('echo');
    expect(await plugin.invoke('echo', 'calm', echoCtx)).toEqual({ input: 'calm', context: echoCtx });
  });

  it('hands a host reply above maxHostReplyBytes to the plugin as an error value', async () => {
    host = new TestHost();
    const plugin = await load('echo');
    const [reply] = (await plugin.invoke(
      'host_calls',
      { count: 1, fn: 'cache_get', key: 'huge' },
      context('h'),
    )) as {
      ok: boolean;
      error?: { code: string };
    }[];
    expect(reply).toMatchObject({ ok: false, error: { code: 'reply_too_large' } });
    // With a larger limit the same reply goes through.
    const roomy = await load('echo', { maxHostReplyBytes: 4 * 1024 * 1024 });
    expect(
      await roomy.invoke('host_calls', { count: 1, fn: 'cache_get', key: 'huge' }, context('h')),
    ).toEqual([{ ok: true, value: HUGE_VALUE }]);
  });
});

describe('WASM runtime: pool, queue and disposal', () => {
  it('runs four concurrent calls on a pool of two, each host call with its own context', async () => {
    host = new TestHost();
    for (let i = 0; i < 20; i++) host.cache.set(`k${i}`, i);
    const plugin = await load('echo', { poolSize: 2 });
    const contexts = Array.from({ length: 4 }, () => context('host_calls'));
    const results = await Promise.all(
      contexts.map((ctx) => plugin.invoke('host_calls', { count: 20, fn: 'cache_get' }, ctx)),
    );
    for (const [i, ctx] of contexts.entries()) {
      expect(results[i]).toEqual(Array.from({ length: 20 }, (_, k) => ({ ok: true, value: k })));
      const calls = host.callsOf(ctx.requestId);
      expect(calls).toHaveLength(20);
      for (const call of calls) expect(call.context).toBe(ctx);
    }
  });

  it('refuses a call beyond the queue at once with plugin_unavailable, and serves the queued ones', async () => {
    host = new TestHost();
    const plugin = await load('loop', { poolSize: 1, maxQueue: 2, deadlineMs: 20_000 });
    let loopSettled = false;
    const looping = rejection(plugin.invoke('run', null, context('run'), { deadlineMs: 1500 })).finally(
      () => {
        loopSettled = true;
      },
    );
    const queued = [context('echo'), context('echo')].map((ctx) =>
      plugin.invoke('echo', ctx.requestId, ctx).then((value) => ({ value, ctx })),
    );
    const refused = await rejection(plugin.invoke('echo', 'one too many', context('echo')));
    expect(refused.code).toBe('plugin_unavailable');
    expect(loopSettled).toBe(false);

    expect((await looping).code).toBe('deadline_exceeded');
    for (const { value, ctx } of await Promise.all(queued)) {
      expect(value).toEqual({ input: ctx.requestId, context: ctx });
    }

    // Without a queue, a call still runs when a worker is free.
    const unqueued = await load('echo', { poolSize: 1, maxQueue: 0 });
    const ctx = context('echo');
    expect(await unqueued.invoke('echo', 'direct', ctx)).toEqual({ input: 'direct', context: ctx });
  });

  it('fails calls in flight and queued with plugin_unavailable on dispose', async () => {
    host = new TestHost();
    const plugin = await load('loop', { poolSize: 1, deadlineMs: 30_000 });
    const running = rejection(plugin.invoke('run', null, context('run')));
    const queued = rejection(plugin.invoke('echo', null, context('echo')));
    // Give the loop time to start in its worker.
    await new Promise((resolve) => setTimeout(resolve, 100));
    await plugin.dispose();
    expect((await running).code).toBe('plugin_unavailable');
    expect((await queued).code).toBe('plugin_unavailable');
    expect(plugin.health().state).toBe('stopped');
    expect((await rejection(plugin.invoke('echo', null, context('echo')))).code).toBe('plugin_unavailable');
  });

  it('completes 20 000 bridged host calls without a hang', async () => {
    host = new TestHost();
    for (let i = 0; i < 10; i++) host.cache.set(`k${i}`, i);
    const plugin = await load('echo', { poolSize: 2, maxHostCallsPerInvocation: 5000, deadlineMs: 50_000 });
    const contexts = Array.from({ length: 4 }, () => context('count_calls'));
    const counts = await Promise.all(
      contexts.map((ctx) => plugin.invoke('count_calls', { count: 5000 }, ctx)),
    );
    expect(counts).toEqual([5000, 5000, 5000, 5000]);
    expect(host.calls).toHaveLength(20_000);
  }, 120_000);
});
