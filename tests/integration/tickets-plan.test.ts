/**
 * The ticket list's query plans at scale: 200 000 tickets seeded in SQL, then each of the benchmark's cases
 * (docs/plugins-core/tickets-design.md, section 5) is EXPLAINed exactly as the kernel runs it — the plugin's own
 * statement, as the plugin's role, with the user bound — and the plan must use the index named for that question
 * and scan neither tickets nor articles sequentially (the search, moreover, reads only its matches' rows). The 1M benchmark (tests/bench/tickets.ts) checks the same
 * shapes by hand; this file keeps them from regressing in CI.
 *
 * PostgreSQL only: PGlite plans differently and would take minutes to seed.
 */
import { type Kernel, roleOf, schemaOf } from '@goatflow/kernel';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIST_QUEUES } from '../../plugins-core/tickets/src/sql/reference.js';
import { buildTicketList, type TicketListRequest } from '../../plugins-core/tickets/src/sql/tickets/list.js';
import { freshDatabase, type TestDatabase } from '../support/database.js';
import { startTestKernel } from '../support/kernel.js';
import { type BulkWorld, seedBulkTickets } from '../support/tickets-bulk.js';
import { type PlanCase, planFacts, planOf } from '../support/tickets-plans.js';

const onPostgres = Boolean(process.env.DATABASE_URL);
const TICKETS = 200_000;
if (!onPostgres)
  console.warn('tickets-plan.test.ts skipped: query plans are checked on PostgreSQL only (set DATABASE_URL)');

let db: TestDatabase;
let world: BulkWorld;

const list = (request: Partial<TicketListRequest>) =>
  buildTicketList({ sort: '-changed', page: 1, perPage: 25, ...request });

/** The benchmark's cases a–e, with the index each must use. */
function cases(): PlanCase[] {
  const agent = world.agent.id;
  const q3 = world.queues[2]!;
  return [
    {
      name: 'a: one queue, open, newest first',
      userId: agent,
      statement: list({ queue: [q3], stateType: ['open'] }),
      indexes: ['tickets_queue_statetype_changed'],
    },
    {
      name: 'b: the same, page 40',
      userId: agent,
      statement: list({ queue: [q3], stateType: ['open'], page: 40 }),
      indexes: ['tickets_queue_statetype_changed'],
    },
    {
      name: 'c: search "printer invoice"',
      userId: agent,
      statement: list({ q: 'printer invoice', sort: 'relevance' }),
      indexes: ['tickets_search', 'articles_search'],
      // The matches, their tickets and nothing else: reading the agent's whole scope (half the tickets) through
      // an index instead of a sequential scan would be as slow, and this bound catches it.
      maxBigTableRows: TICKETS / 20,
    },
    {
      name: "d: a customer's own tickets",
      userId: world.customer.id,
      statement: list({}),
      indexes: ['tickets_customer_user_changed'],
    },
    {
      name: 'e: the queues with their counts',
      userId: agent,
      statement: { sql: LIST_QUEUES, params: [null] },
      indexes: [],
    },
  ];
}

describe.skipIf(!onPostgres)(
  `ticket list plans at ${TICKETS.toLocaleString('en')} tickets (PostgreSQL only)`,
  () => {
    let client: pg.Client;

    beforeAll(async () => {
      db = await freshDatabase();
      // The kernel provisions the plugin (schema, role, grants, migrations); the plans need nothing else of it.
      const kernel: Kernel = await startTestKernel({ databaseUrl: db.url, corePlugins: ['tickets'] });
      await kernel.stop();
      world = await seedBulkTickets(db.url, { tickets: TICKETS, articlesPerTicket: 1, wordsPerArticle: 12 });
      client = new pg.Client({ connectionString: db.url });
      await client.connect();
    }, 180_000);

    afterAll(async () => {
      await client?.end();
      await db?.drop();
    });

    it('seeded the world the cases need', () => {
      expect(world.counts.tickets).toBe(TICKETS);
      expect(world.counts.articles).toBe(TICKETS);
    });

    it.each(['a', 'b', 'c', 'd', 'e'])(
      'case %s uses its index and no sequential scan of tickets or articles',
      async (letter) => {
        const c = cases().find((x) => x.name.startsWith(`${letter}:`))!;
        const plan = await planOf(client, c, { role: roleOf('tickets'), schema: schemaOf('tickets') });
        const facts = planFacts(plan);
        expect(facts.rows, `${c.name} found rows`).toBeGreaterThan(0);
        expect(facts.seqScans, `${c.name}: sequential scans\n${facts.text}`).toEqual([]);
        if (c.maxBigTableRows !== undefined)
          expect(facts.bigTableRows, `${c.name}: rows read\n${facts.text}`).toBeLessThanOrEqual(
            c.maxBigTableRows,
          );
        for (const index of c.indexes) expect(facts.indexes, `${c.name}\n${facts.text}`).toContain(index);
      },
    );
  },
);
