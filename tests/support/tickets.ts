/**
 * The tickets plugin's test world: a kernel with the first-party plugin `tickets` enabled (built from
 * plugins-core/tickets and run from its bundle), and the matrix of the design (docs/plugins-core/tickets-design.md,
 * section 3) seeded in one SQL script: groups gA and gB; queue A (group gA, customer-selectable) and queue B
 * (gB); agents ro-A (ro in gA), rw-A (rw in gA) and note-A (ro and note in gA); companies X and Y; customers cX
 * (of X, with company access), cX's colleague (of X, without) and cY (of Y); the admin; tickets
 *   A1: A, cX · A2: A, cY · A3: A, cX's colleague · B1: B, cX · B2: B, cY
 * each with the customer's first article, plus a reply and an internal note (with an attachment) on A1 and a
 * reply (with an attachment) on B2. Every seeded user shares the admin's password hash, so they sign in with
 * the admin's password and nobody pays for more argon2 hashes.
 * @module
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import type { Kernel } from '@goatflow/kernel';
import pg from 'pg';
import { repoRoot } from '../fixtures/grpc/host-api-plugins.js';
import { freshDatabase, type TestDatabase } from './database.js';
import { ApiClient } from './http-client.js';
import { ADMIN_PASSWORD, adminClient, startTestKernel } from './kernel.js';

/** The plugin id, its schema and the role its SQL runs as. */
export const TICKETS_PLUGIN = 'tickets';
export const TICKETS_SCHEMA = 'tickets';
export const TICKETS_ROLE = 'plugin_tickets';

/** The seeded users by their key in the world, with their logins. */
export const MATRIX_LOGINS = {
  admin: 'admin',
  roA: 'ro-a',
  rwA: 'rw-a',
  noteA: 'note-a',
  cX: 'cx',
  cXColleague: 'cx-colleague',
  cY: 'cy',
} as const;
/** A seeded user. */
export type MatrixUser = keyof typeof MATRIX_LOGINS;

/** The ids of everything seeded, by the names the design gives them. */
export interface TicketsWorld {
  users: Record<MatrixUser, number>;
  groups: { gA: number; gB: number };
  queues: { A: number; B: number };
  companies: { X: number; Y: number };
  tickets: { A1: number; A2: number; A3: number; B1: number; B2: number };
  articles: {
    A1Customer: number;
    A1Reply: number;
    A1Note: number;
    A2Customer: number;
    A3Customer: number;
    B1Customer: number;
    B2Customer: number;
    B2Reply: number;
  };
  attachments: { A1Note: number; B2Reply: number };
  states: Record<'new' | 'open' | 'pendingReminder' | 'closedSuccessful', number>;
}

/** One seeded ticket: its key (the design's name), queue, customer, state and articles. */
const TICKETS = [
  {
    key: 'A1',
    queue: 'A',
    customer: 'cx',
    company: 'X',
    state: 'open',
    title: 'A1: printer jams on every job',
  },
  {
    key: 'A2',
    queue: 'A',
    customer: 'cy',
    company: 'Y',
    state: 'new',
    title: 'A2: invoice address is wrong',
  },
  {
    key: 'A3',
    queue: 'A',
    customer: 'cx-colleague',
    company: 'X',
    state: 'pending reminder',
    title: 'A3: new laptop for the colleague',
  },
  {
    key: 'B1',
    queue: 'B',
    customer: 'cx',
    company: 'X',
    state: 'new',
    title: 'B1: billing question about March',
  },
  {
    key: 'B2',
    queue: 'B',
    customer: 'cy',
    company: 'Y',
    state: 'closed successful',
    title: 'B2: refund for the duplicate charge',
  },
] as const;

