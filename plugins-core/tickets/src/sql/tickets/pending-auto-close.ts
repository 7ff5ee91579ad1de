/**
 * The `pending-auto-close` job's statement. It runs as the system (no acting user, so every scope view is
 * empty) and therefore on the base tables: one of the exceptions to the scope rule that test/sql-lint.test.ts
 * lists by name. Each due `pending_auto` ticket moves to its state's `close_to_state_id` (or the first valid
 * closed state), with history rows by no one (`actor_user_id` null) and one row per changed field for the
 * `ticket.updated` events. Locked rows are skipped: a ticket an agent is changing right now is due again next
 * minute.
 * @module
 */
import { instantText } from './update.js';

/**
 * How many tickets one run closes at most; the rest are due again next minute. Each closed ticket is two
 * `ticket.updated` events (state and pending time), and a transaction publishes at most 100.
 */
export const AUTO_CLOSE_BATCH = 50;

/** No parameters. */
export const AUTO_CLOSE_DUE = `
with due as (
  select t.id, t.state_id, t.pending_until
    from tickets t
   where t.state_type = 'pending_auto' and t.pending_until <= now()
   order by t.pending_until, t.id
   limit ${AUTO_CLOSE_BATCH}
     for update of t skip locked),
upd as (
  update tickets t
     set state_id = nx.id, state_type = nx.type, pending_until = null, changed_at = now(), changed_by = null
    from due
    join states cur on cur.id = due.state_id
    join states nx on nx.id = coalesce(cur.close_to_state_id,
                                       (select c.id from states c where c.type = 'closed' and c.valid
                                         order by c.id limit 1))
   where t.id = due.id
  returning t.id, cur.name as old_state, nx.name as new_state, due.pending_until),
hist as (
  insert into ticket_history (ticket_id, action, old_value, new_value, actor_user_id)
  select upd.id, 'state', upd.old_state, upd.new_state, null::int from upd
  union all
  select upd.id, 'pending_until', ${instantText('upd.pending_until')},
         null, null::int
    from upd
  returning ticket_id, action, actor_user_id)
select hist.ticket_id::int as "ticketId", hist.action as field, hist.actor_user_id as "actorUserId"
  from hist
 order by hist.ticket_id, hist.action`;
