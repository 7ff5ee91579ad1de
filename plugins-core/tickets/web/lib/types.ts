/**
 * The API's shapes as the UI reads them. The types come from the zod schemas of `src/api/schemas.ts` (type-only
 * imports: the browser bundle must not carry zod); the few values the UI needs at run time (state types, sorts)
 * are listed here and checked against those types, so the two cannot drift apart.
 * @module
 */
import type { z } from '@goatflow/sdk';
import type {
  Article,
  AttachmentMeta,
  articleCreate,
  attachmentUpload,
  bulkUpdate,
  CustomerCompany,
  CustomerUser,
  customerCompanyCreate,
  customerCompanyPage,
  customerUserPage,
  customerUserPut,
  Highlight,
  HistoryAction,
  HistoryEntry,
  prioritySchema,
  Queue,
  queueCreate,
  queueOwnerSchema,
  State,
  StateType,
  StateTypeCounts,
  stateCreate,
  TicketCan,
  TicketDetail,
  TicketPage,
  TicketSort,
  TicketSummary,
  ticketCreate,
  ticketUpdate,
  typeCreate,
  typeSchema,
  UserRef,
} from '../../src/api/schemas.js';

export type {
  Article,
  AttachmentMeta,
  CustomerCompany,
  CustomerUser,
  Highlight,
  HistoryAction,
  HistoryEntry,
  Queue,
  State,
  StateType,
  StateTypeCounts,
  TicketCan,
  TicketDetail,
  TicketPage,
  TicketSort,
  TicketSummary,
  UserRef,
};
export type Priority = z.output<typeof prioritySchema>;
export type TicketType = z.output<typeof typeSchema>;
export type QueueOwner = z.output<typeof queueOwnerSchema>;
export type CustomerUserList = z.output<typeof customerUserPage>;
export type CustomerCompanyList = z.output<typeof customerCompanyPage>;

/**
 * Checks at compile time that a list names every member of a union (and nothing else): a new state type or
 * sort in the schemas fails the build here until the UI knows it.
 */
function every<U>() {
  return <const L extends readonly U[]>(
    list: L & ([Exclude<U, L[number]>] extends [never] ? unknown : never),
  ) => list;
}

/** Every state type, in the order the UI lists them. */
export const STATE_TYPES = every<StateType>()([
  'new',
  'open',
  'pending_reminder',
  'pending_auto',
  'closed',
  'merged',
]);

/** The state types of work still to do (the queue widget shows these). */
export const ACTIVE_STATE_TYPES = [
  'new',
  'open',
  'pending_reminder',
  'pending_auto',
] as const satisfies readonly StateType[];

/** A state type whose tickets wait until a time (`pendingUntil` is required). */
export function isPending(type: StateType | undefined): boolean {
  return type === 'pending_reminder' || type === 'pending_auto';
}

/** Every sort of the ticket list. */
export const TICKET_SORTS = every<TicketSort>()([
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
]);

// What the UI sends: the schemas' input types (defaults may be left out).
export type AttachmentInput = z.input<typeof attachmentUpload>;
export type ArticleInput = z.input<typeof articleCreate>;
export type TicketCreateInput = z.input<typeof ticketCreate>;
export type TicketUpdateInput = z.input<typeof ticketUpdate>;
export type BulkUpdateInput = z.input<typeof bulkUpdate>;
export type QueueInput = z.input<typeof queueCreate>;
export type StateInput = z.input<typeof stateCreate>;
export type TypeInput = z.input<typeof typeCreate>;
export type CompanyInput = z.input<typeof customerCompanyCreate>;
export type CustomerUserInput = z.input<typeof customerUserPut>;
