-- article_scope joins the tickets and the queue rights itself instead of ticket_scope. ticket_scope is a UNION ALL
-- of joins (agents by queue, customers by user or company), and PostgreSQL cannot push a join clause into such a
-- view: every join of articles to it hashed all the tickets in scope, although a search matches a few hundred
-- articles (1.5 s at 1 000 000 tickets). With the tables joined here, the planner goes from the matching articles
-- to their tickets by primary key and checks the queue against the handful of queue_scope rows.
-- The rules are ticket_scope's, branch for branch; the RBAC matrix (tests/integration/tickets-rbac-matrix.test.ts)
-- holds both views to the same rows. The columns are unchanged, so the views over this one stay as they are.
create or replace view article_scope as
select a.*, q.can_rw, q.can_note
  from articles a
  join tickets t on t.id = a.ticket_id
  join queue_scope q on q.id = t.queue_id and q.can_ro
 where (select type from goatflow.acting_user) = 'agent'
union all
select a.*, false, false
  from articles a
  join tickets t on t.id = a.ticket_id
 where (select type from goatflow.acting_user) = 'customer'
   and not a.internal
   and (t.customer_user_id = (select id from goatflow.acting_user)
        or t.customer_company_id = (select cu.company_id from customer_users cu
             where cu.user_id = (select id from goatflow.acting_user) and cu.company_access));
