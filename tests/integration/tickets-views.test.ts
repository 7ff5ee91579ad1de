/**
 * The tickets plugin's visibility, proved in the database and at its reference-data routes
 * (docs/plugins-core/tickets-design.md 2.2 and the matrix of section 3):
 * - direct SQL as the plugin's role `plugin_tickets`, with each matrix user bound as `goatflow.user_id`: the id
 *   sets of every scope view and of the exported `*_visible` views, no internal note for a customer, the queue
 *   flags, and nothing at all for kernel-initiated work (no user);
 * - a consumer plugin granted the exported views sees the same, and its leaky predicate never runs on a row its
 *   user may not see (security_barrier), while it does on the scope view underneath (the control);
 * - the routes for queues, states, priorities, types, customer users and companies answer each matrix user with
 *   the status of the matrix, 404 for what they may not see, 400 naming the field, 409 for names in use.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PluginFolder, repoRoot } from '../fixtures/grpc/host-api-plugins.js';
import { ApiClient } from '../support/http-client.js';
import {
  type MatrixUser,
  queryAs,
  signIn,
  startTicketsKernel,
  type TicketsKernel,
  type TicketsWorld,
} from '../support/tickets.js';

const CONSUMER = 'tickets-reader';
const CONSUMER_READ = ['tickets.ticket_visible', 'tickets.article_visible', 'tickets.queue_visible'];

const folder = new PluginFolder();
let t: TicketsKernel;
let w: TicketsWorld;
const clients = {} as Record<MatrixUser | 'anonymous', ApiClient>;

/** The users the matrix names, and the extra ones the world seeds. */
const USERS: MatrixUser[] = ['roA', 'rwA', 'noteA', 'cX', 'cXColleague', 'cY', 'admin'];

beforeAll(async () => {
  folder.write(CONSUMER, {
    id: CONSUMER,
    version: '1.0.0',
    name: 'Reads the tickets views',
    kernelApi: '^1.0.0',
    runtime: 'grpc',
    entry: {
      command: 'node',
      args: ['--import', import.meta.resolve('tsx'), `${repoRoot}/tests/fixtures/grpc/host-api.ts`],
    },
    permissions: { db: { read: CONSUMER_READ } },
    contributes: { routes: [{ method: 'POST', path: '/call', auth: 'user', handler: 'call' }] },
  });
  t = await startTicketsKernel({ env: { GOATFLOW_PLUGIN_DIR: folder.dir } });
  w = t.world;
  for (const user of USERS) clients[user] = await signIn(t.kernel, user);
  clients.anonymous = new ApiClient(t.kernel.url);
  expect(
    (await t.admin.put(`/api/admin/plugins/${CONSUMER}/grants`, { db: { read: CONSUMER_READ } })).status,
  ).toBe(200);
  const enabled = await t.admin.post(`/api/admin/plugins/${CONSUMER}/enable`);
  expect(enabled.status, JSON.stringify(enabled.body)).toBe(200);
}, 180_000);

afterAll(async () => {
  await t?.stop();
  folder.remove();
});

/** The ids a statement answers as `user` (null: no user, as events and jobs run), sorted. */
async function idsAs(user: MatrixUser | null, text: string, column = 'id'): Promise<number[]> {
  const rows = await queryAs(t.db.url, user === null ? null : w.users[user], text);
  return rows.map((r) => Number(r[column])).sort((a, b) => a - b);
}

const sorted = (ids: number[]) => [...ids].sort((a, b) => a - b);

