/**
 * The tickets plugin at 1 000 000 tickets (docs/plugins-core/tickets-design.md, section 5): latency of the list
 * cases a–e through the whole platform, their query plans, and the throughput of the headline case against a
 * bare express server running the plugin's own handler code (tests/bench/bare-tickets-server.ts), side by side
 * in one run. PostgreSQL only. Results go to stdout as Markdown for docs/performance.md.
 *
 * Run (the first run seeds for several minutes; later runs reuse the seeded database):
 *   eval "$(PGPORT=55507 bash .ci/pg-up.sh)"
 *   DATABASE_URL=$DATABASE_URL npx tsx --conditions=@goatflow/source tests/bench/tickets.ts
 * Environment: BENCH_TICKETS (1000000), BENCH_DB (gf_bench_tickets), BENCH_RESEED=1 (seed again),
 * BENCH_REQUESTS (2000 per case), BENCH_WARMUP_MS (10000 per case), BENCH_CASE_MAX_MS (120000: a slower case
 * measures fewer requests), BENCH_CANNON_SECONDS (20),
 * BENCH_CANNON_CONNECTIONS (8), BENCH_ROUNDS (3 bare/plugin pairs), BENCH_PARTS (latency,throughput: one of them
 * alone reruns just that part).
 *
 * Each case and each throughput run also reports the CPUs other processes used meanwhile (cpu-meter.ts): this
 * process (the kernel runs in it), the plugin's process, the bare server, autocannon and the PostgreSQL server's
 * processes count as the benchmark's own.
 * @module
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import { type Kernel, roleOf, schemaOf } from '@goatflow/kernel';
import pg from 'pg';
import { LIST_QUEUES } from '../../plugins-core/tickets/src/sql/reference.js';
import { buildTicketList, type TicketListRequest } from '../../plugins-core/tickets/src/sql/tickets/list.js';
import { ApiClient } from '../support/http-client.js';
import { ADMIN_PASSWORD, startTestKernel } from '../support/kernel.js';
import { freePort } from '../support/ports.js';
import { type BulkWorld, existingBulkWorld, seedBulkTickets } from '../support/tickets-bulk.js';
import { type PlanCase, planFacts, planOf, planText } from '../support/tickets-plans.js';
import { childPids, othersMeter, parentPid } from './cpu-meter.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const TICKETS = env('BENCH_TICKETS', 1_000_000);
const REQUESTS = env('BENCH_REQUESTS', 2000);
const WARMUP_MS = env('BENCH_WARMUP_MS', 10_000);
/** A slow case stops measuring after this long (a search of seconds would otherwise take hours). */
const CASE_MAX_MS = env('BENCH_CASE_MAX_MS', 120_000);
const CANNON_SECONDS = env('BENCH_CANNON_SECONDS', 20);
const CANNON_CONNECTIONS = env('BENCH_CANNON_CONNECTIONS', 8);
const ROUNDS = env('BENCH_ROUNDS', 3);
const DB_NAME = process.env.BENCH_DB ?? 'gf_bench_tickets';
/** Which parts run: `latency` (plans and sequential latency of a–e), `throughput` (bare against plugin). */
const PARTS = (process.env.BENCH_PARTS ?? 'latency,throughput').split(',');
/** The kernel's default statement timeout for plugin SQL, given to both sides. */
const SQL_TIMEOUT_MS = 5000;

const log = (line: string) => process.stderr.write(`[bench] ${line}\n`);
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const cpus = (n: number | null | undefined) => (n === null || n === undefined ? '?' : n.toFixed(2));

/** A case: what a client asks over HTTP, and the statement the plugin sends for it. */
interface BenchCase extends PlanCase {
  letter: string;
  path: string;
  as: 'agent' | 'customer';
}

