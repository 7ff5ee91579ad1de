/**
 * The tickets plugin's writes when they must not happen (docs/plugins-core/tickets-design.md 2.3 and slice 5):
 * - every write route answers invalid input with a 400 naming the field — malformed values, references the
 *   caller may not see or use, combinations the schema cannot express — and an attachment over the plugin
 *   setting maxAttachmentBytes with a 413 naming it; nothing is written;
 * - a write that fails inside its transaction (a constraint failing in its last statement, injected by the test,
 *   or a row changed between the handler's check and the write) leaves the row counts of tickets, articles,
 *   attachments, history and the kernel's events exactly as they were: nothing is half-written;
 * - a name taken between the handler's check and the write, which only the unique index catches, is the same 409
 *   naming body.name as the check's, not a failed invocation.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INSERT_ARTICLE, INSERT_FIRST_ARTICLE } from '../../plugins-core/tickets/src/sql/tickets/articles.js';
import { INSERT_TICKET } from '../../plugins-core/tickets/src/sql/tickets/create.js';
import { MERGE_TICKET } from '../../plugins-core/tickets/src/sql/tickets/merge.js';
import { LOCK_TICKETS } from '../../plugins-core/tickets/src/sql/tickets/update.js';
import type { ApiClient, ApiResponse } from '../support/http-client.js';
import { sql } from '../support/sql.js';
import {
  type MatrixUser,
  queryAs,
  signIn,
  startTicketsKernel,
  TICKETS_ROLE,
  TICKETS_SCHEMA,
  type TicketsKernel,
  type TicketsWorld,
} from '../support/tickets.js';

const V1 = '/api/v1';
let t: TicketsKernel;
let w: TicketsWorld;
const clients = {} as Record<MatrixUser, ApiClient>;

/** Row counts of everything a ticket write touches, and of the kernel's events. */
async function counts(): Promise<Record<string, number>> {
  const [row] = await sql<Record<string, number>>(
    t.db.url,
    `select (select count(*)::int from tickets.tickets) as tickets,
            (select count(*)::int from tickets.articles) as articles,
            (select count(*)::int from tickets.attachments) as attachments,
            (select count(*)::int from tickets.ticket_history) as history,
            (select count(*)::int from kernel.plugin_events) as events`,
  );
  return row!;
}

/** The ticket rows as they are, to compare before and after. */
function ticketRows(ids: number[]) {
  return sql(t.db.url, 'select * from tickets.tickets where id = any($1::bigint[]) order by id', [ids]);
}

/** A new ticket like seeded ticket `id` (queue, customer, state), with one customer article. */
async function copyTicket(id: number): Promise<number> {
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
    [id],
  );
  return Number(row!.id);
}

/** Gives `user` the key `key` in group `group` for the duration of `run`. */
async function withKey(user: number, group: number, key: string, run: () => Promise<void>): Promise<void> {
  await sql(
    t.db.url,
    'insert into kernel.group_memberships (group_id, user_id, permission_key) values ($1, $2, $3)',
    [group, user, key],
  );
  try {
    await run();
  } finally {
    await sql(
      t.db.url,
      'delete from kernel.group_memberships where group_id = $1 and user_id = $2 and permission_key = $3',
      [group, user, key],
    );
  }
}

function fields(res: ApiResponse<any>): string[] {
  return (res.body?.error?.details ?? []).map((d: { path: string }) => d.path);
}

const file = (filename: string, content: string) => ({
  filename,
  contentType: 'text/plain',
  contentBase64: Buffer.from(content).toString('base64'),
});

beforeAll(async () => {
  t = await startTicketsKernel();
  w = t.world;
  // Statistics, as autovacuum would soon give them: without, PostgreSQL's default estimates of the fresh tables
  // push the search statements past jit_above_cost, and JIT compilation alone takes seconds.
  await sql(t.db.url, 'analyze');
  for (const user of ['roA', 'rwA', 'noteA', 'cX', 'admin'] as const)
    clients[user] = await signIn(t.kernel, user);
}, 180_000);

afterAll(async () => {
  await t?.stop();
});

interface InvalidCase {
  /** The route, for the test's title. */
  route: string;
  name: string;
  user: MatrixUser;
  method: 'POST' | 'PATCH' | 'DELETE';
  path: (w: TicketsWorld) => string;
  body?: (w: TicketsWorld) => unknown;
  field: string;
}

const article = { body: 'A valid first article.' };
const ticket = (w: TicketsWorld, extra: Record<string, unknown> = {}) => ({
  title: 'A valid title',
  queueId: w.queues.A,
  article,
  ...extra,
});

