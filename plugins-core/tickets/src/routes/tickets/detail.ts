/**
 * `GET /tickets/:id`: one ticket with what the caller may do with it.
 * @module
 */
import { route } from '@goatflow/sdk';
import { idParams, ticketDetail } from '../../api/schemas.js';
import { readTicket } from './read-ticket.js';
import { TICKET_TAGS } from './tags.js';

export const detailRoutes = {
  getTicket: route({
    method: 'GET',
    path: '/api/v1/tickets/:id',
    auth: 'user',
    tags: TICKET_TAGS,
    summary: 'One ticket you see, with what you may do with it',
    description:
      '`can` tells which changes will be accepted, so a client offers only those. 404 when not visible.',
    params: idParams,
    response: ticketDetail,
    handler: ({ params }, { host }) => readTicket(host, params.id),
  }),
};
