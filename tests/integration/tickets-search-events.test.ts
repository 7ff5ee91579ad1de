/**
 * The tickets plugin's search and events (docs/plugins-core/tickets-design.md 2.2, 3 and 4):
 * - `q` is PostgreSQL full text (`simple`) over number, title and the articles the caller may see: hits are
 *   ranked (a match in the title and an article above one in an article only), highlighted as plain-text
 *   fragments, never from a ticket the caller may not see, and a customer never matches an internal note;
 * - every write publishes its events in its own transaction: `ticket.created`, one `ticket.updated` per changed
 *   field per ticket, `article.added`, with ids only; a write that fails publishes nothing; the
 *   pending-auto-close job closes due tickets as the system, with history and events by no one.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from '../support/http-client.js';
import { sql } from '../support/sql.js';
import {
  type MatrixUser,
  signIn,
  startTicketsKernel,
  type TicketsKernel,
  type TicketsWorld,
} from '../support/tickets.js';

const V1 = '/api/v1';
let t: TicketsKernel;
let w: TicketsWorld;
const clients = {} as Record<MatrixUser, ApiClient>;
/** Search tickets, by name. */
const found: Record<'both' | 'bodyOnly' | 'markup' | 'inB' | 'noteOnly', number> = {
  both: 0,
  bodyOnly: 0,
  markup: 0,
  inB: 0,
  noteOnly: 0,
};
/** The job scheduler's clock; moved a minute at a time. */
let now = Date.parse('2031-05-01T09:00:30Z');

interface EventRow {
  id: number;
  name: string;
  payload: Record<string, unknown>;
  publisher: string;
}

async function lastEventId(): Promise<number> {
  const [row] = await sql<{ id: number }>(
    t.db.url,
    'select coalesce(max(id), 0)::int as id from kernel.plugin_events',
  );
  return row!.id;
}

async function eventsAfter(id: number): Promise<EventRow[]> {
  return sql<EventRow & Record<string, unknown>>(
    t.db.url,
    'select id::int, name, payload, publisher from kernel.plugin_events where id > $1 order by id',
    [id],
  );
}

/** A ticket in a queue with one article, straight into the plugin's tables; answers its id. */
async function seedTicket(queue: number, title: string, body: string, internal = false): Promise<number> {
  const [row] = await sql<{ id: string }>(
    t.db.url,
    `with c as (
       insert into tickets.tickets (title, queue_id, state_id, state_type, priority_id, customer_user_id,
                                    customer_company_id)
       select $1, $2, s.id, s.type, 3, $4, $5 from tickets.states s where s.name = 'open'
       returning id),
     a as (insert into tickets.articles (ticket_id, sender_type, internal, body)
           select id, 'agent', $6, $3 from c)
     select id from c`,
    [title, queue, body, w.users.cX, w.companies.X, internal],
  );
  return Number(row!.id);
}

function ids(body: { items: { id: number }[] }): number[] {
  return body.items.map((i) => i.id);
}

beforeAll(async () => {
  t = await startTicketsKernel();
  w = t.world;
  t.kernel.plugins.jobs.setClock(() => now);
  found.both = await seedTicket(
    w.queues.A,
    'Scanner firmware update',
    'The scanner firmware fails; the scanner hangs.',
  );
  found.bodyOnly = await seedTicket(w.queues.A, 'Office move', 'Please bring the scanner to the new office.');
  found.markup = await seedTicket(w.queues.A, '<b>Scanner</b> & "co"', 'Nothing else here.');
  found.inB = await seedTicket(w.queues.B, 'Scanner in queue B', 'A scanner nobody in A may see.');
  found.noteOnly = await seedTicket(
    w.queues.A,
    'Quiet ticket',
    'The word zephyrine is only in this note.',
    true,
  );
  // Statistics, as autovacuum would soon give them: without, PostgreSQL's default estimates of the fresh tables
  // push the search statements past jit_above_cost, and JIT compilation alone takes seconds.
  await sql(t.db.url, 'analyze');
  for (const user of ['roA', 'rwA', 'cX', 'admin'] as const) clients[user] = await signIn(t.kernel, user);
}, 180_000);

afterAll(async () => {
  await t?.stop();
});