describe('the scope views, as plugin_tickets with each matrix user bound', () => {
  const tickets = () => ({
    agentsOfA: [w.tickets.A1, w.tickets.A2, w.tickets.A3],
    all: Object.values(w.tickets),
  });

  it('shows agents the tickets of queues they hold ro or rw in, customers their own and their company’s', async () => {
    const { agentsOfA, all } = tickets();
    const expected: Record<MatrixUser, number[]> = {
      roA: agentsOfA,
      rwA: agentsOfA,
      noteA: agentsOfA,
      // company access: the colleague's A3 as well; B1 is in a queue cX cannot pick, and still cX's own.
      cX: [w.tickets.A1, w.tickets.A3, w.tickets.B1],
      cXColleague: [w.tickets.A3],
      cY: [w.tickets.A2, w.tickets.B2],
      admin: all,
    };
    for (const user of USERS) {
      for (const view of ['ticket_scope', 'ticket_visible']) {
        expect(await idsAs(user, `select id from ${view}`), `${user} ${view}`).toEqual(
          sorted(expected[user]),
        );
      }
    }
  });

  it('never shows a customer an internal note, in articles or their attachments', async () => {
    const a = w.articles;
    const expected: Record<MatrixUser, number[]> = {
      roA: [a.A1Customer, a.A1Reply, a.A1Note, a.A2Customer, a.A3Customer],
      rwA: [a.A1Customer, a.A1Reply, a.A1Note, a.A2Customer, a.A3Customer],
      noteA: [a.A1Customer, a.A1Reply, a.A1Note, a.A2Customer, a.A3Customer],
      cX: [a.A1Customer, a.A1Reply, a.A3Customer, a.B1Customer],
      cXColleague: [a.A3Customer],
      cY: [a.A2Customer, a.B2Customer, a.B2Reply],
      admin: Object.values(a),
    };
    for (const user of USERS) {
      for (const view of ['article_scope', 'article_visible']) {
        expect(await idsAs(user, `select id from ${view}`), `${user} ${view}`).toEqual(
          sorted(expected[user]),
        );
      }
    }
    for (const user of ['cX', 'cXColleague', 'cY'] as const) {
      expect(await idsAs(user, 'select id from article_scope where internal')).toEqual([]);
    }
    const attachments: Record<MatrixUser, number[]> = {
      roA: [w.attachments.A1Note],
      rwA: [w.attachments.A1Note],
      noteA: [w.attachments.A1Note],
      cX: [],
      cXColleague: [],
      cY: [w.attachments.B2Reply],
      admin: [w.attachments.A1Note, w.attachments.B2Reply],
    };
    for (const user of USERS) {
      expect(await idsAs(user, 'select id from attachment_scope'), user).toEqual(sorted(attachments[user]));
    }
  });

  it('shows the history of visible tickets to agents only', async () => {
    for (const user of USERS) {
      const expected = user.startsWith('c')
        ? []
        : user === 'admin'
          ? Object.values(w.tickets)
          : [w.tickets.A1, w.tickets.A2, w.tickets.A3];
      expect(await idsAs(user, 'select ticket_id from history_scope', 'ticket_id'), user).toEqual(
        sorted(expected),
      );
    }
  });

  it('gives each queue the flags of the keys the user holds in its group', async () => {
    const flags = async (user: MatrixUser) =>
      queryAs(
        t.db.url,
        w.users[user],
        `select id, can_ro, can_rw, can_create, can_move_into, can_note, can_owner from queue_visible order by id`,
      );
    const none = { can_ro: false, can_rw: false, can_create: false, can_move_into: false, can_note: false };
    const all = { can_ro: true, can_rw: true, can_create: true, can_move_into: true, can_note: true };
    expect(await flags('roA')).toEqual([{ id: w.queues.A, ...none, can_ro: true, can_owner: false }]);
    expect(await flags('noteA')).toEqual([
      { id: w.queues.A, ...none, can_ro: true, can_note: true, can_owner: false },
    ]);
    expect(await flags('rwA')).toEqual([{ id: w.queues.A, ...all, can_owner: true }]);
    // Customers see the customer-selectable queue, into which they may only create.
    for (const user of ['cX', 'cY'] as const) {
      expect(await flags(user)).toEqual([{ id: w.queues.A, ...none, can_create: true, can_owner: false }]);
    }
    expect(await flags('admin')).toEqual([
      { id: w.queues.A, ...all, can_owner: true },
      { id: w.queues.B, ...all, can_owner: true },
    ]);
  });

  it('shows customer users and companies to agents, and customers only themselves and their company', async () => {
    const customers = [w.users.cX, w.users.cXColleague, w.users.cY];
    for (const user of USERS) {
      const own = user.startsWith('c') ? [w.users[user]] : customers;
      expect(await idsAs(user, 'select user_id from customer_user_scope', 'user_id'), user).toEqual(
        sorted(own),
      );
      const companies =
        user === 'cY' ? [w.companies.Y] : user.startsWith('c') ? [w.companies.X] : Object.values(w.companies);
      expect(await idsAs(user, 'select id from customer_company_scope'), user).toEqual(sorted(companies));
    }
    for (const user of USERS) {
      const rows = await queryAs(t.db.url, w.users[user], 'select can_admin from admin_scope');
      expect(rows, user).toEqual(user === 'admin' ? [{ can_admin: true }] : []);
    }
  });

  it('shows nothing at all to work without a user (events, jobs)', async () => {
    for (const view of [
      'ticket_scope',
      'article_scope',
      'attachment_scope',
      'history_scope',
      'queue_scope',
      'customer_company_scope',
      'ticket_visible',
      'queue_visible',
    ]) {
      expect(await idsAs(null, `select id from ${view}`), view).toEqual([]);
    }
    expect(await idsAs(null, 'select user_id from customer_user_scope', 'user_id')).toEqual([]);
  });

  it('exports explicit columns: no search vector, no rights of the scope underneath', async () => {
    const [ticket] = await queryAs(t.db.url, w.users.admin, 'select * from ticket_visible limit 1');
    expect(Object.keys(ticket!).sort()).toEqual(
      [
        'id',
        'tn',
        'title',
        'queue_id',
        'state_id',
        'state_type',
        'priority_id',
        'type_id',
        'owner_id',
        'responsible_id',
        'customer_user_id',
        'customer_company_id',
        'pending_until',
        'locked',
        'created_at',
        'changed_at',
      ].sort(),
    );
  });
});

