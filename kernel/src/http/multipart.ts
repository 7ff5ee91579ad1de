/**
 * Reads a small `multipart/form-data` body (busboy) into memory, part by part, each with its own byte cap. Only
 * the routes that take uploads use it; everywhere else the API takes JSON only (see body.ts).
 * @module
 */
import busboy from 'busboy';
import type { Request } from 'express';
import { type FieldIssue, KernelError, PayloadTooLargeError, ValidationError } from '../errors/index.js';

export interface PartSpec {
  /** The most bytes this part may have. */
  maxBytes: number;
}

export interface ReceivedPart {
  name: string;
  /** The file name the client gave, for a file part. */
  filename: string | undefined;
  bytes: Buffer;
}

/** Bytes of multipart framing allowed on top of the parts themselves (boundaries and part headers). */
const FRAMING_BYTES = 64 * 1024;

/**
 * Past the caps, a body up to this many times their sum is still read (and dropped) before the 413 is sent, so
 * the client, which is still sending, sees the answer instead of a reset connection. Beyond it, the answer goes
 * at once and the connection is closed.
 */
const DRAIN_FACTOR = 4;

/**
 * Reads every part. A part over its cap, or a body over all caps together, answers 413; an unknown or repeated
 * part answers 400.
 */
export async function readMultipart(
  req: Request,
  spec: Record<string, PartSpec>,
): Promise<Map<string, ReceivedPart>> {
  if (!req.is('multipart/form-data')) {
    throw new KernelError(
      'unsupported_media_type',
      `Send this request as multipart/form-data with the parts ${Object.keys(spec).join(' and ')}.`,
    );
  }
  const caps = Object.values(spec).map((p) => p.maxBytes);
  const total = caps.reduce((a, b) => a + b, 0) + FRAMING_BYTES;
  const bodyTooLarge = () =>
    new PayloadTooLargeError(`The upload is larger than ${total} bytes.`, [
      {
        path: 'body',
        code: 'too_large',
        message: `may be at most ${total} bytes`,
        params: { maximum: total },
      },
    ]);
  const declared = Number(req.headers['content-length'] ?? Number.NaN);
  if (declared > total) {
    if (declared <= total * DRAIN_FACTOR) await drain(req);
    else req.res?.set('Connection', 'close');
    throw bodyTooLarge();
  }
  let parser: busboy.Busboy;
  try {
    parser = busboy({
      headers: req.headers,
      // Browsers send file names as UTF-8.
      defParamCharset: 'utf8',
      limits: {
        parts: Object.keys(spec).length + 2,
        files: Object.keys(spec).length + 1,
        fields: Object.keys(spec).length + 1,
        fileSize: Math.max(...caps) + 1,
        fieldSize: Math.max(...caps) + 1,
        headerPairs: 20,
      },
    });
  } catch (err) {
    throw new KernelError('bad_request', `The multipart body cannot be read: ${(err as Error).message}`);
  }

  const received = new Map<string, ReceivedPart>();
  const issues: FieldIssue[] = [];
  const tooLarge: FieldIssue[] = [];
  let tooMany = false;

  const accept = (name: string, filename: string | undefined, bytes: Buffer, truncated: boolean) => {
    const part = spec[name];
    if (!part || !Object.hasOwn(spec, name)) {
      issues.push({ path: name, code: 'unknown_field', message: 'is not a part of this upload' });
    } else if (received.has(name)) {
      issues.push({ path: name, code: 'invalid', message: 'was sent twice' });
    } else if (truncated || bytes.length > part.maxBytes) {
      tooLarge.push({
        path: name,
        code: 'too_large',
        message: `may be at most ${part.maxBytes} bytes`,
        params: { maximum: part.maxBytes },
      });
    } else {
      received.set(name, { name, filename, bytes });
    }
  };

  await new Promise<void>((resolve, reject) => {
    parser.on('file', (name, stream, info) => {
      const cap = spec[name]?.maxBytes ?? 0;
      const chunks: Buffer[] = [];
      let size = 0;
      stream.on('data', (chunk: Buffer) => {
        size += chunk.length;
        // Past the cap the rest is read and dropped, so the client can finish sending and read the answer.
        if (size <= cap) chunks.push(chunk);
      });
      stream.on('end', () => {
        accept(
          name,
          info.filename || undefined,
          Buffer.concat(chunks),
          size > cap || stream.truncated === true,
        );
      });
    });
    parser.on('field', (name, value, info) => {
      accept(name, undefined, Buffer.from(value, 'utf8'), info.valueTruncated);
    });
    for (const event of ['partsLimit', 'filesLimit', 'fieldsLimit'] as const) {
      parser.on(event, () => {
        tooMany = true;
      });
    }
    parser.on('error', (err: Error) => {
      req.unpipe(parser);
      req.resume();
      reject(new KernelError('bad_request', `The multipart body cannot be read: ${err.message}`));
    });
    parser.on('close', () => resolve());
    req.on('aborted', () => reject(new KernelError('validation_failed', 'The upload was incomplete.')));
    // A body without Content-Length is counted as it comes.
    let read = 0;
    const count = (chunk: Buffer) => {
      read += chunk.length;
      if (read <= total * DRAIN_FACTOR) return;
      req.off('data', count);
      req.unpipe(parser);
      req.res?.set('Connection', 'close');
      reject(bodyTooLarge());
    };
    req.on('data', count);
    req.pipe(parser);
  });

  if (tooLarge.length) {
    throw new PayloadTooLargeError(
      `The upload is too large: ${tooLarge.map((i) => `${i.path} ${i.message}`).join('; ')}.`,
      tooLarge,
    );
  }
  if (tooMany)
    issues.push({
      path: 'body',
      code: 'too_many',
      message: 'has too many parts',
      params: { maximum: Object.keys(spec).length },
    });
  if (issues.length) throw new ValidationError(issues);
  return received;
}

/** Reads and drops the rest of the body. */
function drain(req: Request): Promise<void> {
  return new Promise((resolve) => {
    req.on('end', resolve);
    req.on('close', resolve);
    req.on('error', () => resolve());
    req.resume();
  });
}
