import { describe, expect, it } from 'vitest';
import { FALLBACK_CONTENT_TYPE, fileContentType, mayBeInline, safeFilename } from './file-reply.js';

describe('file replies', () => {
  it('keeps a media type with parameters and replaces anything else', () => {
    expect(fileContentType('text/csv; charset=utf-8')).toBe('text/csv; charset=utf-8');
    expect(fileContentType('application/vnd.ms-excel')).toBe('application/vnd.ms-excel');
    expect(fileContentType('multipart/mixed; boundary="a b"')).toBe('multipart/mixed; boundary="a b"');
    for (const bad of ['text', 'text/', '/html', 'text/html\r\nSet-Cookie: a=b', 'a b/c', '', 7, null]) {
      expect(fileContentType(bad), String(bad)).toBe(FALLBACK_CONTENT_TYPE);
    }
  });

  it('shows only raster images and PDFs inline, never SVG', () => {
    expect(mayBeInline('image/png')).toBe(true);
    expect(mayBeInline('IMAGE/JPEG; q=1')).toBe(true);
    expect(mayBeInline('application/pdf')).toBe(true);
    expect(mayBeInline('image/svg+xml')).toBe(false);
    expect(mayBeInline('text/html')).toBe(false);
    expect(mayBeInline(FALLBACK_CONTENT_TYPE)).toBe(false);
  });

  it('makes any file name safe for a header', () => {
    expect(safeFilename('Bericht März.pdf')).toBe('Bericht März.pdf');
    expect(safeFilename('../../etc/passwd')).toBe('.._.._etc_passwd');
    expect(safeFilename('a\r\nSet-Cookie: x=1.txt')).toBe('a__Set-Cookie: x=1.txt');
    expect(safeFilename(`x${String.fromCharCode(0xd800)}y`)).toBe('x\ufffdy');
    expect(safeFilename('  ')).toBe('download');
    expect(safeFilename(undefined)).toBe('download');
    expect([...safeFilename('🐐'.repeat(300))]).toHaveLength(255);
  });
});
