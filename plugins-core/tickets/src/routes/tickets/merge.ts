/**
 * `POST /tickets/:id/merge`: the ticket is merged into `targetId` (its articles move there), with history on
 * both and a `ticket.updated` event per changed field. Both need `rw`; neither may be merged already; both have
 * the same customer user (or none), since the articles move and a customer sees every reply on their ticket.
 * @module
 */
import { route } from '@goatflow/sdk';
import {
  conflictOnRace,
  forbidden,
  idParams,
  invalidField,
  notVisible,
  ticketDetail,
  ticketMerge,
} from '../../api/schemas.js';
import { ticketUpdated } from '../../events/ticket-events.js';
import { MERGE_TICKET } from '../../sql/tickets/merge.js';
import { LOCK_TICKETS } from '../../sql/tickets/update.js';
import { mergedConflict, visibleTickets } from './checks.js';
import { readTicket } from './read-ticket.js';
import { TICKET_TAGS } from './tags.js';

export const mergeRoutes = {
  mergeTicket: route({
    method: 'POST',
    path: '/api/v1/tickets/:id/merge',
    auth: 'agent',
    tags: TICKET_TAGS,
    summary: 'Merges the ticket into another one',
    description:
      'The ticket gets the merged state and points at the target; its articles move to the target. Needs rw on ' +
      'both, and both must have the same customer user (or none): else a 400 naming `body.targetId` ' +
      '(`other_customer`). A target you do not see is a 400 naming `body.targetId`. Answers the target.',
    errors: [403, 409],
    params: idParams,
    body: ticketMerge,
    response: ticketDetail,
    handler: async ({ params, body }, { host }) => {
      const { id } = params;
      const { targetId } = body;
      const found = await visibleTickets(host, [id, targetId]);
      const source = found.get(id);
      if (!source) throw notVisible(`ticket ${id}`);
      if (targetId === id) throw invalidField('targetId', 'a ticket cannot be merged into itself', 'invalid');
      const target = found.get(targetId);
      if (!target)
        throw invalidField('targetId', `ticket ${targetId} does not exist or is not visible to you`);
      if (!source.canRw) throw forbidden(`you may not change ticket ${id}: it needs rw in its queue's group`);
      if (!target.canRw) {
        throw forbidden(
          `you may not change ticket ${targetId}, the target: it needs rw in its queue's group`,
        );
      }
      if (source.stateType === 'merged') throw mergedConflict(id);
      if (target.stateType === 'merged') {
        throw invalidField(
          'targetId',
          `ticket ${targetId} was merged itself; merge into the ticket it went to`,
          'invalid',
        );
      }
      // The source's articles move to the target: across customers they would show one customer another's mail.
      if (source.customerUserId !== target.customerUserId) {
        throw invalidField(
          'targetId',
          `ticket ${targetId} belongs to another customer than ticket ${id}; only tickets of the same customer ` +
            '(or both without one) can be merged',
          'other_customer',
        );
      }
      await conflictOnRace(() =>
        host.db.transaction(
          [
            { sql: LOCK_TICKETS, params: [[id, targetId], null, null], expect: 'one' },
            { sql: MERGE_TICKET, params: [id, targetId], expect: 'some' },
          ],
          { events: [ticketUpdated(1)] },
        ),
      );
      return readTicket(host, targetId);
    },
  }),
};
