/**
 * A large tickets world seeded in SQL with `generate_series`, for the plan test (200 000 tickets, in CI) and the
 * benchmark (1 000 000 tickets, by hand): 10 groups, 20 queues over them, 1 000 companies, 10 000 customers, an
 * agent with rw on five of the groups, tickets over three years (70 % closed, 12 % open, 10 % new, 8 % pending)
 * and articles whose bodies come from a 2 000-word vocabulary (10 % internal). The customers are assigned round
 * the ring by a stride prime to their count, so each has exactly tickets / 10 000 of them (100 at 1M).
 *
 * It runs as the database owner, straight into the plugin's tables, after the kernel has provisioned the plugin;
 * every user shares the admin's password hash, so they sign in with the admin's password and nobody pays for
 * 10 000 argon2 hashes. PostgreSQL only: PGlite would take minutes and plan differently.
 * @module
 */
import pg from 'pg';

export interface BulkWorldOptions {
  tickets: number;
  /** Articles per ticket (each ticket gets exactly this many). */
  articlesPerTicket: number;
  /** Words per article body, about. */
  wordsPerArticle: number;
  /** Passed to setseed(): the same world for the same options. */
  seed?: number;
}

export interface BulkWorld {
  /** The agent with rw on groups 1–5 (queues 1–10 of 20); signs in with the admin's password. */
  agent: { id: number; login: string };
  /** The first customer, with tickets / 10 000 tickets of their own; signs in with the admin's password. */
  customer: { id: number; login: string };
  /** Queue ids in name order: queues[i] belongs to group i % 10 (so queues 0–4 and 10–14 are the agent's). */
  queues: number[];
  groups: number[];
  /** Rows written and the time it took. */
  counts: { tickets: number; articles: number; seconds: number };
}

const GROUPS = 10;
const AGENT_GROUPS = 5;
const QUEUES = 20;
const COMPANIES = 1000;
const CUSTOMERS = 10_000;
const OWNERS = 20;
/** Distinct article bodies (see the articles step). */
const BODY_POOL = 16_384;
/** Prime to CUSTOMERS: ticket i goes to customer (i × STRIDE) mod CUSTOMERS, so every customer gets the same. */
const STRIDE = 7919;

/** Words people write to a help desk, placed among the made-up ones at ranks that keep them selective. */
const REAL_WORDS: [number, string][] = [
  [8, 'error'],
  [14, 'login'],
  [20, 'printer'],
  [26, 'network'],
  [30, 'invoice'],
  [60, 'refund'],
  [120, 'laptop'],
  [400, 'contract'],
];

/**
 * 2 000 distinct words: syllable pairs and triples in a fixed order, with {@link REAL_WORDS} at their ranks. Bodies
 * and titles draw rank `floor(2000 × u³)`, so low ranks are common: rank 0 is 8 % of the words, `printer` (rank
 * 20) 0.36 % and `invoice` (rank 30) 0.31 %, so "printer invoice" finds about 0.2 % of 12-word bodies.
 */
export function bulkVocabulary(size = 2000): string[] {
  const syllables = ['ka', 'lo', 'mi', 'ne', 'ru', 'ta', 'sel', 'for', 'ban', 'dor', 'vi', 'pe', 'zu', 'gra'];
  const made: string[] = [];
  for (const a of syllables)
    for (const b of syllables) for (const c of ['', ...syllables]) made.push(`${a}${b}${c}`);
  const words = made.slice(0, size);
  for (const [rank, word] of REAL_WORDS) words[rank] = word;
  return words;
}

const pick = (n: number) => `vocab[1 + floor(power(random(), 3) * ${n})::int]`;

/**
 * Seeds the world; the tickets plugin must be provisioned (its schema migrated) in `databaseUrl` already.
 * @param log - progress lines (the 1M seed takes minutes)
 */
