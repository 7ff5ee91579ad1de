/**
 * Adding an article: the article, its attachments, a history row for each, and the ticket's `changed_at`, in
 * one statement answering the `article.added` event's payload (ids only). The right sits in the statement: an
 * internal note needs `can_note`, a reply `can_rw` (or being the ticket's customer); without it the
 * statement inserts nothing and its `expect: 'one'` fails the transaction.
 * @module
 */

/** The attachments parameter's rows: base64 content, decoded by PostgreSQL; size and hash computed by the handler. */
const ATTACHMENT_ROWS = `jsonb_to_recordset($4::jsonb)
         as f(filename text, "contentType" text, size int, sha256 text, "contentBase64" text)`;

/**
 * The statement for a ticket chosen by `ticket`, a query answering `id` of the ticket to write to.
 * `$1` internal, `$2` subject, `$3` body, `$4` attachments (jsonb array).
 */
function insertArticle(ticket: string): string {
  return `
with t as (${ticket}),
art as (
  insert into articles (ticket_id, sender_type, author_user_id, internal, subject, body)
  select t.id, a.type, a.id, $1::boolean, nullif($2::text, ''), $3::text
    from t cross join goatflow.acting_user a
  returning id, ticket_id, sender_type, author_user_id, internal, subject),
att as (
  insert into attachments (article_id, ticket_id, filename, content_type, size, sha256, content)
  select art.id, art.ticket_id, f.filename, f."contentType", f.size, f.sha256, decode(f."contentBase64", 'base64')
    from art cross join ${ATTACHMENT_ROWS}
  returning article_id, ticket_id, filename),
hist as (
  insert into ticket_history (ticket_id, article_id, action, new_value, actor_user_id)
  select art.ticket_id, art.id, case when art.internal then 'note' else 'article' end, art.subject,
         art.author_user_id
    from art
  union all
  select att.ticket_id, att.article_id, 'attachment', att.filename, (select a.id from goatflow.acting_user a)
    from att),
touch as (
  update tickets x set changed_at = now(), changed_by = art.author_user_id
    from art
    join ticket_scope s on s.id = art.ticket_id
    cross join goatflow.acting_user a
   where x.id = art.ticket_id and (s.can_rw or s.can_note or s.customer_user_id = a.id))
select art.ticket_id::int as "ticketId", art.id::int as "articleId", art.internal, art.sender_type as "senderType",
       art.author_user_id as "actorUserId"
  from art`;
}

/**
 * Adds an article to ticket `$5` when the acting user may: a note with `can_note`, a reply with `can_rw` or as
 * the ticket's customer (design 2.3; a colleague who sees it through company access may not; customers never
 * write internal notes: `ticket_scope` gives them no flags).
 */
export const INSERT_ARTICLE = insertArticle(`
  select s.id from ticket_scope s cross join goatflow.acting_user a
   where s.id = $5::bigint and s.state_type <> 'merged'
     and case when $1::boolean then s.can_note else s.can_rw or s.customer_user_id = a.id end`);

/**
 * The first article of a ticket created earlier in the same transaction in queue `$5` (`currval` of the ticket
 * ids is this session's, so a concurrent creation cannot be mistaken for it). A creator without `ro` may not see
 * the ticket, so the rights come from `queue_scope`: `can_create` again, and `can_note` for an internal note.
 */
export const INSERT_FIRST_ARTICLE = insertArticle(`
  select currval('tickets_id_seq') as id from queue_scope q
   where q.id = $5::int and q.can_create and (not $1::boolean or q.can_note)`);
