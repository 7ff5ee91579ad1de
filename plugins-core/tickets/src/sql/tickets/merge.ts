/**
 * Merging ticket `$1` into ticket `$2`: the source takes the `merged` state and points at the target, its
 * articles and attachments move to the target, and both get history rows. Locked first with `LOCK_TICKETS`
 * (both need `can_rw` and neither may be merged already); the statement checks `can_rw` on both again, and
 * that both have the same customer user (or none: articles must not move to another customer's ticket), and
 * answers one row per changed field per ticket (`ticket.updated`: the source's `state` and `merged_into`, the
 * target's `merged_from`).
 * @module
 */

/** `$1` source ticket, `$2` target ticket. */
export const MERGE_TICKET = `
with src as (
  select t.id, t.tn, t.state_id, t.customer_user_id from tickets t join ticket_scope s on s.id = t.id and s.can_rw
   where t.id = $1::bigint and t.state_type <> 'merged'),
tgt as (
  select t.id, t.tn from tickets t join ticket_scope s on s.id = t.id and s.can_rw
   where t.id = $2::bigint and t.state_type <> 'merged' and t.id <> $1::bigint
     and t.customer_user_id is not distinct from (select src.customer_user_id from src)),
merged as (
  select st.id, st.name from states st where st.type = 'merged' order by st.valid desc, st.id limit 1),
upd as (
  update tickets t
     set state_id = merged.id, state_type = 'merged', merged_into_id = tgt.id, pending_until = null,
         changed_at = now(), changed_by = a.id
    from src, tgt, merged, goatflow.acting_user a, ticket_scope s
   where t.id = src.id and s.id = t.id and s.can_rw
  returning t.id),
touch as (
  update tickets t set changed_at = now(), changed_by = a.id
    from tgt, upd, goatflow.acting_user a, ticket_scope s
   where t.id = tgt.id and s.id = t.id and s.can_rw),
moved as (
  update articles x set ticket_id = tgt.id
    from upd, tgt, article_scope s
   where x.ticket_id = upd.id and s.id = x.id and s.can_rw),
moved_files as (
  update attachments x set ticket_id = tgt.id
    from upd, tgt, attachment_scope f, ticket_scope s
   where x.ticket_id = upd.id and f.id = x.id and s.id = upd.id and s.can_rw),
hist as (
  insert into ticket_history (ticket_id, action, old_value, new_value, actor_user_id)
  select upd.id, 'state', (select st.name from states st where st.id = src.state_id), merged.name, a.id
    from upd, src, merged, goatflow.acting_user a
  union all
  select upd.id, 'merged_into', null, tgt.tn, a.id from upd, tgt, goatflow.acting_user a
  union all
  select tgt.id, 'merged_from', null, src.tn, a.id from upd, src, tgt, goatflow.acting_user a
  returning ticket_id, action, actor_user_id)
select hist.ticket_id::int as "ticketId", hist.action as field, hist.actor_user_id as "actorUserId"
  from hist
 order by hist.ticket_id, hist.action`;
