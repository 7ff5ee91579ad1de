import { describe, expect, it } from 'vitest';
import type { HostCallResult } from '../contract.js';
import { encodeHostReply } from './worker-handle.js';

describe('encodeHostReply', () => {
  it('passes results of the documented shape through', () => {
    expect(JSON.parse(encodeHostReply('cache.get', { ok: true, value: { a: 'ü' } }, 1024))).toEqual({
      ok: true,
      value: { a: 'ü' },
    });
    expect(JSON.parse(encodeHostReply('cache.get', { ok: true, value: undefined }, 1024))).toEqual({
      ok: true,
      value: null,
    });
    expect(
      JSON.parse(
        encodeHostReply('db.query', { ok: false, error: { code: 'not_granted', message: 'no' } }, 1024),
      ),
    ).toEqual({ ok: false, error: { code: 'not_granted', message: 'no' } });
  });

  it('turns a reply above the limit into reply_too_large, counting UTF-8 bytes', () => {
    // 400 × "ü" is 400 characters but 800 bytes.
    const reply = JSON.parse(encodeHostReply('cache.get', { ok: true, value: 'ü'.repeat(400) }, 600));
    expect(reply).toMatchObject({ ok: false, error: { code: 'reply_too_large' } });
    expect(reply.error.message).toContain('cache.get');
    expect(JSON.parse(encodeHostReply('cache.get', { ok: true, value: 'u'.repeat(400) }, 600)).ok).toBe(true);
  });

  it('turns malformed and unserialisable results into host_error', () => {
    const malformed = JSON.parse(encodeHostReply('x', { nope: true } as unknown as HostCallResult, 1024));
    expect(malformed).toMatchObject({ ok: false, error: { code: 'host_error' } });
    const bigint = JSON.parse(encodeHostReply('x', { ok: true, value: 1n }, 1024));
    expect(bigint).toMatchObject({ ok: false, error: { code: 'host_error' } });
  });
});
