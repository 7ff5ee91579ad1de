import { describe, expect, it } from 'vitest';
import { isFileReply, isReply, reply, replyFile } from './route-reply.js';

describe('replyFile', () => {
  it('keeps bytes as they are and encodes text as UTF-8', () => {
    const bytes = new Uint8Array([0, 255, 10]);
    const binary = replyFile({ contentType: 'application/octet-stream', filename: 'x.bin', data: bytes });
    expect(binary).toMatchObject({ status: 200, filename: 'x.bin', inline: false });
    expect(binary.data).toBe(bytes);
    const text = replyFile({ contentType: 'text/plain', filename: 'ü.txt', data: 'Grüße', inline: true });
    expect([...text.data]).toEqual([...new TextEncoder().encode('Grüße')]);
    expect(text.inline).toBe(true);
  });

  it('is told apart from reply() and from plain objects', () => {
    const file = replyFile({ contentType: 'image/png', filename: 'a.png', data: new Uint8Array() });
    expect(isFileReply(file)).toBe(true);
    expect(isReply(file)).toBe(false);
    expect(isFileReply(reply(200, {}))).toBe(false);
    expect(isFileReply({ status: 200, file: { base64: '' } })).toBe(false);
    expect(isFileReply(null)).toBe(false);
  });

  it('refuses a missing file name, content type or data, naming it', () => {
    const data = new Uint8Array();
    expect(() => replyFile({ contentType: 'text/plain', filename: '', data })).toThrow(/filename/);
    expect(() => replyFile({ contentType: undefined as never, filename: 'a', data })).toThrow(/contentType/);
    expect(() => replyFile({ contentType: 'text/plain', filename: 'a', data: [1] as never })).toThrow(/data/);
  });
});
