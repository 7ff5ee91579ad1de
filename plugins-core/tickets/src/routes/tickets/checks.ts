/**
 * The read that classifies a write before it runs (design 2.3): a ticket the caller may not see is a 404, one
 * they see but may not change a 403, a reference in the body they may not see or use a 400 naming the field. The
 * write itself checks the same rights again inside its statements, so a change in between is a 409, never a
 * half-done write.
 * @module
 */
import type { HostClient, RouteError } from '@goatflow/sdk';
import { conflict, forbidden, invalidField, notVisible } from '../../api/schemas.js';
import { CHECK_TICKETS } from '../../sql/tickets/read.js';
import { CHECK_REFERENCES, type ReferenceRow } from '../../sql/tickets/references.js';

/** A ticket as a write checks it. */
export interface TicketCheck {
  id: number;
  tn: string;
  canRw: boolean;
  canNote: boolean;
  queueId: number;
  stateType: string;
  pendingUntil: unknown;
  changedAt: unknown;
  customerUserId: number | null;
}

/** The state types that need `pendingUntil`. */
export const PENDING_TYPES: readonly string[] = ['pending_reminder', 'pending_auto'];

/**
 * The tickets among `ids` the caller sees, by id.
 * @param host - the invocation's Host API
 * @param ids - ticket ids
 */
export async function visibleTickets(
  host: HostClient,
  ids: readonly number[],
): Promise<Map<number, TicketCheck>> {
  const { rows } = await host.db.query(CHECK_TICKETS, [ids]);
  return new Map(
    rows.map((r) => [
      Number(r.id),
      {
        ...(r as unknown as TicketCheck),
        id: Number(r.id),
        queueId: Number(r.queueId),
        customerUserId: r.customerUserId === null ? null : Number(r.customerUserId),
      },
    ]),
  );
}

/**
 * Every ticket of `ids` for a change: 404 when any is not visible (naming the first), 403 when any may not be
 * changed, 409 when any was merged.
 * @param host - the invocation's Host API
 * @param ids - ticket ids, without repeats
 */
export async function ticketsForChange(host: HostClient, ids: readonly number[]): Promise<TicketCheck[]> {
  const found = await visibleTickets(host, ids);
  const tickets = ids.map((id) => {
    const ticket = found.get(id);
    if (!ticket) throw notVisible(`ticket ${id}`);
    return ticket;
  });
  const readOnly = tickets.find((t) => !t.canRw);
  if (readOnly) throw forbidden(`you may not change ticket ${readOnly.id}: it needs rw in its queue's group`);
  const merged = tickets.find((t) => t.stateType === 'merged');
  if (merged) throw mergedConflict(merged.id);
  return tickets;
}

/**
 * A 409: a merged ticket takes no changes.
 * @param id - the merged ticket
 */
export function mergedConflict(id: number): RouteError {
  return conflict(
    `ticket ${id} was merged into another ticket and takes no changes; change that ticket instead`,
  );
}

/** The references a write names; `undefined` = not given, `null` = cleared. */
export interface References {
  queueId?: number | undefined;
  stateId?: number | undefined;
  priorityId?: number | undefined;
  typeId?: number | null | undefined;
  customerUserId?: number | null | undefined;
  ownerId?: number | null | undefined;
  responsibleId?: number | null | undefined;
}

/** How a write uses the queue it names. */
export type QueueUse = 'create' | 'move';

/**
 * Checks the references of a write; answers the row (the resolved state among others) or throws the 400 (or
 * 403 for a queue the caller sees but may not create in or move into) naming the first bad field.
 * @param host - the invocation's Host API
 * @param refs - what the body names
 * @param options.queues - the queues the tickets will be in (owner and responsible must be allowed to own there)
 * @param options.queueUse - what the queue is for
 * @param options.prefix - the body path of the fields, e.g. `set.` for the bulk change
 * @param options.defaultState - resolve a missing state to the default new state (creating)
 */
