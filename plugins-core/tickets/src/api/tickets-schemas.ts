/**
 * The API contract of tickets, articles, attachments, history and the export (`/api/v1/tickets…`,
 * `/api/v1/attachments/:id`, `/api/v1/exports/tickets.csv`): what the routes take and answer. Checks a schema
 * cannot make (a reference the user may not see, `pendingUntil` for a pending state, `internal` for a customer,
 * the attachment size setting) are made by the handlers and reported the same way, as a 400 naming the field.
 * @module
 */
import { z } from '@goatflow/sdk';
import { id, itemsOf, list } from './common.js';
import { STATE_TYPES, stateType } from './reference-schemas.js';

// ---- lists -----------------------------------------------------------------------------------------------------

/** The orders of a ticket list; `relevance` needs `q`. */
export const TICKET_SORTS = [
  'relevance',
  '-changed',
  'changed',
  '-created',
  'created',
  '-priority',
  'priority',
  'tn',
  '-tn',
  'title',
  '-title',
] as const;
/** One of {@link TICKET_SORTS}. */
export type TicketSort = (typeof TICKET_SORTS)[number];

/** Who wrote an article. */
export const SENDER_TYPES = ['agent', 'customer', 'system'] as const;

/** What a history row records. */
export const HISTORY_ACTIONS = [
  'created',
  'title',
  'queue',
  'state',
  'priority',
  'type',
  'owner',
  'responsible',
  'customer',
  'pending_until',
  'lock',
  'article',
  'note',
  'attachment',
  'merged_into',
  'merged_from',
] as const;
/** One of {@link HISTORY_ACTIONS}. */
export type HistoryAction = (typeof HISTORY_ACTIONS)[number];

/** The offset at the end of an ISO 8601 instant (`Z` has none). */
const OFFSET = /([+-])(\d{2}):?(\d{2})$/;

/**
 * An instant with its offset, e.g. `2024-05-01T09:00:00Z`, within what PostgreSQL's `timestamptz` takes: ISO 8601
 * allows the year 0000 and offsets up to ±23:59, PostgreSQL neither (it stops at ±15:59).
 */
const instant = z.iso
  .datetime({ offset: true })
  .refine((v) => Number(v.slice(0, 4)) >= 1, { message: 'the year must be 0001 or later' })
  .refine((v) => Number(OFFSET.exec(v)?.[2] ?? 0) <= 15, {
    message: 'the offset must be within ±15:59 hours of UTC',
  });

/** The filters shared by the list and the export. */
const filterFields = {
  queue: list(id).optional(),
  state: list(id).optional(),
  stateType: list(z.enum(STATE_TYPES)).optional(),
  priority: list(id).optional(),
  type: list(id).optional(),
  /** Owner ids; `me` is the caller. */
  owner: list(z.union([z.literal('me'), id])).optional(),
  customerUser: list(id).optional(),
  customerCompany: list(id).optional(),
  /** Created at or after (inclusive). */
  createdFrom: instant.optional(),
  /** Created before (exclusive). */
  createdTo: instant.optional(),
  /** Full-text search over number, title and the articles the caller may see (words; `"a phrase"`, `-not`, `or`). */
  q: z.string().trim().min(2).max(200).optional(),
  /** The order; `relevance` (the default when `q` is given) needs `q`, otherwise `-changed` is the default. */
  sort: z.enum(TICKET_SORTS).optional(),
};

/** `sort=relevance` ranks search hits: without `q` there is nothing to rank. */
function relevanceNeedsQ(
  value: { q?: string | undefined; sort?: TicketSort | undefined },
  ctx: z.RefinementCtx,
) {
  if (value.sort === 'relevance' && !value.q) {
    ctx.addIssue({ code: 'custom', path: ['sort'], message: 'relevance needs search words in q' });
  }
}

/** `GET /tickets` query: filters (lists repeat or are comma-separated), search, sort and page. */
export const ticketListQuery = z
  .strictObject({
    ...filterFields,
    page: z.coerce.number().int().min(1).max(400).default(1),
    perPage: z.coerce.number().int().min(1).max(100).default(25),
  })
  .superRefine(relevanceNeedsQ);
/** A parsed `GET /tickets` query. */
export type TicketListQuery = z.output<typeof ticketListQuery>;

/** `GET /exports/tickets.csv` query: the list's filters and sort, every matching row up to 10 000. */
export const ticketExportQuery = z.strictObject(filterFields).superRefine(relevanceNeedsQ);
/** A parsed export query. */
export type TicketExportQuery = z.output<typeof ticketExportQuery>;

// ---- tickets ---------------------------------------------------------------------------------------------------

