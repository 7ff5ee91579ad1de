/**
 * The statements of the reference-data routes: queues, states, priorities, types, customer companies and
 * customer users. Reads go through the scope views; every write is allowed by `admin_scope.can_admin` (or the
 * flag of the scope it changes) inside the statement itself. Parameters that meet `smallint` or `integer` columns
 * are cast to `int`, so an out-of-range id can never become an SQL error. Paged lists answer one row even when the
 * page is empty (`id` null), so the total always arrives.
 * @module
 */

// ---- queues ----------------------------------------------------------------------------------------------------

/** A queue's fields and the acting user's rights in it, from `queue_scope q`. */
const QUEUE_FIELDS = `q.id, q.name, q.group_id as "groupId", q.comment, q.valid,
       q.customer_selectable as "customerSelectable",
       jsonb_build_object('ro', q.can_ro, 'rw', q.can_rw, 'create', q.can_create, 'moveInto', q.can_move_into,
                          'note', q.can_note, 'owner', q.can_owner) as can`;

/**
 * Every queue the acting user sees, with how many of the tickets they see in it have each state type (a
 * customer counts only their own, and their company's).
 * `$1` valid filter (boolean or null).
 */
export const LIST_QUEUES = `
select ${QUEUE_FIELDS}, coalesce(c.counts, '{}'::jsonb) as counts
  from queue_scope q
  left join (select n.queue_id, jsonb_object_agg(n.state_type, n.total) as counts
               from (select t.queue_id, t.state_type, count(*)::int as total
                       from ticket_scope t group by t.queue_id, t.state_type) n
              group by n.queue_id) c on c.queue_id = q.id
 where ($1::boolean is null or q.valid = $1::boolean)
 order by lower(q.name), q.id`;

/** One queue the acting user sees, with its counts. `$1` queue id. */
export const GET_QUEUE = `
select ${QUEUE_FIELDS},
       coalesce((select jsonb_object_agg(n.state_type, n.total)
                   from (select t.state_type, count(*)::int as total
                           from ticket_scope t where t.queue_id = q.id group by t.state_type) n), '{}'::jsonb) as counts
  from queue_scope q
 where q.id = $1::int`;

/**
 * The agents who may own a queue's tickets (active, with `owner` or `rw` in its group), or no row when the queue
 * is not visible. `$1` queue id.
 */
export const QUEUE_OWNERS = `
select q.id,
       coalesce((select jsonb_agg(o order by lower(o."lastName"), lower(o."firstName"), o.id)
                   from (select distinct u.id, u.login, u.first_name as "firstName", u.last_name as "lastName"
                           from goatflow.group_permissions p
                           join goatflow.users u on u.id = p.user_id and u.active and u.type = 'agent'
                          where p.group_id = q.group_id and p.permission_key in ('owner', 'rw')) o),
                '[]'::jsonb) as owners
  from queue_scope q
 where q.id = $1::int`;

/**
 * What a queue write must check first: whether the queue is there (`$3`, null for a new one), whether the group
 * is an active kernel group (`$1`) and whether another queue has the name (`$2`, case-insensitive).
 */
export const QUEUE_WRITE_CHECK = `
select exists (select 1 from queue_scope q where q.id = $3::int) as found,
       exists (select 1 from goatflow.groups g where g.id = $1::int and g.active) as "groupOk",
       exists (select 1 from queue_scope q where lower(q.name) = lower($2::text)
                  and q.id is distinct from $3::int) as "nameTaken"`;

/**
 * Creates a queue (admins). No row when the group is gone or the name was taken meanwhile.
 * `$1` name, `$2` group id, `$3` comment, `$4` valid, `$5` customer-selectable.
 */
export const INSERT_QUEUE = `
insert into queues (name, group_id, comment, valid, customer_selectable)
select $1::text, g.id, nullif($3::text, ''), coalesce($4::boolean, true), coalesce($5::boolean, false)
  from admin_scope x cross join goatflow.groups g
 where x.can_admin and g.id = $2::int and g.active
on conflict do nothing
returning id`;