function benchCases(world: BulkWorld): BenchCase[] {
  const q3 = world.queues[2]!;
  const list = (request: Partial<TicketListRequest>) =>
    buildTicketList({ sort: '-changed', page: 1, perPage: 25, ...request });
  const agent = world.agent.id;
  return [
    {
      letter: 'a',
      name: 'one queue, open, newest first (headline)',
      as: 'agent',
      userId: agent,
      path: `/api/v1/tickets?queue=${q3}&stateType=open&sort=-changed&perPage=25`,
      statement: list({ queue: [q3], stateType: ['open'] }),
      indexes: ['tickets_queue_statetype_changed'],
    },
    {
      letter: 'b',
      name: 'the same, page 40',
      as: 'agent',
      userId: agent,
      path: `/api/v1/tickets?queue=${q3}&stateType=open&sort=-changed&perPage=25&page=40`,
      statement: list({ queue: [q3], stateType: ['open'], page: 40 }),
      indexes: ['tickets_queue_statetype_changed'],
    },
    {
      letter: 'c',
      name: 'search "printer invoice"',
      as: 'agent',
      userId: agent,
      path: '/api/v1/tickets?q=printer%20invoice',
      statement: list({ q: 'printer invoice', sort: 'relevance' }),
      indexes: ['tickets_search', 'articles_search'],
      maxBigTableRows: TICKETS / 20,
    },
    {
      letter: 'd',
      name: "a customer's portal list",
      as: 'customer',
      userId: world.customer.id,
      path: '/api/v1/tickets',
      statement: list({}),
      indexes: ['tickets_customer_user_changed'],
    },
    {
      letter: 'e',
      name: 'queues with counts',
      as: 'agent',
      userId: agent,
      path: '/api/v1/queues',
      statement: { sql: LIST_QUEUES, params: [null] },
      indexes: [],
    },
  ];
}

/** The database of the benchmark on the server DATABASE_URL names: reused when it holds the same world. */
async function benchDatabase(server: string): Promise<{ url: string; fresh: boolean }> {
  const url = new URL(server);
  url.pathname = `/${DB_NAME}`;
  const admin = new pg.Client({ connectionString: server });
  await admin.connect();
  try {
    const exists =
      (await admin.query('select 1 from pg_database where datname = $1', [DB_NAME])).rowCount === 1;
    if (exists && !process.env.BENCH_RESEED) return { url: url.toString(), fresh: false };
    await admin.query(`drop database if exists ${DB_NAME} with (force)`);
    await admin.query(`create database ${DB_NAME}`);
    return { url: url.toString(), fresh: true };
  } finally {
    await admin.end();
  }
}

/** The PostgreSQL server's processes (the postmaster and its children), found through a backend's parent. */
async function postgresPids(client: pg.Client): Promise<() => number[]> {
  const backend = (await client.query<{ pid: number }>('select pg_backend_pid() as pid')).rows[0]!.pid;
  const postmaster = parentPid(backend);
  return () => (postmaster === undefined ? [] : [postmaster, ...childPids(postmaster)]);
}

interface Latency {
  requests: number;
  p50: number;
  p99: number;
  others: number | null;
}

/**
 * Sequential requests: a warm-up, then REQUESTS timed ones (fewer when they take longer than CASE_MAX_MS in all).
 * Every answer must be 200; the first that is not ends
 * the case with an error naming it (a statement past its timeout answers 504 after seconds, 2000 times over).
 */
async function latency(url: string, cookie: string, own: () => number[]): Promise<Latency> {
  const get = async () => {
    const t = performance.now();
    const res = await fetch(url, { headers: { cookie } });
    const body = await res.text();
    if (res.status !== 200)
      throw new Error(
        `answered ${res.status} after ${(performance.now() - t).toFixed(0)} ms: ${body.slice(0, 200)}`,
      );
  };
  const others = othersMeter(own);
  const started = performance.now();
  while (performance.now() - started < WARMUP_MS) await get();
  const samples: number[] = [];
  const measuring = performance.now();
  while (samples.length < REQUESTS && performance.now() - measuring < CASE_MAX_MS) {
    const t = performance.now();
    await get();
    samples.push(performance.now() - t);
  }
  samples.sort((a, b) => a - b);
  return {
    requests: samples.length,
    p50: samples[Math.floor(samples.length / 2)]!,
    p99: samples[Math.floor(samples.length * 0.99)]!,
    others: others(),
  };
}

interface CannonRun {
  side: 'bare' | 'plugin';
  rps: number;
  p50: number;
  p99: number;
  non2xx: number;
  others: number | null;
}

