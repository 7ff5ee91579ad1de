/**
 * Creating a ticket: the ticket and its `created` history row in one statement answering the `ticket.created`
 * event's payload (ids only). It inserts only into a valid queue where the acting user has `can_create` (for a
 * customer: a customer-selectable queue, and the ticket is theirs, with their company); otherwise no row, and
 * the transaction's `expect: 'one'` fails. The first article follows in the same transaction
 * (`INSERT_FIRST_ARTICLE`).
 * @module
 */
import { agent, mayOwnIn } from './references.js';

/**
 * `$1` title, `$2` queue, `$3` state (null: the first valid `new` state), `$4` priority, `$5` type, `$6` owner,
 * `$7` responsible (both ignored for a customer), `$8` customer user (ignored for a customer, who is the ticket's
 * customer), `$9` pending until (kept only for a pending state). Every reference given must hold, or nothing is
 * inserted: a given state needs `can_rw` (the default new state only `can_create`), owner and responsible need
 * `can_rw` and must be active agents with `owner` or `rw` in the queue's group, a given type must be valid, and a
 * given customer user one the caller sees, active.
 */
export const INSERT_TICKET = `
with ins as (
  insert into tickets (title, queue_id, state_id, state_type, priority_id, type_id, owner_id, responsible_id,
                       customer_user_id, customer_company_id, pending_until, created_by, changed_by)
  select $1::text, q.id, st.id, st.type, pr.id, ty.id, case when a.type = 'agent' then $6::int end,
         case when a.type = 'agent' then $7::int end, cu.user_id, cu.company_id,
         case when st.type in ('pending_reminder', 'pending_auto') then $9::timestamptz end, a.id, a.id
    from queue_scope q
    cross join goatflow.acting_user a
    join states st on st.id = coalesce($3::int, (select n.id from states n where n.type = 'new' and n.valid
                                                  order by n.id limit 1))
                  and st.valid and st.type <> 'merged'
    join priorities pr on pr.id = $4::int and pr.valid
    left join ticket_types ty on ty.id = $5::int and ty.valid
    left join customer_user_scope cu
           on cu.user_id = case when a.type = 'customer' then a.id else $8::int end and cu.active
   where q.id = $2::int and q.valid and q.can_create
     and ($3::int is null or q.can_rw)
     and ($5::int is null or ty.id is not null)
     and (a.type = 'customer' or $8::int is null or cu.user_id is not null)
     and (a.type = 'customer' or $6::int is null
          or (q.can_rw and ${agent('$6::int')} and ${mayOwnIn('$6::int', 'q.id')}))
     and (a.type = 'customer' or $7::int is null
          or (q.can_rw and ${agent('$7::int')} and ${mayOwnIn('$7::int', 'q.id')}))
  returning id, tn, queue_id, state_type, customer_user_id, created_by),
hist as (
  insert into ticket_history (ticket_id, action, new_value, actor_user_id)
  select ins.id, 'created', ins.tn, ins.created_by from ins)
select ins.id::int as "ticketId", ins.tn, ins.queue_id as "queueId", ins.state_type as "stateType",
       ins.customer_user_id as "customerUserId", ins.created_by as "actorUserId"
  from ins`;
