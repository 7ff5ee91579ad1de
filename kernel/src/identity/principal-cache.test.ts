import { describe, expect, it } from 'vitest';
import type { UserView } from './directory.js';
import { type CachedPrincipal, PrincipalCache, type PrincipalInvalidation } from './principal-cache.js';

function principalOf(id: number): CachedPrincipal {
  return {
    principal: {
      id,
      login: `u${id}`,
      type: 'agent',
      isAdmin: false,
      authMethod: 'session',
      scopes: undefined,
      sessionId: `s${id}`,
    },
    user: { id, login: `u${id}`, groups: [{ id: 1, name: 'support', permissions: ['ro'] }] } as UserView,
  };
}

/** A cache on a clock the test moves, and a loader that counts its calls. */
function setup(options: { ttlMs?: number; max?: number } = {}) {
  let now = 1_000;
  const cache = new PrincipalCache({ ...options, now: () => now });
  const loads: string[] = [];
  const load =
    (id: string, reusableForMs = 60_000) =>
    async () => {
      loads.push(id);
      return { found: principalOf(Number(id.slice(1))), reusableForMs };
    };
  return { cache, loads, load, advance: (ms: number) => (now += ms) };
}

describe('PrincipalCache', () => {
  it('reuses a principal until the TTL has passed, then reads it again', async () => {
    const { cache, loads, load, advance } = setup({ ttlMs: 2000 });
    const first = await cache.resolve('s1', load('s1'));
    expect(first?.principal.id).toBe(1);
    advance(1999);
    expect(await cache.resolve('s1', load('s1'))).toBe(first);
    expect(loads).toEqual(['s1']);
    advance(2);
    expect((await cache.resolve('s1', load('s1')))?.principal.id).toBe(1);
    expect(loads).toEqual(['s1', 's1']);
  });

  it('defaults to a 2 s TTL', async () => {
    const { cache, loads, load, advance } = setup();
    await cache.resolve('s1', load('s1'));
    advance(1999);
    await cache.resolve('s1', load('s1'));
    advance(2);
    await cache.resolve('s1', load('s1'));
    expect(loads).toEqual(['s1', 's1']);
  });

  it('never keeps an entry past what the session lookup allows (its absolute expiry)', async () => {
    const { cache, loads, load, advance } = setup({ ttlMs: 60_000 });
    await cache.resolve('s1', load('s1', 500));
    advance(499);
    await cache.resolve('s1', load('s1', 500));
    expect(loads).toEqual(['s1']);
    advance(2);
    await cache.resolve('s1', load('s1', 500));
    expect(loads).toEqual(['s1', 's1']);
  });

  it('does not remember a session that may not be reused, nor one without a principal', async () => {
    const { cache, loads, load } = setup();
    await cache.resolve('s1', load('s1', 0));
    await cache.resolve('s1', load('s1', -20));
    expect(loads).toEqual(['s1', 's1']);
    let misses = 0;
    const none = async () => {
      misses++;
      return undefined;
    };
    expect(await cache.resolve('s2', none)).toBeUndefined();
    expect(await cache.resolve('s2', none)).toBeUndefined();
    expect(misses).toBe(2);
    expect(cache.size).toBe(0);
  });

  it('remembers nothing when the TTL is 0', async () => {
    const { cache, loads, load } = setup({ ttlMs: 0 });
    await cache.resolve('s1', load('s1'));
    await cache.resolve('s1', load('s1'));
    expect(loads).toEqual(['s1', 's1']);
  });

  it('is bounded: past `max` sessions the least recently used is forgotten', async () => {
    const { cache, loads, load } = setup({ max: 2 });
    await cache.resolve('s1', load('s1'));
    await cache.resolve('s2', load('s2'));
    await cache.resolve('s1', load('s1'));
    await cache.resolve('s3', load('s3'));
    expect(cache.size).toBe(2);
    await cache.resolve('s1', load('s1'));
    await cache.resolve('s2', load('s2'));
    expect(loads).toEqual(['s1', 's2', 's3', 's2']);
  });

  it('forgets one session when it ends and everything on an identity change, announcing both', async () => {
    const { cache, loads, load } = setup();
    const announced: PrincipalInvalidation[] = [];
    cache.onInvalidate = async (change) => {
      announced.push(change);
    };
    await cache.resolve('s1', load('s1'));
    await cache.resolve('s2', load('s2'));
    await cache.invalidate({ kind: 'session', id: 's1' });
    await cache.resolve('s1', load('s1'));
    await cache.resolve('s2', load('s2'));
    expect(loads).toEqual(['s1', 's2', 's1']);
    await cache.invalidate({ kind: 'identity' });
    expect(cache.size).toBe(0);
    await cache.resolve('s1', load('s1'));
    await cache.resolve('s2', load('s2'));
    expect(loads).toEqual(['s1', 's2', 's1', 's1', 's2']);
    expect(announced).toEqual([{ kind: 'session', id: 's1' }, { kind: 'identity' }]);
  });

  it("forgets only one user's sessions when only that user's own view changed", async () => {
    const { cache } = setup();
    const announced: PrincipalInvalidation[] = [];
    cache.onInvalidate = (change) => {
      announced.push(change);
    };
    const as = (user: number) => async () => ({ found: principalOf(user), reusableForMs: 60_000 });
    await cache.resolve('laptop', as(1));
    await cache.resolve('phone', as(1));
    await cache.resolve('other', as(2));
    await cache.invalidate({ kind: 'user', id: 1 });
    expect(cache.size).toBe(1);
    let reloaded = false;
    await cache.resolve('other', async () => {
      reloaded = true;
      return { found: principalOf(2), reusableForMs: 60_000 };
    });
    expect(reloaded).toBe(false);
    expect(announced).toEqual([{ kind: 'user', id: 1 }]);
  });

  it('applies another instance’s invalidation without announcing it back', async () => {
    const { cache, load } = setup();
    const announced: PrincipalInvalidation[] = [];
    cache.onInvalidate = (change) => {
      announced.push(change);
    };
    await cache.resolve('s1', load('s1'));
    await cache.resolve('s2', load('s2'));
    cache.apply({ kind: 'session', id: 's2' });
    expect(cache.size).toBe(1);
    cache.apply({ kind: 'identity' });
    expect(cache.size).toBe(0);
    expect(announced).toEqual([]);
  });

  it('does not remember what a lookup read before an invalidation that happened while it ran', async () => {
    const { cache, loads, load } = setup();
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const slow = cache.resolve('s1', async () => {
      await gate;
      return load('s1')();
    });
    await cache.invalidate({ kind: 'identity' });
    release();
    expect((await slow)?.principal.id).toBe(1);
    await cache.resolve('s1', load('s1'));
    expect(loads).toEqual(['s1', 's1']);
  });

  it('hands out entries no request can change for the next one', async () => {
    const { cache, load } = setup();
    const found = await cache.resolve('s1', load('s1'));
    expect(() => {
      (found!.principal as { isAdmin: boolean }).isAdmin = true;
    }).toThrow(TypeError);
    expect(() => (found!.user.groups[0]!.permissions as string[]).push('rw')).toThrow(TypeError);
    expect((await cache.resolve('s1', load('s1')))?.principal.isAdmin).toBe(false);
  });
});
