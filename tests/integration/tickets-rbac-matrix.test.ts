/**
 * The tickets plugin's RBAC matrix (docs/plugins-core/tickets-design.md, section 3), driven by the table in
 * tests/support/tickets-matrix.ts: for every route and every matrix user (ro-A, rw-A, the customer cX, the admin)
 * the exact status, and where the table says so the exact tickets, articles or queues, the total, the queue counts
 * per state type, the search hits, and the field a 400 names; a refused write leaves its tickets, their articles
 * and history as they were. Whatever ro-A and rw-A get never shows B2, and an anonymous caller gets 401 from every
 * route but the OpenAPI document.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../fixtures/grpc/host-api-plugins.js';
import { ApiClient, type ApiResponse } from '../support/http-client.js';
import { sql } from '../support/sql.js';
import { signIn, startTicketsKernel, type TicketsKernel, type TicketsWorld } from '../support/tickets.js';
import {
  type ArticleKey,
  type Counts,
  type Expectation,
  MATRIX,
  MATRIX_COLUMNS,
  type MatrixCase,
  type MatrixColumn,
  type MatrixFixtures,
  type MatrixRequest,
  type TicketKey,
} from '../support/tickets-matrix.js';

const STATE_TYPES = ['new', 'open', 'pending_reminder', 'pending_auto', 'closed', 'merged'] as const;

let t: TicketsKernel;
let w: TicketsWorld;
const clients = {} as Record<MatrixColumn, ApiClient>;
let anonymous: ApiClient;
/** B2 as text that must never reach ro-A or rw-A. */
let b2Marks: string[];

/** A new ticket like a seeded one, with one customer article, written straight into the plugin's tables. */
async function copyOf(key: TicketKey): Promise<number> {
  const [row] = await sql<{ id: string }>(
    t.db.url,
    `with c as (
       insert into tickets.tickets (title, queue_id, state_id, state_type, priority_id, customer_user_id,
                                    customer_company_id, owner_id, pending_until, created_by, changed_by)
       select 'Copy of ' || title, queue_id, state_id, state_type, priority_id, customer_user_id,
              customer_company_id, owner_id, pending_until, created_by, changed_by
         from tickets.tickets where id = $1
       returning id, customer_user_id),
     a as (insert into tickets.articles (ticket_id, sender_type, author_user_id, body)
           select id, 'customer', customer_user_id, 'A copy for a write that uses it up.' from c)
     select id from c`,
    [w.tickets[key]],
  );
  return Number(row!.id);
}

const fixtures: MatrixFixtures = {
  get world() {
    return w;
  },
  copyOf,
  userId: (user) => w.users[user],
};

/** The tickets, their article and history counts: what a refused write must leave as it was. */
async function snapshot(keys: TicketKey[]): Promise<unknown[]> {
  return sql(
    t.db.url,
    `select t.*, (select count(*) from tickets.articles a where a.ticket_id = t.id) as articles,
            (select count(*) from tickets.ticket_history h where h.ticket_id = t.id) as history
       from tickets.tickets t where t.id = any($1::bigint[]) order by t.id`,
    [keys.map((k) => w.tickets[k])],
  );
}

function keysOf<K extends string>(ids: unknown[], map: Record<K, number>): K[] {
  const byId = new Map(Object.entries(map).map(([k, v]) => [Number(v), k as K]));
  return ids.map((id) => byId.get(Number(id)) ?? (`new ${String(id)}` as K)).sort();
}

/**
 * The ticket ids of an answer: a list, a bulk change, or a CSV export. The export's header must start with the
 * `id` column and every row with a quoted integer id: a row that does not is a failure, not an unknown ticket.
 */
function ticketIds(res: ApiResponse<any>): number[] {
  if (typeof res.body === 'string') {
    const [header, ...rows] = res.body
      .replace(/^\uFEFF/, '')
      .split('\r\n')
      .filter(Boolean);
    expect(header?.split(',')[0], 'the first column of the export').toBe('"id"');
    return rows.map((line) => {
      const id = /^"(\d+)",/.exec(line)?.[1];
      expect(id, `the id of the export row ${line}`).toBeDefined();
      return Number(id);
    });
  }
  const body = res.body as { items?: { id: number }[]; ids?: number[] };
  return body.ids ?? body.items!.map((i) => i.id);
}

async function send(client: ApiClient, req: MatrixRequest): Promise<ApiResponse<any>> {
  return client.request(req.method, req.path, req.body);
}

