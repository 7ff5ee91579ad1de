/**
 * `GET /tickets/:id/history` (agents): every change of a ticket, who made it, and old → new.
 * @module
 */
import { route } from '@goatflow/sdk';
import { historyList, idParams, notVisible } from '../../api/schemas.js';
import { LIST_HISTORY } from '../../sql/tickets/read.js';
import { toHistoryEntry } from './rows.js';
import { TICKET_TAGS } from './tags.js';

export const historyRoutes = {
  getTicketHistory: route({
    method: 'GET',
    path: '/api/v1/tickets/:id/history',
    auth: 'agent',
    tags: TICKET_TAGS,
    summary: "A ticket's history, oldest first: who changed what, old → new",
    description: 'An entry without actor was made by the system (the pending-auto-close job).',
    params: idParams,
    response: historyList,
    handler: async ({ params }, { host }) => {
      const { rows } = await host.db.query(LIST_HISTORY, [params.id]);
      if (rows.length === 0) throw notVisible(`ticket ${params.id}`);
      return { items: rows.filter((row) => row.id !== null).map(toHistoryEntry) };
    },
  }),
};
