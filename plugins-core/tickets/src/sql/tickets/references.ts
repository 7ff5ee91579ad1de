/**
 * What a ticket write refers to, checked before it runs so that a reference the acting user may not see or use
 * is a 400 naming the field: the queue (through `queue_scope`, with the rights in it), the state (the first valid
 * `new` state when none is given), priority, type, customer user (through `customer_user_scope`), and whether
 * owner and responsible are active agents holding `owner` or `rw` in the group of every queue the tickets will
 * be in.
 * @module
 */

/**
 * Whether agent `user` holds `owner` or `rw` in the group of queue `queue` (both SQL expressions). The writes
 * use it in their own statements too, so a key revoked after the handler's check refuses the write.
 */
export const mayOwnIn = (user: string, queue: string) => `exists (select 1 from queue_scope oq
                              join goatflow.group_permissions og on og.group_id = oq.group_id
                             where oq.id = ${queue} and og.user_id = ${user}
                               and og.permission_key in ('owner', 'rw'))`;

/** Whether agent `$n` may own tickets in every queue of `$8` (int[]). */
const mayOwn = (user: string) => `(not exists (
         select 1 from unnest($8::int[]) as r(queue_id) where not ${mayOwnIn(user, 'r.queue_id')}))`;

/** An active agent (`user`: an SQL expression). */
export const agent = (user: string) =>
  `exists (select 1 from goatflow.users u where u.id = ${user} and u.active and u.type = 'agent')`;

/**
 * One row. `$1` queue, `$2` state (null: the default new state), `$3` priority, `$4` type, `$5` customer user,
 * `$6` owner, `$7` responsible, `$8` the queues the tickets will be in (for owner and responsible).
 */
export const CHECK_REFERENCES = `
select q.id as "queueId", q.valid as "queueValid", q.can_create as "canCreate",
       q.can_move_into as "canMoveInto", q.can_rw as "canRw", q.can_note as "canNote",
       st.id as "stateId", st.valid as "stateValid", st.type as "stateType",
       pr.id as "priorityId", pr.valid as "priorityValid",
       ty.id as "typeId", ty.valid as "typeValid",
       cu.user_id as "customerUserId", cu.active as "customerActive",
       ${agent('$6::int')} and ${mayOwn('$6::int')} as "ownerOk",
       ${agent('$7::int')} and ${mayOwn('$7::int')} as "responsibleOk"
  from (select 1) one
  left join queue_scope q on q.id = $1::int
  left join states st on st.id = coalesce($2::int, (select n.id from states n where n.type = 'new' and n.valid
                                                     order by n.id limit 1))
  left join priorities pr on pr.id = $3::int
  left join ticket_types ty on ty.id = $4::int
  left join customer_user_scope cu on cu.user_id = $5::int`;

/** A row of {@link CHECK_REFERENCES}; a field is null when the reference is not visible (or was not given). */
export interface ReferenceRow {
  queueId: number | null;
  queueValid: boolean | null;
  canCreate: boolean | null;
  canMoveInto: boolean | null;
  canRw: boolean | null;
  canNote: boolean | null;
  stateId: number | null;
  stateValid: boolean | null;
  stateType: string | null;
  priorityId: number | null;
  priorityValid: boolean | null;
  typeId: number | null;
  typeValid: boolean | null;
  customerUserId: number | null;
  customerActive: boolean | null;
  ownerOk: boolean;
  responsibleOk: boolean;
}