export async function checkReferences(
  host: HostClient,
  refs: References,
  options: { queues: number[]; queueUse: QueueUse; prefix?: string; defaultState?: boolean },
): Promise<ReferenceRow> {
  const prefix = options.prefix ?? '';
  const wantState = refs.stateId !== undefined || options.defaultState === true;
  const { rows } = await host.db.query<ReferenceRow>(CHECK_REFERENCES, [
    refs.queueId ?? null,
    wantState ? (refs.stateId ?? null) : null,
    refs.priorityId ?? null,
    refs.typeId ?? null,
    refs.customerUserId ?? null,
    refs.ownerId ?? null,
    refs.responsibleId ?? null,
    options.queues,
  ]);
  const row = rows[0]!;
  const field = (name: string, message: string, code?: string) =>
    invalidField(`${prefix}${name}`, message, code);
  if (refs.queueId !== undefined) {
    if (row.queueId === null)
      throw field('queueId', `queue ${refs.queueId} does not exist or is not visible to you`);
    if (!row.queueValid) throw field('queueId', `queue ${refs.queueId} is not valid`, 'invalid');
    if (options.queueUse === 'create' && !row.canCreate) {
      throw forbidden(
        `you may not create tickets in queue ${refs.queueId}: it needs create or rw in its group`,
      );
    }
    if (options.queueUse === 'move' && !row.canMoveInto) {
      throw forbidden(
        `you may not move tickets into queue ${refs.queueId}: it needs move_into or rw in its group`,
      );
    }
  }
  if (wantState) {
    if (row.stateId === null) {
      throw field(
        'stateId',
        refs.stateId === undefined
          ? 'there is no valid state of type new; give stateId'
          : `state ${refs.stateId} does not exist`,
      );
    }
    if (!row.stateValid) throw field('stateId', `state ${row.stateId} is not valid`, 'invalid');
    if (row.stateType === 'merged') {
      throw field(
        'stateId',
        'a ticket becomes merged only by merging it (POST /tickets/:id/merge)',
        'invalid',
      );
    }
  }
  if (refs.priorityId !== undefined && (row.priorityId === null || !row.priorityValid)) {
    throw field('priorityId', `priority ${refs.priorityId} is not a valid priority`, 'invalid');
  }
  if (refs.typeId !== undefined && refs.typeId !== null && (row.typeId === null || !row.typeValid)) {
    throw field('typeId', `type ${refs.typeId} does not exist or is not valid`);
  }
  if (refs.customerUserId !== undefined && refs.customerUserId !== null) {
    if (row.customerUserId === null)
      throw field('customerUserId', `customer user ${refs.customerUserId} does not exist`);
    if (!row.customerActive)
      throw field('customerUserId', `customer user ${refs.customerUserId} is not active`, 'invalid');
  }
  const owners: [keyof References & string, boolean][] = [
    ['ownerId', row.ownerOk],
    ['responsibleId', row.responsibleOk],
  ];
  for (const [name, ok] of owners) {
    const value = refs[name];
    if (value !== undefined && value !== null && !ok) {
      throw field(
        name,
        `user ${value} is not an active agent with owner or rw in the group of the ticket's queue`,
        'invalid',
      );
    }
  }
  return row;
}

/**
 * A pending state needs a time: `body.<prefix>pendingUntil` is `required` when the resulting state is pending
 * and neither the body nor the ticket has one, and `not_allowed` when the body gives one for any other state.
 * @param stateType - the state type the ticket will have
 * @param given - `pendingUntil` of the body (`undefined` = not given)
 * @param current - the ticket's `pending_until` now (creating: none)
 * @param prefix - the body path of the fields
 */
export function requirePendingTime(
  stateType: string | null,
  given: string | null | undefined,
  current: unknown,
  prefix = '',
): void {
  if (stateType === null || !PENDING_TYPES.includes(stateType)) {
    // A time for a state that waits for none would be dropped: say so rather than answer as if it were kept.
    if (given !== undefined && given !== null) {
      throw invalidField(
        `${prefix}pendingUntil`,
        `a ${stateType ?? 'non-pending'} state has no pending time; choose a pending state or leave pendingUntil out`,
        'not_allowed',
      );
    }
    return;
  }
  const effective = given === undefined ? current : given;
  if (effective === null || effective === undefined) {
    throw invalidField(`${prefix}pendingUntil`, `a ${stateType} state needs pendingUntil`, 'required');
  }
}