/** A kernel user as tickets show them; the names are `null` when the user no longer exists. */
export const userRef = z.object({
  id: z.number().int(),
  login: z.string().nullable(),
  firstName: z.string().nullable(),
  lastName: z.string().nullable(),
});
/** A user shown on a ticket. */
export type UserRef = z.output<typeof userRef>;

/** A reference with its name; the name is `null` where the caller may not see it (a customer, another queue). */
export const namedRef = z.object({ id: z.number().int(), name: z.string().nullable() });

/** A piece of highlighted text: matched words and the text between them, in order. */
export const highlightFragment = z.object({ text: z.string(), match: z.boolean() });

/** Where a search matched, as plain-text fragments (render as text: nothing here is HTML). */
export const highlight = z.object({
  /** `title`, or `article` for the best matching article the caller may see. */
  field: z.enum(['title', 'article']),
  fragments: z.array(highlightFragment),
});
/** A search highlight. */
export type Highlight = z.output<typeof highlight>;

/** A ticket in a list. */
export const ticketSummary = z.object({
  id: z.number().int(),
  /** The ticket number, e.g. `2024050100000042`. */
  tn: z.string(),
  title: z.string(),
  queue: namedRef,
  state: z.object({ id: z.number().int(), name: z.string(), type: stateType }),
  priority: z.object({ id: z.number().int(), name: z.string() }),
  type: namedRef.nullable(),
  owner: userRef.nullable(),
  responsible: userRef.nullable(),
  customerUser: userRef.nullable(),
  customerCompany: namedRef.nullable(),
  pendingUntil: z.string().nullable(),
  locked: z.boolean(),
  createdAt: z.string(),
  /** Send it back as `ifUnchangedSince` to change the ticket only if nobody else did meanwhile. */
  changedAt: z.string(),
  /** With `q`: where the search matched. */
  highlights: z.array(highlight).optional(),
});
/** A ticket in a list. */
export type TicketSummary = z.output<typeof ticketSummary>;

/** `GET /tickets`. */
export const ticketPage = z.object({
  items: z.array(ticketSummary),
  /** Exact up to 10 000; beyond that 10 000 with `totalExact: false` ("10 000+"). */
  total: z.number().int(),
  totalExact: z.boolean(),
  page: z.number().int(),
  perPage: z.number().int(),
});
/** A page of tickets. */
export type TicketPage = z.output<typeof ticketPage>;

/** What the caller may do with a ticket, so the UI offers only what will work. */
export const ticketCan = z.object({
  /** Change its fields (title, state, priority, owner …). */
  update: z.boolean(),
  /** Add a reply (an article the customer sees). */
  reply: z.boolean(),
  /** Add an internal note. */
  note: z.boolean(),
  /** Move it to another queue (there is one the caller may move it into). */
  move: z.boolean(),
  /** Merge it into another ticket. */
  merge: z.boolean(),
});
/** What the caller may do with a ticket. */
export type TicketCan = z.output<typeof ticketCan>;

/** `GET /tickets/:id`. */
export const ticketDetail = ticketSummary.omit({ highlights: true }).extend({
  /** The ticket it was merged into, if any. */
  mergedIntoId: z.number().int().nullable(),
  can: ticketCan,
});
/** A ticket with the caller's rights on it. */
export type TicketDetail = z.output<typeof ticketDetail>;

/**
 * A ticket the write left out of the caller's sight: created in a queue they may create in but not read, or
 * moved (`moved: true`) into one they may move into but not read. Only what they already knew or wrote.
 */
export const ticketOutOfSight = z.object({
  id: z.number().int(),
  tn: z.string(),
  moved: z.literal(true).optional(),
});

/** What a ticket write answers: the ticket, or {@link ticketOutOfSight} when the caller no longer sees it. */
export const ticketWritten = z.union([ticketDetail, ticketOutOfSight]);

// ---- articles and attachments ----------------------------------------------------------------------------------

/** A file to attach, sent inline as base64 (the route takes bodies up to 15 MiB). */
export const attachmentUpload = z.strictObject({
  filename: z
    .string()
    .min(1)
    .max(255)
    .regex(/^[^/\\\0]+$/, 'must be a file name without / or \\'),
  contentType: z
    .string()
    .max(100)
    .regex(/^[\w.+-]+\/[\w.+-]+$/, 'must be a media type such as text/plain'),
  /** The content; its decoded size may not exceed the plugin setting maxAttachmentBytes (5 MiB by default). */
  contentBase64: z.base64(),
});
/** A file to attach. */
export type AttachmentUpload = z.output<typeof attachmentUpload>;

/** `POST /tickets/:id/articles`, and the first article of `POST /tickets`. */
export const articleCreate = z.strictObject({
  subject: z.string().trim().max(255).optional(),
  /** Plain text. */
  body: z.string().trim().min(1).max(200_000),
  /** An internal note: agents with `note` or `rw` only, never shown to customers. */
  internal: z.boolean().default(false),
  attachments: z.array(attachmentUpload).max(10).default([]),
});
/** A new article. */
export type ArticleCreate = z.output<typeof articleCreate>;

