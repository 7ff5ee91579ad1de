-- Each index is named after the question it answers.

-- A queue in one state type, newest first (the ticket list's main case), and the queue counts per state type.
create index tickets_queue_statetype_changed on tickets (queue_id, state_type, changed_at desc, id desc);
-- A queue, any state, newest first.
create index tickets_queue_changed on tickets (queue_id, changed_at desc, id desc);
-- All open tickets across many queues, newest first.
create index tickets_open_changed on tickets (changed_at desc, id desc) where state_type not in ('closed', 'merged');
-- The admin's unfiltered list.
create index tickets_changed on tickets (changed_at desc, id desc);
-- An agent's own tickets.
create index tickets_owner_statetype_changed on tickets (owner_id, state_type, changed_at desc);
create index tickets_responsible on tickets (responsible_id) where responsible_id is not null;
-- A customer's tickets (the portal list) and their company's.
create index tickets_customer_user_changed on tickets (customer_user_id, changed_at desc);
create index tickets_customer_company_changed on tickets (customer_company_id, changed_at desc);
-- Created-between filters and exports.
create index tickets_created on tickets (created_at);
-- Pending tickets that come due (reminders, the pending-auto-close job).
create index tickets_pending_due on tickets (pending_until) where state_type in ('pending_reminder', 'pending_auto');
-- Which tickets were merged into this one.
create index tickets_merged_into on tickets (merged_into_id) where merged_into_id is not null;

-- Full-text search over number and title, and over article subjects and bodies.
create index tickets_search on tickets using gin (search);
create index articles_search on articles using gin (search);

-- A ticket's articles, attachments and history, in order.
create index articles_ticket on articles (ticket_id, id);
create index attachments_article on attachments (article_id);
create index attachments_ticket on attachments (ticket_id);
create index ticket_history_ticket on ticket_history (ticket_id, id);
