/**
 * `GET /tickets`: the tickets the caller sees, filtered, searched, sorted and paged, with the total, in one
 * statement; with `q`, ranked by relevance (unless another sort is asked for) and with highlights.
 * @module
 */
import { route } from '@goatflow/sdk';
import { ticketListQuery, ticketPage } from '../../api/schemas.js';
import { highlightsOf } from '../../search/highlights.js';
import { buildTicketList, sortOf, type TicketListRow, TOTAL_CAP } from '../../sql/tickets/list.js';
import { toSummary } from './rows.js';
import { TICKET_TAGS } from './tags.js';

// The bench's bare server imports the default order from here; it lives with the SDK-free statements.
export { sortOf };

export const listRoutes = {
  listTickets: route({
    method: 'GET',
    path: '/api/v1/tickets',
    auth: 'user',
    tags: TICKET_TAGS,
    summary: 'The tickets you see: filtered, searched, sorted and paged',
    description:
      'Agents see the tickets of queues where they hold ro or rw (admins: all); customers their own, and their ' +
      "company's with company access. `q` searches number, title and the articles you may see (customers never " +
      'match internal notes). `total` is exact up to 10 000; beyond it `totalExact` is false.',
    query: ticketListQuery,
    response: ticketPage,
    handler: async ({ query }, { host }) => {
      const { sql, params } = buildTicketList({ ...query, sort: sortOf(query) });
      const { rows } = await host.db.query<TicketListRow>(sql, params);
      const counted = Number(rows[0]?.total ?? 0);
      const items = rows
        .filter((row) => row.id !== null)
        .map((row) => (query.q ? { ...toSummary(row), highlights: highlightsOf(row) } : toSummary(row)));
      return {
        items,
        total: Math.min(counted, TOTAL_CAP),
        totalExact: counted <= TOTAL_CAP,
        page: query.page,
        perPage: query.perPage,
      };
    },
  }),
};
