/**
 * Reading one ticket as the acting user sees it, for the detail route and for the answers of the writes.
 * @module
 */
import type { HostClient } from '@goatflow/sdk';
import { notVisible, type TicketDetail } from '../../api/schemas.js';
import { GET_TICKET } from '../../sql/tickets/read.js';
import type { TicketSummaryRow } from '../../sql/tickets/summary.js';
import { type TicketRightsRow, toDetail } from './rows.js';

/** The ticket with the caller's rights on it, or `undefined` when they may not see it. */
export async function findTicket(host: HostClient, id: number): Promise<TicketDetail | undefined> {
  const { rows } = await host.db.query<TicketSummaryRow & TicketRightsRow>(GET_TICKET, [id]);
  return rows[0] ? toDetail(rows[0]) : undefined;
}

/** The ticket with the caller's rights on it, or a 404. */
export async function readTicket(host: HostClient, id: number): Promise<TicketDetail> {
  const ticket = await findTicket(host, id);
  if (!ticket) throw notVisible(`ticket ${id}`);
  return ticket;
}
