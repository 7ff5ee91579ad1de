/**
 * The arguments of `db.transaction`, checked in full before anything runs (a batch that is too big or malformed
 * costs no connection), and the events a committed batch publishes. Running it is
 * {@link PluginDatabase.transaction}'s business.
 * @module
 */
import type { QueryResult } from './db-capability.js';
import { checkEvent, type EventToPublish } from './event-bus.js';
import { HostApiError } from './host-api-error.js';

/** The bounds of one transaction. */
export const TRANSACTION_LIMITS = {
  statements: 32,
  paramsPerStatement: 1000,
  params: 20_000,
  /** Rows of all results together; more is `result_too_large`, checked before commit. */
  rows: 10_000,
  /** Events published, a `rowsOf` entry counting one per row. */
  events: 100,
  sqlChars: 100_000,
} as const;

/** What a statement's row count must be: no check, 0, 1, or at least 1. */
export const EXPECTATIONS = ['any', 'none', 'one', 'some'] as const;
export type Expectation = (typeof EXPECTATIONS)[number];

export interface TransactionStatement {
  sql: string;
  params: unknown[];
  expect: Expectation;
}

/** An event with its own payload, or one per row of statement `rowsOf`. */
export type TransactionEvent = { name: string; payload: unknown } | { name: string; rowsOf: number };

export interface TransactionRequest {
  statements: TransactionStatement[];
  events: TransactionEvent[];
}

const invalid = (message: string) => new HostApiError('invalid_argument', message);

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function statementAt(value: unknown, i: number): TransactionStatement {
  const at = `statements[${i}]`;
  if (!isObject(value)) throw invalid(`"${at}" must be an object {sql, params?, expect?}`);
  const { sql, params = [], expect = 'any' } = value;
  if (typeof sql !== 'string' || sql.length === 0 || sql.length > TRANSACTION_LIMITS.sqlChars) {
    throw invalid(`"${at}.sql" must be the SQL text (at most ${TRANSACTION_LIMITS.sqlChars} characters)`);
  }
  if (!Array.isArray(params) || params.length > TRANSACTION_LIMITS.paramsPerStatement) {
    throw invalid(
      `"${at}.params" must be an array of at most ${TRANSACTION_LIMITS.paramsPerStatement} values`,
    );
  }
  if (!(EXPECTATIONS as readonly unknown[]).includes(expect)) {
    throw invalid(`"${at}.expect" must be one of ${EXPECTATIONS.join(', ')}`);
  }
  return { sql, params, expect: expect as Expectation };
}

function eventAt(value: unknown, i: number, statements: number): TransactionEvent {
  const at = `events[${i}]`;
  if (!isObject(value)) throw invalid(`"${at}" must be an object {name, payload} or {name, rowsOf}`);
  const name = value.name;
  if (!('rowsOf' in value)) {
    checkEvent(name, value.payload, `${at}.`);
    return { name: name as string, payload: value.payload ?? null };
  }
  checkEvent(name, null, `${at}.`);
  if ('payload' in value) throw invalid(`"${at}" has both payload and rowsOf; give one`);
  const rowsOf = value.rowsOf;
  if (!Number.isInteger(rowsOf) || (rowsOf as number) < 0 || (rowsOf as number) >= statements) {
    throw invalid(`"${at}.rowsOf" must be the index of a statement, 0 to ${statements - 1}`);
  }
  return { name: name as string, rowsOf: rowsOf as number };
}

/**
 * Checks the raw arguments `{statements, events?}` and the limits on them.
 * @throws HostApiError `invalid_argument` naming the field
 */
export function parseTransaction(args: Record<string, unknown>): TransactionRequest {
  const { statements, events = [] } = args;
  if (!Array.isArray(statements) || statements.length === 0) {
    throw invalid('"statements" must be a non-empty array of {sql, params?, expect?}');
  }
  if (statements.length > TRANSACTION_LIMITS.statements) {
    throw invalid(
      `"statements" may hold at most ${TRANSACTION_LIMITS.statements} statements; split the work or ` +
        'combine statements with data-modifying WITH clauses',
    );
  }
  const parsed = statements.map(statementAt);
  const params = parsed.reduce((n, s) => n + s.params.length, 0);
  if (params > TRANSACTION_LIMITS.params) {
    throw invalid(
      `"statements" have ${params} parameters in all; at most ${TRANSACTION_LIMITS.params} are allowed`,
    );
  }
  if (!Array.isArray(events) || events.length > TRANSACTION_LIMITS.events) {
    throw invalid(`"events" must be an array of at most ${TRANSACTION_LIMITS.events} events`);
  }
  return { statements: parsed, events: events.map((e, i) => eventAt(e, i, parsed.length)) };
}

/** Whether a row count meets an expectation. */
export function meets(expect: Expectation, rowCount: number): boolean {
  switch (expect) {
    case 'none':
      return rowCount === 0;
    case 'one':
      return rowCount === 1;
    case 'some':
      return rowCount > 0;
    default:
      return true;
  }
}

/**
 * The events to write once every statement has run: each `rowsOf` entry becomes one event per row of that
 * statement, in row order.
 * @throws HostApiError `result_too_large` past {@link TRANSACTION_LIMITS.events}, `invalid_argument` for a row
 *   too large to be a payload
 */
export function eventsToPublish(
  events: readonly TransactionEvent[],
  results: readonly QueryResult[],
): EventToPublish[] {
  const out: EventToPublish[] = [];
  for (const [j, event] of events.entries()) {
    if ('rowsOf' in event) {
      for (const [k, row] of results[event.rowsOf]!.rows.entries()) {
        try {
          checkEvent(event.name, row);
        } catch (err) {
          throw invalid(
            `"events[${j}]": row ${k} of statements[${event.rowsOf}] cannot be an event payload (` +
              `${(err as Error).message}); return fewer columns`,
          );
        }
        out.push({ name: event.name, payload: row });
      }
    } else out.push(event);
    if (out.length > TRANSACTION_LIMITS.events) {
      throw new HostApiError(
        'result_too_large',
        `the transaction would publish more than ${TRANSACTION_LIMITS.events} events (rowsOf publishes one ` +
          'per row); split it into smaller transactions',
      );
    }
  }
  return out;
}