/**
 * Changes the fields present in the patch `$2` (jsonb: name, groupId, comment, valid, customerSelectable) of
 * queue `$1` (admins). No row when the group or name became unusable meanwhile.
 */
export const UPDATE_QUEUE = `
update queues q
   set name = case when ($2::jsonb ? 'name') then $2::jsonb->>'name' else q.name end,
       group_id = case when ($2::jsonb ? 'groupId') then ($2::jsonb->>'groupId')::int else q.group_id end,
       comment = case when ($2::jsonb ? 'comment') then nullif($2::jsonb->>'comment', '') else q.comment end,
       valid = case when ($2::jsonb ? 'valid') then ($2::jsonb->>'valid')::boolean else q.valid end,
       customer_selectable = case when ($2::jsonb ? 'customerSelectable')
                                  then ($2::jsonb->>'customerSelectable')::boolean else q.customer_selectable end,
       changed_at = now()
  from admin_scope x
 where x.can_admin and q.id = $1::int
   and (not ($2::jsonb ? 'groupId')
        or exists (select 1 from goatflow.groups g where g.id = ($2::jsonb->>'groupId')::int and g.active))
   and (not ($2::jsonb ? 'name')
        or not exists (select 1 from queue_scope o where lower(o.name) = lower($2::jsonb->>'name') and o.id <> q.id))
returning q.id`;

// ---- states, priorities, types ---------------------------------------------------------------------------------

/** `$1` valid filter (boolean or null). */
export const LIST_STATES = `
select s.id, s.name, s.type, s.close_to_state_id as "closeToStateId", s.valid
  from states s
 where ($1::boolean is null or s.valid = $1::boolean)
 order by s.id`;

/**
 * A state as a write must check it: whether tickets are in it and whether a pending_auto state closes to it (then
 * its type cannot change). `$1` state id.
 */
export const GET_STATE_FOR_WRITE = `
select s.id, s.name, s.type, s.close_to_state_id as "closeToStateId", s.valid,
       exists (select 1 from ticket_scope t where t.state_id = s.id) as "hasTickets",
       exists (select 1 from states p where p.close_to_state_id = s.id) as "closeTarget"
  from states s
 where s.id = $1::int`;

/**
 * Whether another state has the name `$1` (`$2` the state itself, null for a new one), and the type of the
 * state `$3` a pending_auto state would close to (null when there is no valid state with that id).
 */
export const STATE_WRITE_CHECK = `
select exists (select 1 from states s where lower(s.name) = lower($1::text) and s.id is distinct from $2::int)
         as "nameTaken",
       (select c.type from states c where c.id = $3::int and c.valid) as "closeToType"`;

/**
 * Creates a state (admins). No row when the name was taken or the closing state changed meanwhile.
 * `$1` name, `$2` type, `$3` close-to state id, `$4` valid.
 */
export const INSERT_STATE = `
insert into states (name, type, close_to_state_id, valid)
select $1::text, $2::text, c.id, coalesce($4::boolean, true)
  from admin_scope x
  left join states c on c.id = $3::int and c.type = 'closed' and c.valid
 where x.can_admin and ($3::int is null or c.id is not null)
on conflict do nothing
returning id`;

/**
 * Replaces state `$1`'s name `$2`, type `$3`, close-to state `$4` and validity `$5` (admins). No row when,
 * meanwhile, tickets entered it or a state started closing to it while its type changes, the closing state
 * changed, or the name was taken.
 */
export const UPDATE_STATE = `
update states s
   set name = $2::text, type = $3::text, close_to_state_id = $4::int, valid = $5::boolean
  from admin_scope x
 where x.can_admin and s.id = $1::int
   and (s.type = $3::text
        or (not exists (select 1 from ticket_scope t where t.state_id = s.id)
            and not exists (select 1 from states p where p.close_to_state_id = s.id)))
   and ($4::int is null or exists (select 1 from states c where c.id = $4::int and c.type = 'closed' and c.valid))
   and not exists (select 1 from states o where lower(o.name) = lower($2::text) and o.id <> s.id)
returning s.id`;