export async function seedBulkTickets(
  databaseUrl: string,
  options: BulkWorldOptions,
  log: (line: string) => void = () => {},
): Promise<BulkWorld> {
  const started = performance.now();
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const q = async <R extends Record<string, unknown>>(what: string, sql: string, params: unknown[] = []) => {
    const t = performance.now();
    const res = await client.query<R>(sql, params);
    log(`${what}: ${res.rowCount ?? 0} rows in ${((performance.now() - t) / 1000).toFixed(1)} s`);
    return res.rows;
  };
  try {
    await client.query('select setseed($1)', [options.seed ?? 0.42]);
    const [{ hash }] = (
      await client.query<{ hash: string }>(
        `select password_hash as hash from kernel.users where login = 'admin'`,
      )
    ).rows as [{ hash: string }];
    const groups = (
      await q<{ id: number }>(
        'groups',
        `insert into kernel.groups (name, comment)
         select format('bulk-g%s', lpad(g::text, 2, '0')), 'benchmark group' from generate_series(1, $1) g
         returning id`,
        [GROUPS],
      )
    ).map((r) => r.id);
    const users = await q<{ id: number; login: string }>(
      'users',
      `insert into kernel.users (login, type, first_name, last_name, email, password_hash)
       select login, type, 'Bulk', login, replace(login, '@', '.') || '@bulk.example', $1
         from (select 'bulk-agent' as login, 'agent' as type, 0 as n
               union all select format('bulk-owner-%s', o), 'agent', o from generate_series(1, $2) o
               union all select format('bulk-c%s@bulk.example', lpad(c::text, 5, '0')), 'customer', $2 + c
                 from generate_series(1, $3) c) u
        order by n
       returning id, login, type`,
      [hash, OWNERS, CUSTOMERS],
    );
    const agent = users.find((u) => u.login === 'bulk-agent')!;
    const owners = users.filter((u) => u.login.startsWith('bulk-owner-')).map((u) => u.id);
    const customers = users.filter((u) => u.login.endsWith('@bulk.example')).map((u) => u.id);
    await q(
      'memberships',
      `insert into kernel.group_memberships (group_id, user_id, permission_key)
       select g, $1, k from unnest($2::int[]) g, unnest(array['ro', 'rw']) k
       union all
       select ($3::int[])[1 + (o % array_length($3::int[], 1))], o, 'rw' from unnest($4::int[]) o`,
      [agent.id, groups.slice(0, AGENT_GROUPS), groups, owners],
    );
    const queues = (
      await q<{ id: number }>(
        'queues',
        `insert into tickets.queues (name, group_id, comment, customer_selectable)
         select format('Bulk queue %s', lpad(i::text, 2, '0')), ($1::int[])[1 + (i - 1) % array_length($1::int[], 1)],
                'benchmark queue', i % 2 = 0
           from generate_series(1, $2) i
         returning id`,
        [groups, QUEUES],
      )
    ).map((r) => r.id);
    await q(
      'companies',
      `insert into tickets.customer_companies (name, city, country)
       select format('Bulk company %s', lpad(i::text, 4, '0')), 'Berlin', 'DE' from generate_series(1, $1) i`,
      [COMPANIES],
    );
    await q(
      'customer users',
      `insert into tickets.customer_users (user_id, company_id, company_access)
       select c.id, co.id, c.n % 4 = 0
         from unnest($1::int[]) with ordinality c(id, n)
         join (select id, row_number() over (order by id) - 1 as k from tickets.customer_companies
                where name like 'Bulk company %') co on co.k = c.n % $2`,
      [customers, COMPANIES],
    );
    // Loading into indexed tables costs about three times as much as building the indexes afterwards: the
    // secondary indexes (the primary keys and the unique ticket number stay) are dropped and made again, from
    // their own definitions, so the schema ends up exactly as the migrations made it.
    const indexes = (
      await client.query<{ name: string; def: string }>(
        `select i.indexrelid::regclass::text as name, pg_get_indexdef(i.indexrelid) as def
           from pg_index i
          where i.indrelid in ('tickets.tickets'::regclass, 'tickets.articles'::regclass)
            and not i.indisprimary and not i.indisunique`,
      )
    ).rows;
    for (const index of indexes) await client.query(`drop index ${index.name}`);
    // The rows are consistent by construction; skipping the foreign-key triggers (five per ticket) halves the load.
    await client.query(`set session_replication_role = replica`);
    const vocab = bulkVocabulary();
    await q(
      'tickets',
      `with vocab as (select $1::text[] as vocab),
       st as (select array_agg(id order by id) as ids, array_agg(type order by id) as types,
                     array_agg(name order by id) as names from tickets.states),
       g as (
         select i, random() as r, now() - interval '3 years' * random() as created_at, random() as late,
                ($2::int[])[(1 + (i::bigint * ${STRIDE}) % array_length($2::int[], 1))::int] as customer_user_id
           from generate_series(1, $5) i),
       rows as (
         select g.*, case when g.r < 0.70 then 'closed successful' when g.r < 0.82 then 'open'
                          when g.r < 0.92 then 'new' else 'pending reminder' end as state
           from g)
       insert into tickets.tickets (title, queue_id, state_id, state_type, priority_id, owner_id, customer_user_id,
                                    customer_company_id, pending_until, created_at, created_by, changed_at, changed_by)
       select initcap(${pick(vocab.length)}) || ' ' || ${pick(vocab.length)} || ' ' || ${pick(vocab.length)}
                || ' ' || ${pick(vocab.length)},
              ($3::int[])[1 + floor(random() * array_length($3::int[], 1))::int],
              st.ids[array_position(st.names, rows.state)], st.types[array_position(st.names, rows.state)],
              1 + floor(random() * 5)::int,
              case when rows.state = 'new' then null
                   else ($4::int[])[1 + floor(random() * array_length($4::int[], 1))::int] end,
              rows.customer_user_id, cu.company_id,
              case when rows.state = 'pending reminder' then now() + interval '7 days' * random() end,
              rows.created_at, rows.customer_user_id,
              rows.created_at + (now() - rows.created_at) * power(rows.late, 4), rows.customer_user_id
         from rows cross join vocab cross join st
         left join tickets.customer_users cu on cu.user_id = rows.customer_user_id
`,
      [vocab, customers, queues, owners, options.tickets],
    );
    const [{ n: tickets }] = (
      await client.query<{ n: number }>('select count(*)::int as n from tickets.tickets')
    ).rows as [{ n: number }];
    // Bodies come from a pool: writing each article's own words cost three quarters of the seeding time. The
    // pool is large enough that a search matches bodies that differ, and each body is shared by articles of
    // unrelated tickets (ticket i takes body (i × 7 + k × 13) mod the pool size).
    await q(
      'article bodies',
      `create temporary table bulk_bodies on commit preserve rows as
       select n, (select string_agg(v.vocab[1 + x.rank], ' ')
                    from (select floor(power(random(), 3) * ${vocab.length})::int as rank
                            from generate_series(1, $2 + n % 7 - 3)) x) as body
         from generate_series(0, ${BODY_POOL - 1}) n cross join (select $1::text[] as vocab) v`,
      [vocab, options.wordsPerArticle],
    );
    await q(
      'articles',
      `insert into tickets.articles (ticket_id, sender_type, author_user_id, internal, subject, body, created_at)
       select t.id, case when k = 1 or random() < 0.5 then 'customer' else 'agent' end,
              t.customer_user_id, k > 1 and random() < 0.1, t.title, b.body,
              t.created_at + (t.changed_at - t.created_at) * (k - 1) / $1
         from tickets.tickets t cross join generate_series(1, $1) k
         join bulk_bodies b on b.n = (t.id * 7 + k * 13) % ${BODY_POOL}`,
      [options.articlesPerTicket],
    );
    const [{ n: articles }] = (
      await client.query<{ n: number }>('select count(*)::int as n from tickets.articles')
    ).rows as [{ n: number }];
    await client.query(`set session_replication_role = default`);
    await client.query(`set maintenance_work_mem = '256MB'`);
    const built = performance.now();
    for (const index of indexes) await q(`index ${index.name}`, index.def);
    log(`${indexes.length} indexes built in ${((performance.now() - built) / 1000).toFixed(1)} s`);
    for (const table of [
      'tickets',
      'articles',
      'ticket_history',
      'customer_users',
      'queues',
      'customer_companies',
    ])
      await q(`vacuum analyze ${table}`, `vacuum (analyze) tickets.${table}`);
    await q(
      'vacuum analyze kernel tables',
      'vacuum (analyze) kernel.users, kernel.groups, kernel.group_memberships',
    );
    return {
      agent: { id: agent.id, login: agent.login },
      customer: { id: customers[0]!, login: users.find((u) => u.id === customers[0])!.login },
      queues,
      groups,
      counts: { tickets, articles, seconds: (performance.now() - started) / 1000 },
    };
  } finally {
    await client.end();
  }
}