/** Articles by key: the ticket, who wrote it, whether it is an internal note. */
const ARTICLES = [
  ['A1Customer', 'A1', 'customer', 'cx', false, 'The printer on floor 2 jams on every job.'],
  ['A1Reply', 'A1', 'agent', 'rw-a', false, 'We are sending a technician tomorrow.'],
  ['A1Note', 'A1', 'agent', 'rw-a', true, 'Internal: the toner supplier owes us a credit note.'],
  ['A2Customer', 'A2', 'customer', 'cy', false, 'Our invoice address changed last month.'],
  ['A3Customer', 'A3', 'customer', 'cx-colleague', false, 'I need a laptop for the new hire.'],
  ['B1Customer', 'B1', 'customer', 'cx', false, 'Why was March billed twice?'],
  ['B2Customer', 'B2', 'customer', 'cy', false, 'We were charged twice, please refund.'],
  ['B2Reply', 'B2', 'agent', 'admin', false, 'The duplicate charge was refunded.'],
] as const;

/** Attachments by key: the article they belong to, file name and text content. */
const ATTACHMENTS = [
  ['A1Note', 'A1Note', 'credit-note.txt', 'text/plain', 'credit note 4711'],
  ['B2Reply', 'B2Reply', 'refund.txt', 'text/plain', 'refund confirmation'],
] as const;

const quote = (value: string) => `'${value.replaceAll("'", "''")}'`;
const values = (rows: readonly (readonly (string | boolean)[])[]) =>
  rows
    .map((r) => `(${r.map((v) => (typeof v === 'boolean' ? String(v) : quote(v))).join(', ')})`)
    .join(',\n  ');

/** The seed, one transaction: kernel users, groups and keys first, then the plugin's rows. */
function seedScript(): string {
  const users = values([
    ['ro-a', 'agent', 'Rosa', 'Reader'],
    ['rw-a', 'agent', 'Ralf', 'Writer'],
    ['note-a', 'agent', 'Nora', 'Noter'],
    ['cx', 'customer', 'Carla', 'Xavier'],
    ['cx-colleague', 'customer', 'Conrad', 'Xu'],
    ['cy', 'customer', 'Cyril', 'Young'],
  ]);
  const tickets = values(TICKETS.map((t) => [t.queue, t.customer, t.company, t.state, t.title]));
  const articles = values(
    ARTICLES.map(([key, ticket, sender, author, internal, body]) => [
      key,
      ticket,
      sender,
      author,
      internal,
      body,
    ]),
  );
  const attachments = values(ATTACHMENTS.map((a) => [...a]));
  return `
begin;
insert into kernel.users (login, type, first_name, last_name, email, password_hash)
select v.login, v.type, v.first_name, v.last_name, v.login || '@example.com', a.password_hash
  from (values ${users}) v(login, type, first_name, last_name)
  cross join (select password_hash from kernel.users where login = 'admin') a;
insert into kernel.groups (name, comment) values ('gA', 'queue A'), ('gB', 'queue B');
insert into kernel.group_memberships (group_id, user_id, permission_key)
select g.id, u.id, v.key
  from (values ('gA', 'ro-a', 'ro'), ('gA', 'rw-a', 'rw'), ('gA', 'note-a', 'ro'), ('gA', 'note-a', 'note')) v(grp, login, key)
  join kernel.groups g on g.name = v.grp join kernel.users u on u.login = v.login;
insert into tickets.queues (name, group_id, comment, customer_selectable)
select v.name, g.id, v.comment, v.selectable
  from (values ('A', 'gA', 'queue A, customers may open tickets', true), ('B', 'gB', 'queue B', false))
       v(name, grp, comment, selectable)
  join kernel.groups g on g.name = v.grp;
insert into tickets.customer_companies (name, city) values ('X', 'Xanten'), ('Y', 'York');
insert into tickets.customer_users (user_id, company_id, company_access)
select u.id, c.id, v.access
  from (values ('cx', 'X', true), ('cx-colleague', 'X', false), ('cy', 'Y', false)) v(login, company, access)
  join kernel.users u on u.login = v.login join tickets.customer_companies c on c.name = v.company;
insert into tickets.tickets (title, queue_id, state_id, state_type, priority_id, customer_user_id,
                             customer_company_id, owner_id, pending_until, created_by, changed_by)
select v.title, q.id, s.id, s.type, 3, u.id, c.id,
       case when v.queue = 'A' then (select id from kernel.users where login = 'rw-a') end,
       case when s.type like 'pending%' then now() + interval '1 day' end, u.id, u.id
  from (values ${tickets}) v(queue, customer, company, state, title)
  join tickets.queues q on q.name = v.queue
  join tickets.states s on s.name = v.state
  join kernel.users u on u.login = v.customer
  join tickets.customer_companies c on c.name = v.company;
insert into tickets.ticket_history (ticket_id, action, new_value, actor_user_id)
select t.id, 'created', t.state_id::text, t.created_by from tickets.tickets t;
insert into tickets.articles (ticket_id, sender_type, author_user_id, internal, subject, body)
select t.id, v.sender, u.id, v.internal, v.key, v.body
  from (values ${articles}) v(key, ticket, sender, author, internal, body)
  join tickets.tickets t on split_part(t.title, ':', 1) = v.ticket
  join kernel.users u on u.login = v.author;
insert into tickets.attachments (article_id, ticket_id, filename, content_type, size, sha256, content)
select a.id, a.ticket_id, v.filename, v.content_type, octet_length(convert_to(v.content, 'UTF8')),
       encode(sha256(convert_to(v.content, 'UTF8')), 'hex'), convert_to(v.content, 'UTF8')
  from (values ${attachments}) v(key, article, filename, content_type, content)
  join tickets.articles a on a.subject = v.article;
commit;
select json_build_object(
  'users', (select json_object_agg(login, id) from kernel.users),
  'groups', (select json_object_agg(name, id) from kernel.groups where name in ('gA', 'gB')),
  'queues', (select json_object_agg(name, id) from tickets.queues),
  'companies', (select json_object_agg(name, id) from tickets.customer_companies),
  'tickets', (select json_object_agg(split_part(title, ':', 1), id) from tickets.tickets),
  'articles', (select json_object_agg(subject, id) from tickets.articles),
  'attachments', (select json_object_agg(v.key, x.id) from tickets.attachments x
                    join (values ${values(ATTACHMENTS.map(([key, , filename]) => [key, filename]))}) v(key, filename)
                      on v.filename = x.filename),
  'states', (select json_object_agg(name, id) from tickets.states)
) as world;`;
}