describe('a consumer plugin reading the exported views', () => {
  type Answer =
    | { ok: true; value: { rows: Record<string, unknown>[] } }
    | { ok: false; code: string; message: string };
  async function run(user: MatrixUser, text: string): Promise<Answer> {
    const res = await clients[user].post(`/api/plugins/${CONSUMER}/call`, {
      fn: 'db.query',
      args: { sql: text },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body as Answer;
  }
  const ids = async (user: MatrixUser, text: string) => {
    const answer = await run(user, text);
    if (!answer.ok) throw new Error(`${text}: ${answer.code} ${answer.message}`);
    return answer.value.rows.map((r) => Number(r.id)).sort((a, b) => a - b);
  };
  /**
   * Divides by zero on B2, a ticket ro-A may not see. (`id - id`, not `0`: a constant 1 / 0 would fail while
   * planning, on every row or none.)
   */
  const leaky = (view: string) =>
    `select id from ${view} where (case when title like 'B2:%' then 1 / (id - id) else 0 end) = 0`;

  it('sees what its user sees', async () => {
    expect(await ids('roA', 'select id from tickets.ticket_visible')).toEqual(
      sorted([w.tickets.A1, w.tickets.A2, w.tickets.A3]),
    );
    expect(await ids('cX', 'select id from tickets.article_visible where internal')).toEqual([]);
    expect(await ids('cX', 'select id from tickets.queue_visible')).toEqual([w.queues.A]);
  });

  it('never evaluates a leaky predicate on a row its user may not see', async () => {
    expect(await ids('roA', leaky('tickets.ticket_visible'))).toEqual(
      sorted([w.tickets.A1, w.tickets.A2, w.tickets.A3]),
    );
    // The control: the admin sees B2, so the same predicate does run on it.
    expect(await run('admin', leaky('tickets.ticket_visible'))).toMatchObject({
      ok: false,
      message: expect.stringMatching(/division by zero/),
    });
  });

  it('would leak through the scope view underneath, which is why only the barrier is exported', async () => {
    await expect(queryAs(t.db.url, w.users.roA, leaky('ticket_scope'))).rejects.toThrow(/division by zero/);
    await expect(queryAs(t.db.url, w.users.roA, leaky('ticket_visible'))).resolves.toHaveLength(3);
  });

  it('cannot read the scope views or the tables', async () => {
    for (const relation of ['tickets.ticket_scope', 'tickets.tickets', 'tickets.articles']) {
      expect(await run('admin', `select id from ${relation}`), relation).toMatchObject({
        ok: false,
        code: 'sql_denied',
      });
    }
  });
});

type Who = 'roA' | 'rwA' | 'cX' | 'admin';
const WHO: Who[] = ['roA', 'rwA', 'cX', 'admin'];

describe('the reference-data routes, per matrix user', () => {
  const v1 = (path: string) => `/api/v1${path}`;

  it('answer every read with the status of the matrix', async () => {
    const cells: [string, () => string, [number, number, number, number]][] = [
      ['GET', () => '/queues', [200, 200, 200, 200]],
      ['GET', () => `/queues/${w.queues.A}`, [200, 200, 200, 200]],
      ['GET', () => `/queues/${w.queues.B}`, [404, 404, 404, 200]],
      ['GET', () => `/queues/${w.queues.A}/owners`, [200, 200, 404, 200]],
      ['GET', () => `/queues/${w.queues.B}/owners`, [404, 404, 404, 200]],
      ['GET', () => '/states', [200, 200, 200, 200]],
      ['GET', () => '/priorities', [200, 200, 200, 200]],
      ['GET', () => '/types', [200, 200, 200, 200]],
      ['GET', () => '/customer-users', [200, 200, 404, 200]],
      ['GET', () => `/customer-users/${w.users.cX}`, [200, 200, 200, 200]],
      ['GET', () => `/customer-users/${w.users.cY}`, [200, 200, 404, 200]],
      ['GET', () => '/customer-companies', [200, 200, 404, 200]],
      ['GET', () => `/customer-companies/${w.companies.X}`, [200, 200, 404, 200]],
    ];
    for (const [method, path, statuses] of cells) {
      for (const [i, who] of WHO.entries()) {
        const res = await clients[who].request(method, v1(path()));
        expect(res.status, `${who} ${method} ${path()} ${JSON.stringify(res.body)}`).toBe(statuses[i]);
      }
    }
    for (const path of ['/queues', '/states', '/customer-users', '/customer-companies']) {
      expect((await clients.anonymous.get(v1(path))).status, path).toBe(401);
    }
  });

  it('keep every write to admins: anyone else gets a 404, as if the route did not exist', async () => {
    const writes: [string, () => string, unknown][] = [
      ['POST', () => '/queues', { name: 'Z', groupId: w.groups.gA }],
      ['PATCH', () => `/queues/${w.queues.A}`, { comment: 'changed' }],
      ['POST', () => '/states', { name: 'on hold', type: 'open' }],
      ['PATCH', () => `/states/${w.states.open}`, { name: 'opened' }],
      ['POST', () => '/types', { name: 'Change' }],
      ['PATCH', () => '/types/1', { valid: false }],
      ['PUT', () => `/customer-users/${w.users.cX}`, { companyId: null, companyAccess: false }],
      ['POST', () => '/customer-companies', { name: 'Z corp' }],
      ['PATCH', () => `/customer-companies/${w.companies.X}`, { city: 'Xanadu' }],
    ];
    for (const [method, path, body] of writes) {
      for (const who of ['roA', 'rwA', 'cX'] as const) {
        const res = await clients[who].request(method, v1(path()), body);
        expect(res.status, `${who} ${method} ${path()}`).toBe(404);
      }
    }
    // Nothing changed.
    const queue = await clients.admin.get(v1(`/queues/${w.queues.A}`));
    expect(queue.body.comment).toBe('queue A, customers may open tickets');
  });

  it('list the queues with the rights and the counts of what each user sees', async () => {
    const zero = { new: 0, open: 0, pending_reminder: 0, pending_auto: 0, closed: 0, merged: 0 };
    const roA = await clients.roA.get(v1('/queues'));
    expect(roA.body.items).toEqual([
      {
        id: w.queues.A,
        name: 'A',
        groupId: w.groups.gA,
        comment: 'queue A, customers may open tickets',
        valid: true,
        customerSelectable: true,
        can: { ro: true, rw: false, create: false, moveInto: false, note: false, owner: false },
        counts: { ...zero, new: 1, open: 1, pending_reminder: 1 },
      },
    ]);
    const cX = await clients.cX.get(v1('/queues'));
    expect(cX.body.items).toEqual([
      {
        id: w.queues.A,
        name: 'A',
        groupId: null,
        comment: null,
        valid: true,
        customerSelectable: true,
        can: { ro: false, rw: false, create: true, moveInto: false, note: false, owner: false },
        // Only cX's own A1 and the colleague's A3 (company access); not cY's A2.
        counts: { ...zero, open: 1, pending_reminder: 1 },
      },
    ]);
    const admin = await clients.admin.get(v1('/queues'));
    expect(admin.body.items.map((q: { name: string; counts: unknown }) => [q.name, q.counts])).toEqual([
      ['A', { ...zero, new: 1, open: 1, pending_reminder: 1 }],
      ['B', { ...zero, new: 1, closed: 1 }],
    ]);
    expect((await clients.rwA.get(v1(`/queues/${w.queues.A}`))).body.can).toEqual({
      ro: true,
      rw: true,
      create: true,
      moveInto: true,
      note: true,
      owner: true,
    });
  });

  it('name the agents who may own a queue’s tickets', async () => {
    const owners = await clients.roA.get(v1(`/queues/${w.queues.A}/owners`));
    expect(owners.body).toEqual({
      items: [{ id: w.users.rwA, login: 'rw-a', firstName: 'Ralf', lastName: 'Writer' }],
    });
    expect((await clients.admin.get(v1(`/queues/${w.queues.B}/owners`))).body).toEqual({ items: [] });
  });

  it('list states, priorities and types', async () => {
    const states = await clients.cX.get(v1('/states'));
    expect(states.body.items.map((s: { name: string; type: string }) => [s.name, s.type])).toEqual([
      ['new', 'new'],
      ['open', 'open'],
      ['pending reminder', 'pending_reminder'],
      ['pending auto close', 'pending_auto'],
      ['closed successful', 'closed'],
      ['closed unsuccessful', 'closed'],
      ['merged', 'merged'],
    ]);
    expect(states.body.items[3].closeToStateId).toBe(w.states.closedSuccessful);
    const priorities = await clients.cX.get(v1('/priorities'));
    expect(priorities.body.items.map((p: { id: number }) => p.id)).toEqual([1, 2, 3, 4, 5]);
    const types = await clients.roA.get(v1('/types?valid=true'));
    expect(types.body.items.map((p: { name: string }) => p.name)).toContain('Unclassified');
  });

  it('find customer users by name and company, and show a customer only themselves', async () => {
    const byName = await clients.roA.get(v1('/customer-users?q=carla'));
    expect(byName.body).toMatchObject({ total: 1, page: 1, perPage: 25 });
    expect(byName.body.items).toEqual([
      {
        id: w.users.cX,
        login: 'cx',
        firstName: 'Carla',
        lastName: 'Xavier',
        email: 'cx@example.com',
        active: true,
        company: { id: w.companies.X, name: 'X' },
        companyAccess: true,
        phone: null,
        comment: null,
      },
    ]);
    const ofX = await clients.rwA.get(v1(`/customer-users?companyId=${w.companies.X}`));
    expect(ofX.body.items.map((u: { id: number }) => u.id).sort()).toEqual(
      sorted([w.users.cX, w.users.cXColleague]),
    );
    // A page past the end still tells the total; % and _ are matched literally.
    expect((await clients.admin.get(v1('/customer-users?page=9'))).body).toMatchObject({
      items: [],
      total: 3,
    });
    expect((await clients.admin.get(v1('/customer-users?q=%25'))).body.total).toBe(0);
    // Agents are not customer users.
    expect((await clients.admin.get(v1(`/customer-users/${w.users.roA}`))).status).toBe(404);
    expect((await clients.cX.get(v1(`/customer-users/${w.users.cX}`))).body.company).toEqual({
      id: w.companies.X,
      name: 'X',
    });
  });

  it('list the customer companies', async () => {
    const page = await clients.roA.get(v1('/customer-companies?q=y&perPage=1'));
    expect(page.body).toMatchObject({ total: 1, page: 1, perPage: 1 });
    expect(page.body.items).toEqual([
      expect.objectContaining({ id: w.companies.Y, name: 'Y', city: 'York', street: null, valid: true }),
    ]);
  });

  it('refuse bad input with a 400 naming the field', async () => {
    const cases: [string, string, unknown, string, string][] = [
      ['GET', '/queues/abc', undefined, 'params.id', 'invalid_type'],
      ['GET', '/queues/99999999999', undefined, 'params.id', 'too_large'],
      ['GET', '/queues?valid=maybe', undefined, 'query.valid', 'invalid_option'],
      ['GET', '/queues?colour=red', undefined, 'query.colour', 'unknown_field'],
      ['GET', '/customer-users?perPage=500', undefined, 'query.perPage', 'too_large'],
      ['POST', '/queues', { groupId: 1 }, 'body.name', 'required'],
      ['POST', '/queues', { name: 'Q', groupId: 999_999 }, 'body.groupId', 'unknown_reference'],
      ['POST', '/queues', { name: 'x'.repeat(201), groupId: 1 }, 'body.name', 'too_long'],
      ['POST', '/states', { name: 'waiting', type: 'pending_auto' }, 'body.closeToStateId', 'required'],
      ['POST', '/states', { name: 'waiting', type: 'sleeping' }, 'body.type', 'invalid_option'],
      ['POST', '/customer-companies', { name: 'Z', url: 'ftp://z.example' }, 'body.url', 'invalid'],
      ['PATCH', `/customer-companies/1`, {}, 'body', 'invalid'],
    ];
    for (const [method, path, body, field, code] of cases) {
      const res = await clients.admin.request(method, v1(path), body);
      expect(res.status, `${method} ${path} ${JSON.stringify(res.body)}`).toBe(400);
      expect(res.body.error.details, `${method} ${path}`).toContainEqual(
        expect.objectContaining({ path: field, code }),
      );
    }
    const open = await clients.admin.post(v1('/states'), {
      name: 'waiting',
      type: 'pending_auto',
      closeToStateId: w.states.open,
    });
    expect(open.status).toBe(400);
    expect(open.body.error.details).toEqual([expect.objectContaining({ path: 'body.closeToStateId' })]);
  });
});

describe('the reference-data writes (admins)', () => {
  const v1 = (path: string) => `/api/v1${path}`;

  it('create and change a queue; the rights follow its group at once', async () => {
    const created = await clients.admin.post(v1('/queues'), { name: 'C', groupId: w.groups.gA, comment: '' });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body).toMatchObject({
      name: 'C',
      groupId: w.groups.gA,
      comment: null,
      customerSelectable: false,
    });
    const id = created.body.id as number;
    expect((await clients.rwA.get(v1(`/queues/${id}`))).body.can.rw).toBe(true);
    const taken = await clients.admin.post(v1('/queues'), { name: 'c', groupId: w.groups.gB });
    expect(taken.status).toBe(409);
    expect(taken.body.error.details).toEqual([expect.objectContaining({ path: 'body.name', code: 'taken' })]);
    const moved = await clients.admin.patch(v1(`/queues/${id}`), { groupId: w.groups.gB, comment: 'now B' });
    expect(moved.status, JSON.stringify(moved.body)).toBe(200);
    expect(moved.body).toMatchObject({ name: 'C', groupId: w.groups.gB, comment: 'now B' });
    expect((await clients.rwA.get(v1(`/queues/${id}`))).status).toBe(404);
    expect((await clients.admin.patch(v1(`/queues/${id}`), { name: 'A' })).status).toBe(409);
    expect((await clients.admin.patch(v1('/queues/999999'), { name: 'D' })).status).toBe(404);
  });

  it('create and change states, keeping a state’s type while tickets use it', async () => {
    const waiting = await clients.admin.post(v1('/states'), {
      name: 'waiting for parts',
      type: 'pending_auto',
      closeToStateId: w.states.closedSuccessful,
    });
    expect(waiting.status, JSON.stringify(waiting.body)).toBe(201);
    expect(waiting.body).toMatchObject({ type: 'pending_auto', closeToStateId: w.states.closedSuccessful });
    expect((await clients.admin.post(v1('/states'), { name: 'OPEN', type: 'open' })).status).toBe(409);
    // A1 is open; B2 is closed successful, which pending states also close to.
    const inUse = await clients.admin.patch(v1(`/states/${w.states.open}`), { type: 'closed' });
    expect(inUse.status).toBe(409);
    expect(inUse.body.error.code).toBe('in_use');
    expect(
      (await clients.admin.patch(v1(`/states/${w.states.closedSuccessful}`), { type: 'open' })).status,
    ).toBe(409);
    // Renaming is fine; a state that stops being pending_auto stops closing to another.
    const renamed = await clients.admin.patch(v1(`/states/${w.states.open}`), { name: 'in progress' });
    expect(renamed.body).toMatchObject({ id: w.states.open, name: 'in progress', type: 'open' });
    const unpended = await clients.admin.patch(v1(`/states/${waiting.body.id}`), { type: 'open' });
    expect(unpended.body).toMatchObject({ type: 'open', closeToStateId: null });
    expect((await clients.admin.patch(v1('/states/999'), { valid: false })).status).toBe(404);
  });

  it('create and change types', async () => {
    expect((await clients.admin.post(v1('/types'), { name: 'incident' })).status).toBe(409);
    const change = await clients.admin.post(v1('/types'), { name: 'Change' });
    expect(change.status).toBe(201);
    expect(change.body).toEqual({ id: expect.any(Number), name: 'Change', valid: true });
    const off = await clients.admin.patch(v1(`/types/${change.body.id}`), { valid: false });
    expect(off.body).toEqual({ id: change.body.id, name: 'Change', valid: false });
    const valid = await clients.roA.get(v1('/types?valid=true'));
    expect(valid.body.items.map((x: { name: string }) => x.name)).not.toContain('Change');
  });

  it('create and change companies', async () => {
    expect((await clients.admin.post(v1('/customer-companies'), { name: 'x' })).status).toBe(409);
    const z = await clients.admin.post(v1('/customer-companies'), {
      name: 'Z corp',
      url: 'https://z.example',
      city: '  Zug ',
    });
    expect(z.status, JSON.stringify(z.body)).toBe(201);
    expect(z.body).toMatchObject({ name: 'Z corp', url: 'https://z.example', city: 'Zug', country: null });
    const moved = await clients.admin.patch(v1(`/customer-companies/${z.body.id}`), {
      city: null,
      valid: false,
    });
    expect(moved.body).toMatchObject({ city: null, valid: false, url: 'https://z.example' });
    expect((await clients.admin.patch(v1(`/customer-companies/${z.body.id}`), { name: 'Y' })).status).toBe(
      409,
    );
  });

  it('link a customer user to a company; company access shows its tickets at once', async () => {
    const put = await clients.admin.put(v1(`/customer-users/${w.users.cXColleague}`), {
      companyId: w.companies.Y,
      companyAccess: true,
      phone: '+49 30 1234',
    });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    expect(put.body).toMatchObject({
      company: { id: w.companies.Y, name: 'Y' },
      companyAccess: true,
      phone: '+49 30 1234',
      comment: null,
    });
    // The tickets keep the company they were opened for: A2 and B2 are Y's, A3 stays the colleague's own.
    expect(await idsAs('cXColleague', 'select id from ticket_visible')).toEqual(
      sorted([w.tickets.A2, w.tickets.A3, w.tickets.B2]),
    );
    const bad = await clients.admin.put(v1(`/customer-users/${w.users.cXColleague}`), {
      companyId: null,
      companyAccess: true,
    });
    expect(bad.body.error.details).toEqual([expect.objectContaining({ path: 'body.companyAccess' })]);
    const gone = await clients.admin.put(v1(`/customer-users/${w.users.cXColleague}`), {
      companyId: 999_999,
      companyAccess: false,
    });
    expect(gone.body.error.details).toEqual([
      expect.objectContaining({ path: 'body.companyId', code: 'unknown_reference' }),
    ]);
    expect(
      (
        await clients.admin.put(v1(`/customer-users/${w.users.roA}`), {
          companyId: null,
          companyAccess: false,
        })
      ).status,
    ).toBe(404);
  });
});
