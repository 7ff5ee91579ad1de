/**
 * The statements of the demo seed (src/demo/seed.ts). They run as the system — an event handler has no user, so
 * every scope is empty — straight on the base tables, which is why test/sql-lint.test.ts lists them as exceptions.
 * Each takes its rows as one JSON parameter (`jsonb_to_recordset`), so a statement stays at a few parameters
 * however many rows it writes.
 * @module
 */

/**
 * Claims the marker (`$1` key, `$2` value); with `expect: 'one'`, "already there" becomes `precondition_failed`
 * and nothing of the seed is written.
 */
export const CLAIM_DEMO_MARKER = `insert into meta (key, value) values ($1, $2::jsonb) on conflict (key) do nothing returning key`;

/** The demo queues (`$1` rows of name, group_id, comment, customer_selectable); a name already taken is kept. */
export const INSERT_DEMO_QUEUES = `insert into queues (name, group_id, comment, customer_selectable)
select r.name, r.group_id, r.comment, r.customer_selectable
  from jsonb_to_recordset($1::jsonb) as r(name text, group_id integer, comment text, customer_selectable boolean)
 where not exists (select 1 from queues q where lower(q.name) = lower(r.name))`;

/** The demo companies (`$1` rows of name, city, country, url); a name already taken is kept. */
export const INSERT_DEMO_COMPANIES = `insert into customer_companies (name, city, country, url)
select r.name, r.city, r.country, r.url
  from jsonb_to_recordset($1::jsonb) as r(name text, city text, country text, url text)
 where not exists (select 1 from customer_companies c where lower(c.name) = lower(r.name))`;

/** Links customers to companies by name (`$1` rows of user_id, company, company_access); a link made is kept. */
export const LINK_DEMO_CUSTOMERS = `insert into customer_users (user_id, company_id, company_access)
select r.user_id, c.id, r.company_access
  from jsonb_to_recordset($1::jsonb) as r(user_id integer, company text, company_access boolean)
  join customer_companies c on lower(c.name) = lower(r.company)
on conflict (user_id) do nothing`;

/**
 * One batch of tickets ($1), their articles ($2) and history ($3), joined by the ticket's `ord`. The ticket number
 * is made here rather than by the column default so that it carries the creation date and joins the inserted
 * tickets back to their rows; the CTE that calls nextval is referenced more than once and so evaluated once.
 * Articles and history are inserted in time order, so their ids are too. History values of `created` and `state`
 * are state ids, as the ticket routes write them; the `article` and `note` rows come from the inserted articles
 * (every one after the first). Three flat arrays rather than nested ones keep the planner's row estimates small:
 * with nested arrays it expected millions of rows and paid seconds of JIT compilation for a 50-ticket batch.
 */
export const INSERT_DEMO_TICKETS = `with numbered as (
  select r.*, q.id as queue_id, st.id as state_id, st.type as state_type, cu.company_id, tt.id as type_id,
         to_char(timezone('UTC', now() - r.created_ago * interval '1 second'), 'YYYYMMDD')
           || lpad(nextval('ticket_number_seq')::text, 8, '0') as tn
    from (select * from jsonb_to_recordset($1::jsonb) as x(ord integer, title text, queue text, state text,
            type text, priority_id smallint, owner_id integer, customer_user_id integer, created_by integer,
            changed_by integer, created_ago float8, changed_ago float8, pending_in float8)
           order by x.ord) r
    join queues q on lower(q.name) = lower(r.queue)
    join states st on st.name = r.state
    left join ticket_types tt on lower(tt.name) = lower(r.type)
    left join customer_users cu on cu.user_id = r.customer_user_id
),
ins as (
  insert into tickets (tn, title, queue_id, state_id, state_type, priority_id, type_id, owner_id,
                       customer_user_id, customer_company_id, pending_until, created_at, created_by,
                       changed_at, changed_by)
  select n.tn, n.title, n.queue_id, n.state_id, n.state_type, n.priority_id, n.type_id, n.owner_id,
         n.customer_user_id, n.company_id, now() + n.pending_in * interval '1 second',
         now() - n.created_ago * interval '1 second', n.created_by, now() - n.changed_ago * interval '1 second',
         n.changed_by
    from numbered n
  returning id, tn
),
ticket_ids as (select n.ord, i.id from ins i join numbered n on n.tn = i.tn),
art as (
  insert into articles (ticket_id, sender_type, author_user_id, internal, subject, body, created_at)
  select t.id, a.sender_type, a.author_user_id, a.internal, a.subject, a.body, now() - a.ago * interval '1 second'
    from jsonb_to_recordset($2::jsonb) as a(ord integer, sender_type text, author_user_id integer,
           internal boolean, subject text, body text, ago float8)
    join ticket_ids t on t.ord = a.ord
   order by t.id, a.ago desc
  returning id, ticket_id, author_user_id, internal, created_at
),
hist as (
  insert into ticket_history (ticket_id, article_id, action, old_value, new_value, actor_user_id, at)
  select x.ticket_id, x.article_id, x.action, x.old_value, x.new_value, x.actor_user_id, x.at
    from (select t.id as ticket_id, null::bigint as article_id, h.action,
                 case when h.action = 'owner' then h.old_value else so.id::text end as old_value,
                 case when h.action = 'owner' then h.new_value else sn.id::text end as new_value,
                 h.actor_user_id, now() - h.ago * interval '1 second' as at
            from jsonb_to_recordset($3::jsonb) as h(ord integer, action text, old_value text, new_value text,
                   actor_user_id integer, ago float8)
            join ticket_ids t on t.ord = h.ord
            left join states so on so.name = h.old_value
            left join states sn on sn.name = h.new_value
          union all
          select a.ticket_id, a.id, case when a.internal then 'note' else 'article' end, null, null,
                 a.author_user_id, a.created_at
            from (select art.*, row_number() over (partition by art.ticket_id order by art.created_at, art.id) as nth
                    from art) a
           where a.nth > 1) x
   order by x.ticket_id, x.at, x.article_id nulls first
  returning ticket_id
)
select (select count(*) from ins)::int as tickets, (select count(*) from art)::int as articles,
       (select count(*) from hist)::int as history`;