/** One autocannon run (`-c 8 -d 20`) in its own process, so its CPU shows up as a process of ours. */
async function cannon(side: CannonRun['side'], url: string, cookie: string | undefined, own: () => number[]) {
  let child: ChildProcess | undefined;
  const others = othersMeter(() => [...own(), ...(child?.pid ? [child.pid] : [])]);
  const output = await new Promise<string>((resolve, reject) => {
    child = spawn(
      process.execPath,
      [
        path.join(root, 'node_modules/autocannon/autocannon.js'),
        '-c',
        String(CANNON_CONNECTIONS),
        '-d',
        String(CANNON_SECONDS),
        '-j',
        ...(cookie ? ['-H', `cookie=${cookie}`] : []),
        url,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let out = '';
    child.stdout!.on('data', (chunk) => {
      out += chunk;
    });
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve(out) : reject(new Error(`autocannon exited with ${code}`)),
    );
  });
  const result = JSON.parse(output) as {
    requests: { average: number };
    latency: { p50: number; p99: number };
    non2xx: number;
    errors: number;
  };
  if (result.errors > 0) throw new Error(`autocannon against ${side} had ${result.errors} errors`);
  return {
    side,
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    others: others(),
  };
}

/** Starts the bare server and answers its process once it listens. */
async function startBare(databaseUrl: string, userId: number): Promise<{ child: ChildProcess; url: string }> {
  const port = await freePort();
  const child = spawn(
    process.execPath,
    [
      '--conditions=@goatflow/source',
      '--import',
      'tsx',
      path.join(root, 'tests/bench/bare-tickets-server.ts'),
    ],
    {
      cwd: root,
      env: {
        ...process.env,
        DATABASE_URL: databaseUrl,
        PORT: String(port),
        BENCH_USER_ID: String(userId),
        PLUGIN_ROLE: roleOf('tickets'),
        PLUGIN_SCHEMA: schemaOf('tickets'),
        STATEMENT_TIMEOUT_MS: String(SQL_TIMEOUT_MS),
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('listening')) resolve();
    });
    child.on('exit', (code) => reject(new Error(`the bare server exited with ${code}`)));
  });
  return { child, url: `http://127.0.0.1:${port}` };
}

interface PartContext {
  kernel: Kernel;
  own: () => number[];
}

/** Each case: its plan (checked, and printed), then its latency through the kernel and the plugin. */
async function latencyPart(
  ctx: PartContext & { client: pg.Client; cases: BenchCase[]; cookies: Record<BenchCase['as'], string> },
): Promise<{ lines: string[]; failures: string[] }> {
  const binding = { role: roleOf('tickets'), schema: schemaOf('tickets'), timeoutMs: 120_000 };
  const failures: string[] = [];
  const rows: string[] = [];
  const plans: string[] = [];
  for (const c of ctx.cases) {
    log(`case ${c.letter}: ${c.path}`);
    const explained = await planOf(ctx.client, c, binding);
    const facts = planFacts(explained);
    for (const index of c.indexes)
      if (!facts.indexes.includes(index)) failures.push(`case ${c.letter}: the plan does not use ${index}`);
    for (const scan of facts.seqScans) failures.push(`case ${c.letter}: ${scan}`);
    if (c.maxBigTableRows !== undefined && facts.bigTableRows > c.maxBigTableRows)
      failures.push(
        `case ${c.letter}: read ${facts.bigTableRows} rows of tickets and articles (at most ${c.maxBigTableRows})`,
      );
    plans.push(
      [
        `#### (${c.letter}) ${c.name}`,
        '',
        `Planning ${explained.planningMs.toFixed(1)} ms, execution ${explained.executionMs.toFixed(1)} ms${explained.jitMs ? `, of which JIT compilation ${explained.jitMs.toFixed(1)} ms` : ''}; ${facts.rows} rows. Scans of tickets and articles that ran:`,
        '',
        ...[...new Set(facts.bigTableScans)].map((scan) => `- ${scan}`),
        '',
        '<details><summary>The whole plan</summary>',
        '',
        '```',
        await planText(ctx.client, c, binding),
        '```',
        '',
        '</details>',
        '',
      ].join('\n'),
    );
    try {
      const measured = await latency(ctx.kernel.url + c.path, ctx.cookies[c.as], ctx.own);
      rows.push(
        `| (${c.letter}) ${c.name} | \`${c.path}\` | ${measured.requests} | ${measured.p50.toFixed(1)} | ${measured.p99.toFixed(1)} | ${facts.rows} | ${cpus(measured.others)} |`,
      );
    } catch (error) {
      failures.push(`case ${c.letter}: ${(error as Error).message}`);
      rows.push(`| (${c.letter}) ${c.name} | \`${c.path}\` | 0 | failed | | ${facts.rows} | |`);
    }
  }
  const lines = [
    `**Latency** (up to ${REQUESTS} sequential requests per case, at most ${CASE_MAX_MS / 1000} s, after ${WARMUP_MS / 1000} s of warm-up, through the kernel and the plugin):`,
    '',
    '| case | request | requests | p50 ms | p99 ms | rows | CPUs used by other processes |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: |',
    ...rows,
    '',
    "**Plans** (`EXPLAIN (ANALYZE, BUFFERS)` of the plugin's statement, as its role, with the user bound):",
    '',
    ...plans,
  ];
  return { lines, failures };
}

