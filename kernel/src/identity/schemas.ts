/**
 * Input schemas of the identity API. Field rules live here once and are used by the routes (to answer 400 with
 * the failing fields) and by the bootstrap (so the seeded admin obeys the same rules).
 * @module
 */
import { z } from 'zod';
import { LOCALES, PERMISSION_KEYS, USER_TYPES } from '../db/entities/index.js';

const login = z
  .string()
  .trim()
  .min(2, 'must be at least 2 characters')
  .max(100, 'must be at most 100 characters')
  .regex(/^[A-Za-z0-9._@+-]+$/, 'may contain only letters, digits and . _ @ + -');
const name = z.string().trim().min(1, 'must not be empty').max(100, 'must be at most 100 characters');
const password = z
  .string()
  .min(8, 'must be at least 8 characters')
  .max(256, 'must be at most 256 characters');
const email = z.string().trim().max(254).pipe(z.email('must be an email address'));

export const loginInput = z.object({
  login: z.string().min(1, 'is required').max(256),
  password: z.string().min(1, 'is required').max(1024),
});

export const createUserInput = z.strictObject({
  login,
  type: z.enum(USER_TYPES),
  firstName: name,
  lastName: name,
  email,
  password,
  locale: z.enum(LOCALES).default('en'),
});
export type CreateUserInput = z.infer<typeof createUserInput>;

export const updateUserInput = z
  .strictObject({
    firstName: name,
    lastName: name,
    email,
    locale: z.enum(LOCALES),
    active: z.boolean(),
    password,
  })
  .partial()
  .refine((v) => Object.keys(v).length > 0, 'send at least one field to change');
export type UpdateUserInput = z.infer<typeof updateUserInput>;

export const updatePreferencesInput = z.strictObject({ locale: z.enum(LOCALES) });

export const listUsersQuery = z.strictObject({
  type: z.enum(USER_TYPES).optional(),
  q: z.string().trim().max(100).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  offset: z.coerce.number().int().min(0).default(0),
});
export type ListUsersQuery = z.infer<typeof listUsersQuery>;

const groupName = z
  .string()
  .trim()
  .min(2, 'must be at least 2 characters')
  .max(100, 'must be at most 100 characters')
  .regex(/^[A-Za-z0-9][A-Za-z0-9 ._-]*$/, 'may contain only letters, digits, spaces and . _ -');

export const createGroupInput = z.strictObject({
  name: groupName,
  comment: z.string().trim().max(500).default(''),
});
export type CreateGroupInput = z.infer<typeof createGroupInput>;

export const updateGroupInput = z
  .strictObject({ name: groupName, comment: z.string().trim().max(500), active: z.boolean() })
  .partial()
  .refine((v) => Object.keys(v).length > 0, 'send at least one field to change');
export type UpdateGroupInput = z.infer<typeof updateGroupInput>;

/**
 * The keys a member holds in a group, any of {@link PERMISSION_KEYS} (`ro, rw, create, move_into, note, owner`),
 * deduplicated and sorted so the stored rows and the audit log's before/after compare as sets.
 */
export const membershipInput = z.strictObject({
  permissions: z
    .array(z.enum(PERMISSION_KEYS))
    .min(1, 'grant at least one permission, or remove the membership')
    .transform((keys) => [...new Set(keys)].sort()),
});

/** A row id in its one canonical spelling: no `0x1`, `1e0`, `1.0` or padding. */
export const idParam = z
  .string()
  .regex(/^[1-9][0-9]{0,9}$/, 'must be a positive whole number')
  .transform(Number)
  .pipe(z.number().max(2147483647, 'is too large'));
