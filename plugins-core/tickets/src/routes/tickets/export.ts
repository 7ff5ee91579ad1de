/**
 * `GET /exports/tickets.csv` (agents): the tickets of a list, with its filters and order, up to 10 000 rows, as a
 * CSV download safe to open in a spreadsheet.
 * @module
 */
import { replyFile, route } from '@goatflow/sdk';
import { ticketExportQuery } from '../../api/schemas.js';
import { buildTicketExport, sortOf } from '../../sql/tickets/list.js';
import type { TicketSummaryRow } from '../../sql/tickets/summary.js';
import { ticketsCsv } from './csv.js';
import { toSummary } from './rows.js';

export const exportRoutes = {
  exportTickets: route({
    method: 'GET',
    path: '/api/v1/exports/tickets.csv',
    auth: 'agent',
    tags: ['exports'],
    summary: 'The tickets you see as CSV, with the filters and order of the list (at most 10 000 rows)',
    description: 'Cells a spreadsheet could take for a formula start with an apostrophe.',
    query: ticketExportQuery,
    produces: ['text/csv'],
    handler: async ({ query }, { host }) => {
      const { sql, params } = buildTicketExport({ ...query, sort: sortOf(query) });
      const { rows } = await host.db.query<TicketSummaryRow>(sql, params);
      const day = new Date().toISOString().slice(0, 10);
      return replyFile({
        contentType: 'text/csv; charset=utf-8',
        filename: `tickets-${day}.csv`,
        data: ticketsCsv(rows.map(toSummary)),
      });
    },
  }),
};
