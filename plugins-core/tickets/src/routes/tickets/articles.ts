/**
 * `GET /tickets/:id/articles` and `POST /tickets/:id/articles`: the timeline of a ticket, and a reply or an
 * internal note with attachments, its history and the `article.added` event in one transaction.
 * @module
 */
import { type HandlerContext, reply, route } from '@goatflow/sdk';
import {
  type ArticleCreate,
  articleCreate,
  articleList,
  articleSchema,
  conflictOnRace,
  forbidden,
  idParams,
  invalidField,
  notVisible,
} from '../../api/schemas.js';
import { articleAdded } from '../../events/ticket-events.js';
import { readSettings } from '../../settings.js';
import { INSERT_ARTICLE } from '../../sql/tickets/articles.js';
import { GET_ARTICLE, LIST_ARTICLES } from '../../sql/tickets/read.js';
import { mergedConflict, visibleTickets } from './checks.js';
import { toArticle } from './rows.js';
import { TICKET_TAGS } from './tags.js';
import { ARTICLE_BODY_BYTES, prepareAttachments } from './uploads.js';

async function addArticle(ticketId: number, body: ArticleCreate, ctx: HandlerContext) {
  const { host } = ctx;
  const ticket = (await visibleTickets(host, [ticketId])).get(ticketId);
  if (!ticket) throw notVisible(`ticket ${ticketId}`);
  const customer = ctx.user?.type === 'customer';
  if (customer && body.internal) {
    throw invalidField('internal', 'customers cannot write internal notes', 'not_allowed');
  }
  if (ticket.stateType === 'merged') throw mergedConflict(ticketId);
  if (customer && ticket.customerUserId !== ctx.user?.id) {
    throw forbidden(
      `you may not reply to ticket ${ticketId}: only its own customer may; you see it through your company`,
    );
  }
  if (!customer && body.internal && !ticket.canNote) {
    throw forbidden(`you may not add notes to ticket ${ticketId}: it needs note or rw in its queue's group`);
  }
  if (!customer && !body.internal && !ticket.canRw) {
    throw forbidden(`you may not reply to ticket ${ticketId}: it needs rw in its queue's group`);
  }
  const settings = await readSettings(ctx);
  const attachments = prepareAttachments(body.attachments, settings.maxAttachmentBytes, 'body.attachments');
  const { results } = await conflictOnRace(() =>
    host.db.transaction(
      [
        {
          sql: INSERT_ARTICLE,
          params: [body.internal, body.subject ?? null, body.body, attachments, ticketId],
          expect: 'one',
        },
      ],
      { events: [articleAdded(0)] },
    ),
  );
  const { articleId } = results[0]!.rows[0] as { articleId: number };
  const { rows } = await host.db.query(GET_ARTICLE, [articleId]);
  return reply(201, toArticle(rows[0]!));
}

export const articleRoutes = {
  listArticles: route({
    method: 'GET',
    path: '/api/v1/tickets/:id/articles',
    auth: 'user',
    tags: TICKET_TAGS,
    summary: "A ticket's articles, oldest first, with their attachments",
    description: 'Customers never get internal notes.',
    params: idParams,
    response: articleList,
    handler: async ({ params }, { host }) => {
      const { rows } = await host.db.query(LIST_ARTICLES, [params.id]);
      if (rows.length === 0) throw notVisible(`ticket ${params.id}`);
      return { items: rows.filter((row) => row.id !== null).map(toArticle) };
    },
  }),
  addArticle: route({
    method: 'POST',
    path: '/api/v1/tickets/:id/articles',
    auth: 'user',
    tags: TICKET_TAGS,
    summary: 'Adds a reply or an internal note, with attachments',
    description:
      "A reply needs rw in the queue (customers may reply to their own tickets, not to colleagues' they see " +
      'through company access: 403); an internal note needs note or rw, ' +
      'and customers cannot write one (400 naming `body.internal`). Attachments travel as base64 (bodies up to ' +
      '15 MiB); one larger than the setting maxAttachmentBytes is a 413 naming it.',
    status: 201,
    errors: [403, 409, 413],
    maxBodyBytes: ARTICLE_BODY_BYTES,
    params: idParams,
    body: articleCreate,
    response: articleSchema,
    handler: ({ params, body }, ctx) => addArticle(params.id, body, ctx),
  }),
};
