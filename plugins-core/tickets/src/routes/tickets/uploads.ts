/**
 * Attachments as they arrive (base64 in the JSON body) made ready for the article statements: decoded once here
 * to measure them against the plugin setting `maxAttachmentBytes` (a 413 naming the field) and to hash them; the
 * statement decodes the same base64 again in PostgreSQL, and the table checks that the size matches.
 * @module
 */
import { createHash } from 'node:crypto';
import { RouteError } from '@goatflow/sdk';
import type { AttachmentUpload } from '../../api/schemas.js';

/** An attachment as the article statements take it (one element of their jsonb parameter). */
export interface PreparedAttachment {
  filename: string;
  contentType: string;
  size: number;
  sha256: string;
  contentBase64: string;
}

/**
 * Decodes, measures and hashes the attachments; answers the statements' jsonb parameter.
 * @param uploads - the body's attachments
 * @param maxBytes - the plugin setting `maxAttachmentBytes`
 * @param path - where they are in the body, e.g. `body.attachments` or `body.article.attachments`
 * @throws RouteError 413 `too_large` naming the first attachment over the limit
 */
export function prepareAttachments(
  uploads: readonly AttachmentUpload[],
  maxBytes: number,
  path: string,
): string {
  const prepared = uploads.map((upload, i): PreparedAttachment => {
    const bytes = Buffer.from(upload.contentBase64, 'base64');
    if (bytes.length > maxBytes) {
      const message = `is ${bytes.length} bytes; attachments may be at most ${maxBytes} bytes`;
      throw new RouteError(413, 'too_large', `attachment "${upload.filename}" ${message}`, [
        { path: `${path}.${i}.contentBase64`, message, code: 'too_large' },
      ]);
    }
    return {
      filename: upload.filename,
      contentType: upload.contentType,
      size: bytes.length,
      sha256: createHash('sha256').update(bytes).digest('hex'),
      contentBase64: upload.contentBase64,
    };
  });
  return JSON.stringify(prepared);
}

/**
 * The body limit of the routes that take attachments: ten attachments of up to 10 MiB could not fit anyway, but
 * one at the hard cap (13.4 MiB as base64) with its article must.
 */
export const ARTICLE_BODY_BYTES = 15 * 1024 * 1024;
