/**
 * The API contract of the reference data: queues, states, priorities, types, customer users and customer
 * companies, as the routes under `/api/v1` take and answer them.
 * @module
 */
import { z } from '@goatflow/sdk';
import {
  AT_LEAST_ONE_FIELD,
  atLeastOneField,
  id,
  itemsOf,
  optionalText,
  pageOf,
  paging,
  validFilter,
} from './common.js';

/** What a state means to the code (its name is what people see). */
export const STATE_TYPES = ['new', 'open', 'pending_reminder', 'pending_auto', 'closed', 'merged'] as const;
/** One of {@link STATE_TYPES}. */
export type StateType = (typeof STATE_TYPES)[number];
/** A state type. */
export const stateType = z.enum(STATE_TYPES);

/** The name of a state, priority or type. */
const shortName = z.string().trim().min(1).max(100);

// ---- queues ----------------------------------------------------------------------------------------------------

/** What the acting user may do in a queue (all true for an admin; for a customer only `create`). */
export const queueRights = z.object({
  /** See its tickets. */
  ro: z.boolean(),
  /** Change its tickets, reply, move them out. */
  rw: z.boolean(),
  /** Create tickets in it. */
  create: z.boolean(),
  /** Move tickets into it. */
  moveInto: z.boolean(),
  /** Add internal notes to its tickets. */
  note: z.boolean(),
  /** Own its tickets. */
  owner: z.boolean(),
});

/** How many of the tickets the acting user sees in a queue have each state type. */
export const stateTypeCounts = z.object(
  Object.fromEntries(STATE_TYPES.map((t) => [t, z.number().int()])) as Record<StateType, z.ZodNumber>,
);
/** Counts per state type. */
export type StateTypeCounts = z.output<typeof stateTypeCounts>;

/** A queue as the acting user sees it. */
export const queueSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  /** The kernel group whose permission keys are the rights on the queue; `null` for customers. */
  groupId: z.number().int().nullable(),
  comment: z.string().nullable(),
  valid: z.boolean(),
  customerSelectable: z.boolean(),
  can: queueRights,
  counts: stateTypeCounts,
});
/** A queue. */
export type Queue = z.output<typeof queueSchema>;

/** `GET /queues` query. */
export const queueListQuery = z.strictObject({ valid: validFilter });
/** `GET /queues`: every queue the acting user sees, by name. */
export const queueList = itemsOf(queueSchema);

/** An agent who may own a queue's tickets (`owner` or `rw` in its group). */
export const queueOwnerSchema = z.object({
  id: z.number().int(),
  login: z.string(),
  firstName: z.string(),
  lastName: z.string(),
});
/** `GET /queues/:id/owners`. */
export const queueOwnerList = itemsOf(queueOwnerSchema);

/** `POST /queues` (admin). */
export const queueCreate = z.strictObject({
  name: z.string().trim().min(1).max(200),
  groupId: id,
  comment: optionalText(2000).optional(),
  valid: z.boolean().optional(),
  customerSelectable: z.boolean().optional(),
});

/** `PATCH /queues/:id` (admin): the fields to change. */
export const queueUpdate = queueCreate.partial().refine(atLeastOneField, AT_LEAST_ONE_FIELD);

// ---- states, priorities, types ---------------------------------------------------------------------------------

/** A ticket state. */
export const stateSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  type: stateType,
  /** For a `pending_auto` state: the closed state its tickets move to when their time is up. */
  closeToStateId: z.number().int().nullable(),
  valid: z.boolean(),
});
/** A state. */
export type State = z.output<typeof stateSchema>;

/** `GET /states`, `/priorities`, `/types` query. */
export const referenceListQuery = z.strictObject({ valid: validFilter });
/** `GET /states`. */
export const stateList = itemsOf(stateSchema);

/** `POST /states` (admin); a `pending_auto` state needs `closeToStateId`. */
export const stateCreate = z.strictObject({
  name: shortName,
  type: stateType,
  closeToStateId: id.nullable().optional(),
  valid: z.boolean().optional(),
});