const INVALID: InvalidCase[] = [
  // POST /tickets
  {
    route: 'POST /tickets',
    name: 'no title',
    user: 'rwA',
    method: 'POST',
    path: () => `${V1}/tickets`,
    body: () => ({}),
    field: 'body.title',
  },
  ...(
    [
      ['a blank title', { title: '   ' }, 'body.title'],
      ['a queue that is not a number', { queueId: 'x' }, 'body.queueId'],
      ['a priority out of range', { priorityId: 9 }, 'body.priorityId'],
      ['an unknown field', { color: 'red' }, 'body.color'],
      ['a pending time that is not an instant', { pendingUntil: 'tomorrow' }, 'body.pendingUntil'],
      ['a pending time in the year 0000', { pendingUntil: '0000-06-01T09:00:00Z' }, 'body.pendingUntil'],
      [
        'a pending time with an offset PostgreSQL refuses',
        { pendingUntil: '2030-06-01T09:00:00+16:00' },
        'body.pendingUntil',
      ],
      [
        'a pending time for the default new state',
        { pendingUntil: '2030-06-01T09:00:00Z' },
        'body.pendingUntil',
      ],
      ['no article', { article: undefined }, 'body.article'],
      ['a blank article', { article: { body: '  ' } }, 'body.article.body'],
      [
        'an attachment that is not base64',
        {
          article: {
            ...article,
            attachments: [{ filename: 'a.txt', contentType: 'text/plain', contentBase64: '***' }],
          },
        },
        'body.article.attachments.0.contentBase64',
      ],
      [
        'an attachment name with a slash',
        { article: { ...article, attachments: [file('../etc/passwd', 'x')] } },
        'body.article.attachments.0.filename',
      ],
    ] as const
  ).map(
    ([name, extra, field]): InvalidCase => ({
      route: 'POST /tickets',
      name,
      user: 'rwA',
      method: 'POST',
      path: () => `${V1}/tickets`,
      body: (w) => ticket(w, extra),
      field,
    }),
  ),
  ...(
    [
      ['a queue the caller does not see', (w: TicketsWorld) => ({ queueId: w.queues.B }), 'body.queueId'],
      ['a state that does not exist', () => ({ stateId: 999 }), 'body.stateId'],
      ['the merged state', () => ({ stateId: 7 }), 'body.stateId'],
      [
        'a pending state without a time',
        (w: TicketsWorld) => ({ stateId: w.states.pendingReminder }),
        'body.pendingUntil',
      ],
      ['a type that does not exist', () => ({ typeId: 999 }), 'body.typeId'],
      ['an owner with only ro', (w: TicketsWorld) => ({ ownerId: w.users.roA }), 'body.ownerId'],
      [
        'a customer as responsible',
        (w: TicketsWorld) => ({ responsibleId: w.users.cX }),
        'body.responsibleId',
      ],
      [
        'an agent as customer user',
        (w: TicketsWorld) => ({ customerUserId: w.users.rwA }),
        'body.customerUserId',
      ],
    ] as const
  ).map(
    ([name, extra, field]): InvalidCase => ({
      route: 'POST /tickets',
      name,
      user: 'rwA',
      method: 'POST',
      path: () => `${V1}/tickets`,
      body: (w) => ticket(w, extra(w)),
      field,
    }),
  ),
  {
    route: 'POST /tickets',
    name: 'a customer setting the state',
    user: 'cX',
    method: 'POST',
    path: () => `${V1}/tickets`,
    body: (w) => ticket(w, { stateId: w.states.open }),
    field: 'body.stateId',
  },
  {
    route: 'POST /tickets',
    name: 'a customer writing an internal note',
    user: 'cX',
    method: 'POST',
    path: () => `${V1}/tickets`,
    body: (w) => ticket(w, { article: { ...article, internal: true } }),
    field: 'body.article.internal',
  },
  // PATCH /tickets/:id
  ...(
    [
      ['nothing to change', () => ({}), 'body'],
      ['only ifUnchangedSince', () => ({ ifUnchangedSince: new Date().toISOString() }), 'body'],
      [
        'ifUnchangedSince with an offset of -23:30',
        () => ({ title: 'x', ifUnchangedSince: '2024-01-01T00:00:00-23:30' }),
        'body.ifUnchangedSince',
      ],
      [
        'a pending time in the year 0000',
        () => ({ pendingUntil: '0000-01-01T00:00:00Z' }),
        'body.pendingUntil',
      ],
      [
        'a pending time for an open ticket',
        () => ({ pendingUntil: '2030-06-01T09:00:00Z' }),
        'body.pendingUntil',
      ],
      [
        'a pending time with a state that is not pending',
        (w: TicketsWorld) => ({ stateId: w.states.closedSuccessful, pendingUntil: '2030-06-01T09:00:00Z' }),
        'body.pendingUntil',
      ],
      ['a blank title', () => ({ title: '' }), 'body.title'],
      [
        'ifUnchangedSince that is not an instant',
        () => ({ title: 'x', ifUnchangedSince: 'yesterday' }),
        'body.ifUnchangedSince',
      ],
      ['locked that is not a boolean', () => ({ locked: 'yes' }), 'body.locked'],
      ['a queue the caller does not see', (w: TicketsWorld) => ({ queueId: w.queues.B }), 'body.queueId'],
      ['an owner with only ro', (w: TicketsWorld) => ({ ownerId: w.users.roA }), 'body.ownerId'],
      [
        'a pending state without a time',
        (w: TicketsWorld) => ({ stateId: w.states.pendingReminder }),
        'body.pendingUntil',
      ],
      ['the merged state', () => ({ stateId: 7 }), 'body.stateId'],
      ['a customer user that does not exist', () => ({ customerUserId: 99_999 }), 'body.customerUserId'],
    ] as const
  ).map(
    ([name, body, field]): InvalidCase => ({
      route: 'PATCH /tickets/:id',
      name,
      user: 'rwA',
      method: 'PATCH',
      path: (w) => `${V1}/tickets/${w.tickets.A1}`,
      body,
      field,
    }),
  ),
  {
    route: 'PATCH /tickets/:id',
    name: 'an id that is not a number',
    user: 'rwA',
    method: 'PATCH',
    path: () => `${V1}/tickets/abc`,
    body: () => ({ title: 'x' }),
    field: 'params.id',
  },
  // PATCH /tickets (bulk)
  ...(
    [
      ['no ids', () => ({ ids: [], set: { priorityId: 2 } }), 'body.ids'],
      [
        'more than 100 ids',
        () => ({ ids: Array.from({ length: 101 }, (_, i) => i + 1), set: { priorityId: 2 } }),
        'body.ids',
      ],
      ['nothing to set', (w: TicketsWorld) => ({ ids: [w.tickets.A1], set: {} }), 'body.set'],
      [
        'a field bulk cannot set',
        (w: TicketsWorld) => ({ ids: [w.tickets.A1], set: { title: 'x' } }),
        'body.set.title',
      ],
      [
        'a state that does not exist',
        (w: TicketsWorld) => ({ ids: [w.tickets.A1], set: { stateId: 999 } }),
        'body.set.stateId',
      ],
      [
        'a pending state without a time',
        (w: TicketsWorld) => ({
          ids: [w.tickets.A1, w.tickets.A2],
          set: { stateId: w.states.pendingReminder },
        }),
        'body.set.pendingUntil',
      ],
    ] as const
  ).map(
    ([name, body, field]): InvalidCase => ({
      route: 'PATCH /tickets',
      name,
      user: 'rwA',
      method: 'PATCH',
      path: () => `${V1}/tickets`,
      body,
      field,
    }),
  ),
  // POST /tickets/:id/merge
  ...(
    [
      ['no target', () => ({}), 'body.targetId'],
      ['itself', (w: TicketsWorld) => ({ targetId: w.tickets.A1 }), 'body.targetId'],
      [
        'a target the caller does not see',
        (w: TicketsWorld) => ({ targetId: w.tickets.B2 }),
        'body.targetId',
      ],
    ] as const
  ).map(
    ([name, body, field]): InvalidCase => ({
      route: 'POST /tickets/:id/merge',
      name,
      user: 'rwA',
      method: 'POST',
      path: (w) => `${V1}/tickets/${w.tickets.A1}/merge`,
      body,
      field,
    }),
  ),
  // POST /tickets/:id/articles
  ...(
    [
      ['a blank body', () => ({ body: ' ' }), 'body.body'],
      ['internal that is not a boolean', () => ({ body: 'x', internal: 'yes' }), 'body.internal'],
      [
        'more than ten attachments',
        () => ({ body: 'x', attachments: Array.from({ length: 11 }, () => file('a.txt', 'a')) }),
        'body.attachments',
      ],
      [
        'a media type that is not one',
        () => ({ body: 'x', attachments: [{ ...file('a.txt', 'a'), contentType: 'text' }] }),
        'body.attachments.0.contentType',
      ],
    ] as const
  ).map(
    ([name, body, field]): InvalidCase => ({
      route: 'POST /tickets/:id/articles',
      name,
      user: 'rwA',
      method: 'POST',
      path: (w) => `${V1}/tickets/${w.tickets.A1}/articles`,
      body,
      field,
    }),
  ),
  {
    route: 'POST /tickets/:id/articles',
    name: 'a customer writing an internal note',
    user: 'cX',
    method: 'POST',
    path: (w) => `${V1}/tickets/${w.tickets.A1}/articles`,
    body: () => ({ body: 'x', internal: true }),
    field: 'body.internal',
  },
  // DELETE /tickets/:id
  {
    route: 'DELETE /tickets/:id',
    name: 'an id of 0',
    user: 'admin',
    method: 'DELETE',
    path: () => `${V1}/tickets/0`,
    field: 'params.id',
  },
];

