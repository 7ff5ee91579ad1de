/**
 * The demo seed, subscribed to `kernel.demo_data.seeded`: the kernel publishes that event on every start with
 * GOATFLOW_DEMO_DATA=true, naming its demo groups, agents and customers. The first delivery writes the demo world
 * (world.ts) in one `db.transaction`; its first statement claims the `meta` marker, so a later delivery, a second
 * kernel instance or a restart finds the marker and writes nothing — and what an admin deleted since stays deleted.
 *
 * The statements (src/sql/demo.ts) run on the base tables with no user bound (events carry none); a batch of 50
 * tickets with their articles and history is one statement with three JSON parameters.
 * @module
 */
import {
  type DeliveredEvent,
  type HandlerContext,
  isHostError,
  type TransactionStatement,
  z,
} from '@goatflow/sdk';
import {
  CLAIM_DEMO_MARKER,
  INSERT_DEMO_COMPANIES,
  INSERT_DEMO_QUEUES,
  INSERT_DEMO_TICKETS,
  LINK_DEMO_CUSTOMERS,
} from '../sql/demo.js';
import { buildDemoWorld, type DemoTicket, type DemoWorld } from './world.js';

/** The event the kernel publishes once its own demo data is in place. */
export const DEMO_EVENT = 'kernel.demo_data.seeded';
/** The `meta` key that marks the demo as written. */
export const DEMO_MARKER = 'demo_data';
/** Tickets per statement. */
export const DEMO_BATCH = 50;

const ids = z.record(z.string().min(1), z.number().int().positive());
/** The event's payload, as `kernel/src/bootstrap/demo-data.ts` publishes it. */
export const demoPayload = z.object({ groups: ids, agents: ids, customers: ids });

/** A batch's three parameters: tickets, their articles and their history, each row keyed by the ticket's `ord`. */
function batchParams(tickets: DemoTicket[], first: number): string[] {
  const rows = tickets.map((t, i) => ({
    ord: first + i,
    title: t.title,
    queue: t.queue,
    state: t.state,
    type: t.type,
    priority_id: t.priorityId,
    owner_id: t.ownerId,
    customer_user_id: t.customerUserId,
    created_by: t.createdBy,
    changed_by: t.changedBy,
    created_ago: t.createdAgo,
    changed_ago: t.changedAgo,
    pending_in: t.pendingIn,
  }));
  const articles = tickets.flatMap((t, i) =>
    t.articles.map((a) => ({
      ord: first + i,
      sender_type: a.senderType,
      author_user_id: a.authorUserId,
      internal: a.internal,
      subject: a.subject,
      body: a.body,
      ago: a.ago,
    })),
  );
  const history = tickets.flatMap((t, i) =>
    t.history.map((h) => ({
      ord: first + i,
      action: h.action,
      old_value: h.oldValue,
      new_value: h.newValue,
      actor_user_id: h.actorUserId,
      ago: h.ago,
    })),
  );
  return [JSON.stringify(rows), JSON.stringify(articles), JSON.stringify(history)];
}

/** The whole seed as one transaction's statements: the marker first, then reference data, then the tickets. */
export function demoStatements(world: DemoWorld): TransactionStatement[] {
  const json = (rows: unknown) => [JSON.stringify(rows)];
  const statements: TransactionStatement[] = [
    {
      sql: CLAIM_DEMO_MARKER,
      params: [DEMO_MARKER, JSON.stringify({ tickets: world.tickets.length })],
      expect: 'one',
    },
    {
      sql: INSERT_DEMO_QUEUES,
      params: json(
        world.queues.map((q) => ({
          name: q.name,
          group_id: q.groupId,
          comment: q.comment,
          customer_selectable: q.customerSelectable,
        })),
      ),
    },
    { sql: INSERT_DEMO_COMPANIES, params: json(world.companies) },
    {
      sql: LINK_DEMO_CUSTOMERS,
      params: json(
        world.customerUsers.map((c) => ({
          user_id: c.userId,
          company: c.company,
          company_access: c.companyAccess,
        })),
      ),
    },
  ];
  for (let start = 0; start < world.tickets.length; start += DEMO_BATCH) {
    statements.push({
      sql: INSERT_DEMO_TICKETS,
      params: batchParams(world.tickets.slice(start, start + DEMO_BATCH), start),
    });
  }
  return statements;
}

/**
 * The subscriber of {@link DEMO_EVENT}. Resolves without writing when the marker is already there; throws (so
 * the kernel retries the delivery) when the payload is not what the kernel promised or the write fails.
 * @returns whether this delivery wrote the demo
 */
export async function seedDemo(event: DeliveredEvent, { host }: HandlerContext): Promise<boolean> {
  const parsed = demoPayload.safeParse(event.payload);
  if (!parsed.success) {
    throw new Error(`${DEMO_EVENT} ${event.id} has an unexpected payload: ${z.prettifyError(parsed.error)}`);
  }
  const world = buildDemoWorld(parsed.data);
  try {
    const { results } = await host.db.transaction(demoStatements(world));
    const written = results.slice(4).reduce(
      (sum, r) => {
        const row = r.rows[0] as { tickets: number; articles: number; history: number };
        return { tickets: sum.tickets + row.tickets, articles: sum.articles + row.articles };
      },
      { tickets: 0, articles: 0 },
    );
    await host.log('info', `demo data written: ${written.tickets} tickets, ${written.articles} articles`);
    return true;
  } catch (error) {
    if (isHostError(error, 'precondition_failed') && error.details?.index === 0) return false;
    throw error;
  }
}