/**
 * The world {@link seedBulkTickets} wrote earlier into `databaseUrl`, read back (the benchmark reuses a seeded
 * database); undefined when there is none or it has a different number of tickets.
 */
export async function existingBulkWorld(
  databaseUrl: string,
  tickets: number,
): Promise<BulkWorld | undefined> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{
      agent: number | null;
      customer: number | null;
      n: number;
      a: number;
    }>(
      `select (select id from kernel.users where login = 'bulk-agent') as agent,
              (select id from kernel.users where login = 'bulk-c00001@bulk.example') as customer,
              (select count(*)::int from tickets.tickets) as n, (select count(*)::int from tickets.articles) as a`,
    );
    const row = rows[0]!;
    if (row.agent === null || row.customer === null || row.n !== tickets) return undefined;
    const ids = async (sql: string) => (await client.query<{ id: number }>(sql)).rows.map((r) => r.id);
    return {
      agent: { id: row.agent, login: 'bulk-agent' },
      customer: { id: row.customer, login: 'bulk-c00001@bulk.example' },
      queues: await ids(`select id from tickets.queues where name like 'Bulk queue %' order by name`),
      groups: await ids(`select id from kernel.groups where name like 'bulk-g%' order by name`),
      counts: { tickets: row.n, articles: row.a, seconds: 0 },
    };
  } catch {
    return undefined;
  } finally {
    await client.end();
  }
}
