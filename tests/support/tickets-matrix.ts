/**
 * The RBAC matrix of the tickets plugin (docs/plugins-core/tickets-design.md, section 3) as data: every route of
 * the table, each request a row asks about (`A1 / B1 / B2` are three), and for each matrix user — ro-A, rw-A, the
 * customer cX and the admin — the exact answer: the status and, where the row says so, which tickets, articles or
 * queues come back, the total, the queue counts, or the field a 400 names. tests/integration/tickets-rbac-matrix.
 * test.ts runs it against the seeded world of tests/support/tickets.ts. Writes run after every read (they add
 * tickets and articles the reads would see); a write that must not touch what others read acts on a fresh copy.
 * @module
 */
import type { TicketsWorld } from './tickets.js';

/** The users of the matrix's columns. */
export const MATRIX_COLUMNS = ['roA', 'rwA', 'cX', 'admin'] as const;
/** A column of the matrix. */
export type MatrixColumn = (typeof MATRIX_COLUMNS)[number];

/** A seeded ticket, by the design's name. */
export type TicketKey = keyof TicketsWorld['tickets'];
/** A seeded article. */
export type ArticleKey = keyof TicketsWorld['articles'];
/** A seeded queue. */
export type QueueKey = keyof TicketsWorld['queues'];

/** Counts per state type, as `GET /queues` answers them (types not named are 0). */
export type Counts = Partial<
  Record<'new' | 'open' | 'pending_reminder' | 'pending_auto' | 'closed' | 'merged', number>
>;

/** What one user gets for one request. */
export interface Expectation {
  status: number;
  /** The tickets of a list, a CSV export or a bulk change: exactly these (extra tickets made by writes aside). */
  tickets?: TicketKey[];
  /** With `tickets`: the list's `total`. */
  total?: number;
  /** The articles of a timeline: exactly these. */
  articles?: ArticleKey[];
  /** The queues of `GET /queues`: exactly these, with these counts. */
  queues?: Partial<Record<QueueKey, Counts>>;
  /** A 400: the field its details name, e.g. `body.queueId`. */
  field?: string;
  /** After a refused write: these tickets (and their articles and history) are as they were. */
  unchanged?: TicketKey[];
}

/** A request of a row. */
export interface MatrixRequest {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  path: string;
  body?: unknown;
}

/** What a request may need besides the world: a fresh copy of a seeded ticket, for writes that use it up. */
export interface MatrixFixtures {
  world: TicketsWorld;
  /** A new ticket like `key` (queue, customer, company, state), with one customer article; answers its id. */
  copyOf(key: TicketKey): Promise<number>;
  /** The user id of a matrix user. */
  userId(user: MatrixColumn): number;
}

/** One request of a row of the table, with each column's answer. */
export interface MatrixCase {
  /** The row, as the design's table names it. */
  row: string;
  /** The route the request goes to, as the manifest declares it: method and path under `/api/v1`. */
  route: string;
  /** Which request of the row. */
  name: string;
  /** Reads run first; writes change the world. */
  kind: 'read' | 'write';
  /** The route's auth level, for the anonymous check (401 everywhere but `public`). */
  auth: 'public' | 'user' | 'agent' | 'admin';
  request(f: MatrixFixtures, user: MatrixColumn): MatrixRequest | Promise<MatrixRequest>;
  expect: Record<MatrixColumn, Expectation>;
}

const V1 = '/api/v1';
const all = (e: Expectation): Record<MatrixColumn, Expectation> => ({ roA: e, rwA: e, cX: e, admin: e });
const s = (status: number): Expectation => ({ status });

/** What every new ticket of the matrix carries. */
const newTicket = (queueId: number) => ({
  title: 'Matrix: a new ticket',
  queueId,
  article: { body: 'Created by the matrix test.' },
});

/** The seeded world's queue counts (before any write). */
const A_COUNTS: Counts = { open: 1, new: 1, pending_reminder: 1 };
const B_COUNTS: Counts = { new: 1, closed: 1 };

