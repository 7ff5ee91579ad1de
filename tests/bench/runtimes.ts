/**
 * Benchmark of the plugin runtimes against an in-process function doing the same work, measured side by side in
 * one run: a WASM call with 0, 1 and 20 host calls, a gRPC invocation with 0 and 1 host calls, and the cold start
 * of each runtime. Run: `npx tsx tests/bench/runtimes.ts` (build the WASM fixtures first:
 * `node scripts/build-wasm.mjs`). Results go to stdout as a Markdown table for docs/performance.md.
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

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 2000);
const WARMUP = 200;

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
}

async function measure(name: string, fn: () => Promise<unknown>): Promise<Result> {
  for (let i = 0; i < WARMUP; i++) await fn();
  const samples: number[] = [];
  for (let i = 0; i < ITERATIONS; i++) {
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
  const call = (p: PluginInstance, handler: string, input: unknown) => () =>
    p.invoke(handler, input, context);
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
    `Machine: ${os.cpus().length} × ${cpu}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${os.platform()} ${os.release()}; ${ITERATIONS} iterations after ${WARMUP} warm-up, sequential.`,
    '',
    '| case | median µs | p99 µs | × in-process |',
    '| --- | ---: | ---: | ---: |',
    ...results.map(
      (r) =>
        `| ${r.name} | ${r.median.toFixed(1)} | ${r.p99.toFixed(1)} | ${r.name.startsWith('in-process') ? '1' : (r.median / byName.get(baseline(r.name))!.median).toFixed(1)} |`,
    ),
    '',
    `WASM host call through the bridge (median, (20 calls − 0 calls) / 20): ${perHostCall.toFixed(1)} µs`,
    `Cold start: WASM ${wasmColdMs.toFixed(0)} ms (module check + worker pool), gRPC ${grpcColdMs.toFixed(0)} ms (process spawn with tsx + connect)`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

await main();
