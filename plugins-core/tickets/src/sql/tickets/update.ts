/**
 * Changing tickets (`PATCH /tickets/:id` and the bulk `PATCH /tickets`): two statements in one transaction. The
 * first locks every ticket, which must all still be visible with `can_rw`, unmerged, and (optionally) unchanged
 * since the caller looked; it answers one row only then, so `expect: 'one'` turns any race into a rolled-back
 * 409. The second applies the patch, writes a history row per changed field (old → new, by name) and answers one
 * row per changed field per ticket: the `ticket.updated` events.
 * @module
 */
import { agent, mayOwnIn } from './references.js';

/** A patch field of `c.j` that names a user (not absent, not null) may go to `user` in queue `queue`. */
const ownerOk = (field: string, queue: string) => `(c.j->>'${field}' is null
          or (${agent(`(c.j->>'${field}')::int`)} and ${mayOwnIn(`(c.j->>'${field}')::int`, queue)}))`;

/**
 * One row when all tickets `$1` (bigint[]) are locked with `can_rw`, unmerged and, unless `$2` is null, unchanged
 * since `$2` (compared at the millisecond precision the API shows), and every reference of the patch `$3` (jsonb,
 * as {@link UPDATE_TICKETS} takes it; `{}` for none) still holds: a target queue that is valid with
 * `can_move_into` (or the ticket's own), a valid state other than `merged`, a valid priority and type, an active
 * customer user the caller sees, and owner and responsible active agents with `owner` or `rw` in the group of the
 * queue each ticket will be in. These are the handler's checks again, in the statement, so a key or state
 * revoked in between is a 409 rather than a silently different write.
 */
export const LOCK_TICKETS = `
with c as (select coalesce($3::jsonb, '{}'::jsonb) as j),
locked as (
  select t.id
    from tickets t
    join ticket_scope s on s.id = t.id and s.can_rw
    cross join c
   where t.id = any($1::bigint[]) and t.state_type <> 'merged'
     and ($2::timestamptz is null or date_trunc('milliseconds', t.changed_at) <= $2::timestamptz)
     and (not c.j ? 'queueId'
          or exists (select 1 from queue_scope q where q.id = (c.j->>'queueId')::int and q.valid
                        and (q.can_move_into or q.id = t.queue_id)))
     and ${ownerOk('ownerId', "coalesce((c.j->>'queueId')::int, t.queue_id)")}
     and ${ownerOk('responsibleId', "coalesce((c.j->>'queueId')::int, t.queue_id)")}
     for update of t)
select count(*)::int as locked
  from locked cross join c
 where (not c.j ? 'stateId'
        or exists (select 1 from states st where st.id = (c.j->>'stateId')::int and st.valid
                      and st.type <> 'merged'))
   and (not c.j ? 'priorityId'
        or exists (select 1 from priorities pr where pr.id = (c.j->>'priorityId')::int and pr.valid))
   and (c.j->>'typeId' is null
        or exists (select 1 from ticket_types ty where ty.id = (c.j->>'typeId')::int and ty.valid))
   and (c.j->>'customerUserId' is null
        or exists (select 1 from customer_user_scope cu where cu.user_id = (c.j->>'customerUserId')::int
                      and cu.active))
 group by c.j
having count(*) = cardinality($1::bigint[])`;

/** A user's login for the history, or the id when the user is not visible. */
const login = (column: string) =>
  `coalesce((select gu.login from goatflow.users gu where gu.id = ${column}), ${column}::text)`;

/**
 * An instant as the history shows it: ISO 8601 with its offset (JSON's form; `at time zone` would be a call of
 * pg_catalog.timezone, which the statement guard refuses).
 */
export const instantText = (column: string) => `(to_jsonb(${column}) #>> '{}')`;

/**
 * Applies the patch `$2` (jsonb with the API's field names: title, queueId, stateId, priorityId, typeId, ownerId,
 * responsibleId, customerUserId, pendingUntil, locked; a key present with null clears the field) to tickets `$1`
 * (bigint[]). A move needs `can_move_into` on the target queue; a state must be valid and not `merged`; leaving
 * the pending states clears `pending_until`; a new customer user brings their company. A state or customer user
 * that no longer holds leaves the ticket untouched rather than half-changed; {@link LOCK_TICKETS}, run first,
 * has already refused the whole write then.
 */
