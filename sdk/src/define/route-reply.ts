/**
 * How a route handler answers something other than 200 with its value: {@link reply} for any status with a
 * body, {@link RouteError} (and {@link notFound}) for the API's error shape. The gRPC runtime turns both into the
 * `{status, body}` answer the kernel sends to the client.
 * @module
 */
import type { ApiErrorBody, ApiFieldIssue } from '../api-error.js';

const REPLY = Symbol.for('goatflow.reply');

/** A route answer with an explicit status; made by {@link reply}. */
export interface Reply<B = unknown> {
  readonly [REPLY]: true;
  readonly status: number;
  readonly body: B;
}

/**
 * Answers a route with a status other than 200, e.g. `reply(201, created)` or `reply(204, null)`.
 * @param status - an HTTP status from 200 to 599
 * @param body - the JSON body
 */
export function reply<B>(status: number, body: B): Reply<B> {
  if (!Number.isInteger(status) || status < 200 || status > 599) {
    throw new RangeError(`reply() needs an HTTP status from 200 to 599, not ${status}`);
  }
  return { [REPLY]: true, status, body };
}

/**
 * Tells whether a handler's answer was made by {@link reply}.
 * @param value - what a route handler returned
 */
export function isReply(value: unknown): value is Reply {
  return typeof value === 'object' && value !== null && (value as Partial<Reply>)[REPLY] === true;
}

/**
 * Thrown by a route handler to answer with the API's error shape `{error: {code, message, details}}`.
 * @example
 * ```ts
 * if (!ticket) throw new RouteError(404, 'not_found', `ticket ${id} does not exist`);
 * ```
 */
export class RouteError extends Error {
  /**
   * @param status - the HTTP status, 400 to 599
   * @param code - a stable code clients switch on, such as `not_found` or `conflict`
   * @param message - what went wrong and what to do, for people
   * @param details - for `validation_failed`: the failing fields
   */
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: ApiFieldIssue[],
  ) {
    super(message);
    if (!Number.isInteger(status) || status < 400 || status > 599) {
      throw new RangeError(`RouteError needs an HTTP error status from 400 to 599, not ${status}`);
    }
    this.name = 'RouteError';
  }

  /** The response body the client receives. */
  toBody(): ApiErrorBody {
    return {
      error: { code: this.code, message: this.message, ...(this.details ? { details: this.details } : {}) },
    };
  }
}

/**
 * A 404 `not_found`: what the user may not see is answered exactly like what does not exist.
 * @param message - what was not found
 */
export function notFound(message = 'not found'): RouteError {
  return new RouteError(404, 'not_found', message);
}

/**
 * A 400 `validation_failed` naming the fields, for checks a schema cannot express.
 * @param details - the failing fields, with paths such as `body.title`
 */
export function invalidInput(details: ApiFieldIssue[]): RouteError {
  return new RouteError(400, 'validation_failed', 'the request has invalid fields; see details', details);
}
