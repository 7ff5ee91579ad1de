/**
 * The events the tickets plugin publishes, always inside the transaction of the write they report (`rowsOf`:
 * one event per row the statement returned), so a rolled-back write publishes nothing and a committed one cannot
 * lose its event. Payloads carry ids only: subscribers run with no user, and must not learn what the acting
 * user's rights protect; one that needs the content asks the tickets API as a user. Ids are `integer` in the
 * statements (the API's ids are capped there too), so they arrive as JSON numbers.
 * @module
 */
import type { TransactionEvent } from '@goatflow/sdk';
import { TICKET_EVENTS } from '../api/common.js';
import type { HistoryAction } from '../api/tickets-schemas.js';

/** The most events one transaction may publish (the kernel's limit): a write is sized to stay within it. */
export const MAX_EVENTS_PER_WRITE = 100;

/** `ticket.created`. */
export interface TicketCreatedPayload {
  ticketId: number;
  tn: string;
  queueId: number;
  stateType: string;
  customerUserId: number | null;
  actorUserId: number;
}

/** `ticket.updated`: one per changed field per ticket; `field` is the history action (`state`, `owner` …). */
export interface TicketUpdatedPayload {
  ticketId: number;
  field: HistoryAction;
  /** `null`: the system (the pending-auto-close job). */
  actorUserId: number | null;
}

/** `article.added`. */
export interface ArticleAddedPayload {
  ticketId: number;
  articleId: number;
  internal: boolean;
  senderType: 'agent' | 'customer' | 'system';
  actorUserId: number | null;
}

/** One `ticket.created` per row of statement `index`. */
export const ticketCreated = (index: number): TransactionEvent => ({
  name: TICKET_EVENTS.created,
  rowsOf: index,
});

/** One `ticket.updated` per row (changed field) of statement `index`. */
export const ticketUpdated = (index: number): TransactionEvent => ({
  name: TICKET_EVENTS.updated,
  rowsOf: index,
});

/** One `article.added` per row of statement `index`. */
export const articleAdded = (index: number): TransactionEvent => ({
  name: TICKET_EVENTS.articleAdded,
  rowsOf: index,
});
