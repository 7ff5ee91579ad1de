/**
 * Database-backed sessions with an idle and an absolute expiry. The cookie holds a random secret; the table holds
 * its digest. Expiry is judged by the database clock so every kernel instance agrees.
 * @module
 */
import type { KernelOrm } from '../db/orm.js';
import { digest, newSecret } from './tokens.js';

export interface SessionPolicy {
  idleSeconds: number;
  maxAgeSeconds: number;
}

export interface ActiveSession {
  id: string;
  userId: number;
  expiresAt: Date;
  /**
   * How long this answer may be reused without asking again (by the database clock): until the absolute expiry,
   * or until last_seen_at is next due to move, whichever comes first. A cache that skipped the lookup past that
   * moment would skip a touch, and a busy session could then idle out; capped so, the idle clock of a session is
   * the same with and without the principal cache, whatever its TTL and the idle timeout.
   */
  reusableForMs: number;
}

export class SessionStore {
  /**
   * Writes of last_seen_at are spaced out so a busy page does not update the row on every request. The principal
   * cache never reuses a lookup past the next due write (`reusableForMs`), so it cannot stretch this spacing.
   */
  private readonly touchEverySeconds: number;

  constructor(
    private readonly orm: KernelOrm,
    private readonly policy: SessionPolicy,
  ) {
    this.touchEverySeconds = Math.max(1, Math.min(60, Math.floor(policy.idleSeconds / 10)));
  }

  /** Creates a session and returns the secret for the cookie (shown once, never stored). */
  async create(
    userId: number,
    meta: { ip?: string; userAgent?: string },
  ): Promise<{ secret: string; id: string }> {
    const secret = newSecret();
    const id = digest(secret);
    await this.orm.em.fork().execute(
      `insert into kernel.sessions (id, user_id, created_at, last_seen_at, expires_at, ip, user_agent)
         values (?, ?, now(), now(), now() + make_interval(secs => ?), ?, ?)`,
      [id, userId, this.policy.maxAgeSeconds, meta.ip ?? null, meta.userAgent?.slice(0, 500) ?? null],
    );
    return { secret, id };
  }

  /** Finds the live session for a cookie secret and marks it used; expired sessions are deleted on sight. */
  async resolve(secret: string): Promise<ActiveSession | undefined> {
    const id = digest(secret);
    const em = this.orm.em.fork();
    const rows = await em.execute<
      { user_id: number; expires_at: Date; live: boolean; stale: boolean; reusable_ms: number }[]
    >(
      `select user_id, expires_at,
              (expires_at > now() and last_seen_at > now() - make_interval(secs => ?)) as live,
              (last_seen_at < now() - make_interval(secs => ?)) as stale,
              extract(epoch from least(
                expires_at,
                (case when last_seen_at < now() - make_interval(secs => ?) then now() else last_seen_at end)
                  + make_interval(secs => ?)
              ) - now())::float8 * 1000 as reusable_ms
         from kernel.sessions where id = ?`,
      [this.policy.idleSeconds, this.touchEverySeconds, this.touchEverySeconds, this.touchEverySeconds, id],
    );
    const row = rows[0];
    if (!row) return undefined;
    if (!row.live) {
      await em.execute('delete from kernel.sessions where id = ?', [id]);
      return undefined;
    }
    if (row.stale) await em.execute('update kernel.sessions set last_seen_at = now() where id = ?', [id]);
    return {
      id,
      userId: row.user_id,
      expiresAt: new Date(row.expires_at),
      reusableForMs: Math.max(0, Number(row.reusable_ms)),
    };
  }

  async destroy(id: string): Promise<void> {
    await this.orm.em.fork().execute('delete from kernel.sessions where id = ?', [id]);
  }

  /** Removes expired sessions; returns how many. Run periodically, not on the request path. */
  async purgeExpired(): Promise<number> {
    const res = await this.orm.em
      .fork()
      .execute<{ affectedRows: number }>(
        'delete from kernel.sessions where expires_at <= now() or last_seen_at <= now() - make_interval(secs => ?)',
        [this.policy.idleSeconds],
        'run',
      );
    return res.affectedRows;
  }
}