export const MATRIX: MatrixCase[] = [
  // ---- tickets: reads ----------------------------------------------------------------------------------------
  {
    row: 'GET /tickets',
    route: 'GET /tickets',
    name: 'all visible',
    kind: 'read',
    auth: 'user',
    request: () => ({ method: 'GET', path: `${V1}/tickets?perPage=100` }),
    expect: {
      roA: { status: 200, tickets: ['A1', 'A2', 'A3'], total: 3 },
      rwA: { status: 200, tickets: ['A1', 'A2', 'A3'], total: 3 },
      cX: { status: 200, tickets: ['A1', 'A3', 'B1'], total: 3 },
      admin: { status: 200, tickets: ['A1', 'A2', 'A3', 'B1', 'B2'], total: 5 },
    },
  },
  {
    row: 'GET /tickets',
    route: 'GET /tickets',
    name: 'filtered by queue B and a customer company',
    kind: 'read',
    auth: 'user',
    request: (f) => ({
      method: 'GET',
      path: `${V1}/tickets?queue=${f.world.queues.A},${f.world.queues.B}&customerCompany=${f.world.companies.Y}`,
    }),
    expect: {
      roA: { status: 200, tickets: ['A2'], total: 1 },
      rwA: { status: 200, tickets: ['A2'], total: 1 },
      cX: { status: 200, tickets: [], total: 0 },
      admin: { status: 200, tickets: ['A2', 'B2'], total: 2 },
    },
  },
  {
    row: 'GET /tickets',
    route: 'GET /tickets',
    name: 'filtered by state type',
    kind: 'read',
    auth: 'user',
    request: () => ({ method: 'GET', path: `${V1}/tickets?stateType=new&stateType=closed` }),
    expect: {
      roA: { status: 200, tickets: ['A2'], total: 1 },
      rwA: { status: 200, tickets: ['A2'], total: 1 },
      cX: { status: 200, tickets: ['B1'], total: 1 },
      admin: { status: 200, tickets: ['A2', 'B1', 'B2'], total: 3 },
    },
  },
  {
    row: 'GET /tickets',
    route: 'GET /tickets',
    name: 'q: a word of a title and a customer article (printer)',
    kind: 'read',
    auth: 'user',
    request: () => ({ method: 'GET', path: `${V1}/tickets?q=printer` }),
    expect: all({ status: 200, tickets: ['A1'], total: 1 }),
  },
  {
    row: 'GET /tickets',
    route: 'GET /tickets',
    name: 'q: a word only in an internal note (credit)',
    kind: 'read',
    auth: 'user',
    request: () => ({ method: 'GET', path: `${V1}/tickets?q=credit` }),
    expect: {
      roA: { status: 200, tickets: ['A1'], total: 1 },
      rwA: { status: 200, tickets: ['A1'], total: 1 },
      cX: { status: 200, tickets: [], total: 0 },
      admin: { status: 200, tickets: ['A1'], total: 1 },
    },
  },
  {
    row: 'GET /tickets',
    route: 'GET /tickets',
    name: 'q: words only on B2 (refund)',
    kind: 'read',
    auth: 'user',
    request: () => ({ method: 'GET', path: `${V1}/tickets?q=refund` }),
    expect: {
      roA: { status: 200, tickets: [], total: 0 },
      rwA: { status: 200, tickets: [], total: 0 },
      cX: { status: 200, tickets: [], total: 0 },
      admin: { status: 200, tickets: ['B2'], total: 1 },
    },
  },
  ...(['A1', 'B1', 'B2'] as const).map(
    (key): MatrixCase => ({
      row: 'GET /tickets/:id',
      route: 'GET /tickets/:id',
      name: key,
      kind: 'read',
      auth: 'user',
      request: (f) => ({ method: 'GET', path: `${V1}/tickets/${f.world.tickets[key]}` }),
      expect: {
        roA: s(key === 'A1' ? 200 : 404),
        rwA: s(key === 'A1' ? 200 : 404),
        cX: s(key === 'B2' ? 404 : 200),
        admin: s(200),
      },
    }),
  ),
  {
    row: 'GET /tickets/:id/articles',
    route: 'GET /tickets/:id/articles',
    name: 'A1',
    kind: 'read',
    auth: 'user',
    request: (f) => ({ method: 'GET', path: `${V1}/tickets/${f.world.tickets.A1}/articles` }),
    expect: {
      roA: { status: 200, articles: ['A1Customer', 'A1Reply', 'A1Note'] },
      rwA: { status: 200, articles: ['A1Customer', 'A1Reply', 'A1Note'] },
      cX: { status: 200, articles: ['A1Customer', 'A1Reply'] },
      admin: { status: 200, articles: ['A1Customer', 'A1Reply', 'A1Note'] },
    },
  },
  ...(['A1', 'B2'] as const).map(
    (key): MatrixCase => ({
      row: 'GET /tickets/:id/history',
      route: 'GET /tickets/:id/history',
      name: key,
      kind: 'read',
      auth: 'agent',
      request: (f) => ({ method: 'GET', path: `${V1}/tickets/${f.world.tickets[key]}/history` }),
      expect: {
        roA: s(key === 'A1' ? 200 : 404),
        rwA: s(key === 'A1' ? 200 : 404),
        cX: s(404),
        admin: s(200),
      },
    }),
  ),
  ...(['A1Note', 'B2Reply'] as const).map(
    (key): MatrixCase => ({
      row: 'GET /attachments/:id',
      route: 'GET /attachments/:id',
      name: key === 'A1Note' ? 'on an A1 note' : 'on B2',
      kind: 'read',
      auth: 'user',
      request: (f) => ({ method: 'GET', path: `${V1}/attachments/${f.world.attachments[key]}` }),
      expect: {
        roA: s(key === 'A1Note' ? 200 : 404),
        rwA: s(key === 'A1Note' ? 200 : 404),
        cX: s(404),
        admin: s(200),
      },
    }),
  ),
  {
    row: 'GET /exports/tickets.csv',
    route: 'GET /exports/tickets.csv',
    name: 'all visible',
    kind: 'read',
    auth: 'agent',
    request: () => ({ method: 'GET', path: `${V1}/exports/tickets.csv` }),
    expect: {
      roA: { status: 200, tickets: ['A1', 'A2', 'A3'] },
      rwA: { status: 200, tickets: ['A1', 'A2', 'A3'] },
      cX: s(404),
      admin: { status: 200, tickets: ['A1', 'A2', 'A3', 'B1', 'B2'] },
    },
  },
  // ---- reference data: reads ---------------------------------------------------------------------------------
  {
    row: 'GET /queues',
    route: 'GET /queues',
    name: 'with counts per state type',
    kind: 'read',
    auth: 'user',
    request: () => ({ method: 'GET', path: `${V1}/queues` }),
    expect: {
      roA: { status: 200, queues: { A: A_COUNTS } },
      rwA: { status: 200, queues: { A: A_COUNTS } },
      cX: { status: 200, queues: { A: { open: 1, pending_reminder: 1 } } },
      admin: { status: 200, queues: { A: A_COUNTS, B: B_COUNTS } },
    },
  },
  {
    row: 'GET /queues/:id',
    route: 'GET /queues/:id',
    name: 'B',
    kind: 'read',
    auth: 'user',
    request: (f) => ({ method: 'GET', path: `${V1}/queues/${f.world.queues.B}` }),
    expect: { roA: s(404), rwA: s(404), cX: s(404), admin: s(200) },
  },
  {
    row: 'GET /queues/:id/owners',
    route: 'GET /queues/:id/owners',
    name: 'A',
    kind: 'read',
    auth: 'agent',
    request: (f) => ({ method: 'GET', path: `${V1}/queues/${f.world.queues.A}/owners` }),
    expect: { roA: s(200), rwA: s(200), cX: s(404), admin: s(200) },
  },
  ...(['states', 'priorities', 'types'] as const).map(
    (name): MatrixCase => ({
      row: 'GET /states, /priorities, /types',
      route: `GET /${name}`,
      name,
      kind: 'read',
      auth: 'user',
      request: () => ({ method: 'GET', path: `${V1}/${name}` }),
      expect: all(s(200)),
    }),
  ),
  {
    row: 'GET /customer-users',
    route: 'GET /customer-users',
    name: 'list',
    kind: 'read',
    auth: 'agent',
    request: () => ({ method: 'GET', path: `${V1}/customer-users` }),
    expect: { roA: s(200), rwA: s(200), cX: s(404), admin: s(200) },
  },
  ...(['self', 'another'] as const).map(
    (who): MatrixCase => ({
      row: 'GET /customer-users/:userId',
      route: 'GET /customer-users/:userId',
      name: who === 'self' ? 'cX' : "cX's colleague",
      kind: 'read',
      auth: 'user',
      request: (f) => ({
        method: 'GET',
        path: `${V1}/customer-users/${who === 'self' ? f.world.users.cX : f.world.users.cXColleague}`,
      }),
      expect: { roA: s(200), rwA: s(200), cX: s(who === 'self' ? 200 : 404), admin: s(200) },
    }),
  ),
  ...(['list', 'one'] as const).map(
    (which): MatrixCase => ({
      row: 'GET /customer-companies(/:id)',
      route: `GET /customer-companies${which === 'one' ? '/:id' : ''}`,
      name: which,
      kind: 'read',
      auth: 'agent',
      request: (f) => ({
        method: 'GET',
        path: `${V1}/customer-companies${which === 'one' ? `/${f.world.companies.X}` : ''}`,
      }),
      expect: { roA: s(200), rwA: s(200), cX: s(404), admin: s(200) },
    }),
  ),
  {
    row: 'GET /openapi.json (kernel-served)',
    route: 'GET /openapi.json',
    name: 'the merged document',
    kind: 'read',
    auth: 'public',
    request: () => ({ method: 'GET', path: `${V1}/openapi.json` }),
    expect: all(s(200)),
  },
  // ---- tickets: writes ---------------------------------------------------------------------------------------
  {
    row: 'POST /tickets',
    route: 'POST /tickets',
    name: 'into A',
    kind: 'write',
    auth: 'user',
    request: (f) => ({ method: 'POST', path: `${V1}/tickets`, body: newTicket(f.world.queues.A) }),
    expect: { roA: s(403), rwA: s(201), cX: s(201), admin: s(201) },
  },
  {
    row: 'POST /tickets',
    route: 'POST /tickets',
    name: 'into B',
    kind: 'write',
    auth: 'user',
    request: (f) => ({ method: 'POST', path: `${V1}/tickets`, body: newTicket(f.world.queues.B) }),
    expect: {
      roA: { status: 400, field: 'body.queueId' },
      rwA: { status: 400, field: 'body.queueId' },
      cX: { status: 400, field: 'body.queueId' },
      admin: s(201),
    },
  },
  ...(['A1', 'B2'] as const).map(
    (key): MatrixCase => ({
      row: 'PATCH /tickets/:id',
      route: 'PATCH /tickets/:id',
      name: key,
      kind: 'write',
      auth: 'agent',
      request: (f) => ({
        method: 'PATCH',
        path: `${V1}/tickets/${f.world.tickets[key]}`,
        body: { priorityId: 4 },
      }),
      expect: {
        roA: { status: key === 'A1' ? 403 : 404, unchanged: [key] },
        rwA: key === 'A1' ? s(200) : { status: 404, unchanged: [key] },
        cX: { status: 404, unchanged: [key] },
        admin: s(200),
      },
    }),
  ),
  {
    row: 'PATCH /tickets (bulk, all-or-nothing)',
    route: 'PATCH /tickets',
    name: '[A1, B2]',
    kind: 'write',
    auth: 'agent',
    request: (f) => ({
      method: 'PATCH',
      path: `${V1}/tickets`,
      body: { ids: [f.world.tickets.A1, f.world.tickets.B2], set: { priorityId: 5 } },
    }),
    expect: {
      roA: { status: 404, unchanged: ['A1', 'B2'] },
      rwA: { status: 404, unchanged: ['A1', 'B2'] },
      cX: { status: 404, unchanged: ['A1', 'B2'] },
      admin: { status: 200, tickets: ['A1', 'B2'] },
    },
  },
  {
    row: 'POST /tickets/:id/merge',
    route: 'POST /tickets/:id/merge',
    name: 'A1 → A1 (fresh copies: the same customer, cX)',
    kind: 'write',
    auth: 'agent',
    request: async (f) => {
      const [source, target] = [await f.copyOf('A1'), await f.copyOf('A1')];
      return { method: 'POST', path: `${V1}/tickets/${source}/merge`, body: { targetId: target } };
    },
    expect: { roA: s(403), rwA: s(200), cX: s(404), admin: s(200) },
  },
  {
    row: 'POST /tickets/:id/merge',
    route: 'POST /tickets/:id/merge',
    name: 'A1 → A2 (fresh copies: cX into cY, another customer)',
    kind: 'write',
    auth: 'agent',
    request: async (f) => {
      const [source, target] = [await f.copyOf('A1'), await f.copyOf('A2')];
      return { method: 'POST', path: `${V1}/tickets/${source}/merge`, body: { targetId: target } };
    },
    expect: {
      roA: s(403),
      rwA: { status: 400, field: 'body.targetId' },
      cX: s(404),
      admin: { status: 400, field: 'body.targetId' },
    },
  },
  {
    row: 'DELETE /tickets/:id',
    route: 'DELETE /tickets/:id',
    name: 'A1 (a fresh copy)',
    kind: 'write',
    auth: 'admin',
    request: async (f) => ({ method: 'DELETE', path: `${V1}/tickets/${await f.copyOf('A1')}` }),
    expect: { roA: s(404), rwA: s(404), cX: s(404), admin: s(204) },
  },
  ...(['reply', 'note'] as const).map(
    (kind): MatrixCase => ({
      row: 'POST /tickets/:id/articles',
      route: 'POST /tickets/:id/articles',
      name: `${kind}, A1`,
      kind: 'write',
      auth: 'user',
      request: (f) => ({
        method: 'POST',
        path: `${V1}/tickets/${f.world.tickets.A1}/articles`,
        body: { body: `A ${kind} from the matrix test.`, internal: kind === 'note' },
      }),
      expect: {
        roA: { status: 403, unchanged: ['A1'] },
        rwA: s(201),
        cX: kind === 'reply' ? s(201) : { status: 400, field: 'body.internal', unchanged: ['A1'] },
        admin: s(201),
      },
    }),
  ),
  {
    row: 'POST /tickets/:id/articles',
    route: 'POST /tickets/:id/articles',
    name: "reply, A3 (cX's colleague's: cX sees it through company access, but only its customer replies)",
    kind: 'write',
    auth: 'user',
    request: (f) => ({
      method: 'POST',
      path: `${V1}/tickets/${f.world.tickets.A3}/articles`,
      body: { body: 'A reply to a colleague’s ticket from the matrix test.' },
    }),
    expect: {
      roA: { status: 403, unchanged: ['A3'] },
      rwA: s(201),
      cX: { status: 403, unchanged: ['A3'] },
      admin: s(201),
    },
  },
  // ---- reference data: writes --------------------------------------------------------------------------------
  {
    row: 'POST /queues',
    route: 'POST /queues',
    name: 'create',
    kind: 'write',
    auth: 'admin',
    request: (f, user) => ({
      method: 'POST',
      path: `${V1}/queues`,
      body: { name: `Matrix queue ${user}`, groupId: f.world.groups.gA },
    }),
    expect: { roA: s(404), rwA: s(404), cX: s(404), admin: s(201) },
  },
  {
    row: 'PATCH /queues/:id',
    route: 'PATCH /queues/:id',
    name: 'B',
    kind: 'write',
    auth: 'admin',
    request: (f) => ({
      method: 'PATCH',
      path: `${V1}/queues/${f.world.queues.B}`,
      body: { comment: 'changed' },
    }),
    expect: { roA: s(404), rwA: s(404), cX: s(404), admin: s(200) },
  },
  ...(['states', 'types'] as const).flatMap((name): MatrixCase[] => [
    {
      row: 'POST /states, /types',
      route: `POST /${name}`,
      name,
      kind: 'write',
      auth: 'admin',
      request: (_f, user) => ({
        method: 'POST',
        path: `${V1}/${name}`,
        body: name === 'states' ? { name: `matrix ${user}`, type: 'open' } : { name: `Matrix ${user}` },
      }),
      expect: { roA: s(404), rwA: s(404), cX: s(404), admin: s(201) },
    },
    {
      row: 'PATCH /states, /types',
      route: `PATCH /${name}/:id`,
      name,
      kind: 'write',
      auth: 'admin',
      request: (f) => ({
        method: 'PATCH',
        path: `${V1}/${name}/${name === 'states' ? f.world.states.open : 1}`,
        body: { valid: true },
      }),
      expect: { roA: s(404), rwA: s(404), cX: s(404), admin: s(200) },
    },
  ]),
  {
    row: 'PUT /customer-users/:userId',
    route: 'PUT /customer-users/:userId',
    name: "cX's colleague",
    kind: 'write',
    auth: 'admin',
    request: (f) => ({
      method: 'PUT',
      path: `${V1}/customer-users/${f.world.users.cXColleague}`,
      body: { companyId: f.world.companies.X, companyAccess: false },
    }),
    expect: { roA: s(404), rwA: s(404), cX: s(404), admin: s(200) },
  },
  {
    row: 'POST /customer-companies',
    route: 'POST /customer-companies',
    name: 'create',
    kind: 'write',
    auth: 'admin',
    request: (_f, user) => ({
      method: 'POST',
      path: `${V1}/customer-companies`,
      body: { name: `Matrix ${user}` },
    }),
    expect: { roA: s(404), rwA: s(404), cX: s(404), admin: s(201) },
  },
  {
    row: 'PATCH /customer-companies/:id',
    route: 'PATCH /customer-companies/:id',
    name: 'Y',
    kind: 'write',
    auth: 'admin',
    request: (f) => ({
      method: 'PATCH',
      path: `${V1}/customer-companies/${f.world.companies.Y}`,
      body: { city: 'York' },
    }),
    expect: { roA: s(404), rwA: s(404), cX: s(404), admin: s(200) },
  },
];
