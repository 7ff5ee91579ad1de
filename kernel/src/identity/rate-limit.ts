/**
 * Login throttling, counted in the database so the limit holds across kernel instances. Each attempt is counted
 * before the password is checked (one atomic upsert), so parallel guesses cannot slip past the limit; a success
 * gives the attempt back.
 * @module
 */
import type { KernelOrm } from '../db/orm.js';

export interface RateLimitPolicy {
  windowSeconds: number;
  maxPerAccount: number;
  maxPerIp: number;
}

export interface AttemptVerdict {
  allowed: boolean;
  /** Seconds until the window of the tightest exceeded limit ends. */
  retryAfterSeconds: number;
  /** Which limit was exceeded, for the audit log. */
  exceeded: 'account' | 'ip' | undefined;
}

export class LoginRateLimiter {
  constructor(
    private readonly orm: KernelOrm,
    private readonly policy: RateLimitPolicy,
  ) {}

  /** Counts one attempt for the account and the client address and says whether it may proceed. */
  async attempt(login: string, ip: string | undefined): Promise<AttemptVerdict> {
    const account = await this.hit(accountKey(login));
    if (account.count > this.policy.maxPerAccount) {
      return { allowed: false, retryAfterSeconds: account.retryAfter, exceeded: 'account' };
    }
    if (ip) {
      const byIp = await this.hit(ipKey(ip));
      if (byIp.count > this.policy.maxPerIp) {
        return { allowed: false, retryAfterSeconds: byIp.retryAfter, exceeded: 'ip' };
      }
    }
    return { allowed: true, retryAfterSeconds: 0, exceeded: undefined };
  }

  /** After a successful login: the account starts afresh and the address gets its attempt back. */
  async succeeded(login: string, ip: string | undefined): Promise<void> {
    const em = this.orm.em.fork();
    await em.execute('delete from kernel.auth_rate_limits where key = ?', [accountKey(login)]);
    if (ip) {
      await em.execute(
        'update kernel.auth_rate_limits set failures = greatest(failures - 1, 0) where key = ?',
        [ipKey(ip)],
      );
    }
  }

  async purgeExpired(): Promise<void> {
    await this.orm.em
      .fork()
      .execute('delete from kernel.auth_rate_limits where window_start <= now() - make_interval(secs => ?)', [
        this.policy.windowSeconds,
      ]);
  }

  private async hit(key: string): Promise<{ count: number; retryAfter: number }> {
    const w = this.policy.windowSeconds;
    const rows = await this.orm.em.fork().execute<{ failures: number; retry_after: number }[]>(
      `insert into kernel.auth_rate_limits as r (key, window_start, failures) values (?, now(), 1)
       on conflict (key) do update set
         failures = case when r.window_start <= now() - make_interval(secs => ?) then 1 else r.failures + 1 end,
         window_start = case when r.window_start <= now() - make_interval(secs => ?) then now() else r.window_start end
       returning failures,
         ceil(extract(epoch from (window_start + make_interval(secs => ?) - now())))::int as retry_after`,
      [key, w, w, w],
    );
    const row = rows[0]!;
    return { count: row.failures, retryAfter: row.retry_after };
  }
}

function accountKey(login: string): string {
  return `account:${login.trim().toLowerCase()}`;
}

function ipKey(ip: string): string {
  return `ip:${ip}`;
}
