/**
 * The error a widget's API calls fail with, and how it is read from a response. Pure: no DOM, so it is unit
 * tested in Node.
 * @module
 */
import { type ApiFieldIssue, isApiErrorBody, isApiFieldIssue } from '../api-error.js';

/**
 * A failed call to the GoatFlow API from a widget: the HTTP status and the `{error: {code, message, details}}`
 * the kernel or plugin answered. `network` (status 0) and `bad_response` are client-side codes: the request
 * never got an answer, or the answer was not GoatFlow's JSON (a proxy's error page, for instance).
 */
export class ApiRequestError extends Error {
  /** The HTTP status; `0` when no response arrived. */
  readonly status: number;
  /** Stable machine-readable code such as `validation_failed`, `not_found` or `csrf_failed`; switch on this. */
  readonly code: string;
  /** For `validation_failed`: the failing fields, with their paths (`body.email`, `query.limit`). */
  readonly details: ApiFieldIssue[];

  /**
   * @param status - the HTTP status, or `0` for a request that got no response
   * @param code - the error code from the body, or a client-side code
   * @param message - what went wrong, for people
   * @param details - the failing fields, if any
   */
  constructor(status: number, code: string, message: string, details: ApiFieldIssue[] = []) {
    super(message);
    this.name = 'ApiRequestError';
    this.status = status;
    this.code = code;
    this.details = details;
  }

  /** The issue reported for one field (e.g. `body.email`), if there is one; handy to show it beside the input. */
  detailFor(path: string): ApiFieldIssue | undefined {
    return this.details.find((issue) => issue.path === path);
  }
}

/**
 * Turns an unsuccessful response's status and parsed body into an {@link ApiRequestError}. Malformed `details`
 * entries are dropped rather than trusted, because the body may have passed through an unknown proxy.
 * @param status - the HTTP status of the response
 * @param body - the parsed JSON body, or `undefined` when it was not JSON
 */
export function apiRequestErrorFrom(status: number, body: unknown): ApiRequestError {
  if (!isApiErrorBody(body)) {
    return new ApiRequestError(status, 'bad_response', `Unexpected response with status ${status}.`);
  }
  const { code, message, details } = body.error;
  return new ApiRequestError(
    status,
    code,
    message,
    Array.isArray(details) ? details.filter(isApiFieldIssue) : [],
  );
}

/**
 * Tells whether an error is the abort of a request or load (an `AbortError`), which callers ignore rather than
 * show: it means someone stopped waiting on purpose.
 * @param error - anything thrown
 */
export function isAbortError(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { name?: unknown }).name === 'AbortError';
}