describe('search', () => {
  it('ranks by relevance by default: title and article, then title, then article only', async () => {
    const res = await clients.rwA.get(`${V1}/tickets?q=scanner`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    // A title match weighs double: title and article, then title only, then article only.
    expect(ids(res.body)).toEqual([found.both, found.markup, found.bodyOnly]);
    expect(res.body.total).toBe(3);
    // Another order when asked for: newest change first (the seed order).
    const byChange = await clients.rwA.get(`${V1}/tickets?q=scanner&sort=-changed`);
    expect(ids(byChange.body)).toEqual([found.markup, found.bodyOnly, found.both]);
  });

  it('refuses relevance without search words, naming the field', async () => {
    const res = await clients.rwA.get(`${V1}/tickets?sort=relevance`);
    expect(res.status).toBe(400);
    expect(res.body.error.details.map((d: { path: string }) => d.path)).toEqual(['query.sort']);
  });

  it('highlights as plain-text fragments: the title, and the best matching article', async () => {
    const res = await clients.rwA.get(`${V1}/tickets?q=scanner`);
    const both = res.body.items.find((i: { id: number }) => i.id === found.both);
    expect(both.highlights[0]).toEqual({
      field: 'title',
      fragments: [
        { text: 'Scanner', match: true },
        { text: ' firmware update', match: false },
      ],
    });
    expect(both.highlights[1].field).toBe('article');
    const article = both.highlights[1].fragments as { text: string; match: boolean }[];
    expect(article.filter((f) => f.match).map((f) => f.text)).toEqual(['scanner', 'scanner']);
    // An excerpt of the article, as it was written.
    expect('The scanner firmware fails; the scanner hangs.').toContain(article.map((f) => f.text).join(''));
    const bodyOnly = res.body.items.find((i: { id: number }) => i.id === found.bodyOnly);
    expect(bodyOnly.highlights.map((h: { field: string }) => h.field)).toEqual(['article']);
    // Markup in a title is text: it arrives as it was written, never as HTML, and no marker leaks.
    const markup = res.body.items.find((i: { id: number }) => i.id === found.markup);
    expect(markup.highlights[0].fragments.map((f: { text: string }) => f.text).join('')).toBe(
      '<b>Scanner</b> & "co"',
    );
    const texts = res.body.items.flatMap((i: { highlights: { fragments: { text: string }[] }[] }) =>
      i.highlights.flatMap((h) => h.fragments.map((f) => f.text)),
    ) as string[];
    const markers = [1, 2, 3].map((c) => String.fromCharCode(c));
    expect(texts.filter((text) => markers.some((m) => text.includes(m)))).toEqual([]);
    // Without q there are no highlights.
    const plain = await clients.rwA.get(`${V1}/tickets`);
    expect(plain.body.items.every((i: Record<string, unknown>) => !('highlights' in i))).toBe(true);
  });

  it('never finds a ticket the caller may not see', async () => {
    for (const user of ['roA', 'rwA'] as const) {
      const res = await clients[user].get(`${V1}/tickets?q=scanner&perPage=100`);
      expect(ids(res.body)).not.toContain(found.inB);
      const refund = await clients[user].get(`${V1}/tickets?q=refund`);
      expect(refund.body).toMatchObject({ items: [], total: 0 });
    }
    const admin = await clients.admin.get(`${V1}/tickets?q=scanner&perPage=100`);
    expect(ids(admin.body)).toContain(found.inB);
  });

  it('never lets a customer match an internal note, which agents do find', async () => {
    const agent = await clients.rwA.get(`${V1}/tickets?q=zephyrine`);
    expect(ids(agent.body)).toEqual([found.noteOnly]);
    const customer = await clients.cX.get(`${V1}/tickets?q=zephyrine`);
    expect(customer.body).toMatchObject({ items: [], total: 0 });
    // The ticket itself is the customer's: they see it, just not through the note.
    expect((await clients.cX.get(`${V1}/tickets/${found.noteOnly}`)).status).toBe(200);
    const seededNote = await clients.cX.get(`${V1}/tickets?q=credit`);
    expect(seededNote.body.total).toBe(0);
    // A word of a public article of the same customer's ticket is found, highlighted.
    const reply = await clients.cX.get(`${V1}/tickets?q=technician`);
    expect(ids(reply.body)).toEqual([w.tickets.A1]);
    expect(reply.body.items[0].highlights).toEqual([
      {
        field: 'article',
        fragments: expect.arrayContaining([{ text: 'technician', match: true }]),
      },
    ]);
  });

  it('filters and counts a search like any list', async () => {
    const res = await clients.admin.get(`${V1}/tickets?q=scanner&queue=${w.queues.B}`);
    expect(res.body).toMatchObject({ total: 1, totalExact: true, page: 1, perPage: 25 });
    expect(ids(res.body)).toEqual([found.inB]);
    const paged = await clients.rwA.get(`${V1}/tickets?q=scanner&perPage=1&page=2`);
    expect(paged.body.total).toBe(3);
    expect(ids(paged.body)).toEqual([found.markup]);
  });
});

describe('the CSV export', () => {
  it('has the rows of the list with the same filters and search, formulas neutralised', async () => {
    const formula = await seedTicket(w.queues.A, '=HYPERLINK("http://evil.example","scanner")', 'x');
    const list = await clients.rwA.get(`${V1}/tickets?q=scanner&perPage=100`);
    const csv = await clients.rwA.get(`${V1}/exports/tickets.csv?q=scanner`);
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(csv.headers.get('content-disposition')).toMatch(/^attachment;.*tickets-\d{4}-\d{2}-\d{2}\.csv/);
    const lines = (csv.body as string)
      .replace(/^\uFEFF/, '')
      .split('\r\n')
      .filter(Boolean);
    expect(lines[0]).toMatch(/^"id","number","title",/);
    expect(lines.slice(1).map((l) => Number(JSON.parse(l.split(',')[0]!)))).toEqual(ids(list.body));
    expect(lines.find((l) => l.startsWith(`"${formula}",`))).toContain(
      `"'=HYPERLINK(""http://evil.example"",""scanner"")"`,
    );
    expect(ids(list.body)).not.toContain(found.inB);
    await sql(t.db.url, 'delete from tickets.tickets where id = $1', [formula]);
  });
});

describe('events', () => {
  it('POST /tickets publishes ticket.created and article.added, with ids only', async () => {
    const since = await lastEventId();
    const res = await clients.rwA.post(`${V1}/tickets`, {
      title: 'An event source',
      queueId: w.queues.A,
      customerUserId: w.users.cX,
      article: { body: 'Secret content that must not travel in an event.' },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const events = await eventsAfter(since);
    expect(events.map((e) => e.name)).toEqual(['ticket.created', 'article.added']);
    expect(events.every((e) => e.publisher === 'tickets')).toBe(true);
    expect(events[0]!.payload).toEqual({
      ticketId: res.body.id,
      tn: res.body.tn,
      queueId: w.queues.A,
      stateType: 'new',
      customerUserId: w.users.cX,
      actorUserId: w.users.rwA,
    });
    const [article] = await sql<{ id: string }>(
      t.db.url,
      'select id from tickets.articles where ticket_id = $1',
      [res.body.id],
    );
    expect(events[1]!.payload).toEqual({
      ticketId: res.body.id,
      articleId: Number(article!.id),
      internal: false,
      senderType: 'agent',
      actorUserId: w.users.rwA,
    });
    expect(JSON.stringify(events)).not.toContain('Secret content');
  });

  it('PATCH publishes one ticket.updated per changed field, none for a field that kept its value', async () => {
    const ticket = (await clients.rwA.get(`${V1}/tickets/${w.tickets.A2}`)).body;
    const since = await lastEventId();
    const res = await clients.rwA.patch(`${V1}/tickets/${w.tickets.A2}`, {
      title: 'A2: invoice address is wrong (checked)',
      priorityId: 4,
      queueId: ticket.queue.id,
      ownerId: ticket.owner.id,
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const events = await eventsAfter(since);
    expect(events.map((e) => [e.name, e.payload.field]).sort()).toEqual([
      ['ticket.updated', 'priority'],
      ['ticket.updated', 'title'],
    ]);
    for (const e of events)
      expect(e.payload).toEqual({ ticketId: w.tickets.A2, field: e.payload.field, actorUserId: w.users.rwA });
    // The history says who changed what, old → new.
    const history = (await clients.rwA.get(`${V1}/tickets/${w.tickets.A2}/history`)).body.items as {
      action: string;
      oldValue: string | null;
      newValue: string | null;
      actor: { id: number } | null;
    }[];
    expect(
      history
        .slice(-2)
        .map((h) => [h.action, h.oldValue, h.newValue, h.actor?.id])
        .sort(),
    ).toEqual([
      ['priority', 'normal', 'high', w.users.rwA],
      ['title', 'A2: invoice address is wrong', 'A2: invoice address is wrong (checked)', w.users.rwA],
    ]);
  });

  it('a bulk change publishes one event per ticket and field; merging one per changed field of both', async () => {
    const a = await seedTicket(w.queues.A, 'Bulk one', 'one');
    const b = await seedTicket(w.queues.A, 'Bulk two', 'two');
    let since = await lastEventId();
    const bulk = await clients.rwA.patch(`${V1}/tickets`, {
      ids: [a, b],
      set: { priorityId: 1, stateId: w.states.new },
    });
    expect(bulk.status, JSON.stringify(bulk.body)).toBe(200);
    expect(bulk.body).toEqual({ ids: [a, b], changes: 4 });
    const events = await eventsAfter(since);
    expect(events.map((e) => `${e.payload.ticketId}:${e.payload.field}`).sort()).toEqual(
      [`${a}:priority`, `${a}:state`, `${b}:priority`, `${b}:state`].sort(),
    );
    since = await lastEventId();
    const merged = await clients.rwA.post(`${V1}/tickets/${a}/merge`, { targetId: b });
    expect(merged.status, JSON.stringify(merged.body)).toBe(200);
    expect((await eventsAfter(since)).map((e) => `${e.payload.ticketId}:${e.payload.field}`).sort()).toEqual(
      [`${a}:merged_into`, `${a}:state`, `${b}:merged_from`].sort(),
    );
    // The source's articles moved to the target.
    expect((await clients.rwA.get(`${V1}/tickets/${b}/articles`)).body.items).toHaveLength(2);
  });

  it('an article publishes article.added; a note says it is internal', async () => {
    const since = await lastEventId();
    const res = await clients.rwA.post(`${V1}/tickets/${w.tickets.A1}/articles`, {
      body: 'a note',
      internal: true,
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect((await eventsAfter(since)).map((e) => e.payload)).toEqual([
      {
        ticketId: w.tickets.A1,
        articleId: res.body.id,
        internal: true,
        senderType: 'agent',
        actorUserId: w.users.rwA,
      },
    ]);
  });

  it('a refused or failed write publishes nothing: events exist only once their write commits', async () => {
    const since = await lastEventId();
    expect((await clients.roA.patch(`${V1}/tickets/${w.tickets.A1}`, { priorityId: 1 })).status).toBe(403);
    await sql(
      t.db.url,
      "alter table tickets.ticket_history add constraint injected check (action <> 'lock') not valid",
    );
    try {
      const failed = await clients.rwA.patch(`${V1}/tickets/${w.tickets.A1}`, {
        priorityId: 1,
        locked: true,
      });
      expect(failed.status).toBe(502);
    } finally {
      await sql(t.db.url, 'alter table tickets.ticket_history drop constraint injected');
    }
    expect(await eventsAfter(since)).toEqual([]);
    const [row] = await sql<{ priority_id: number }>(
      t.db.url,
      'select priority_id from tickets.tickets where id = $1',
      [w.tickets.A1],
    );
    expect(row!.priority_id).not.toBe(1);
  });
});

describe('the pending-auto-close job', () => {
  it('closes due pending_auto tickets as the system, with history and events by no one', async () => {
    const due = await seedTicket(w.queues.A, 'Waiting for the customer', 'ping');
    const later = await seedTicket(w.queues.A, 'Waiting a while longer', 'pong');
    await sql(
      t.db.url,
      `update tickets.tickets t set state_id = s.id, state_type = s.type,
              pending_until = now() + case when t.id = $1 then interval '-1 minute' else interval '1 day' end
         from tickets.states s where s.type = 'pending_auto' and t.id in ($1, $2)`,
      [due, later],
    );
    const since = await lastEventId();
    now += 60_000;
    await t.kernel.plugins.jobs.tick();
    const [run] = await sql<{ finished: boolean; error: string | null }>(
      t.db.url,
      `select finished_at is not null as finished, error from kernel.plugin_job_runs
        where plugin_id = 'tickets' and job_id = 'pending-auto-close' and scheduled_for = $1`,
      [new Date(now - 30_000).toISOString()],
    );
    expect(run).toEqual({ finished: true, error: null });
    const tickets = await sql<{ id: string; state_type: string; pending_until: unknown }>(
      t.db.url,
      'select id, state_type, pending_until from tickets.tickets where id in ($1, $2) order by id',
      [due, later],
    );
    expect(tickets.map((r) => [Number(r.id), r.state_type, r.pending_until === null])).toEqual([
      [due, 'closed', true],
      [later, 'pending_auto', false],
    ]);
    const history = (await clients.rwA.get(`${V1}/tickets/${due}/history`)).body.items as {
      action: string;
      newValue: string | null;
      actor: unknown;
    }[];
    expect(
      history
        .slice(-2)
        .map((h) => [h.action, h.newValue, h.actor])
        .sort(),
    ).toEqual([
      ['pending_until', null, null],
      ['state', 'closed successful', null],
    ]);
    expect(
      (await eventsAfter(since))
        .map((e) => e.payload)
        .sort((x, y) => String(x.field).localeCompare(String(y.field))),
    ).toEqual([
      { ticketId: due, field: 'pending_until', actorUserId: null },
      { ticketId: due, field: 'state', actorUserId: null },
    ]);
  });
});
