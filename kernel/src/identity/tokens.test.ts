import { describe, expect, it } from 'vitest';
import { csrfTokenFor, digest, newSecret, safeEqual } from './tokens.js';

describe('session secrets', () => {
  it('are random, URL-safe and stored only as a digest', () => {
    const a = newSecret();
    const b = newSecret();
    expect(a).not.toBe(b);
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(digest(a)).toMatch(/^[0-9a-f]{64}$/);
    expect(digest(a)).not.toContain(a);
  });

  it('derive a CSRF token per session that another session cannot reuse', () => {
    const a = newSecret();
    expect(csrfTokenFor(a)).toBe(csrfTokenFor(a));
    expect(csrfTokenFor(a)).not.toBe(csrfTokenFor(newSecret()));
    expect(csrfTokenFor(a)).not.toBe(a);
  });

  it('compare in constant time and handle different lengths', () => {
    expect(safeEqual('abc', 'abc')).toBe(true);
    expect(safeEqual('abc', 'abd')).toBe(false);
    expect(safeEqual('abc', 'abcd')).toBe(false);
  });
});