/** Case (a) under autocannon, bare and plugin alternating; the ratio of the medians. */
async function throughputPart(
  ctx: PartContext & { bare: string; headline: BenchCase; cookie: string },
): Promise<{ lines: string[]; failures: string[] }> {
  const bareUrl = ctx.bare + ctx.headline.path;
  const pluginUrl = ctx.kernel.url + ctx.headline.path;
  // The two sides must answer the same page, or the comparison compares different work.
  const answers = await Promise.all([
    fetch(bareUrl).then(async (r) => ({ status: r.status, body: await r.text() })),
    fetch(pluginUrl, { headers: { cookie: ctx.cookie } }).then(async (r) => ({
      status: r.status,
      body: await r.text(),
    })),
  ]);
  if (
    answers.some((a) => a.status !== 200) ||
    !isDeepStrictEqual(JSON.parse(answers[0].body), JSON.parse(answers[1].body))
  )
    throw new Error(
      `bare and plugin answer differently: ${answers.map((a) => `${a.status} ${a.body.slice(0, 300)}`).join(' | ')}`,
    );
  // Both sides warm up once (JIT, connections), unmeasured.
  await cannon('bare', bareUrl, undefined, ctx.own);
  await cannon('plugin', pluginUrl, ctx.cookie, ctx.own);
  const runs: CannonRun[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    runs.push(await cannon('bare', bareUrl, undefined, ctx.own));
    runs.push(await cannon('plugin', pluginUrl, ctx.cookie, ctx.own));
  }
  const side = (s: CannonRun['side']) => runs.filter((r) => r.side === s);
  const bareRps = median(side('bare').map((r) => r.rps));
  const pluginRps = median(side('plugin').map((r) => r.rps));
  const non2xx = runs.reduce((n, r) => n + r.non2xx, 0);
  const lines = [
    `**Throughput** of case (a), autocannon -c ${CANNON_CONNECTIONS} -d ${CANNON_SECONDS}, alternating bare and plugin:`,
    '',
    '| run | side | requests/s | p50 ms | p99 ms | CPUs used by other processes |',
    '| ---: | --- | ---: | ---: | ---: | ---: |',
    ...runs.map(
      (r, i) =>
        `| ${Math.floor(i / 2) + 1} | ${r.side} | ${r.rps.toFixed(1)} | ${r.p50} | ${r.p99} | ${cpus(r.others)} |`,
    ),
    '',
    `Median requests/s: bare ${bareRps.toFixed(1)}, plugin ${pluginRps.toFixed(1)}; **plugin / bare = ${((100 * pluginRps) / bareRps).toFixed(0)} %** (target ≥ 70 %).`,
    '',
  ];
  return { lines, failures: non2xx > 0 ? [`${non2xx} throughput answers were not 2xx`] : [] };
}

function commit(): string {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root }).toString().trim();
  } catch {
    return 'unknown';
  }
}

function machine(): string {
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  return `${os.cpus().length} × ${cpu}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${os.platform()} ${os.release()}`;
}

