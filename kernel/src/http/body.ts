/**
 * JSON bodies for the API: a size limit (413), malformed JSON (400) and non-JSON writes (415) are answered with
 * the API's error shape. Requiring JSON on writes also means a cross-site HTML form cannot post to the API.
 * @module
 */
import express, { type RequestHandler } from 'express';
import { KernelError } from '../errors/index.js';

/**
 * @param multipartPaths - routes (relative to `/api`) that take `multipart/form-data` uploads instead; they read
 *   the body themselves. Such a write still needs the CSRF header, which a cross-site form cannot send.
 */
export function jsonBody(limitBytes: number, multipartPaths: string[] = []): RequestHandler[] {
  const uploads = new Set(multipartPaths);
  const parse = express.json({
    limit: limitBytes,
    strict: false,
    type: ['application/json', 'application/*+json'],
  });
  const requireJson: RequestHandler = (req, _res, next) => {
    const hasBody =
      req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
    // Routing ignores case and a trailing slash, so the exemption does too.
    const upload = uploads.has(req.path.toLowerCase().replace(/\/+$/, '')) && req.is('multipart/form-data');
    if (hasBody && !upload && !req.is(['application/json', 'application/*+json'])) {
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

/** Maps body-parser's errors (identified by their `type`) to the API's codes. */
export function bodyParserError(err: unknown, limitBytes: number): KernelError | undefined {
  const type = (err as { type?: unknown } | null)?.type;
  if (type === 'entity.too.large') {
    return new KernelError('payload_too_large', `The request body exceeds the limit of ${limitBytes} bytes.`);
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
