/**
 * `POST /tickets`: a ticket with its first article (and its attachments), history and the `ticket.created` and
 * `article.added` events, all in one transaction. Agents create where they hold `create` or `rw`; customers in
 * customer-selectable queues, for themselves.
 * @module
 */
import { type HandlerContext, invalidInput, reply, route } from '@goatflow/sdk';
import {
  conflictOnRace,
  forbidden,
  type TicketCreate,
  ticketCreate,
  ticketWritten,
} from '../../api/schemas.js';
import { articleAdded, ticketCreated } from '../../events/ticket-events.js';
import { readSettings } from '../../settings.js';
import { INSERT_FIRST_ARTICLE } from '../../sql/tickets/articles.js';
import { INSERT_TICKET } from '../../sql/tickets/create.js';
import type { ReferenceRow } from '../../sql/tickets/references.js';
import { checkReferences, requirePendingTime } from './checks.js';
import { findTicket } from './read-ticket.js';
import { TICKET_TAGS } from './tags.js';
import { ARTICLE_BODY_BYTES, prepareAttachments } from './uploads.js';

/** What a customer may not set when opening a ticket: the agents decide these. */
const AGENT_ONLY_FIELDS = ['stateId', 'ownerId', 'responsibleId', 'customerUserId', 'pendingUntil'] as const;

/** Refuses, naming each, the fields a customer may not set. */
function checkCustomerFields(body: TicketCreate): void {
  const issues = AGENT_ONLY_FIELDS.filter((f) => body[f] !== undefined).map((f) => ({
    path: `body.${f}`,
    message: 'customers cannot set this; an agent will',
    code: 'not_allowed',
  }));
  if (body.article.internal) {
    issues.push({
      path: 'body.article.internal',
      message: 'customers cannot write internal notes',
      code: 'not_allowed',
    });
  }
  if (issues.length) throw invalidInput(issues);
}

/** The fields of a new ticket that decide its handling: setting them is changing a ticket, which needs rw. */
const RW_FIELDS = ['stateId', 'ownerId', 'responsibleId'] as const;

/**
 * Refuses (403) what the queue's keys do not allow beyond creating: an internal note needs note or rw, setting
 * state, owner or responsible needs rw (design 2.3). The insert checks the same rights again.
 */
function checkAgentRights(body: TicketCreate, refs: ReferenceRow): void {
  if (body.article.internal && !refs.canNote) {
    throw forbidden(
      `you may not write internal notes in queue ${body.queueId}: it needs note or rw in its group`,
    );
  }
  const set = RW_FIELDS.filter((f) => body[f] !== undefined);
  if (set.length && !refs.canRw) {
    throw forbidden(
      `you may not set ${set.join(', ')} in queue ${body.queueId}: it needs rw in its group; leave ` +
        `${set.length > 1 ? 'them' : 'it'} out and an agent with rw will`,
    );
  }
}

async function createTicket(body: TicketCreate, ctx: HandlerContext) {
  const { host } = ctx;
  if (ctx.user?.type === 'customer') checkCustomerFields(body);
  const refs = await checkReferences(
    host,
    {
      queueId: body.queueId,
      stateId: body.stateId,
      priorityId: body.priorityId,
      typeId: body.typeId,
      customerUserId: body.customerUserId,
      ownerId: body.ownerId,
      responsibleId: body.responsibleId,
    },
    { queues: [body.queueId], queueUse: 'create', defaultState: true },
  );
  checkAgentRights(body, refs);
  requirePendingTime(refs.stateType, body.pendingUntil, null);
  const settings = await readSettings(ctx);
  const attachments = prepareAttachments(
    body.article.attachments,
    settings.maxAttachmentBytes,
    'body.article.attachments',
  );
  const { results } = await conflictOnRace(() =>
    host.db.transaction(
      [
        {
          sql: INSERT_TICKET,
          params: [
            body.title,
            body.queueId,
            body.stateId ?? null, // null: the default new state, which needs no rw
            body.priorityId,
            body.typeId ?? null,
            body.ownerId ?? null,
            body.responsibleId ?? null,
            body.customerUserId ?? null,
            body.pendingUntil ?? null,
          ],
          expect: 'one',
        },
        {
          sql: INSERT_FIRST_ARTICLE,
          params: [
            body.article.internal,
            body.article.subject ?? null,
            body.article.body,
            attachments,
            body.queueId,
          ],
          expect: 'one',
        },
      ],
      { events: [ticketCreated(0), articleAdded(1)] },
    ),
  );
  const created = results[0]!.rows[0] as { ticketId: number; tn: string };
  // Someone who may create in a queue without seeing it learns only what they created.
  const ticket = await findTicket(host, Number(created.ticketId));
  return reply(201, ticket ?? { id: Number(created.ticketId), tn: created.tn });
}

export const createRoutes = {
  createTicket: route({
    method: 'POST',
    path: '/api/v1/tickets',
    auth: 'user',
    tags: TICKET_TAGS,
    summary: 'Creates a ticket with its first article',
    description:
      'Agents need create or rw in the queue; customers create in customer-selectable queues, for themselves, and ' +
      'may set only title, queue, priority, type and the article. Setting state, owner or responsible needs rw, an ' +
      'internal note note or rw (else 403). A queue you do not see is a 400 naming ' +
      '`body.queueId`. Attachments travel as base64 (bodies up to 15 MiB). If you may create in the queue but ' +
      'not see its tickets, the answer carries only `id` and `tn`.',
    status: 201,
    errors: [403, 409, 413],
    maxBodyBytes: ARTICLE_BODY_BYTES,
    body: ticketCreate,
    response: ticketWritten,
    handler: ({ body }, ctx) => createTicket(body, ctx),
  }),
};