/** Checks one answer against one cell of the table. */
async function check(
  c: MatrixCase,
  user: MatrixColumn,
  res: ApiResponse<any>,
  e: Expectation,
): Promise<void> {
  const what = `${c.row} ${c.name} as ${user}: ${typeof res.body === 'string' ? res.body.slice(0, 300) : JSON.stringify(res.body)}`;
  expect(res.status, what).toBe(e.status);
  if (e.tickets) expect(keysOf(ticketIds(res), w.tickets), what).toEqual([...e.tickets].sort());
  if (e.total !== undefined) {
    expect(res.body.total, what).toBe(e.total);
    expect(res.body.totalExact, what).toBe(true);
  }
  if (e.articles) {
    const ids = (res.body.items as { id: number }[]).map((a) => a.id);
    expect(keysOf<ArticleKey>(ids, w.articles), what).toEqual([...e.articles].sort());
  }
  if (e.queues) {
    const items = res.body.items as { id: number; counts: Record<string, number> }[];
    expect(
      keysOf(
        items.map((q) => q.id),
        w.queues,
      ),
      what,
    ).toEqual(Object.keys(e.queues).sort());
    for (const [key, counts] of Object.entries(e.queues) as [keyof TicketsWorld['queues'], Counts][]) {
      const got = items.find((q) => q.id === w.queues[key])!.counts;
      expect(got, `${what} counts of ${key}`).toEqual(
        Object.fromEntries(STATE_TYPES.map((type) => [type, counts[type] ?? 0])),
      );
    }
  }
  if (e.field) {
    const paths = (res.body.error?.details ?? []).map((d: { path: string }) => d.path);
    expect(paths, what).toContain(e.field);
  }
  if (user === 'roA' || user === 'rwA') {
    const text = typeof res.body === 'string' ? res.body : JSON.stringify(res.body ?? null);
    for (const mark of b2Marks) expect(text.includes(mark), `${what} shows B2`).toBe(false);
  }
}

beforeAll(async () => {
  t = await startTicketsKernel();
  w = t.world;
  // Statistics, as autovacuum would soon give them: without, PostgreSQL's default estimates of the fresh tables
  // push the search statements past jit_above_cost, and JIT compilation alone takes seconds.
  await sql(t.db.url, 'analyze');
  for (const user of MATRIX_COLUMNS) clients[user] = await signIn(t.kernel, user);
  anonymous = new ApiClient(t.kernel.url);
  const [b2] = await sql<{ tn: string; title: string }>(
    t.db.url,
    'select tn, title from tickets.tickets where id = $1',
    [w.tickets.B2],
  );
  b2Marks = [b2!.tn, b2!.title];
}, 180_000);

afterAll(async () => {
  await t?.stop();
});

/** Reads first: the writes add tickets and articles the reads would see. */
const ordered = [...MATRIX.filter((c) => c.kind === 'read'), ...MATRIX.filter((c) => c.kind === 'write')];

describe('the RBAC matrix', () => {
  it.each(ordered.map((c) => [`${c.row} — ${c.name}`, c] as const))('%s', async (_title, c) => {
    for (const user of MATRIX_COLUMNS) {
      const e = c.expect[user];
      const req = await c.request(fixtures, user);
      const before = e.unchanged ? await snapshot(e.unchanged) : undefined;
      await check(c, user, await send(clients[user], req), e);
      if (e.unchanged) expect(await snapshot(e.unchanged), `${c.row} ${c.name} as ${user}`).toEqual(before);
    }
  });
});

describe('an anonymous caller', () => {
  it('gets 401 from every route of the table but the OpenAPI document', async () => {
    const answers: string[] = [];
    for (const c of MATRIX) {
      const res = await send(anonymous, await c.request(fixtures, 'admin'));
      const want = c.auth === 'public' ? 200 : 401;
      if (res.status !== want) answers.push(`${c.row} ${c.name}: ${res.status}, not ${want}`);
    }
    expect(answers).toEqual([]);
  });
});

describe('the table itself', () => {
  it('asks about every route the plugin serves', () => {
    const manifest = JSON.parse(
      fs.readFileSync(path.join(repoRoot, 'plugins-core', 'tickets', 'goatflow-plugin.json'), 'utf8'),
    ) as { contributes: { routes: { method: string; path: string }[] } };
    const served = manifest.contributes.routes.map((r) => `${r.method} ${r.path.replace(/^\/api\/v1/, '')}`);
    const asked = new Set(MATRIX.map((c) => c.route));
    expect(served.filter((r) => !asked.has(r))).toEqual([]);
    expect(served.length).toBeGreaterThan(20);
  });
});
