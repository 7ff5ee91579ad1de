/**
 * The columns of a ticket as lists, the detail and the export show it, read from a row `t` of `ticket_scope`
 * (or a page of it) and the names joined to it. Queue, company and user names come through their scope views,
 * so a name the acting user may not see stays null (a customer sees the queue of a ticket only when the queue
 * is one they may create tickets in).
 * @module
 */

/** The select list; every name is what {@link TicketSummaryRow} calls it. */
export const SUMMARY_COLUMNS = `t.id, t.tn, t.title, t.queue_id as "queueId", q.name as "queueName",
  t.state_id as "stateId", st.name as "stateName", t.state_type as "stateType",
  t.priority_id as "priorityId", pr.name as "priorityName", t.type_id as "typeId", ty.name as "typeName",
  t.owner_id as "ownerId", ou.login as "ownerLogin", ou.first_name as "ownerFirstName",
  ou.last_name as "ownerLastName",
  t.responsible_id as "responsibleId", ru.login as "responsibleLogin", ru.first_name as "responsibleFirstName",
  ru.last_name as "responsibleLastName",
  t.customer_user_id as "customerUserId", cu.login as "customerLogin", cu.first_name as "customerFirstName",
  cu.last_name as "customerLastName",
  t.customer_company_id as "customerCompanyId", cc.name as "customerCompanyName",
  t.pending_until as "pendingUntil", t.locked, t.created_at as "createdAt", t.changed_at as "changedAt"`;

/** The joins {@link SUMMARY_COLUMNS} needs, after `from … t`. */
export const SUMMARY_JOINS = `join states st on st.id = t.state_id
  join priorities pr on pr.id = t.priority_id
  left join ticket_types ty on ty.id = t.type_id
  left join queue_scope q on q.id = t.queue_id
  left join goatflow.users ou on ou.id = t.owner_id
  left join goatflow.users ru on ru.id = t.responsible_id
  left join customer_user_scope cu on cu.user_id = t.customer_user_id
  left join customer_company_scope cc on cc.id = t.customer_company_id`;

/** A row as {@link SUMMARY_COLUMNS} answers it (bigint ids arrive as strings, timestamps as dates or strings). */
export interface TicketSummaryRow {
  id: string | number;
  tn: string;
  title: string;
  queueId: number;
  queueName: string | null;
  stateId: number;
  stateName: string;
  stateType: string;
  priorityId: number;
  priorityName: string;
  typeId: number | null;
  typeName: string | null;
  ownerId: number | null;
  ownerLogin: string | null;
  ownerFirstName: string | null;
  ownerLastName: string | null;
  responsibleId: number | null;
  responsibleLogin: string | null;
  responsibleFirstName: string | null;
  responsibleLastName: string | null;
  customerUserId: number | null;
  customerLogin: string | null;
  customerFirstName: string | null;
  customerLastName: string | null;
  customerCompanyId: number | null;
  customerCompanyName: string | null;
  pendingUntil: string | Date | null;
  locked: boolean;
  createdAt: string | Date;
  changedAt: string | Date;
}
