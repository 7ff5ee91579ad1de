/**
 * The last middleware: every error becomes `{"error": {code, message, details?}}`. Known errors keep their
 * status; anything else is logged with the request id and answered as a generic 500 that leaks no internals.
 * @module
 */
import type { ErrorRequestHandler, Request, RequestHandler } from 'express';
import { KernelError, NotFoundError } from '../errors/index.js';
import type { Logger } from '../log/logger.js';
import { bodyParserError } from './body.js';

/**
 * The one 404 for a route the caller cannot reach — missing, or hidden from them — so the two cannot be told
 * apart. The path is named relative to `/api`, whatever router the request reached.
 */
export function routeNotFound(req: Request): NotFoundError {
  const full = (req.baseUrl + req.path).replace(/^\/api(?=\/|$)/, '') || '/';
  return new NotFoundError(`No API route ${req.method} ${full}.`);
}

export function notFoundApi(): RequestHandler {
  return (req, _res, next) => next(routeNotFound(req));
}

/**
 * Errors that express, the router or zlib raise for a broken request (a malformed URL escape, a body that is not
 * the gzip it claims to be) carry a 4xx `status`: they are the client's fault, not a 500.
 */
function clientError(err: unknown): KernelError | undefined {
  const e = err as { status?: unknown; statusCode?: unknown; expose?: unknown } | null;
  const status = Number(e?.status ?? e?.statusCode);
  if (!(status >= 400 && status < 500)) return undefined;
  if (status === 404) return new NotFoundError('Not found.');
  if (status === 413) return new KernelError('payload_too_large', 'The request body is too large.');
  if (status === 415) return new KernelError('unsupported_media_type', 'Send request bodies as UTF-8 JSON.');
  return new KernelError('bad_request', 'The request is malformed (URL escapes or body encoding).');
}

export function errorHandler(logger: Logger, bodyLimitBytes: number): ErrorRequestHandler {
  return (err, req, res, _next) => {
    const known =
      err instanceof KernelError ? err : (bodyParserError(err, bodyLimitBytes) ?? clientError(err));
    const error =
      known ??
      new KernelError('internal', `Something went wrong on our side. Quote request id ${req.id} to support.`);
    if (!known) logger.error({ err, requestId: req.id, path: req.path }, 'unhandled error');
    else if (error.status >= 500) logger.warn({ err, requestId: req.id }, error.message);
    if (res.headersSent) {
      res.end();
      return;
    }
    res.status(error.status).set(error.headers).json(error.toJSON());
  };
}
