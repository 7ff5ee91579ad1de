/**
 * Benchmark of the plugin runtimes against an in-process function doing the same work, measured side by side in
 * one run: a WASM call with 0, 1 and 20 host calls, a gRPC invocation with 0 and 1 host calls, and the cold start
 * of each runtime. Run: `npx tsx tests/bench/runtimes.ts` (build the WASM fixtures first:
 * `node scripts/build-wasm.mjs`). Results go to stdout as a Markdown table for docs/performance.md.
 *
 * Each case is warmed up before it is measured (`BENCH_WARMUP` calls and at least `BENCH_WARMUP_MS`): both
 * processes of a gRPC plugin need about 2000 calls (1–2 s) before the JIT has compiled the message path, and a
 * case measured during that time reports the warm-up, not the runtime. What the first calls after a start cost is
 * reported separately ("first calls"). Other jobs on a shared machine move every number here, so each case also
 * reports how many CPUs other processes used meanwhile (cpu-meter.ts; Linux only: the machine's busy time from
 * /proc/stat, minus this process and the gRPC plugin's process).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  type HostCallHandler,
  type InvocationContext,
  loadWasmPlugin,
  type PluginInstance,
  startGrpcPlugin,
} from '@goatflow/kernel';
import { othersMeter } from './cpu-meter.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 2000);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 2000);
const WARMUP_MS = Number(process.env.BENCH_WARMUP_MS ?? 1000);
/** Calls right after a start whose median is reported as "first calls". */
const FIRST_CALLS = 500;

const context: InvocationContext = {
  pluginId: 'bench',
  handler: 'x',
  user: { id: 1, login: 'bench', type: 'agent', isAdmin: false, groups: [] },
  scopes: [],
  locale: 'en',
  requestId: 'bench',
};

/** The same host function the plugins call: a cache lookup in a Map, answered asynchronously like the kernel. */
const cache = new Map<string, unknown>([['k', 1]]);
const hostCall: HostCallHandler = async (_fn, args) => ({
  ok: true,
  value: cache.get(String((args as { key?: unknown }).key)) ?? null,
});

interface Result {
  name: string;
  median: number;
  p99: number;
  /** CPUs other processes used on average while the case ran (warm-up included), null when unknown. */
  others?: number | null;
}

async function sample(name: string, fn: () => Promise<unknown>, iterations: number): Promise<Result> {
  const samples: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const t = process.hrtime.bigint();
    await fn();
    samples.push(Number(process.hrtime.bigint() - t) / 1000);
  }
  samples.sort((a, b) => a - b);
  return {
    name,
    median: samples[Math.floor(samples.length / 2)]!,
    p99: samples[Math.floor(samples.length * 0.99)]!,
  };
}

/** The gRPC plugin's process, whose CPU time is ours, not another job's. */
let pluginPid: number | undefined;
/** This benchmark's processes besides its own: the gRPC plugin's, once it runs. */
const ownPids = () => (pluginPid === undefined ? [] : [pluginPid]);

async function measure(name: string, fn: () => Promise<unknown>): Promise<Result> {
  const others = othersMeter(ownPids);
  const started = performance.now();
  for (let i = 0; i < WARMUP || performance.now() - started < WARMUP_MS; i++) await fn();
  const result = await sample(name, fn, ITERATIONS);
  return { ...result, others: others() };
}

async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const t = process.hrtime.bigint();
  const value = await fn();
  return [value, Number(process.hrtime.bigint() - t) / 1e6];
}

/** What the plugins do, done in process: parse the input, make n host calls, serialise the answer. */
async function inProcess(n: number): Promise<unknown> {
  const input = JSON.parse(JSON.stringify({ input: { count: n, fn: 'cache_get', key: 'k' }, context }));
  const replies = [];
  for (let i = 0; i < input.input.count; i++)
    replies.push(await hostCall('cache.get', { key: 'k' }, context));
  return JSON.parse(JSON.stringify(replies));
}

