/**
 * JSON bodies for the API: a size limit (413), malformed JSON (400) and non-JSON writes (415) are answered with
 * the API's error shape. Requiring JSON on writes also means a cross-site HTML form cannot post to the API.
 * A plugin route may set its own limit (`maxBodyBytes` in its manifest), looked up before the body is read.
 * @module
 */
import express, { type Request, type RequestHandler } from 'express';
import { KernelError } from '../errors/index.js';

/**
 * @param limitBytes - the limit of every route that does not set its own (`GOATFLOW_BODY_LIMIT_BYTES`)
 * @param multipartPaths - routes (relative to `/api`) that take `multipart/form-data` uploads instead; they read
 *   the body themselves. Such a write still needs the CSRF header, which a cross-site form cannot send.
 * @param routeLimit - the limit of the route a request is for, when it sets one (a plugin route's
 *   `maxBodyBytes`)
 */
export function jsonBody(
  limitBytes: number,
  multipartPaths: string[] = [],
  routeLimit: (req: Request) => number | undefined = () => undefined,
): RequestHandler[] {
  const uploads = new Set(multipartPaths);
  // One parser per limit; there are as many as distinct maxBodyBytes values, a handful.
  const parsers = new Map<number, RequestHandler>();
  const parserFor = (limit: number): RequestHandler => {
    let parser = parsers.get(limit);
    if (!parser) {
      parser = express.json({ limit, strict: false, type: ['application/json', 'application/*+json'] });
      parsers.set(limit, parser);
    }
    return parser;
  };
  // Only a request with a body needs its route looked up.
  const parse: RequestHandler = (req, res, next) =>
    parserFor((hasBody(req) && routeLimit(req)) || limitBytes)(req, res, next);
  const requireJson: RequestHandler = (req, _res, next) => {
    // Routing ignores case and a trailing slash, so the exemption does too.
    const upload = uploads.has(req.path.toLowerCase().replace(/\/+$/, '')) && req.is('multipart/form-data');
    if (hasBody(req) && !upload && !req.is(['application/json', 'application/*+json'])) {
      next(
        new KernelError(
          'unsupported_media_type',
          'Send request bodies as JSON (Content-Type: application/json).',
        ),
      );
      return;
    }
    next();
  };
  return [requireJson, parse];
}

function hasBody(req: Request): boolean {
  return req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
}

/**
 * Maps body-parser's errors (identified by their `type`) to the API's codes.
 * @param limitBytes - the default limit, named when the error does not carry the one it hit
 */
export function bodyParserError(err: unknown, limitBytes: number): KernelError | undefined {
  const e = err as { type?: unknown; limit?: unknown } | null;
  const type = e?.type;
  if (type === 'entity.too.large') {
    const limit = typeof e?.limit === 'number' ? e.limit : limitBytes;
    return new KernelError('payload_too_large', `The request body exceeds the limit of ${limit} bytes.`);
  }
  if (type === 'entity.parse.failed') {
    return new KernelError('malformed_json', 'The request body is not valid JSON.');
  }
  if (type === 'encoding.unsupported' || type === 'charset.unsupported') {
    return new KernelError('unsupported_media_type', 'Send request bodies as UTF-8 JSON.');
  }
  if (type === 'request.aborted' || type === 'request.size.invalid') {
    return new KernelError('validation_failed', 'The request body was incomplete.');
  }
  return undefined;
}
