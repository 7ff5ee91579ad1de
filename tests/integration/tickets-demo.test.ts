/**
 * The tickets plugin's demo data (GOATFLOW_DEMO_DATA=true): on the kernel's `kernel.demo_data.seeded` event it
 * writes 5 queues, 4 companies with the 12 demo customers and 300 tickets over the last 90 days — once. A restart
 * publishes the event again and changes nothing, and a ticket an admin deleted stays deleted.
 */
import { DEMO_PASSWORD, type Kernel } from '@goatflow/kernel';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase, type TestDatabase } from '../support/database.js';
import { ApiClient } from '../support/http-client.js';
import { adminClient, startTestKernel } from '../support/kernel.js';
import { sql } from '../support/sql.js';

const DAY_MS = 86_400_000;
let db: TestDatabase;
let kernel: Kernel | undefined;

async function start(): Promise<Kernel> {
  kernel = await startTestKernel({
    databaseUrl: db.url,
    corePlugins: ['tickets'],
    env: { GOATFLOW_DEMO_DATA: 'true', GOATFLOW_EVENTS_POLL_MS: '50' },
  });
  return kernel;
}

/** Waits until the tickets plugin has handled `n` demo events (each start publishes one). */
async function demoDeliveries(n: number): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const [row] = await sql<{ delivered: number; failed: string | null }>(
      db.url,
      `select count(*) filter (where d.delivered_at is not null)::int as delivered,
              max(d.last_error) filter (where d.delivered_at is null) as failed
         from kernel.plugin_event_deliveries d join kernel.plugin_events e on e.id = d.event_id
        where d.plugin_id = 'tickets' and e.name = 'kernel.demo_data.seeded'`,
    );
    if (row!.delivered >= n) return;
    if (Date.now() > deadline)
      throw new Error(`${row!.delivered} of ${n} demo events handled; last error: ${row!.failed}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

interface Counts {
  queues: number;
  companies: number;
  customers: number;
  tickets: number;
  articles: number;
  history: number;
}

const counts = async (): Promise<Counts> =>
  (
    await sql<Counts & Record<string, unknown>>(
      db.url,
      `select (select count(*)::int from tickets.queues) as queues,
              (select count(*)::int from tickets.customer_companies) as companies,
              (select count(*)::int from tickets.customer_users) as customers,
              (select count(*)::int from tickets.tickets) as tickets,
              (select count(*)::int from tickets.articles) as articles,
              (select count(*)::int from tickets.ticket_history) as history`,
    )
  )[0]!;

beforeAll(async () => {
  db = await freshDatabase();
  await start();
  await demoDeliveries(1);
});

afterAll(async () => {
  await kernel?.stop();
  await db?.drop();
});

describe('tickets demo data', () => {
  it('puts the five queues on their kernel groups and every demo customer in their company', async () => {
    const queues = await sql(
      db.url,
      `select q.name, g.name as "group" from tickets.queues q join kernel.groups g on g.id = q.group_id
        order by q.name`,
    );
    expect(queues).toEqual([
      { name: 'Billing', group: 'billing' },
      { name: 'Engineering', group: 'engineering' },
      { name: 'Raw', group: 'admin' },
      { name: 'Sales', group: 'support' },
      { name: 'Support', group: 'support' },
    ]);
    const links = await sql<{ login: string; company: string; access: boolean }>(
      db.url,
      `select u.login, c.name as company, cu.company_access as access
         from tickets.customer_users cu
         join kernel.users u on u.id = cu.user_id
         join tickets.customer_companies c on c.id = cu.company_id
        order by u.login`,
    );
    expect(links).toHaveLength(12);
    expect(new Set(links.map((l) => l.company)).size).toBe(4);
    expect(links.filter((l) => l.access)).toHaveLength(6);
    // Everyone of one mail domain is in one company.
    const byDomain = new Map<string, Set<string>>();
    for (const l of links)
      byDomain.set(
        l.login.split('@')[1]!,
        (byDomain.get(l.login.split('@')[1]!) ?? new Set()).add(l.company),
      );
    expect([...byDomain.values()].every((companies) => companies.size === 1)).toBe(true);
  });

  it('writes 300 tickets over the last 90 days with the designed state mix', async () => {
    const [spread] = await sql<{ n: number; oldest: number; newest: number; future: number }>(
      db.url,
      `select count(*)::int as n,
              (extract(epoch from now() - min(created_at)) * 1000)::float8 as oldest,
              (extract(epoch from now() - max(created_at)) * 1000)::float8 as newest,
              count(*) filter (where changed_at > now() or changed_at < created_at)::int as future
         from tickets.tickets`,
    );
    expect(spread!.n).toBe(300);
    expect(spread!.oldest).toBeLessThan(90 * DAY_MS);
    expect(spread!.oldest - spread!.newest).toBeGreaterThan(80 * DAY_MS);
    expect(spread!.future).toBe(0);
    // Every 30-day third of the window holds tickets.
    const thirds = await sql<{ third: number }>(
      db.url,
      `select distinct floor(extract(epoch from now() - created_at) / (30 * 86400))::int as third from tickets.tickets`,
    );
    expect(thirds.map((t) => t.third).sort()).toEqual([0, 1, 2]);

    const mix = Object.fromEntries(
      (
        await sql<{ name: string; share: number }>(
          db.url,
          `select s.name, count(*)::float8 / 300 as share
             from tickets.tickets t join tickets.states s on s.id = t.state_id and s.type = t.state_type
            group by s.name`,
        )
      ).map((r) => [r.name, r.share]),
    );
    expect(mix['closed successful']).toBeCloseTo(0.45, 1);
    expect(mix.open).toBeCloseTo(0.2, 1);
    expect(mix.new).toBeCloseTo(0.15, 1);
    expect(mix['pending reminder']).toBeCloseTo(0.1, 1);
    expect((mix['closed unsuccessful'] ?? 0) + (mix['pending auto close'] ?? 0)).toBeCloseTo(0.1, 1);
  });

  it('gives each ticket 1 to 6 articles, 15 % of them internal, and a history row per transition', async () => {
    const [articles] = await sql<{ fewest: number; most: number; internal: number; before: number }>(
      db.url,
      `select min(n)::int as fewest, max(n)::int as most,
              (select avg(internal::int)::float8 from tickets.articles) as internal,
              (select count(*)::int from tickets.articles a join tickets.tickets t on t.id = a.ticket_id
                where a.created_at < t.created_at or a.created_at > t.changed_at) as before
         from (select count(a.id) as n from tickets.tickets t left join tickets.articles a on a.ticket_id = t.id
                group by t.id) x`,
    );
    expect(articles).toMatchObject({ fewest: 1, most: 6, before: 0 });
    expect(articles!.internal).toBeGreaterThan(0.1);
    expect(articles!.internal).toBeLessThan(0.2);
    // A "created" row for each ticket; its last state row (if it changed state) names its state; an article or
    // note row for every article after the first.
    const [history] = await sql<{
      created: number;
      wrong_state: number;
      article_rows: number;
      later: number;
    }>(
      db.url,
      `select (select count(*)::int from tickets.ticket_history where action = 'created') as created,
              (select count(*)::int from tickets.tickets t
                 join lateral (select h.new_value from tickets.ticket_history h
                                where h.ticket_id = t.id and h.action in ('created', 'state')
                                order by h.at desc, h.id desc limit 1) h on true
                where h.new_value <> t.state_id::text) as wrong_state,
              (select count(*)::int from tickets.ticket_history where action in ('article', 'note')) as article_rows,
              (select count(*)::int - count(distinct ticket_id)::int from tickets.articles) as later`,
    );
    expect(history).toMatchObject({ created: 300, wrong_state: 0 });
    expect(history!.article_rows).toBe(history!.later);
  });

  it('shows an agent the demo tickets of their queues through the API', async () => {
    const alice = new ApiClient(kernel!.url);
    expect((await alice.login('alice', DEMO_PASSWORD)).status).toBe(200);
    const [expected] = await sql<{ n: number }>(
      db.url,
      `select count(*)::int as n from tickets.tickets t join tickets.queues q on q.id = t.queue_id
        where q.name in ('Support', 'Sales', 'Billing')`,
    );
    const list = await alice.get<{ total: number; items: { queue: { name: string } }[] }>(
      '/api/v1/tickets?perPage=100',
    );
    expect(list.status).toBe(200);
    expect(list.body.total).toBe(expected!.n);
    expect(new Set(list.body.items.map((t) => t.queue.name))).toEqual(
      new Set(['Support', 'Sales', 'Billing']),
    );
  });

  it('writes nothing on a restart, and does not bring back a ticket an admin deleted', async () => {
    const admin = await adminClient(kernel!);
    const [{ id }] = (await sql<{ id: string }>(
      db.url,
      'select min(id)::text as id from tickets.tickets',
    )) as [{ id: string }];
    expect((await admin.delete(`/api/v1/tickets/${id}`)).status).toBe(204);
    const before = await counts();
    expect(before.tickets).toBe(299);
    const marker = await sql(db.url, `select value from tickets.meta where key = 'demo_data'`);

    await kernel!.stop();
    kernel = undefined;
    await start();
    await demoDeliveries(2);

    expect(await counts()).toEqual(before);
    expect(await sql(db.url, 'select id from tickets.tickets where id = $1', [id])).toEqual([]);
    expect(await sql(db.url, `select value from tickets.meta where key = 'demo_data'`)).toEqual(marker);
  });
});