/** `$1` valid filter (boolean or null). */
export const LIST_PRIORITIES = `
select p.id, p.name, p.valid
  from priorities p
 where ($1::boolean is null or p.valid = $1::boolean)
 order by p.id`;

/** `$1` valid filter (boolean or null). */
export const LIST_TYPES = `
select t.id, t.name, t.valid
  from ticket_types t
 where ($1::boolean is null or t.valid = $1::boolean)
 order by lower(t.name), t.id`;

/** One type. `$1` type id. */
export const GET_TYPE = `select t.id, t.name, t.valid from ticket_types t where t.id = $1::int`;

/** Whether another type has the name `$1` (`$2` the type itself, null for a new one). */
export const TYPE_NAME_TAKEN = `
select exists (select 1 from ticket_types t where lower(t.name) = lower($1::text) and t.id is distinct from $2::int)
         as "nameTaken"`;

/** Creates a type (admins); no row when the name was taken meanwhile. `$1` name, `$2` valid. */
export const INSERT_TYPE = `
insert into ticket_types (name, valid)
select $1::text, coalesce($2::boolean, true)
  from admin_scope x
 where x.can_admin
on conflict do nothing
returning id, name, valid`;

/** Changes the fields in the patch `$2` (jsonb: name, valid) of type `$1` (admins). */
export const UPDATE_TYPE = `
update ticket_types t
   set name = case when ($2::jsonb ? 'name') then $2::jsonb->>'name' else t.name end,
       valid = case when ($2::jsonb ? 'valid') then ($2::jsonb->>'valid')::boolean else t.valid end
  from admin_scope x
 where x.can_admin and t.id = $1::int
   and (not ($2::jsonb ? 'name')
        or not exists (select 1 from ticket_types o where lower(o.name) = lower($2::jsonb->>'name') and o.id <> t.id))
returning t.id, t.name, t.valid`;

// ---- customer companies ----------------------------------------------------------------------------------------

/** A company's fields, from `customer_company_scope c`. */
const COMPANY_FIELDS = `c.id, c.name, c.street, c.city, c.country, c.url, c.comment, c.valid,
       c.created_at as "createdAt", c.changed_at as "changedAt"`;

/**
 * A page of the companies the acting user sees, by name. `$1` name pattern (ilike, or null), `$2` valid filter,
 * `$3` limit, `$4` offset.
 */
export const LIST_CUSTOMER_COMPANIES = `
with m as (
  select c.* from customer_company_scope c
   where ($1::text is null or c.name ilike $1::text) and ($2::boolean is null or c.valid = $2::boolean)
), page as (
  select ${COMPANY_FIELDS} from m c order by lower(c.name), c.id limit $3::int offset $4::int
)
select n.total, p.* from (select count(*)::int as total from m) n left join page p on true`;

/** One company the acting user sees. `$1` company id. */
export const GET_CUSTOMER_COMPANY = `
select ${COMPANY_FIELDS} from customer_company_scope c where c.id = $1::int`;

/** Whether company `$2` (null for a new one) is there and whether another company has the name `$1`. */
export const COMPANY_WRITE_CHECK = `
select exists (select 1 from customer_company_scope c where c.id = $2::int) as found,
       exists (select 1 from customer_company_scope c where lower(c.name) = lower($1::text)
                  and c.id is distinct from $2::int) as "nameTaken"`;

/**
 * Creates a company (admins); no row when the name was taken meanwhile.
 * `$1` name, `$2` street, `$3` city, `$4` country, `$5` url, `$6` comment, `$7` valid.
 */
export const INSERT_CUSTOMER_COMPANY = `
insert into customer_companies (name, street, city, country, url, comment, valid)
select $1::text, nullif($2::text, ''), nullif($3::text, ''), nullif($4::text, ''), nullif($5::text, ''),
       nullif($6::text, ''), coalesce($7::boolean, true)
  from admin_scope x
 where x.can_admin
on conflict do nothing
returning id`;

