import { describe, expect, it } from 'vitest';
import type { KernelOrm } from '../db/orm.js';
import { IdentityWrites } from './identity-writes.js';
import { PrincipalCache } from './principal-cache.js';

/** An ORM whose transactions record when they commit, in the same log as the cache's announcements. */
function setup() {
  const log: string[] = [];
  const orm = {
    em: {
      fork: () => ({
        async transactional<T>(work: (em: unknown) => Promise<T>): Promise<T> {
          log.push('begin');
          const result = await work({});
          log.push('commit');
          return result;
        },
      }),
    },
  } as unknown as KernelOrm;
  const principals = new PrincipalCache();
  principals.onInvalidate = (change) => {
    log.push(`invalidate ${change.kind}`);
  };
  return { log, principals, writes: new IdentityWrites(orm, principals) };
}

const someone = async () => ({
  found: {
    principal: {
      id: 1,
      login: 'a',
      type: 'agent' as const,
      isAdmin: true,
      authMethod: 'session',
      scopes: undefined,
      sessionId: 's1',
    },
    user: { id: 1, groups: [] } as never,
  },
  reusableForMs: 60_000,
});

describe('IdentityWrites', () => {
  it('forgets every cached principal once the write has committed, and announces it', async () => {
    const { log, principals, writes } = setup();
    await principals.resolve('s1', someone);
    expect(principals.size).toBe(1);
    expect(await writes.transaction(async () => 42)).toBe(42);
    expect(log).toEqual(['begin', 'commit', 'invalidate identity']);
    expect(principals.size).toBe(0);
  });

  it('forgets them too when the write failed, and passes the error on', async () => {
    const { log, principals, writes } = setup();
    await principals.resolve('s1', someone);
    await expect(
      writes.transaction(async () => {
        throw new Error('refused');
      }),
    ).rejects.toThrow('refused');
    expect(log).toEqual(['begin', 'invalidate identity']);
    expect(principals.size).toBe(0);
  });
});
