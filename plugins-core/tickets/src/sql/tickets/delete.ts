/**
 * Deleting a ticket (admins, by the route's auth): tickets merged into it forget the link first, then the ticket
 * goes with its articles, attachments and history (`on delete cascade`). Both statements join `ticket_scope` with
 * `can_rw`; the second answers the deleted id, so `expect: 'one'` turns a concurrent delete into a 409.
 * @module
 */

/** `$1` ticket id. */
export const UNLINK_MERGED = `
update tickets t set merged_into_id = null
  from ticket_scope s
 where s.id = t.id and s.can_rw and t.merged_into_id = $1::bigint`;

/** `$1` ticket id. */
export const DELETE_TICKET = `
delete from tickets t
 using ticket_scope s
 where s.id = t.id and s.can_rw and t.id = $1::bigint
returning t.id`;
