/**
 * File answers of plugin routes (`{status, file: {contentType, filename, base64, inline}}`, made by the SDK's
 * `replyFile`). The bytes come from a plugin and often from its users (attachments), so they are sent in a way
 * no browser will run in GoatFlow's origin: `nosniff`, a sandboxing CSP, and `attachment` unless an image or a
 * PDF asks to be shown inline.
 * @module
 */
import type { Response } from 'express';
import { KernelError } from '../errors/index.js';

/** `type/subtype` with optional `; name=value` parameters (RFC 9110 media-type). */
const TOKEN = "[A-Za-z0-9!#$%&'*+.^_`|~-]+";
const MEDIA_TYPE = new RegExp(`^${TOKEN}/${TOKEN}(\\s*;\\s*${TOKEN}=(${TOKEN}|"[^"\\\\\\r\\n]*"))*$`);

/** Sent instead of a content type that is not a media type. */
export const FALLBACK_CONTENT_TYPE = 'application/octet-stream';

/** Applied to every file, whatever the app's own policy: a file gets no script, no requests, no origin. */
export const FILE_CSP = "sandbox; default-src 'none'";

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** The content type to send: the plugin's when it is a media type, else {@link FALLBACK_CONTENT_TYPE}. */
export function fileContentType(value: unknown): string {
  return typeof value === 'string' && value.length <= 200 && MEDIA_TYPE.test(value)
    ? value
    : FALLBACK_CONTENT_TYPE;
}

/**
 * Whether a file of this type may be shown inline when it asks: raster images and PDFs, which browsers render
 * without running anything. SVG is an image that can carry script, so it is always an attachment.
 */
export function mayBeInline(contentType: string): boolean {
  const essence = contentType.split(';')[0]!.trim().toLowerCase();
  return essence === 'application/pdf' || (essence.startsWith('image/') && essence !== 'image/svg+xml');
}

/**
 * The file name as it may go into a header: no control characters, no path separators, no lone surrogates
 * (which no encoding can carry), at most 255 characters; `download` when nothing is left.
 */
export function safeFilename(value: unknown): string {
  const name = typeof value === 'string' ? value : '';
  const cleaned = [...name.replace(/\p{Cs}/gu, '\uFFFD').replace(/[\p{Cc}\\/]/gu, '_')]
    .slice(0, 255)
    .join('')
    .trim();
  return cleaned || 'download';
}

/**
 * Sends a plugin's file answer.
 * @throws KernelError `plugin_error` (502) when the answer is not a file the kernel can send
 */
export function sendFile(res: Response, status: number, file: unknown, pluginId: string): void {
  const f = file as { contentType?: unknown; filename?: unknown; base64?: unknown; inline?: unknown } | null;
  if (!f || typeof f !== 'object' || typeof f.base64 !== 'string' || f.base64.length % 4 !== 0) {
    throw new KernelError(
      'plugin_error',
      `The plugin ${pluginId} answered a file without its bytes as base64 (file.base64).`,
    );
  }
  if (!BASE64.test(f.base64)) {
    throw new KernelError(
      'plugin_error',
      `The plugin ${pluginId} answered a file whose base64 is malformed.`,
    );
  }
  const bytes = Buffer.from(f.base64, 'base64');
  const contentType = fileContentType(f.contentType);
  // Express's attachment() encodes the name per RFC 6266 (an ASCII fallback, and filename* in UTF-8 per
  // RFC 8187/5987) and guesses a type from the extension, which the plugin's type then replaces.
  res.attachment(safeFilename(f.filename));
  if (f.inline === true && mayBeInline(contentType)) {
    res.setHeader(
      'Content-Disposition',
      String(res.getHeader('Content-Disposition')).replace(/^attachment/, 'inline'),
    );
  }
  res.status(status);
  res.setHeader('Content-Type', contentType);
  res.setHeader('Content-Length', bytes.length);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Content-Security-Policy', FILE_CSP);
  res.end(bytes);
}
