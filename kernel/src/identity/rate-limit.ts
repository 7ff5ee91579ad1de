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
  firstRefusal: boolean;
}

export class LoginRateLimiter {
  constructor(
    private readonly orm: KernelOrm,
    private readonly policy: RateLimitPolicy,
  ) {}

  /**
   * Counts one attempt for the client address, then — unless the address is already over its limit — for the
   * account, and says whether it may proceed. `firstRefusal` is true only for the first refused attempt of a
   * window, so a flood of refusals does not flood the audit log.
   * @param account - the canonical account key (see {@link accountKeyOf})
   */
  async attempt(account: string, ip: string | undefined): Promise<AttemptVerdict> {
    if (ip) {
      const byIp = await this.hit(`ip:${ip}`);
      if (byIp.count > this.policy.maxPerIp) {
        return refusal('ip', byIp, this.policy.maxPerIp);
      }
    }
    const byAccount = await this.hit(`account:${account}`);
    if (byAccount.count > this.policy.maxPerAccount)
      return refusal('account', byAccount, this.policy.maxPerAccount);
    return { allowed: true, retryAfterSeconds: 0, exceeded: undefined, firstRefusal: false };
  }

  /** After a successful login: the account starts afresh and the address gets its attempt back. */
  async succeeded(account: string, ip: string | undefined): Promise<void> {
    const em = this.orm.em.fork();
    await em.execute('delete from kernel.auth_rate_limits where key = ?', [`account:${account}`]);
    if (ip) {
      await em.execute(
        'update kernel.auth_rate_limits set failures = greatest(failures - 1, 0) where key = ?',
        [`ip:${ip}`],
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

/** Logins are ASCII (see the login schema), so lower-casing is the same in JavaScript and PostgreSQL. */
const LOGIN = /^[A-Za-z0-9._@+-]{1,100}$/;
export const NOT_A_LOGIN = '#not-a-login';

/**
 * The key a login attempt is counted under. Anything that cannot be a login shares one key: such attempts can
 * never succeed, and no spelling variant (say, a Unicode "İ" that SQL and JavaScript lower-case differently)
 * can open a second counter for a real account.
 */
export function accountKeyOf(login: string): string {
  const trimmed = login.trim();
  return LOGIN.test(trimmed) ? trimmed.toLowerCase() : NOT_A_LOGIN;
}

function refusal(
  exceeded: 'account' | 'ip',
  hit: { count: number; retryAfter: number },
  max: number,
): AttemptVerdict {
  return { allowed: false, retryAfterSeconds: hit.retryAfter, exceeded, firstRefusal: hit.count === max + 1 };
}
