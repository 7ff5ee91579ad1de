/**
 * Rows of the ticket statements turned into the API's shapes: bigint ids (strings from PostgreSQL) into
 * numbers, timestamps into ISO 8601, flat name columns into nested references.
 * @module
 */
import type {
  Article,
  HistoryEntry,
  StateType,
  TicketCan,
  TicketDetail,
  TicketSummary,
  UserRef,
} from '../../api/schemas.js';
import type { TicketSummaryRow } from '../../sql/tickets/summary.js';

type Row = Record<string, unknown>;

/** A timestamp as the API shows it. */
export function iso(value: unknown): string {
  return value instanceof Date ? value.toISOString() : new Date(String(value)).toISOString();
}

/** A nullable timestamp as the API shows it. */
export function isoOrNull(value: unknown): string | null {
  return value === null || value === undefined ? null : iso(value);
}

const numOrNull = (value: unknown): number | null =>
  value === null || value === undefined ? null : Number(value);
const textOrNull = (value: unknown): string | null =>
  value === null || value === undefined ? null : String(value);

/**
 * A user from the columns `<prefix>Login`, `<prefix>FirstName`, `<prefix>LastName` and its id column.
 * @param idKey - the id column, `<prefix>Id` unless named
 */
export function userRefOf(row: Row, prefix: string, idKey = `${prefix}Id`): UserRef | null {
  const id = row[idKey];
  if (id === null || id === undefined) return null;
  return {
    id: Number(id),
    login: textOrNull(row[`${prefix}Login`]),
    firstName: textOrNull(row[`${prefix}FirstName`]),
    lastName: textOrNull(row[`${prefix}LastName`]),
  };
}

/** A ticket of a list (without highlights). */
export function toSummary(row: TicketSummaryRow): TicketSummary {
  const r = row as unknown as Row;
  return {
    id: Number(row.id),
    tn: row.tn,
    title: row.title,
    queue: { id: Number(row.queueId), name: row.queueName },
    state: { id: Number(row.stateId), name: row.stateName, type: row.stateType as StateType },
    priority: { id: Number(row.priorityId), name: row.priorityName },
    type: row.typeId === null ? null : { id: Number(row.typeId), name: row.typeName },
    owner: userRefOf(r, 'owner'),
    responsible: userRefOf(r, 'responsible'),
    customerUser: userRefOf(r, 'customer', 'customerUserId'),
    customerCompany:
      row.customerCompanyId === null
        ? null
        : { id: Number(row.customerCompanyId), name: row.customerCompanyName },
    pendingUntil: isoOrNull(row.pendingUntil),
    locked: row.locked === true,
    createdAt: iso(row.createdAt),
    changedAt: iso(row.changedAt),
  };
}

/** The flags `GET_TICKET` adds to a summary row. */
export interface TicketRightsRow {
  mergedIntoId: string | number | null;
  canRw: boolean;
  canNote: boolean;
  canMoveElsewhere: boolean;
  actorType: 'agent' | 'customer';
}

/**
 * What the acting user may do with a ticket: agents by their queue's flags; a customer may reply to what they
 * see. A merged ticket takes no changes.
 */
export function rightsOf(row: TicketRightsRow & { stateType: string }): TicketCan {
  const open = row.stateType !== 'merged';
  if (row.actorType === 'customer') {
    return { update: false, reply: open, note: false, move: false, merge: false };
  }
  const rw = row.canRw === true && open;
  return {
    update: rw,
    reply: rw,
    note: row.canNote === true && open,
    move: rw && row.canMoveElsewhere === true,
    merge: rw,
  };
}

/** A ticket with the acting user's rights on it. */
export function toDetail(row: TicketSummaryRow & TicketRightsRow): TicketDetail {
  return { ...toSummary(row), mergedIntoId: numOrNull(row.mergedIntoId), can: rightsOf(row) };
}

/** An article of `LIST_ARTICLES`. */
export function toArticle(row: Row): Article {
  const attachments = (row.attachments ?? []) as Article['attachments'];
  return {
    id: Number(row.id),
    ticketId: Number(row.ticketId),
    senderType: row.senderType as Article['senderType'],
    author: userRefOf(row, 'author'),
    internal: row.internal === true,
    subject: textOrNull(row.subject),
    body: String(row.body),
    createdAt: iso(row.createdAt),
    attachments: attachments.map((a) => ({ ...a, id: Number(a.id), size: Number(a.size) })),
  };
}

/** A history row of `LIST_HISTORY`. */
export function toHistoryEntry(row: Row): HistoryEntry {
  return {
    id: Number(row.id),
    action: row.action as HistoryEntry['action'],
    oldValue: textOrNull(row.oldValue),
    newValue: textOrNull(row.newValue),
    articleId: numOrNull(row.articleId),
    actor: userRefOf(row, 'actor'),
    at: iso(row.at),
  };
}
