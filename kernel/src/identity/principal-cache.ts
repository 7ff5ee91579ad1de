/**
 * A short-lived, per-instance memory of who is behind a session: resolving a cookie costs a session lookup, a
 * user read and a membership read, on every request. Entries are keyed by the session id (the digest of the
 * cookie secret, never the secret itself), live at most a couple of seconds, never outlive what the database
 * allowed when they were read, and are dropped at once by any write that changes who a principal is or what they
 * may do — here, and on the other instances through the cluster bus (`onInvalidate`).
 * @module
 */
import { LRUCache } from 'lru-cache';
import type { Principal } from '../context/request-context.js';
import type { UserView } from './directory.js';

export interface CachedPrincipal {
  principal: Principal;
  user: UserView;
}

/**
 * What to forget: every entry (an identity write), one session's (it ended), or one user's sessions (a change
 * only to that user's own view, such as their language: any signed-in user may make it, and it must not empty
 * everyone's cache on every instance).
 */
export type PrincipalInvalidation =
  | { kind: 'identity' }
  | { kind: 'session'; id: string }
  | { kind: 'user'; id: number };

export interface PrincipalCacheOptions {
  /** Longest an entry is reused, in ms; `0` turns the cache off. Default 2000. */
  ttlMs?: number;
  /** Most sessions remembered at once; the least recently used go first. Default 10 000. */
  max?: number;
  /** A clock in ms for the TTLs, so tests can move time; default `performance.now`. */
  now?: () => number;
}

export const DEFAULT_PRINCIPAL_TTL_MS = 2000;
const DEFAULT_MAX = 10_000;

export class PrincipalCache {
  /**
   * Told of every invalidation made here (not of those applied from elsewhere), so the other instances can drop
   * the same entries. Awaited: a write's response then follows its announcement.
   */
  onInvalidate: ((change: PrincipalInvalidation) => Promise<void> | void) | undefined;
  private readonly ttlMs: number;
  private readonly entries: LRUCache<string, CachedPrincipal> | undefined;
  /**
   * Moves on every invalidation. A lookup that began before one may have read what it invalidated, so its answer
   * is used once but not remembered.
   */
  private generation = 0;

  constructor(options: PrincipalCacheOptions = {}) {
    this.ttlMs = options.ttlMs ?? DEFAULT_PRINCIPAL_TTL_MS;
    if (this.ttlMs > 0) {
      this.entries = new LRUCache<string, CachedPrincipal>({
        max: options.max ?? DEFAULT_MAX,
        ttl: this.ttlMs,
        // An injected clock is read on every check: lru-cache would otherwise keep a reading for 1 ms of real time.
        ...(options.now ? { perf: { now: options.now }, ttlResolution: 0 } : {}),
      });
    }
  }

  /**
   * The remembered principal of session `id`, else what `load` reads. `load` answers `undefined` for no principal
   * (never remembered) or the principal with how long the database allows it to be reused (`reusableForMs`,
   * e.g. until the session's absolute expiry); the entry lives for the shorter of that and the TTL.
   */
  async resolve(
    id: string,
    load: () => Promise<{ found: CachedPrincipal; reusableForMs: number } | undefined>,
  ): Promise<CachedPrincipal | undefined> {
    const hit = this.entries?.get(id);
    if (hit) return hit;
    const generation = this.generation;
    const loaded = await load();
    if (!loaded) return undefined;
    const ttl = Math.min(this.ttlMs, Math.floor(loaded.reusableForMs));
    if (this.entries && ttl > 0 && generation === this.generation) {
      this.entries.set(id, freeze(loaded.found), { ttl });
    }
    return loaded.found;
  }

  /** A write here changed identities or ended a session: forget here, then tell the other instances. */
  async invalidate(change: PrincipalInvalidation): Promise<void> {
    this.apply(change);
    await this.onInvalidate?.(change);
  }

  /** Forgets what another instance invalidated (or everything, after missed messages), without announcing it. */
  apply(change: PrincipalInvalidation): void {
    this.generation++;
    if (change.kind === 'session') this.entries?.delete(change.id);
    else if (change.kind === 'user') {
      for (const [session, cached] of this.entries?.entries() ?? []) {
        if (cached.principal.id === change.id) this.entries?.delete(session);
      }
    } else this.entries?.clear();
  }

  /** How many sessions are remembered (for tests and diagnostics). */
  get size(): number {
    return this.entries?.size ?? 0;
  }
}

/** One entry serves many requests: none of them may change it for the others. */
function freeze(found: CachedPrincipal): CachedPrincipal {
  for (const group of found.user.groups) Object.freeze(Object.freeze(group).permissions);
  Object.freeze(found.user.groups);
  Object.freeze(found.user);
  Object.freeze(found.principal);
  return Object.freeze(found);
}