/**
 * Seeds the matrix world into a database whose kernel has provisioned the tickets plugin, and answers its ids.
 * @param databaseUrl - the test database
 */
export async function seedTicketsWorld(databaseUrl: string): Promise<TicketsWorld> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const results = (await client.query(seedScript())) as unknown as pg.QueryResult[];
    const raw = results.at(-1)!.rows[0].world as {
      users: Record<string, number>;
      groups: TicketsWorld['groups'];
      queues: TicketsWorld['queues'];
      companies: TicketsWorld['companies'];
      tickets: TicketsWorld['tickets'];
      articles: TicketsWorld['articles'];
      attachments: TicketsWorld['attachments'];
      states: Record<string, number>;
    };
    const users = Object.fromEntries(
      Object.entries(MATRIX_LOGINS).map(([key, login]) => [key, raw.users[login]]),
    ) as TicketsWorld['users'];
    return {
      ...raw,
      users,
      states: {
        new: raw.states.new!,
        open: raw.states.open!,
        pendingReminder: raw.states['pending reminder']!,
        closedSuccessful: raw.states['closed successful']!,
      },
    };
  } catch (err) {
    await client.query('rollback').catch(() => {});
    throw err;
  } finally {
    await client.end();
  }
}

/** Builds plugins-core/tickets (manifest, OpenAPI document, dist/main.js) unless it is up to date. */
export function buildTicketsPlugin(): void {
  const script = path.join(repoRoot, 'scripts', 'build-examples.mjs');
  const build = spawnSync(process.execPath, [script, '--quiet', TICKETS_PLUGIN], { encoding: 'utf8' });
  if (build.status !== 0)
    throw new Error(`building ${TICKETS_PLUGIN} failed:\n${build.stdout}${build.stderr}`);
}