/** Changes the fields in the patch `$2` (jsonb, the API's names) of company `$1` (admins). */
export const UPDATE_CUSTOMER_COMPANY = `
update customer_companies c
   set name = case when ($2::jsonb ? 'name') then $2::jsonb->>'name' else c.name end,
       street = case when ($2::jsonb ? 'street') then nullif($2::jsonb->>'street', '') else c.street end,
       city = case when ($2::jsonb ? 'city') then nullif($2::jsonb->>'city', '') else c.city end,
       country = case when ($2::jsonb ? 'country') then nullif($2::jsonb->>'country', '') else c.country end,
       url = case when ($2::jsonb ? 'url') then nullif($2::jsonb->>'url', '') else c.url end,
       comment = case when ($2::jsonb ? 'comment') then nullif($2::jsonb->>'comment', '') else c.comment end,
       valid = case when ($2::jsonb ? 'valid') then ($2::jsonb->>'valid')::boolean else c.valid end,
       changed_at = now()
  from admin_scope x
 where x.can_admin and c.id = $1::int
   and (not ($2::jsonb ? 'name')
        or not exists (select 1 from customer_company_scope o
                        where lower(o.name) = lower($2::jsonb->>'name') and o.id <> c.id))
returning c.id`;

// ---- customer users --------------------------------------------------------------------------------------------

/** A customer user's fields with their company, from `customer_user_scope s` and `customer_company_scope c`. */
const CUSTOMER_USER_FIELDS = `s.user_id as "userId", s.login, s.first_name as "firstName",
       s.last_name as "lastName", s.email, s.active, c.id as "companyId", c.name as "companyName",
       s.company_access as "companyAccess", s.phone, s.comment`;

/**
 * A page of the customer users the acting user sees, by last and first name. `$1` pattern (ilike on login,
 * names and email, or null), `$2` company id (or null), `$3` limit, `$4` offset.
 */
export const LIST_CUSTOMER_USERS = `
with m as (
  select s.* from customer_user_scope s
   where ($1::text is null or s.login ilike $1::text or s.email ilike $1::text or s.first_name ilike $1::text
          or s.last_name ilike $1::text or (s.first_name || ' ' || s.last_name) ilike $1::text)
     and ($2::int is null or s.company_id = $2::int)
), page as (
  select ${CUSTOMER_USER_FIELDS}
    from m s left join customer_company_scope c on c.id = s.company_id
   order by lower(s.last_name), lower(s.first_name), s.user_id limit $3::int offset $4::int
)
select n.total, p.* from (select count(*)::int as total from m) n left join page p on true`;

/** One customer user the acting user sees (a customer: only themselves). `$1` user id. */
export const GET_CUSTOMER_USER = `
select ${CUSTOMER_USER_FIELDS}
  from customer_user_scope s left join customer_company_scope c on c.id = s.company_id
 where s.user_id = $1::int`;

/** Whether company `$1` exists (for an admin: any company). */
export const COMPANY_EXISTS = `select exists (select 1 from customer_company_scope c where c.id = $1::int) as found`;

/**
 * Links customer user `$1` to company `$2` (or none) with company access `$3`, phone `$4` and comment `$5`,
 * replacing the link (admins). No row when the user or the company is gone.
 */
export const PUT_CUSTOMER_USER = `
insert into customer_users (user_id, company_id, company_access, phone, comment)
select s.user_id, c.id, $3::boolean, nullif($4::text, ''), nullif($5::text, '')
  from customer_user_scope s
  cross join admin_scope x
  left join customer_company_scope c on c.id = $2::int
 where x.can_admin and s.user_id = $1::int and ($2::int is null or c.id is not null)
on conflict (user_id) do update
   set company_id = excluded.company_id, company_access = excluded.company_access,
       phone = excluded.phone, comment = excluded.comment
returning user_id as "userId"`;