async function main(): Promise<void> {
  const loadBefore = os.loadavg();
  const othersDuringRun = othersMeter(ownPids);
  const wasmBytes = new Uint8Array(
    fs.readFileSync(path.join(root, 'tests/fixtures/wasm/echo/dist/plugin.wasm')),
  );
  const [wasm, wasmColdMs] = await timed(() =>
    loadWasmPlugin({ pluginId: 'bench', wasm: wasmBytes, hostCall, poolSize: 1 }),
  );
  const [grpc, grpcColdMs] = await timed(() =>
    startGrpcPlugin({
      pluginId: 'bench',
      command: [process.execPath, '--import', 'tsx', path.join(root, 'tests/fixtures/grpc/echo.ts')],
      cwd: root,
      hostCall: async (fn, args, ctx) =>
        fn === 'test.echo' ? { ok: true, value: args } : hostCall(fn, args, ctx),
    }),
  );
  pluginPid = grpc.health().pid;
  const call = (p: PluginInstance, handler: string, input: unknown) => () =>
    p.invoke(handler, input, context);
  // Before anything else runs: what the first calls after a start cost, JIT warm-up included.
  const first = [
    await sample('WASM, 0 host calls', call(wasm, 'echo', { n: 0 }), FIRST_CALLS),
    await sample('gRPC, 0 host calls', call(grpc, 'ping', null), FIRST_CALLS),
  ];
  const results: Result[] = [];
  results.push(await measure('in-process, 0 host calls', () => inProcess(0)));
  results.push(await measure('in-process, 1 host call', () => inProcess(1)));
  results.push(await measure('in-process, 20 host calls', () => inProcess(20)));
  results.push(await measure('WASM, 0 host calls', call(wasm, 'echo', { n: 0 })));
  results.push(
    await measure('WASM, 1 host call', call(wasm, 'host_calls', { count: 1, fn: 'cache_get', key: 'k' })),
  );
  results.push(
    await measure('WASM, 20 host calls', call(wasm, 'host_calls', { count: 20, fn: 'cache_get', key: 'k' })),
  );
  results.push(await measure('gRPC, 0 host calls', call(grpc, 'ping', null)));
  results.push(await measure('gRPC, 1 host call', call(grpc, 'hostCalls', { n: 1 })));
  await wasm.dispose();
  await grpc.dispose();
  const othersRun = othersDuringRun();
  const loadAfter = os.loadavg();
  const cpus = (n: number | null | undefined) => (n === null || n === undefined ? '?' : n.toFixed(2));

  const byName = new Map(results.map((r) => [r.name, r]));
  const perHostCall =
    (byName.get('WASM, 20 host calls')!.median - byName.get('WASM, 0 host calls')!.median) / 20;
  const baseline = (name: string) =>
    name.includes('20')
      ? 'in-process, 20 host calls'
      : name.includes('1 host')
        ? 'in-process, 1 host call'
        : 'in-process, 0 host calls';
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  const lines = [
    `Machine: ${os.cpus().length} × ${cpu}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${os.platform()} ${os.release()}; ${ITERATIONS} iterations after at least ${WARMUP} warm-up calls and ${WARMUP_MS} ms per case, sequential.`,
    `Load average (1 min) ${loadBefore[0]!.toFixed(2)} before, ${loadAfter[0]!.toFixed(2)} after; other processes used ${cpus(othersRun)} of the ${os.cpus().length} CPUs on average during the run.`,
    '',
    '| case | median µs | p99 µs | × in-process | CPUs used by other processes |',
    '| --- | ---: | ---: | ---: | ---: |',
    ...results.map(
      (r) =>
        `| ${r.name} | ${r.median.toFixed(1)} | ${r.p99.toFixed(1)} | ${r.name.startsWith('in-process') ? '1' : (r.median / byName.get(baseline(r.name))!.median).toFixed(1)} | ${cpus(r.others)} |`,
    ),
    '',
    `WASM host call through the bridge (median, (20 calls − 0 calls) / 20): ${perHostCall.toFixed(1)} µs`,
    `Cold start: WASM ${wasmColdMs.toFixed(0)} ms (module check + worker pool), gRPC ${grpcColdMs.toFixed(0)} ms (process spawn with tsx + connect)`,
    `First calls (the first ${FIRST_CALLS} after the start, before any warm-up): ${first.map((r) => `${r.name} median ${r.median.toFixed(1)} µs, p99 ${r.p99.toFixed(1)} µs`).join('; ')}`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

await main();
