import { createHash } from 'node:crypto';
import { isApiErrorBody, RouteError } from '@goatflow/sdk';
import { describe, expect, it } from 'vitest';
import { prepareAttachments } from './uploads.js';

const file = (text: string) => ({
  filename: 'a.txt',
  contentType: 'text/plain',
  contentBase64: Buffer.from(text).toString('base64'),
});

describe('prepareAttachments', () => {
  it('measures and hashes the decoded bytes and keeps the base64 for the statement', () => {
    const [a] = JSON.parse(prepareAttachments([file('hello')], 10, 'body.attachments'));
    expect(a).toEqual({
      filename: 'a.txt',
      contentType: 'text/plain',
      size: 5,
      sha256: createHash('sha256').update('hello').digest('hex'),
      contentBase64: 'aGVsbG8=',
    });
  });

  it('refuses an attachment over the limit with a 413 naming its field', () => {
    let error: unknown;
    try {
      prepareAttachments([file('ok'), file('eleven char')], 10, 'body.article.attachments');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(RouteError);
    const body = (error as RouteError).toBody();
    expect((error as RouteError).status).toBe(413);
    expect(isApiErrorBody(body)).toBe(true);
    expect(body.error.details?.[0]?.path).toBe('body.article.attachments.1.contentBase64');
  });

  it('takes exactly the limit', () => {
    expect(JSON.parse(prepareAttachments([file('0123456789')], 10, 'body.attachments'))[0].size).toBe(10);
  });
});