async function main(): Promise<void> {
  const server = process.env.DATABASE_URL;
  if (!server || !/^postgres(ql)?:\/\//.test(server)) {
    process.stderr.write(
      'tests/bench/tickets.ts runs on PostgreSQL only (PGlite plans differently and would take hours to seed):\n' +
        '  eval "$(PGPORT=55507 bash .ci/pg-up.sh)" and run it with DATABASE_URL=$DATABASE_URL\n',
    );
    process.exit(2);
  }
  const db = await benchDatabase(server);
  log(`database ${DB_NAME} (${db.fresh ? 'new' : 'reused'})`);
  const kernel: Kernel = await startTestKernel({
    databaseUrl: db.url,
    corePlugins: ['tickets'],
    env: { GOATFLOW_PLUGIN_SQL_TIMEOUT_MS: String(SQL_TIMEOUT_MS) },
  });
  let bare: { child: ChildProcess; url: string } | undefined;
  const client = new pg.Client({ connectionString: db.url });
  try {
    let world = db.fresh ? undefined : await existingBulkWorld(db.url, TICKETS);
    if (!world) {
      log(`seeding ${TICKETS} tickets`);
      world = await seedBulkTickets(
        db.url,
        { tickets: TICKETS, articlesPerTicket: 2, wordsPerArticle: 30 },
        log,
      );
      log(`seeded in ${world.counts.seconds.toFixed(0)} s`);
    }
    await client.connect();
    const pgPids = await postgresPids(client);
    const pluginPid = () => kernel.plugins.activePlugin('tickets')?.instance.health().pid;
    const own = () => {
      const plugin = pluginPid();
      return [...pgPids(), ...(plugin ? [plugin] : []), ...(bare?.child.pid ? [bare.child.pid] : [])];
    };
    const settings = (
      await client.query<{ name: string; setting: string; unit: string | null }>(
        `select name, setting, unit from pg_settings
          where name in ('server_version', 'shared_buffers', 'work_mem', 'jit', 'random_page_cost',
                         'effective_cache_size', 'max_parallel_workers_per_gather')`,
      )
    ).rows
      .map((r) => `${r.name}=${r.setting}${r.unit ?? ''}`)
      .join(', ');

    const cookies: Record<BenchCase['as'], string> = { agent: '', customer: '' };
    for (const [as, login] of [
      ['agent', world.agent.login],
      ['customer', world.customer.login],
    ] as const) {
      const api = new ApiClient(kernel.url);
      const res = await api.login(login, ADMIN_PASSWORD);
      if (res.status !== 200) throw new Error(`${login} could not sign in: ${res.status}`);
      cookies[as] = api.cookie!;
    }

    const loadBefore = os.loadavg();
    const othersDuringRun = othersMeter(own);
    const cases = benchCases(world);
    const failures: string[] = [];
    const sections: string[] = [];
    if (PARTS.includes('latency')) {
      const part = await latencyPart({ kernel, client, cases, cookies, own });
      failures.push(...part.failures);
      sections.push(...part.lines);
    }
    if (PARTS.includes('throughput')) {
      log('throughput: bare and plugin, alternating');
      bare = await startBare(db.url, world.agent.id);
      const part = await throughputPart({
        kernel,
        bare: bare.url,
        headline: cases[0]!,
        cookie: cookies.agent,
        own,
      });
      failures.push(...part.failures);
      sections.push(...part.lines);
    }
    const othersRun = othersDuringRun();
    const loadAfter = os.loadavg();
    const lines = [
      `Machine: ${machine()}; PostgreSQL ${settings}; commit ${commit()} (with the working tree's changes).`,
      `World: ${world.counts.tickets} tickets, ${world.counts.articles} articles, 20 queues over 10 groups, 10 000 customers; the agent has rw on 5 groups (10 queues); the customer has ${Math.round(world.counts.tickets / 10_000)} tickets.`,
      `Load average (1 min) ${loadBefore[0]!.toFixed(2)} before, ${loadAfter[0]!.toFixed(2)} after; other processes used ${cpus(othersRun)} of the ${os.cpus().length} CPUs on average during the run.`,
      '',
      ...(failures.length
        ? [`**Checks failed:**`, '', ...failures.map((f) => `- ${f}`), '']
        : [
            'Checks: every case uses its index, no sequential scan of tickets or articles, every answer 200.',
            '',
          ]),
      ...sections,
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
    if (failures.length) process.exitCode = 1;
  } finally {
    bare?.child.kill('SIGTERM');
    await client.end().catch(() => {});
    await kernel.stop();
  }
}

await main();
