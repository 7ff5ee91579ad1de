/**
 * How a route handler answers something other than 200 with its value: {@link reply} for any status with a
 * body, {@link replyFile} for bytes to download, {@link RouteError} (and {@link notFound}) for the API's error
 * shape. The gRPC runtime turns them into the `{status, body}` (or `{status, file}`) answer the kernel sends to
 * the client.
 * @module
 */
import type { ApiErrorBody, ApiFieldIssue } from '../api-error.js';

const REPLY = Symbol.for('goatflow.reply');
const FILE_REPLY = Symbol.for('goatflow.fileReply');

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

/** What {@link replyFile} takes. */
export interface FileReplyOptions {
  /**
   * The media type, `type/subtype` with optional parameters, e.g. `text/csv; charset=utf-8`. The kernel sends
   * anything else as `application/octet-stream`.
   */
  contentType: string;
  /** The name the browser saves the file under; any characters (the kernel encodes it per RFC 6266/5987). */
  filename: string;
  /** The bytes, or text, which is sent as UTF-8. */
  data: Uint8Array | string;
  /**
   * Asks the browser to show the file rather than download it. Honoured for images (not SVG) and PDFs only;
   * everything else is always an attachment.
   */
  inline?: boolean;
}

/** A route answer with a file instead of JSON; made by {@link replyFile}. */
export interface FileReply {
  readonly [FILE_REPLY]: true;
  readonly status: 200;
  readonly contentType: string;
  readonly filename: string;
  readonly data: Uint8Array;
  readonly inline: boolean;
}

/**
 * Answers a route with a file: the kernel sends the bytes with `Content-Disposition` (an attachment unless an
 * image or PDF asks to be `inline`), `X-Content-Type-Options: nosniff` and a sandboxing
 * `Content-Security-Policy`, so a file cannot run script in GoatFlow's origin. The answer travels inside the
 * runtime's message as base64: keep gRPC files under about 11 MiB (16 MiB messages) and WASM ones under about
 * 3 MiB (4 MiB of output).
 * @param file - the content type, file name, bytes and whether to show it inline
 * @example
 * ```ts
 * return replyFile({ contentType: 'text/csv; charset=utf-8', filename: 'tickets.csv', data: csv });
 * ```
 */
export function replyFile(file: FileReplyOptions): FileReply {
  if (typeof file?.contentType !== 'string') {
    throw new TypeError('replyFile() needs contentType, a media type such as "application/pdf"');
  }
  if (typeof file.filename !== 'string' || file.filename.length === 0) {
    throw new TypeError('replyFile() needs filename, the name the browser saves the file under');
  }
  const data = typeof file.data === 'string' ? new TextEncoder().encode(file.data) : file.data;
  if (!(data instanceof Uint8Array)) {
    throw new TypeError('replyFile() needs data, a Uint8Array (a Buffer is one) or a string');
  }
  return {
    [FILE_REPLY]: true,
    status: 200,
    contentType: file.contentType,
    filename: file.filename,
    data,
    inline: file.inline === true,
  };
}

/**
 * Tells whether a handler's answer was made by {@link replyFile}.
 * @param value - what a route handler returned
 */
export function isFileReply(value: unknown): value is FileReply {
  return typeof value === 'object' && value !== null && (value as Partial<FileReply>)[FILE_REPLY] === true;
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