describe('invalid input', () => {
  it.each(INVALID.map((c) => [`${c.route}: ${c.name}`, c] as const))(
    '%s → 400 naming the field, nothing written',
    async (_title, c) => {
      const before = await counts();
      const res = await clients[c.user].request(c.method, c.path(w), c.body?.(w));
      expect(res.status, JSON.stringify(res.body)).toBe(400);
      expect(res.body.error.code).toBe('validation_failed');
      expect(fields(res)).toContain(c.field);
      expect(await counts()).toEqual(before);
    },
  );
});

describe('a bulk change too large for its events', () => {
  it('is a 400 naming body.ids: every changed field of every ticket is an event, at most 100 per write', async () => {
    const rows = await sql<{ id: string }>(
      t.db.url,
      `insert into tickets.tickets (title, queue_id, state_id, state_type, priority_id)
       select 'bulk ' || n, $1, s.id, s.type, 3 from generate_series(1, 51) n, tickets.states s where s.name = 'open'
       returning id`,
      [w.queues.A],
    );
    const ids = rows.map((r) => Number(r.id));
    const before = await counts();
    const res = await clients.rwA.patch(`${V1}/tickets`, {
      ids,
      set: { priorityId: 1, stateId: w.states.new },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(400);
    expect(fields(res)).toEqual(['body.ids']);
    expect(res.body.error.details[0].message).toContain('at most 50 tickets');
    expect(await counts()).toEqual(before);
    const half = await clients.rwA.patch(`${V1}/tickets`, {
      ids: ids.slice(0, 50),
      set: { priorityId: 1, stateId: w.states.new },
    });
    expect(half.status, JSON.stringify(half.body)).toBe(200);
    expect(half.body.changes).toBe(100);
  });
});

describe('attachments over the size setting', () => {
  beforeAll(async () => {
    const res = await t.admin.put('/api/admin/plugins/tickets/settings', { maxAttachmentBytes: 1024 });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
  });
  afterAll(async () => {
    await t.admin.put('/api/admin/plugins/tickets/settings', {});
  });

  it('are refused with a 413 naming the attachment, on a new ticket and on a reply; exactly the limit is fine', async () => {
    const before = await counts();
    const big = file('big.txt', 'x'.repeat(1025));
    const created = await clients.rwA.post(
      `${V1}/tickets`,
      ticket(w, { article: { ...article, attachments: [big] } }),
    );
    expect(created.status, JSON.stringify(created.body)).toBe(413);
    expect(fields(created)).toEqual(['body.article.attachments.0.contentBase64']);
    const replied = await clients.rwA.post(`${V1}/tickets/${w.tickets.A1}/articles`, {
      body: 'with files',
      attachments: [file('small.txt', 'fine'), big],
    });
    expect(replied.status, JSON.stringify(replied.body)).toBe(413);
    expect(fields(replied)).toEqual(['body.attachments.1.contentBase64']);
    expect(await counts()).toEqual(before);
    const exact = await clients.rwA.post(`${V1}/tickets/${w.tickets.A1}/articles`, {
      body: 'exactly the limit',
      attachments: [file('exact.txt', 'y'.repeat(1024))],
    });
    expect(exact.status, JSON.stringify(exact.body)).toBe(201);
    expect(exact.body.attachments).toMatchObject([{ filename: 'exact.txt', size: 1024 }]);
    // And it comes back byte for byte, as a download.
    const download = await clients.roA.get(`${V1}/attachments/${exact.body.attachments[0].id}`);
    expect(download.status).toBe(200);
    expect(download.body).toBe('y'.repeat(1024));
    expect(download.headers.get('content-disposition')).toMatch(/^attachment;.*exact\.txt/);
    expect(download.headers.get('x-content-type-options')).toBe('nosniff');
  });
});

describe('a failure inside the transaction', () => {
  /** Adds a check constraint for the duration of `run`, as the database owner. */
  async function withConstraint(table: string, check: string, run: () => Promise<void>): Promise<void> {
    await sql(
      t.db.url,
      `alter table tickets.${table} add constraint injected_failure check (${check}) not valid`,
    );
    try {
      await run();
    } finally {
      await sql(t.db.url, `alter table tickets.${table} drop constraint injected_failure`);
    }
  }

  /** The write fails (the plugin's invocation, a 502) and nothing of it remains. */
  async function failsWithoutTrace(write: () => Promise<ApiResponse>, tickets: number[] = []): Promise<void> {
    const before = await counts();
    const rows = await ticketRows(tickets);
    const res = await write();
    expect(res.status, JSON.stringify(res.body)).toBe(502);
    expect(await counts()).toEqual(before);
    expect(await ticketRows(tickets)).toEqual(rows);
  }

  it('POST /tickets: an attachment refused in the last statement leaves no ticket, article, history or event', async () => {
    await withConstraint('attachments', "filename <> 'refused.txt'", () =>
      failsWithoutTrace(() =>
        clients.rwA.post(
          `${V1}/tickets`,
          ticket(w, { article: { ...article, attachments: [file('refused.txt', 'x')] } }),
        ),
      ),
    );
  });

  it('PATCH /tickets/:id: a history row refused in the last statement leaves the ticket as it was', async () => {
    await withConstraint('ticket_history', "new_value is distinct from 'Refused title'", () =>
      failsWithoutTrace(
        () => clients.rwA.patch(`${V1}/tickets/${w.tickets.A2}`, { title: 'Refused title', priorityId: 5 }),
        [w.tickets.A2],
      ),
    );
  });

  it('PATCH /tickets (bulk): a refusal on the second ticket leaves the first unchanged too', async () => {
    await withConstraint('tickets', `id <> ${w.tickets.A3} or priority_id <> 1`, () =>
      failsWithoutTrace(
        () =>
          clients.rwA.patch(`${V1}/tickets`, { ids: [w.tickets.A2, w.tickets.A3], set: { priorityId: 1 } }),
        [w.tickets.A2, w.tickets.A3],
      ),
    );
  });

  it('POST /tickets/:id/merge: a refused history row leaves both tickets and the articles where they were', async () => {
    // Merging needs the same customer on both: a copy of A2 is cY's too.
    const target = await copyTicket(w.tickets.A2);
    const articlesOf = () =>
      sql(t.db.url, 'select id, ticket_id from tickets.articles where ticket_id in ($1, $2) order by id', [
        w.tickets.A2,
        target,
      ]);
    const before = await articlesOf();
    await withConstraint('ticket_history', "action <> 'merged_from'", () =>
      failsWithoutTrace(
        () => clients.rwA.post(`${V1}/tickets/${w.tickets.A2}/merge`, { targetId: target }),
        [w.tickets.A2, target],
      ),
    );
    expect(await articlesOf()).toEqual(before);
  });

  it('POST /tickets/:id/articles: a refused attachment leaves no article and no history', async () => {
    await withConstraint('attachments', "filename <> 'refused.txt'", () =>
      failsWithoutTrace(
        () =>
          clients.noteA.post(`${V1}/tickets/${w.tickets.A1}/articles`, {
            body: 'a note with a file',
            internal: true,
            attachments: [file('refused.txt', 'x')],
          }),
        [w.tickets.A1],
      ),
    );
  });

  it('DELETE /tickets/:id: a refused unlink of merged tickets deletes nothing', async () => {
    await withConstraint('tickets', 'merged_into_id is not null or state_type <> $$merged$$', async () => {
      const [copy] = await sql<{ id: string }>(
        t.db.url,
        `insert into tickets.tickets (title, queue_id, state_id, state_type, priority_id, merged_into_id)
         select 'merged copy', queue_id, (select id from tickets.states where type = 'merged'), 'merged', 3, id
           from tickets.tickets where id = $1 returning id`,
        [w.tickets.A2],
      );
      await failsWithoutTrace(
        () => t.admin.delete(`${V1}/tickets/${w.tickets.A2}`),
        [w.tickets.A2, Number(copy!.id)],
      );
    });
  });

  it('PATCH with a stale ifUnchangedSince is a 409 and changes nothing', async () => {
    const current = await clients.rwA.get(`${V1}/tickets/${w.tickets.A2}`);
    const before = await counts();
    const rows = await ticketRows([w.tickets.A2]);
    const stale = new Date(Date.parse(current.body.changedAt) - 1).toISOString();
    const res = await clients.rwA.patch(`${V1}/tickets/${w.tickets.A2}`, {
      priorityId: 2,
      ifUnchangedSince: stale,
    });
    expect(res.status, JSON.stringify(res.body)).toBe(409);
    expect(res.body.error.code).toBe('conflict');
    expect(await counts()).toEqual(before);
    expect(await ticketRows([w.tickets.A2])).toEqual(rows);
    const fresh = await clients.rwA.patch(`${V1}/tickets/${w.tickets.A2}`, {
      priorityId: 2,
      ifUnchangedSince: current.body.changedAt,
    });
    expect(fresh.status, JSON.stringify(fresh.body)).toBe(200);
  });

  // PGlite runs one transaction at a time, so a held row lock would stall the plugin's too.
  it.skipIf(!process.env.DATABASE_URL)(
    'a change between the check and the write (a precondition race) is a 409 and writes nothing',
    async () => {
      const current = await clients.rwA.get(`${V1}/tickets/${w.tickets.A3}`);
      const holder = new pg.Client({ connectionString: t.db.url });
      await holder.connect();
      try {
        await holder.query('begin');
        await holder.query('select id from tickets.tickets where id = $1 for update', [w.tickets.A3]);
        const before = await counts();
        const pending = clients.rwA.patch(`${V1}/tickets/${w.tickets.A3}`, {
          title: 'Raced',
          ifUnchangedSince: current.body.changedAt,
        });
        // The plugin has checked and now waits for the row: someone else changes it first.
        for (let i = 0; ; i++) {
          const { rows } = await holder.query('select count(*)::int as n from pg_locks where not granted');
          if (rows[0].n > 0) break;
          if (i > 500) throw new Error('the write never reached the row lock');
          await new Promise((r) => setTimeout(r, 10));
        }
        await holder.query(
          `update tickets.tickets set changed_at = now() + interval '1 second' where id = $1`,
          [w.tickets.A3],
        );
        await holder.query('commit');
        const res = await pending;
        expect(res.status, JSON.stringify(res.body)).toBe(409);
        // The write's own precondition caught it (the handler's check had passed).
        expect(res.body.error.message).toContain('changed meanwhile');
        expect(await counts()).toEqual(before);
        const [row] = await ticketRows([w.tickets.A3]);
        expect((row as { title: string }).title).not.toBe('Raced');
      } finally {
        await holder.end();
      }
    },
  );

  it.skipIf(!process.env.DATABASE_URL)(
    'a customer user deactivated while the write waits for its row lock is a 409, the customer kept',
    async () => {
      const id = await copyTicket(w.tickets.A2);
      const holder = new pg.Client({ connectionString: t.db.url });
      await holder.connect();
      try {
        await holder.query('begin');
        await holder.query('select id from tickets.tickets where id = $1 for update', [id]);
        const before = await counts();
        const rows = await ticketRows([id]);
        const pending = clients.rwA.patch(`${V1}/tickets/${id}`, { customerUserId: w.users.cXColleague });
        for (let i = 0; ; i++) {
          const { rows } = await holder.query('select count(*)::int as n from pg_locks where not granted');
          if (rows[0].n > 0) break;
          if (i > 500) throw new Error('the write never reached the row lock');
          await new Promise((r) => setTimeout(r, 10));
        }
        // The handler's check and the lock's snapshot saw an active customer user; the update sees none.
        await holder.query('update kernel.users set active = false where id = $1', [w.users.cXColleague]);
        await holder.query('commit');
        const res = await pending;
        expect(res.status, JSON.stringify(res.body)).toBe(409);
        expect(await counts()).toEqual(before);
        expect(await ticketRows([id])).toEqual(rows);
      } finally {
        await holder.end();
        await sql(t.db.url, 'update kernel.users set active = true where id = $1', [w.users.cXColleague]);
      }
    },
  );

  it('a merged ticket takes no changes (409) and no reply', async () => {
    const [copy] = await sql<{ id: string }>(
      t.db.url,
      `insert into tickets.tickets (title, queue_id, state_id, state_type, priority_id, merged_into_id)
       select 'merged away', queue_id, (select id from tickets.states where type = 'merged'), 'merged', 3, id
         from tickets.tickets where id = $1 returning id`,
      [w.tickets.A1],
    );
    const before = await counts();
    const patched = await clients.rwA.patch(`${V1}/tickets/${copy!.id}`, { priorityId: 1 });
    expect(patched.status, JSON.stringify(patched.body)).toBe(409);
    const replied = await clients.rwA.post(`${V1}/tickets/${copy!.id}/articles`, { body: 'too late' });
    expect(replied.status, JSON.stringify(replied.body)).toBe(409);
    expect(await counts()).toEqual(before);
  });
});

describe('the keys between ro and rw', () => {
  it('note lets an agent add internal notes but not replies or changes', async () => {
    const note = await clients.noteA.post(`${V1}/tickets/${w.tickets.A2}/articles`, {
      body: 'noted',
      internal: true,
    });
    expect(note.status, JSON.stringify(note.body)).toBe(201);
    expect(note.body).toMatchObject({ internal: true, senderType: 'agent', ticketId: w.tickets.A2 });
    const reply = await clients.noteA.post(`${V1}/tickets/${w.tickets.A2}/articles`, { body: 'a reply' });
    expect(reply.status).toBe(403);
    expect((await clients.noteA.patch(`${V1}/tickets/${w.tickets.A2}`, { priorityId: 2 })).status).toBe(403);
    const detail = await clients.noteA.get(`${V1}/tickets/${w.tickets.A2}`);
    expect(detail.body.can).toEqual({ update: false, reply: false, note: true, move: false, merge: false });
  });
});

describe('writes that take a ticket out of sight', () => {
  it('a move into a queue with only move_into is a 200 with id, tn and moved: true, and the ticket moved', async () => {
    const id = await copyTicket(w.tickets.A2);
    const [{ tn }] = (await sql<{ tn: string }>(t.db.url, 'select tn from tickets.tickets where id = $1', [
      id,
    ])) as [{ tn: string }];
    await withKey(w.users.rwA, w.groups.gB, 'move_into', async () => {
      const res = await clients.rwA.patch(`${V1}/tickets/${id}`, { queueId: w.queues.B });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body).toEqual({ id, tn, moved: true });
    });
    const [row] = await ticketRows([id]);
    expect(Number((row as { queue_id: number }).queue_id)).toBe(w.queues.B);
    expect((await clients.rwA.get(`${V1}/tickets/${id}`)).status).toBe(404);
  });
});

describe('the write statements check every reference themselves (a race after the handler’s check)', () => {
  /** Runs `text` as `user` through the plugin's role, rolled back: the rows it answers. */
  const as = (user: MatrixUser, text: string, params: unknown[]) =>
    queryAs(t.db.url, w.users[user], text, params);
  const lock = (patch: Record<string, unknown>) =>
    as('rwA', LOCK_TICKETS, [[w.tickets.A1], null, JSON.stringify(patch)]);

  it('LOCK_TICKETS answers no row when a reference of the patch does not hold', async () => {
    expect(await lock({})).toHaveLength(1);
    expect(
      await lock({ ownerId: w.users.rwA, stateId: w.states.open, customerUserId: w.users.cX }),
    ).toHaveLength(1);
    for (const patch of [
      { queueId: w.queues.B },
      { stateId: 7 },
      { stateId: 999 },
      { priorityId: 9 },
      { typeId: 999 },
      { customerUserId: w.users.rwA },
      { customerUserId: 99_999 },
      { ownerId: w.users.roA },
      { responsibleId: w.users.cX },
    ]) {
      expect(await lock(patch), JSON.stringify(patch)).toHaveLength(0);
    }
  });

  it('LOCK_TICKETS refuses an owner for the queue a move takes the ticket to', async () => {
    await withKey(w.users.rwA, w.groups.gB, 'move_into', async () => {
      expect(await lock({ queueId: w.queues.B })).toHaveLength(1);
      expect(await lock({ queueId: w.queues.B, ownerId: w.users.rwA })).toHaveLength(0);
    });
  });

  it('INSERT_TICKET inserts nothing when a reference does not hold or needs rw', async () => {
    // $1 title, $2 queue, $3 state, $4 priority, $5 type, $6 owner, $7 responsible, $8 customer, $9 pending
    const insert = (user: MatrixUser, over: Record<number, unknown>) => {
      const params: unknown[] = ['Raced', w.queues.A, null, 3, null, null, null, null, null];
      for (const [i, v] of Object.entries(over)) params[Number(i) - 1] = v;
      return as(user, INSERT_TICKET, params);
    };
    expect(await insert('rwA', { 6: w.users.rwA, 8: w.users.cX })).toHaveLength(1);
    for (const over of [
      { 5: 999 },
      { 6: w.users.roA },
      { 7: w.users.cX },
      { 8: w.users.rwA },
      { 8: 99_999 },
    ]) {
      expect(await insert('rwA', over), JSON.stringify(over)).toHaveLength(0);
    }
    await withKey(w.users.roA, w.groups.gA, 'create', async () => {
      expect(await insert('roA', {})).toHaveLength(1);
      expect(await insert('roA', { 3: w.states.open })).toHaveLength(0);
      expect(await insert('roA', { 6: w.users.rwA })).toHaveLength(0);
    });
  });

  it('INSERT_FIRST_ARTICLE writes an internal note only with note', async () => {
    /** The ticket and its first article, as the create route runs them: one session, so currval is the ticket's. */
    const create = async (internal: boolean) => {
      const client = new pg.Client({ connectionString: t.db.url });
      await client.connect();
      try {
        await client.query('begin');
        await client.query(
          `select set_config('role', $1, true), set_config('search_path', $2, true),
                  set_config('goatflow.user_id', $3, true)`,
          [TICKETS_ROLE, TICKETS_SCHEMA, String(w.users.roA)],
        );
        await client.query(INSERT_TICKET, ['Note?', w.queues.A, null, 3, null, null, null, null, null]);
        return (await client.query(INSERT_FIRST_ARTICLE, [internal, null, 'body', '[]', w.queues.A])).rows;
      } finally {
        await client.query('rollback').catch(() => {});
        await client.end();
      }
    };
    await withKey(w.users.roA, w.groups.gA, 'create', async () => {
      expect(await create(false)).toHaveLength(1);
      expect(await create(true)).toHaveLength(0);
    });
  });

  it('MERGE_TICKET merges nothing across customers', async () => {
    const [a, b, c] = [
      await copyTicket(w.tickets.A1),
      await copyTicket(w.tickets.A1),
      await copyTicket(w.tickets.A2),
    ];
    expect(await as('rwA', MERGE_TICKET, [a, c])).toHaveLength(0);
    expect((await as('rwA', MERGE_TICKET, [a, b])).length).toBeGreaterThan(0);
  });

  it('INSERT_ARTICLE takes a reply from the ticket’s customer only, not a colleague with company access', async () => {
    const reply = (user: MatrixUser, ticket: number) =>
      as(user, INSERT_ARTICLE, [false, null, 'hi', '[]', ticket]);
    expect(await reply('cX', w.tickets.A1)).toHaveLength(1);
    expect(await reply('cX', w.tickets.A3)).toHaveLength(0);
  });
});

describe('rights beyond create', () => {
  it('an agent with only create may not write an internal note or set state, owner or responsible (403)', async () => {
    await withKey(w.users.roA, w.groups.gA, 'create', async () => {
      const before = await counts();
      for (const extra of [
        { article: { ...article, internal: true } },
        { stateId: w.states.open },
        { ownerId: w.users.rwA },
        { responsibleId: w.users.rwA },
      ]) {
        const res = await clients.roA.post(`${V1}/tickets`, ticket(w, extra));
        expect(res.status, JSON.stringify(res.body)).toBe(403);
      }
      expect(await counts()).toEqual(before);
      const plain = await clients.roA.post(`${V1}/tickets`, ticket(w));
      expect(plain.status, JSON.stringify(plain.body)).toBe(201);
    });
  });

  it('a customer may not reply to a colleague’s ticket they see through company access (403)', async () => {
    const before = await counts();
    const res = await clients.cX.post(`${V1}/tickets/${w.tickets.A3}/articles`, { body: 'me too' });
    expect(res.status, JSON.stringify(res.body)).toBe(403);
    expect(await counts()).toEqual(before);
    expect((await clients.cX.get(`${V1}/tickets/${w.tickets.A3}`)).status).toBe(200);
  });

  it('merging tickets of different customers is a 400 naming body.targetId (other_customer)', async () => {
    const [a, b] = [await copyTicket(w.tickets.A1), await copyTicket(w.tickets.A2)];
    const before = await counts();
    const res = await clients.rwA.post(`${V1}/tickets/${a}/merge`, { targetId: b });
    expect(res.status, JSON.stringify(res.body)).toBe(400);
    expect(res.body.error.details).toMatchObject([{ path: 'body.targetId', code: 'other_customer' }]);
    expect(await counts()).toEqual(before);
  });
});

describe('list queries with dates PostgreSQL cannot take', () => {
  it.each([
    ['createdFrom', '0000-01-01T00:00:00Z'],
    ['createdTo', '2024-01-01T00:00:00+23:59'],
  ])('%s=%s is a 400 naming the field', async (name, value) => {
    const res = await clients.rwA.get(`${V1}/tickets?${name}=${encodeURIComponent(value)}`);
    expect(res.status, JSON.stringify(res.body)).toBe(400);
    expect(fields(res)).toEqual([`query.${name}`]);
  });
});

describe('a name taken between the check and the write (the unique index refuses it)', () => {
  const NAMED = [
    { path: 'queues', table: 'queues', index: 'queues_name' },
    { path: 'states', table: 'states', index: 'states_name' },
    { path: 'types', table: 'ticket_types', index: 'ticket_types_name' },
    { path: 'customer-companies', table: 'customer_companies', index: 'customer_companies_name' },
  ] as const;

  /** Two rows of `table`, the first one's name to be taken by the second. */
  async function twoRows(table: string): Promise<{ id: number; name: string }[]> {
    const rows = await sql<{ id: number; name: string }>(
      t.db.url,
      `select id::int, name from tickets.${table} order by id limit 2`,
    );
    expect(rows).toHaveLength(2);
    return rows;
  }

  /** The 409 a taken name answers, naming body.name, with the name the second row keeps. */
  async function takenAnswer(res: ApiResponse<any>, table: string, id: number, name: string): Promise<void> {
    expect(res.status, JSON.stringify(res.body)).toBe(409);
    expect(res.body.error.code).toBe('conflict');
    expect(res.body.error.details).toEqual([expect.objectContaining({ path: 'body.name', code: 'taken' })]);
    const [row] = await sql<{ name: string }>(t.db.url, `select name from tickets.${table} where id = $1`, [
      id,
    ]);
    expect(row!.name).toBe(name);
  }

  // The handler's check and the statement's `not exists` compare lower(name); an index that also ignores a "!"
  // is met by a name they let through, as a concurrent rename would be. PGlite runs one transaction at a time,
  // so this stands in for the race there; the race itself follows on PostgreSQL.
  it.each(NAMED)('PATCH /$path/:id is a 409 naming body.name, not a failed invocation', async (c) => {
    const [first, second] = await twoRows(c.table);
    await sql(t.db.url, `drop index tickets.${c.index}`);
    await sql(
      t.db.url,
      `create unique index ${c.index} on tickets.${c.table} (lower(replace(name, '!', '')))`,
    );
    try {
      const res = await t.admin.patch(`${V1}/${c.path}/${second!.id}`, { name: `${first!.name}!` });
      await takenAnswer(res, c.table, second!.id, second!.name);
      expect(res.body.error.message).toContain(`named "${first!.name}!" exists`);
    } finally {
      await sql(t.db.url, `drop index tickets.${c.index}`);
      await sql(t.db.url, `create unique index ${c.index} on tickets.${c.table} (lower(name))`);
    }
  });

  it.skipIf(!process.env.DATABASE_URL)(
    'PATCH /queues/:id racing a rename to the same name is a 409 naming body.name',
    async () => {
      const [first, second] = await twoRows('queues');
      const holder = new pg.Client({ connectionString: t.db.url });
      await holder.connect();
      try {
        await holder.query('begin');
        await holder.query(`update tickets.queues set name = 'Raced queue' where id = $1`, [first!.id]);
        // The handler's check and the statement see no queue of that name: the rename is not committed.
        const pending = t.admin.patch(`${V1}/queues/${second!.id}`, { name: 'raced QUEUE' });
        for (let i = 0; ; i++) {
          const { rows } = await holder.query('select count(*)::int as n from pg_locks where not granted');
          if (rows[0].n > 0) break;
          if (i > 500) throw new Error('the write never reached the unique index');
          await new Promise((r) => setTimeout(r, 10));
        }
        await holder.query('commit');
        await takenAnswer(await pending, 'queues', second!.id, second!.name);
      } finally {
        await holder.end();
        await sql(t.db.url, 'update tickets.queues set name = $2 where id = $1', [first!.id, first!.name]);
      }
    },
  );
});