/** A kernel with the tickets plugin enabled, the matrix world seeded, and an admin client. */
export interface TicketsKernel {
  db: TestDatabase;
  kernel: Kernel;
  world: TicketsWorld;
  admin: ApiClient;
  stop(): Promise<void>;
}

/**
 * Starts a kernel on a fresh database with `corePlugins: ['tickets']` (first-party: enabled with what it asks
 * for), checks the plugin came up, and seeds the matrix world. One per test file, in `beforeAll`.
 * @param options - `env`: more kernel variables
 */
export async function startTicketsKernel(
  options: { env?: Record<string, string> } = {},
): Promise<TicketsKernel> {
  buildTicketsPlugin();
  const db = await freshDatabase();
  let kernel: Kernel | undefined;
  try {
    kernel = await startTestKernel({ databaseUrl: db.url, corePlugins: [TICKETS_PLUGIN], env: options.env });
    const admin = await adminClient(kernel);
    const status = await admin.get(`/api/admin/plugins/${TICKETS_PLUGIN}`);
    if (status.body?.state !== 'enabled') {
      const log = await admin.get(`/api/admin/plugins/${TICKETS_PLUGIN}/logs`);
      throw new Error(
        `the tickets plugin is ${status.body?.state ?? status.status}: ${JSON.stringify(status.body)}\n${JSON.stringify(log.body)}`,
      );
    }
    const world = await seedTicketsWorld(db.url);
    const started = kernel;
    return {
      db,
      kernel: started,
      world,
      admin,
      async stop() {
        await closePool(db.url);
        await started.stop();
        await db.drop();
      },
    };
  } catch (err) {
    await kernel?.stop();
    await db.drop();
    throw err;
  }
}

/**
 * A client signed in as a seeded user (with the admin's password).
 * @param kernel - the running kernel
 * @param user - the user's key in the world
 */
export async function signIn(kernel: Kernel, user: MatrixUser): Promise<ApiClient> {
  const client = new ApiClient(kernel.url);
  const res = await client.login(MATRIX_LOGINS[user], ADMIN_PASSWORD);
  if (res.status !== 200) throw new Error(`login of ${MATRIX_LOGINS[user]} failed: ${res.status}`);
  return client;
}

/**
 * Runs one statement the way the kernel runs the plugin's: as the plugin's role, its schema as search path, the
 * user bound as `goatflow.user_id` (`null` binds `''`, as events and jobs do). Rolled back afterwards, so a write
 * tried here leaves nothing behind.
 * @param databaseUrl - the test database
 * @param userId - the acting user
 * @param text - the statement
 * @param params - its parameters
 */
export async function queryAs<R extends Record<string, unknown> = Record<string, unknown>>(
  databaseUrl: string,
  userId: number | null,
  text: string,
  params: unknown[] = [],
): Promise<R[]> {
  let pool = pools.get(databaseUrl);
  if (!pool) {
    pool = new pg.Pool({ connectionString: databaseUrl, max: 2 });
    pools.set(databaseUrl, pool);
  }
  const client = await pool.connect();
  try {
    await client.query('begin');
    await client.query(
      `select set_config('role', $1, true), set_config('search_path', $2, true),
              set_config('goatflow.user_id', $3, true)`,
      [TICKETS_ROLE, TICKETS_SCHEMA, userId === null ? '' : String(userId)],
    );
    return (await client.query<R>(text, params)).rows;
  } finally {
    await client.query('rollback').catch(() => {});
    client.release();
  }
}

/** The connections of {@link queryAs}, by database; a {@link TicketsKernel}'s `stop()` closes its own. */
const pools = new Map<string, pg.Pool>();

async function closePool(databaseUrl: string): Promise<void> {
  const pool = pools.get(databaseUrl);
  pools.delete(databaseUrl);
  await pool?.end();
}
