/**
 * What every tickets route shares: the id and list schemas of the API contract, the error answers (404 for what
 * the user may not see, 403 for what they see but may not do, 400 naming the body field, 409 for a conflict) and
 * the mapping of Host API failures onto them.
 * @module
 */
import { type ApiFieldIssue, invalidInput, isHostError, notFound, RouteError, z } from '@goatflow/sdk';

/**
 * The events the plugin publishes, inside the transaction of the write they report. Payloads carry ids only:
 * subscribers run with no user and could otherwise read what the acting user may not see.
 */
export const TICKET_EVENTS = {
  /** `{ticketId, tn, queueId, stateType, customerUserId, actorUserId}` */
  created: 'ticket.created',
  /** `{ticketId, field, actorUserId}`, one per changed field per ticket */
  updated: 'ticket.updated',
  /** `{ticketId, articleId, internal, senderType, actorUserId}` */
  articleAdded: 'article.added',
} as const;

/**
 * A positive id in a path, query or body (strings are coerced). Capped at PostgreSQL's `integer` range, so an
 * absurd id is a 400 naming the field, never an SQL error.
 */
export const id = z.coerce.number().int().positive().max(2_147_483_647);

/**
 * A repeatable, comma-separated query parameter: `?queue=1,2&queue=3` → `[1, 2, 3]`, at most 50 values.
 * @param item - the schema of one value
 */
export const list = <T extends z.ZodType>(item: T) =>
  z.preprocess(
    (v) => (v === undefined ? v : [v].flat().flatMap((s) => String(s).split(','))),
    z.array(item).max(50),
  );

/** `:id` path parameters. */
export const idParams = z.strictObject({ id });

/** `?valid=true|false`: only valid (or only invalid) entries; both when absent. */
export const validFilter = z.enum(['true', 'false']).optional();

/**
 * A {@link validFilter} value as an SQL parameter: `true`, `false`, or `null` for both.
 * @param value - the parsed query value
 */
export function validParam(value: 'true' | 'false' | undefined): boolean | null {
  return value === undefined ? null : value === 'true';
}

/** `page` and `perPage` of a paged list. */
export const paging = {
  page: z.coerce.number().int().min(1).max(10_000).default(1),
  perPage: z.coerce.number().int().min(1).max(100).default(25),
};

/** A page of a list: the rows and how many match in all. */
export const pageOf = <T extends z.ZodType>(item: T) =>
  z.object({
    items: z.array(item),
    total: z.number().int(),
    page: z.number().int(),
    perPage: z.number().int(),
  });

/**
 * A page answered by a paged list statement (one row even when the page is empty, its `key` column then null,
 * with the total in every row).
 * @param rows - the statement's rows
 * @param query - the page asked for
 * @param key - the column that is null on the row of an empty page
 * @param map - turns a row into an item
 */
export function toPage<T>(
  rows: Record<string, unknown>[],
  query: { page: number; perPage: number },
  key: string,
  map: (row: Record<string, unknown>) => T,
): { items: T[]; total: number; page: number; perPage: number } {
  return {
    items: rows.filter((row) => row[key] !== null && row[key] !== undefined).map(map),
    total: Number(rows[0]?.total ?? 0),
    page: query.page,
    perPage: query.perPage,
  };
}

/** The `limit` and `offset` parameters of a page. */
export function limitOffset(query: { page: number; perPage: number }): [number, number] {
  return [query.perPage, (query.page - 1) * query.perPage];
}

/** An unpaged list (reference data is small). */
export const itemsOf = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item) });

/**
 * A text field that may be cleared: trimmed, at most `max` characters, or `null`. (The SQL stores an empty text
 * as `null`, so the schema needs no transform and reads the same in the OpenAPI document.)
 */
export const optionalText = (max: number) => z.string().trim().max(max).nullable();

/** Refines a PATCH body: at least one field must be given. */
export const atLeastOneField = (value: Record<string, unknown>) =>
  Object.values(value).some((v) => v !== undefined);

/** The message of {@link atLeastOneField}. */
export const AT_LEAST_ONE_FIELD = { message: 'give at least one field to change' };

/** The `ilike` pattern for a search text: `%text%`, with `%`, `_` and `\` matched literally. */
export function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, '\\$&')}%`;
}

/** The field code of an id in a body that names nothing the user may use (an invisible queue, a gone group). */
export const UNKNOWN_REFERENCE = 'unknown_reference';

/**
 * A 404: what does not exist and what the user may not see are answered alike.
 * @param what - e.g. `queue 7`
 */
export function notVisible(what: string): RouteError {
  return notFound(`${what} does not exist or is not visible to you`);
}

/**
 * A 403: the user sees the thing but may not do this to it.
 * @param message - what was refused and which right it needs
 */
export function forbidden(message: string): RouteError {
  return new RouteError(403, 'forbidden', message);
}

/**
 * A 400 naming one body field, for checks a schema cannot make (a reference, a combination of fields).
 * @param field - the body field, e.g. `queueId` (reported as `body.queueId`)
 * @param message - what is wrong, in English
 * @param code - the field code clients translate; {@link UNKNOWN_REFERENCE} by default
 */
export function invalidField(field: string, message: string, code = UNKNOWN_REFERENCE): RouteError {
  const issue: ApiFieldIssue = { path: `body.${field}`, message, code };
  return invalidInput([issue]);
}

/**
 * A 409 `conflict` for a name in use, naming the field with the code `taken`, as the kernel's own routes do.
 * @param field - the body field, e.g. `name`
 * @param message - which name is taken
 */
export function taken(field: string, message: string): RouteError {
  return new RouteError(409, 'conflict', message, [
    { path: `body.${field}`, message: 'is already taken', code: 'taken' },
  ]);
}

/**
 * A 409 `conflict`: the data changed between the check and the write, or the change is not possible in the state
 * the data is in.
 * @param message - what conflicted and what to do
 */
export function conflict(message = 'the data changed meanwhile; reload and try again'): RouteError {
  return new RouteError(409, 'conflict', message);
}

/**
 * Runs a write and maps the Host API's transaction failures onto the API: an `expect` that failed
 * (`precondition_failed`) or a serialization failure (`sql_conflict`) means someone changed the data between the
 * handler's check and the write, a 409. Anything else is a bug and fails the invocation.
 * @param write - the `db.transaction` call
 */
export async function conflictOnRace<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (isHostError(error, 'precondition_failed') || isHostError(error, 'sql_conflict')) throw conflict();
    throw error;
  }
}
