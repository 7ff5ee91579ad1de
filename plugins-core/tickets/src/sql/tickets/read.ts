/**
 * The reads of one ticket: the ticket with the acting user's rights on it, its articles with their attachments,
 * its history, and an attachment's content. Each answers no row when the ticket (or attachment) is not visible,
 * which the routes answer with a 404.
 * @module
 */
import { SUMMARY_COLUMNS, SUMMARY_JOINS } from './summary.js';

/**
 * One ticket as the detail shows it, with the flags its `can` is made from: `canRw`/`canNote` from the queue, and
 * whether there is another valid queue the acting user may move tickets into. `$1` ticket id.
 */
export const GET_TICKET = `
select ${SUMMARY_COLUMNS}, t.merged_into_id as "mergedIntoId", t.can_rw as "canRw", t.can_note as "canNote",
       exists (select 1 from queue_scope m where m.can_move_into and m.valid and m.id <> t.queue_id)
         as "canMoveElsewhere",
       (select a.type from goatflow.acting_user a) as "actorType"
  from ticket_scope t
  ${SUMMARY_JOINS}
 where t.id = $1::bigint`;

/**
 * The tickets `$1` (bigint[]) as a write must check them: visible ones only, with the rights and the fields the
 * checks need.
 */
export const CHECK_TICKETS = `
select t.id, t.tn, t.can_rw as "canRw", t.can_note as "canNote", t.queue_id as "queueId",
       t.state_type as "stateType", t.pending_until as "pendingUntil", t.changed_at as "changedAt",
       t.customer_user_id as "customerUserId"
  from ticket_scope t
 where t.id = any($1::bigint[])`;

/** An article `a` of `article_scope` with its author (`u`) and its attachments' metadata. */
const ARTICLE_COLUMNS = `a.id, a.ticket_id as "ticketId", a.sender_type as "senderType", a.author_user_id as "authorId",
       u.login as "authorLogin", u.first_name as "authorFirstName", u.last_name as "authorLastName",
       a.internal, a.subject, a.body, a.created_at as "createdAt",
       coalesce((select jsonb_agg(jsonb_build_object('id', x.id, 'filename', x.filename,
                                                     'contentType', x.content_type, 'size', x.size,
                                                     'sha256', x.sha256) order by x.id)
                   from attachment_scope x where x.article_id = a.id), '[]'::jsonb) as attachments`;

/**
 * The articles of ticket `$1` the acting user may see, oldest first, each with its attachments (metadata only);
 * one row with a null article when the ticket has none, no row when it is not visible.
 */
export const LIST_ARTICLES = `
select t.id as "visibleTicketId", ${ARTICLE_COLUMNS}
  from ticket_scope t
  left join article_scope a on a.ticket_id = t.id
  left join goatflow.users u on u.id = a.author_user_id
 where t.id = $1::bigint
 order by a.id
 limit 1000`;

/** One article the acting user may see. `$1` article id. */
export const GET_ARTICLE = `
select ${ARTICLE_COLUMNS}
  from article_scope a
  left join goatflow.users u on u.id = a.author_user_id
 where a.id = $1::bigint`;

/**
 * The history of ticket `$1`, oldest first, with the actors' names; one row with a null entry when there is none,
 * no row when the ticket is not visible (customers never see history).
 */
export const LIST_HISTORY = `
select t.id as "ticketId", h.id, h.action, h.old_value as "oldValue", h.new_value as "newValue",
       h.article_id as "articleId", h.actor_user_id as "actorId", u.login as "actorLogin",
       u.first_name as "actorFirstName", u.last_name as "actorLastName", h.at
  from ticket_scope t
  left join history_scope h on h.ticket_id = t.id
  left join goatflow.users u on u.id = h.actor_user_id
 where t.id = $1::bigint and (select a.type from goatflow.acting_user a) = 'agent'
 order by h.id
 limit 5000`;

/**
 * An attachment the acting user may see, with its content as base64 (read by id through `attachment_scope`, which
 * carries the visibility). `$1` attachment id.
 */
export const GET_ATTACHMENT = `
select s.id, s.filename, s.content_type as "contentType", s.size,
       translate(encode(x.content, 'base64'), E'\\n', '') as "contentBase64"
  from attachment_scope s
  join attachments x on x.id = s.id
 where s.id = $1::bigint`;