/** `PATCH /states/:id` (admin); the type cannot change while tickets are in the state. */
export const stateUpdate = stateCreate.partial().refine(atLeastOneField, AT_LEAST_ONE_FIELD);

/** A priority: five fixed levels, 1 (very low) to 5 (very high). */
export const prioritySchema = z.object({ id: z.number().int(), name: z.string(), valid: z.boolean() });
/** `GET /priorities`. */
export const priorityList = itemsOf(prioritySchema);

/** A ticket type. */
export const typeSchema = z.object({ id: z.number().int(), name: z.string(), valid: z.boolean() });
/** `GET /types`. */
export const typeList = itemsOf(typeSchema);

/** `POST /types` (admin). */
export const typeCreate = z.strictObject({ name: shortName, valid: z.boolean().optional() });
/** `PATCH /types/:id` (admin). */
export const typeUpdate = typeCreate.partial().refine(atLeastOneField, AT_LEAST_ONE_FIELD);

// ---- customer companies ----------------------------------------------------------------------------------------

/** A customer company. */
export const customerCompanySchema = z.object({
  id: z.number().int(),
  name: z.string(),
  street: z.string().nullable(),
  city: z.string().nullable(),
  country: z.string().nullable(),
  url: z.string().nullable(),
  comment: z.string().nullable(),
  valid: z.boolean(),
  createdAt: z.string(),
  changedAt: z.string(),
});
/** A customer company. */
export type CustomerCompany = z.output<typeof customerCompanySchema>;

/** `GET /customer-companies` query: `q` matches the name. */
export const customerCompanyListQuery = z.strictObject({
  q: z.string().trim().min(1).max(200).optional(),
  valid: validFilter,
  ...paging,
});
/** `GET /customer-companies`, by name. */
export const customerCompanyPage = pageOf(customerCompanySchema);

/** `POST /customer-companies` (admin). */
export const customerCompanyCreate = z.strictObject({
  name: z.string().trim().min(1).max(200),
  street: optionalText(200).optional(),
  city: optionalText(200).optional(),
  country: optionalText(200).optional(),
  url: optionalText(2000)
    .refine((v) => v === null || v === '' || /^https?:\/\/\S+$/.test(v), 'must be an http:// or https:// URL')
    .optional(),
  comment: optionalText(2000).optional(),
  valid: z.boolean().optional(),
});
/** `PATCH /customer-companies/:id` (admin). */
export const customerCompanyUpdate = customerCompanyCreate
  .partial()
  .refine(atLeastOneField, AT_LEAST_ONE_FIELD);

// ---- customer users --------------------------------------------------------------------------------------------

/** A customer user: a kernel user of type customer, with the company this plugin links them to. */
export const customerUserSchema = z.object({
  /** The kernel user's id. */
  id: z.number().int(),
  login: z.string(),
  firstName: z.string(),
  lastName: z.string(),
  email: z.string(),
  active: z.boolean(),
  company: z.object({ id: z.number().int(), name: z.string() }).nullable(),
  /** Sees every ticket of the company, not only their own. */
  companyAccess: z.boolean(),
  phone: z.string().nullable(),
  comment: z.string().nullable(),
});
/** A customer user. */
export type CustomerUser = z.output<typeof customerUserSchema>;

/** `GET /customer-users` query: `q` matches login, names and email; `companyId` one company. */
export const customerUserListQuery = z.strictObject({
  q: z.string().trim().min(1).max(200).optional(),
  companyId: id.optional(),
  ...paging,
});
/** `GET /customer-users`, by last and first name. */
export const customerUserPage = pageOf(customerUserSchema);

/** `:userId` path parameters. */
export const customerUserParams = z.strictObject({ userId: id });

/** `PUT /customer-users/:userId` (admin): the company link, replaced as a whole. */
export const customerUserPut = z.strictObject({
  companyId: id.nullable(),
  companyAccess: z.boolean(),
  phone: optionalText(100).optional(),
  comment: optionalText(2000).optional(),
});
