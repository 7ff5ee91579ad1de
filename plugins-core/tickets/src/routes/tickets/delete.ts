/**
 * `DELETE /tickets/:id` (admins): the ticket with its articles, attachments and history; tickets merged into it
 * keep their merged state but lose the link.
 * @module
 */
import { reply, route } from '@goatflow/sdk';
import { conflictOnRace, idParams, notVisible } from '../../api/schemas.js';
import { DELETE_TICKET, UNLINK_MERGED } from '../../sql/tickets/delete.js';
import { visibleTickets } from './checks.js';
import { TICKET_TAGS } from './tags.js';

export const deleteRoutes = {
  deleteTicket: route({
    method: 'DELETE',
    path: '/api/v1/tickets/:id',
    auth: 'admin',
    tags: TICKET_TAGS,
    summary: 'Deletes a ticket with its articles, attachments and history',
    status: 204,
    errors: [409],
    params: idParams,
    handler: async ({ params }, { host }) => {
      if (!(await visibleTickets(host, [params.id])).has(params.id)) throw notVisible(`ticket ${params.id}`);
      await conflictOnRace(() =>
        host.db.transaction([
          { sql: UNLINK_MERGED, params: [params.id] },
          { sql: DELETE_TICKET, params: [params.id], expect: 'one' },
        ]),
      );
      return reply(204, null);
    },
  }),
};