/** An attachment without its content (`GET /attachments/:id` downloads it). */
export const attachmentMeta = z.object({
  id: z.number().int(),
  filename: z.string(),
  contentType: z.string(),
  size: z.number().int(),
  sha256: z.string(),
});
/** An attachment's metadata. */
export type AttachmentMeta = z.output<typeof attachmentMeta>;

/** An article: a message to or from the customer, or an internal note. */
export const articleSchema = z.object({
  id: z.number().int(),
  ticketId: z.number().int(),
  senderType: z.enum(SENDER_TYPES),
  author: userRef.nullable(),
  internal: z.boolean(),
  subject: z.string().nullable(),
  body: z.string(),
  createdAt: z.string(),
  attachments: z.array(attachmentMeta),
});
/** An article. */
export type Article = z.output<typeof articleSchema>;

/** `GET /tickets/:id/articles`: oldest first; customers never get internal notes. */
export const articleList = itemsOf(articleSchema);

// ---- writes ----------------------------------------------------------------------------------------------------

const priorityId = z.number().int().min(1).max(5);
const title = z.string().trim().min(1).max(255);

/**
 * `POST /tickets`: a ticket with its first article. A customer creates in a customer-selectable queue, for
 * themselves, and may set only title, queue, priority, type and the article.
 */
export const ticketCreate = z.strictObject({
  title,
  queueId: id,
  /** Default: the first valid state of type `new`. */
  stateId: id.optional(),
  priorityId: priorityId.default(3),
  typeId: id.optional(),
  ownerId: id.optional(),
  responsibleId: id.optional(),
  customerUserId: id.optional(),
  /** Required when the state is a pending one. */
  pendingUntil: instant.optional(),
  article: articleCreate,
});
/** A new ticket. */
export type TicketCreate = z.output<typeof ticketCreate>;

/** The fields of a ticket an agent with `rw` may change. */
const ticketFields = z.strictObject({
  title,
  /** A move: `rw` on the ticket's queue and `move_into` (or `rw`) on this one. */
  queueId: id,
  stateId: id,
  priorityId,
  typeId: id.nullable(),
  /** An active agent with `owner` or `rw` in the queue's group. */
  ownerId: id.nullable(),
  responsibleId: id.nullable(),
  customerUserId: id.nullable(),
  /** Required (here or already on the ticket) for a pending state. */
  pendingUntil: instant.nullable(),
  locked: z.boolean(),
});

/** A change must change something; `ifUnchangedSince` alone does not. */
function changesSomething(value: Record<string, unknown>): boolean {
  return Object.entries(value).some(([k, v]) => k !== 'ifUnchangedSince' && v !== undefined);
}
const NOTHING_TO_CHANGE = { message: 'give at least one field to change' };

/** `PATCH /tickets/:id`: the fields to change. */
export const ticketUpdate = ticketFields
  .extend({
    /** The `changedAt` the caller saw: if the ticket changed since, nothing changes and the answer is 409. */
    ifUnchangedSince: instant,
  })
  .partial()
  .refine(changesSomething, NOTHING_TO_CHANGE);
/** A change to one ticket. */
export type TicketUpdate = z.output<typeof ticketUpdate>;

/** `PATCH /tickets`: the same change to up to 100 tickets, all or nothing. */
export const bulkUpdate = z.strictObject({
  ids: z.array(id).min(1).max(100),
  set: ticketFields
    .pick({ stateId: true, queueId: true, priorityId: true, ownerId: true, pendingUntil: true })
    .partial()
    .refine(changesSomething, NOTHING_TO_CHANGE),
});
/** A bulk change. */
export type BulkUpdate = z.output<typeof bulkUpdate>;

/** What `PATCH /tickets` answers: the tickets and how many field changes were recorded. */
export const bulkResult = z.object({ ids: z.array(z.number().int()), changes: z.number().int() });

/** `POST /tickets/:id/merge`: merges the ticket into `targetId` (its articles move there). */
export const ticketMerge = z.strictObject({ targetId: id });

// ---- history ---------------------------------------------------------------------------------------------------

/** One change of a ticket: who, what, old → new. */
export const historyEntry = z.object({
  id: z.number().int(),
  action: z.enum(HISTORY_ACTIONS),
  oldValue: z.string().nullable(),
  newValue: z.string().nullable(),
  articleId: z.number().int().nullable(),
  /** `null`: the system (a job). */
  actor: userRef.nullable(),
  at: z.string(),
});
/** A history row. */
export type HistoryEntry = z.output<typeof historyEntry>;

/** `GET /tickets/:id/history`: oldest first. */
export const historyList = itemsOf(historyEntry);
