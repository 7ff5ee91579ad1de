-- Who sees what, once, in the database. The *_scope views carry the acting user's rights as can_* flags; every
-- statement the plugin issues reads through them (test/sql-lint.test.ts enforces it), and every write joins one
-- with the flag it needs, so check and write are one statement. The acting user is goatflow.acting_user: the
-- kernel binds goatflow.user_id for each call ('' for events and jobs, which makes every scope empty).
--
-- The scope views are not security barriers, so the plugin's own quals (@@, ilike) still reach the indexes; they
-- are not exported. The exported *_visible views are security_barrier wrappers with an explicit column list, so
-- a consumer plugin's predicate never runs on a row its user may not see. A view's t.* is expanded when the view
-- is created: a migration that adds columns to a table recreates the views over it.

-- Queues: agents see a queue when they hold any key in its group (admins: every queue), with one flag per
-- right; customers see the valid customer-selectable queues, into which they may create tickets.
create view queue_scope as
select q.id, q.name, q.group_id, q.comment, q.valid, q.customer_selectable,
       coalesce(a.is_admin or k.keys && '{ro,rw}', false) as can_ro,
       coalesce(a.is_admin or k.keys && '{rw}', false) as can_rw,
       coalesce(a.is_admin or k.keys && '{create,rw}', false) as can_create,
       coalesce(a.is_admin or k.keys && '{move_into,rw}', false) as can_move_into,
       coalesce(a.is_admin or k.keys && '{note,rw}', false) as can_note,
       coalesce(a.is_admin or k.keys && '{owner,rw}', false) as can_owner
  from queues q cross join goatflow.acting_user a
  left join lateral (select array_agg(p.permission_key) as keys from goatflow.my_group_permissions p
                      where p.group_id = q.group_id) k on true
 where a.type = 'agent' and (a.is_admin or k.keys is not null)
union all
select q.id, q.name, null, null, q.valid, true, false, false, true, false, false, false
  from queues q
 where (select type from goatflow.acting_user) = 'customer' and q.customer_selectable and q.valid;

-- Tickets: agents see those of queues where they hold ro or rw (no exception for owners: a ticket moved away
-- leaves its owner's view); customers see their own, and their company's when they have company_access.
create view ticket_scope as
select t.*, q.can_rw, q.can_note, q.can_owner
  from tickets t join queue_scope q on q.id = t.queue_id and q.can_ro
 where (select type from goatflow.acting_user) = 'agent'
union all
select t.*, false, false, false
  from tickets t
 where (select type from goatflow.acting_user) = 'customer'
   and (t.customer_user_id = (select id from goatflow.acting_user)
        or t.customer_company_id = (select cu.company_id from customer_users cu
             where cu.user_id = (select id from goatflow.acting_user) and cu.company_access));

-- Articles of visible tickets; customers never see internal notes (nor find them by search).
create view article_scope as
select a.*, s.can_rw, s.can_note
  from articles a join ticket_scope s on s.id = a.ticket_id
 where not a.internal or (select type from goatflow.acting_user) = 'agent';

-- Attachments of visible articles, without their content (the download reads it by id through this view).
create view attachment_scope as
select x.id, x.article_id, x.ticket_id, x.filename, x.content_type, x.size, x.sha256, x.created_at
  from attachments x join article_scope a on a.id = x.article_id;

-- History of visible tickets, for agents only.
create view history_scope as
select h.* from ticket_history h join ticket_scope s on s.id = h.ticket_id
 where (select type from goatflow.acting_user) = 'agent';

-- Customer users (kernel users of type customer, with their company link): agents see all, a customer only
-- themselves.
create view customer_user_scope as
select u.id as user_id, u.login, u.first_name, u.last_name, u.email, u.locale, u.active,
       cu.company_id, coalesce(cu.company_access, false) as company_access, cu.phone, cu.comment
  from goatflow.users u left join customer_users cu on cu.user_id = u.id
 where u.type = 'customer'
   and ((select type from goatflow.acting_user) = 'agent' or u.id = (select id from goatflow.acting_user));

-- Customer companies: agents see all, a customer only their own.
create view customer_company_scope as
select c.*
  from customer_companies c
 where (select type from goatflow.acting_user) = 'agent'
    or c.id = (select cu.company_id from customer_users cu where cu.user_id = (select id from goatflow.acting_user));

-- One row when the acting user is an administrator: the flag every write to reference data joins.
create view admin_scope as
select true as can_admin from goatflow.acting_user a where a.is_admin;

-- Exported to other plugins (permissions.db.read): explicit columns, security barriers.
create view ticket_visible with (security_barrier) as
select id, tn, title, queue_id, state_id, state_type, priority_id, type_id, owner_id, responsible_id,
       customer_user_id, customer_company_id, pending_until, locked, created_at, changed_at
  from ticket_scope;

create view article_visible with (security_barrier) as
select id, ticket_id, sender_type, author_user_id, internal, subject, body, created_at
  from article_scope;

create view queue_visible with (security_barrier) as
select id, name, valid, can_ro, can_rw, can_create, can_move_into, can_note, can_owner
  from queue_scope;
