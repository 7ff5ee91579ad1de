/**
 * `PATCH /tickets/:id` and the bulk `PATCH /tickets`: field changes with a history row and a `ticket.updated`
 * event per changed field per ticket, all or nothing. `ifUnchangedSince` makes the change optimistic: if the
 * ticket changed after the caller's copy, nothing changes and the answer is 409.
 * @module
 */
import { type HostClient, route } from '@goatflow/sdk';
import {
  bulkResult,
  bulkUpdate,
  conflict,
  conflictOnRace,
  idParams,
  invalidField,
  type TicketUpdate,
  ticketUpdate,
  ticketWritten,
} from '../../api/schemas.js';
import { MAX_EVENTS_PER_WRITE, ticketUpdated } from '../../events/ticket-events.js';
import { CONFIRM_UPDATED, LOCK_TICKETS, UPDATE_TICKETS } from '../../sql/tickets/update.js';
import {
  checkReferences,
  PENDING_TYPES,
  requirePendingTime,
  type TicketCheck,
  ticketsForChange,
} from './checks.js';
import { findTicket } from './read-ticket.js';
import { iso } from './rows.js';
import { TICKET_TAGS } from './tags.js';

/** The fields of a change, as `UPDATE_TICKETS` takes them. */
type Patch = Omit<TicketUpdate, 'ifUnchangedSince'>;

/**
 * How many fields of `ticket` the patch may change: those it names, and the pending time that leaving a pending
 * state clears. An upper bound (a field that already has the value is no change).
 */
function changesAtMost(ticket: TicketCheck, patch: Patch): number {
  const named = Object.values(patch).filter((v) => v !== undefined).length;
  const clears =
    patch.stateId !== undefined && patch.pendingUntil === undefined && ticket.pendingUntil !== null;
  return named + (clears ? 1 : 0);
}

/**
 * Checks a change to `tickets` and applies it in one transaction; answers how many fields changed.
 * @param prefix - the body path of the fields (`set.` for the bulk change)
 */
async function applyChange(
  host: HostClient,
  tickets: TicketCheck[],
  patch: Patch,
  ifUnchangedSince: string | undefined,
  prefix: string,
): Promise<number> {
  if (ifUnchangedSince) {
    const since = Date.parse(ifUnchangedSince);
    const changed = tickets.find((t) => Date.parse(iso(t.changedAt)) > since);
    if (changed) {
      throw conflict(
        `ticket ${changed.id} was changed at ${iso(changed.changedAt)}, after your copy; reload it`,
      );
    }
  }
  const events = tickets.reduce((n, t) => n + changesAtMost(t, patch), 0);
  if (events > MAX_EVENTS_PER_WRITE) {
    const perTicket = Math.ceil(events / tickets.length);
    throw invalidField(
      'ids',
      `this change records up to ${events} field changes, each an event, and at most ${MAX_EVENTS_PER_WRITE} ` +
        `fit one change: send at most ${Math.floor(MAX_EVENTS_PER_WRITE / perTicket)} tickets at a time`,
      'too_many',
    );
  }
  const queues = patch.queueId !== undefined ? [patch.queueId] : [...new Set(tickets.map((t) => t.queueId))];
  const refs = await checkReferences(host, patch, { queues, queueUse: 'move', prefix });
  for (const ticket of tickets) {
    const stateType = patch.stateId !== undefined ? refs.stateType : ticket.stateType;
    // Only a pending ticket's own time carries over: any other is a leftover, not a choice.
    const current = PENDING_TYPES.includes(ticket.stateType) ? ticket.pendingUntil : null;
    requirePendingTime(stateType, patch.pendingUntil, current, prefix);
  }
  const ids = tickets.map((t) => t.id);
  const { results } = await conflictOnRace(() =>
    host.db.transaction(
      [
        { sql: LOCK_TICKETS, params: [ids, ifUnchangedSince ?? null, JSON.stringify(patch)], expect: 'one' },
        { sql: UPDATE_TICKETS, params: [ids, JSON.stringify(patch)] },
        { sql: CONFIRM_UPDATED, params: [ids], expect: 'one' },
      ],
      { events: [ticketUpdated(1)] },
    ),
  );
  return results[1]!.rowCount;
}

export const updateRoutes = {
  updateTicket: route({
    method: 'PATCH',
    path: '/api/v1/tickets/:id',
    auth: 'agent',
    tags: TICKET_TAGS,
    summary: 'Changes fields of a ticket',
    description:
      'Needs rw in the queue; a move also needs move_into (or rw) in the target queue; an owner must hold owner ' +
      'or rw there. Send the `changedAt` you saw as `ifUnchangedSince` to get a 409 instead of overwriting ' +
      "someone else's change. A move into a queue you may move into but not see answers only `id`, `tn` and " +
      '`moved: true`.',
    errors: [403, 409],
    params: idParams,
    body: ticketUpdate,
    response: ticketWritten,
    handler: async ({ params, body }, { host }) => {
      const { ifUnchangedSince, ...patch } = body;
      const tickets = await ticketsForChange(host, [params.id]);
      await applyChange(host, tickets, patch, ifUnchangedSince, '');
      // A move into a queue the caller may move into but not read takes the ticket out of their sight.
      const ticket = await findTicket(host, params.id);
      return ticket ?? { id: params.id, tn: tickets[0]!.tn, moved: true as const };
    },
  }),
  bulkUpdateTickets: route({
    method: 'PATCH',
    path: '/api/v1/tickets',
    auth: 'agent',
    tags: TICKET_TAGS,
    summary: 'Changes state, queue, priority, owner or pending time of up to 100 tickets, all or nothing',
    description:
      'Any ticket you do not see is a 404 and any you may not change a 403: then nothing changes. The answer ' +
      'counts the field changes recorded (a field that already had the value is not one).',
    errors: [403, 409],
    body: bulkUpdate,
    response: bulkResult,
    handler: async ({ body }, { host }) => {
      const ids = [...new Set(body.ids)];
      const tickets = await ticketsForChange(host, ids);
      const changes = await applyChange(host, tickets, body.set, undefined, 'set.');
      return { ids, changes };
    },
  }),
};