export const UPDATE_TICKETS = `
with c as (select $2::jsonb as j),
old as (
  select t.id, t.title, t.queue_id, t.state_id, t.priority_id, t.type_id, t.owner_id, t.responsible_id,
         t.customer_user_id, t.pending_until, t.locked
    from tickets t
    join ticket_scope s on s.id = t.id and s.can_rw
   where t.id = any($1::bigint[])),
upd as (
  update tickets t
     set title = case when c.j ? 'title' then c.j->>'title' else t.title end,
         queue_id = case when c.j ? 'queueId' then (c.j->>'queueId')::int else t.queue_id end,
         state_id = coalesce(st.id, t.state_id),
         state_type = coalesce(st.type, t.state_type),
         priority_id = case when c.j ? 'priorityId' then (c.j->>'priorityId')::int else t.priority_id end,
         type_id = case when c.j ? 'typeId' then (c.j->>'typeId')::int else t.type_id end,
         owner_id = case when c.j ? 'ownerId' then (c.j->>'ownerId')::int else t.owner_id end,
         responsible_id = case when c.j ? 'responsibleId' then (c.j->>'responsibleId')::int
                               else t.responsible_id end,
         customer_user_id = case when c.j ? 'customerUserId' then cu.user_id else t.customer_user_id end,
         customer_company_id = case when c.j ? 'customerUserId' then cu.company_id else t.customer_company_id end,
         pending_until = case when coalesce(st.type, t.state_type) not in ('pending_reminder', 'pending_auto')
                              then null
                              when c.j ? 'pendingUntil' then (c.j->>'pendingUntil')::timestamptz
                              else t.pending_until end,
         locked = case when c.j ? 'locked' then (c.j->>'locked')::boolean else t.locked end,
         changed_at = now(),
         changed_by = a.id
    from c
    cross join goatflow.acting_user a
    join ticket_scope s on s.can_rw
    left join states st on st.id = (c.j->>'stateId')::int and st.valid and st.type <> 'merged'
    left join customer_user_scope cu on cu.user_id = (c.j->>'customerUserId')::int and cu.active
   where s.id = t.id and t.id = any($1::bigint[])
     and (not c.j ? 'stateId' or st.id is not null)
     and (c.j->>'customerUserId' is null or cu.user_id is not null)
     and (not c.j ? 'queueId'
          or exists (select 1 from queue_scope q where q.id = (c.j->>'queueId')::int and q.valid
                        and (q.can_move_into or q.id = t.queue_id)))
  returning t.id, t.title, t.queue_id, t.state_id, t.priority_id, t.type_id, t.owner_id, t.responsible_id,
            t.customer_user_id, t.pending_until, t.locked, t.changed_by),
hist as (
  insert into ticket_history (ticket_id, action, old_value, new_value, actor_user_id)
  select o.id, v.action, v.old_text, v.new_text, u.changed_by
    from old o
    join upd u on u.id = o.id
    cross join lateral (values
      ('title', o.title, u.title, o.title, u.title),
      ('queue', o.queue_id::text, u.queue_id::text,
       (select q.name from queue_scope q where q.id = o.queue_id),
       (select q.name from queue_scope q where q.id = u.queue_id)),
      ('state', o.state_id::text, u.state_id::text,
       (select x.name from states x where x.id = o.state_id), (select x.name from states x where x.id = u.state_id)),
      ('priority', o.priority_id::text, u.priority_id::text,
       (select x.name from priorities x where x.id = o.priority_id),
       (select x.name from priorities x where x.id = u.priority_id)),
      ('type', o.type_id::text, u.type_id::text,
       (select x.name from ticket_types x where x.id = o.type_id),
       (select x.name from ticket_types x where x.id = u.type_id)),
      ('owner', o.owner_id::text, u.owner_id::text, ${login('o.owner_id')}, ${login('u.owner_id')}),
      ('responsible', o.responsible_id::text, u.responsible_id::text, ${login('o.responsible_id')},
       ${login('u.responsible_id')}),
      ('customer', o.customer_user_id::text, u.customer_user_id::text, ${login('o.customer_user_id')},
       ${login('u.customer_user_id')}),
      ('pending_until', o.pending_until::text, u.pending_until::text, ${instantText('o.pending_until')},
       ${instantText('u.pending_until')}),
      ('lock', o.locked::text, u.locked::text, o.locked::text, u.locked::text))
      as v(action, old_key, new_key, old_text, new_text)
   where v.old_key is distinct from v.new_key
  returning ticket_id, action, actor_user_id)
select hist.ticket_id::int as "ticketId", hist.action as field, hist.actor_user_id as "actorUserId"
  from hist
 order by hist.ticket_id, hist.action`;

/**
 * One row when every ticket `$1` (bigint[]) was changed by {@link UPDATE_TICKETS} in this transaction (its
 * `changed_at` is the transaction's `now()`). {@link LOCK_TICKETS} checks the references with the snapshot of
 * its start; a key or customer user revoked while it waited for the row locks is seen by the update, which then
 * leaves the ticket alone: this turns that into a rolled-back 409 instead of a 200 that changed nothing. Read
 * through `queue_scope`, which shows a queue for any key, so a ticket just moved out of sight still counts.
 */
export const CONFIRM_UPDATED = `
select count(*)::int as updated
  from tickets t
  join queue_scope q on q.id = t.queue_id
 where t.id = any($1::bigint[]) and t.changed_at = now()
having count(*) = cardinality($1::bigint[])`;
