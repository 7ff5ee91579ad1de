/**
 * `/api/v1/queues`: the queues the acting user sees with their rights and ticket counts, the agents who may own
 * a queue's tickets, and (admins) creating and changing queues.
 * @module
 */
import { type HostClient, reply, route, type z } from '@goatflow/sdk';
import {
  idParams,
  invalidField,
  notVisible,
  type Queue,
  queueCreate,
  queueList,
  queueListQuery,
  queueOwnerList,
  queueSchema,
  queueUpdate,
  STATE_TYPES,
  type StateTypeCounts,
  taken,
  validParam,
} from '../../api/schemas.js';
import {
  GET_QUEUE,
  INSERT_QUEUE,
  LIST_QUEUES,
  QUEUE_OWNERS,
  QUEUE_WRITE_CHECK,
  UPDATE_QUEUE,
} from '../../sql/reference.js';
import { conflictOnNameRace } from './name-taken.js';

const TAGS = ['queues'];

type Row = Record<string, unknown>;

/** Counts per state type, with 0 for the types no visible ticket has. */
function counts(value: unknown): StateTypeCounts {
  const found = (value ?? {}) as Record<string, unknown>;
  return Object.fromEntries(STATE_TYPES.map((t) => [t, Number(found[t] ?? 0)])) as StateTypeCounts;
}

function toQueue(row: Row): Queue {
  return {
    id: Number(row.id),
    name: String(row.name),
    groupId: row.groupId === null ? null : Number(row.groupId),
    comment: (row.comment as string | null) ?? null,
    valid: row.valid === true,
    customerSelectable: row.customerSelectable === true,
    can: row.can as Queue['can'],
    counts: counts(row.counts),
  };
}

/** The queue as the acting user sees it, or a 404. */
async function visibleQueue(host: HostClient, id: number): Promise<Queue> {
  const { rows } = await host.db.query(GET_QUEUE, [id]);
  if (!rows[0]) throw notVisible(`queue ${id}`);
  return toQueue(rows[0]);
}

/** Refuses a group that is not an active kernel group (400) and a name another queue has (409). */
async function checkQueueWrite(
  host: HostClient,
  body: { name?: string; groupId?: number },
  queueId: number | null,
): Promise<void> {
  const { rows } = await host.db.query(QUEUE_WRITE_CHECK, [body.groupId ?? null, body.name ?? null, queueId]);
  const check = rows[0] as { found: boolean; groupOk: boolean; nameTaken: boolean };
  if (queueId !== null && !check.found) throw notVisible(`queue ${queueId}`);
  if (body.groupId !== undefined && !check.groupOk) {
    throw invalidField('groupId', `group ${body.groupId} is not an active group`);
  }
  if (body.name !== undefined && check.nameTaken) throw taken('name', `a queue named "${body.name}" exists`);
}

async function writeQueue(
  host: HostClient,
  sql: string,
  params: unknown[],
  name: string | undefined,
): Promise<number> {
  const { results } = await conflictOnNameRace(
    () => host.db.transaction([{ sql, params, expect: 'one' }]),
    'queues_name',
    `a queue named "${name}" exists`,
  );
  return Number(results[0]!.rows[0]!.id);
}

export const queueRoutes = {
  listQueues: route({
    method: 'GET',
    path: '/api/v1/queues',
    auth: 'user',
    tags: TAGS,
    summary: 'The queues you see, with your rights and the ticket counts per state type',
    description:
      'Agents see every queue of a group they hold a key in (admins: all); customers see the queues they may ' +
      'open tickets in. The counts cover only the tickets you see.',
    query: queueListQuery,
    response: queueList,
    handler: async ({ query }, { host }) => {
      const { rows } = await host.db.query(LIST_QUEUES, [validParam(query.valid)]);
      return { items: rows.map(toQueue) };
    },
  }),
  getQueue: route({
    method: 'GET',
    path: '/api/v1/queues/:id',
    auth: 'user',
    tags: TAGS,
    summary: 'One queue you see, with your rights and its ticket counts',
    params: idParams,
    response: queueSchema,
    handler: ({ params }, { host }) => visibleQueue(host, params.id),
  }),
  listQueueOwners: route({
    method: 'GET',
    path: '/api/v1/queues/:id/owners',
    auth: 'agent',
    tags: TAGS,
    summary: "The agents who may own the queue's tickets (owner or rw in its group)",
    params: idParams,
    response: queueOwnerList,
    handler: async ({ params }, { host }) => {
      const { rows } = await host.db.query(QUEUE_OWNERS, [params.id]);
      if (!rows[0]) throw notVisible(`queue ${params.id}`);
      return { items: rows[0].owners as z.input<typeof queueOwnerList>['items'] };
    },
  }),
  createQueue: route({
    method: 'POST',
    path: '/api/v1/queues',
    auth: 'admin',
    tags: TAGS,
    summary: 'Creates a queue',
    status: 201,
    errors: [409],
    body: queueCreate,
    response: queueSchema,
    handler: async ({ body }, { host }) => {
      await checkQueueWrite(host, body, null);
      const id = await writeQueue(
        host,
        INSERT_QUEUE,
        [body.name, body.groupId, body.comment ?? null, body.valid ?? null, body.customerSelectable ?? null],
        body.name,
      );
      return reply(201, await visibleQueue(host, id));
    },
  }),
  updateQueue: route({
    method: 'PATCH',
    path: '/api/v1/queues/:id',
    auth: 'admin',
    tags: TAGS,
    summary: 'Changes a queue',
    errors: [409],
    params: idParams,
    body: queueUpdate,
    response: queueSchema,
    handler: async ({ params, body }, { host }) => {
      await checkQueueWrite(host, body, params.id);
      await writeQueue(host, UPDATE_QUEUE, [params.id, JSON.stringify(body)], body.name);
      return visibleQueue(host, params.id);
    },
  }),
};
