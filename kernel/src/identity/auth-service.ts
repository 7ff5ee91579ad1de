/**
 * Sign-in and sign-out: rate limit, password check, the login pipeline's hooks, session creation, audit rows; and
 * the principal behind a session cookie, remembered briefly in the {@link PrincipalCache}.
 * @module
 */
import type { AuditLog } from '../audit/audit-log.js';
import type { Principal } from '../context/request-context.js';
import { UserEntity } from '../db/entities/index.js';
import type { KernelOrm } from '../db/orm.js';
import { KernelError, RateLimitedError } from '../errors/index.js';
import { loadUserViews, type UserView } from './directory.js';
import type { LoginAttemptContext, LoginPipeline, SecondFactorChallenge } from './login-pipeline.js';
import { verifyPassword } from './passwords.js';
import type { CachedPrincipal, PrincipalCache } from './principal-cache.js';
import { accountKeyOf, type LoginRateLimiter, NOT_A_LOGIN } from './rate-limit.js';
import type { SessionStore } from './sessions.js';
import { digest } from './tokens.js';

export type LoginResult =
  | { status: 'authenticated'; user: UserView; sessionSecret: string; sessionId: string }
  | { status: 'second_factor_required'; user: UserView; challenge: SecondFactorChallenge };

export class AuthService {
  constructor(
    private readonly orm: KernelOrm,
    private readonly sessions: SessionStore,
    private readonly limiter: LoginRateLimiter,
    private readonly pipeline: LoginPipeline,
    private readonly audit: AuditLog,
    private readonly principals: PrincipalCache,
  ) {}

  async login(login: string, password: string, ctx: LoginAttemptContext): Promise<LoginResult> {
    const account = accountKeyOf(login);
    const verdict = await this.limiter.attempt(account, ctx.ip);
    if (!verdict.allowed) {
      if (verdict.firstRefusal) {
        await this.audit.record({
          action: 'auth.login_rate_limited',
          targetType: 'login',
          targetId: verdict.exceeded === 'ip' ? ctx.ip : account,
          details: { limit: verdict.exceeded },
          actor: { id: null, login: null },
        });
      }
      throw new RateLimitedError(
        verdict.retryAfterSeconds,
        `Too many failed sign-in attempts. Try again in ${verdict.retryAfterSeconds} seconds.`,
      );
    }
    const em = this.orm.em.fork();
    const rows =
      account === NOT_A_LOGIN
        ? []
        : await em.execute<{ id: number }[]>('select id from kernel.users where lower(login) = ?', [account]);
    const user = rows[0] ? await em.findOne(UserEntity, { id: rows[0].id }) : null;
    const passwordOk = await verifyPassword(user?.passwordHash, password);
    if (!user || !passwordOk || !user.active) {
      await this.audit.record({
        action: 'auth.login_failed',
        targetType: 'login',
        // What was typed is kept only when it named an account: people type passwords into the login field.
        targetId: user ? user.login : `unknown:${digest(login).slice(0, 12)}`,
        details: { reason: !user ? 'unknown_login' : !passwordOk ? 'wrong_password' : 'inactive' },
        actor: { id: user?.id ?? null, login: user?.login ?? null },
      });
      throw new KernelError('invalid_credentials', 'The login or password is wrong.');
    }
    await this.limiter.succeeded(account, ctx.ip);
    const [view] = await loadUserViews(em, [user]);
    const challenge = await this.pipeline.secondFactor(view!, ctx);
    if (challenge) {
      await this.audit.record({
        action: 'auth.second_factor_required',
        targetType: 'user',
        targetId: user.id,
        details: { factor: challenge.factor },
        actor: { id: user.id, login: user.login },
      });
      return { status: 'second_factor_required', user: view!, challenge };
    }
    return this.startSession(view!, ctx, 'password');
  }

  /**
   * Creates the session once every factor is satisfied. Second-factor plugins call this after checking their
   * factor; `method` names what completed the login, for the audit log.
   */
  async startSession(user: UserView, ctx: LoginAttemptContext, method: string): Promise<LoginResult> {
    if (ctx.previousSessionId) await this.endSession(ctx.previousSessionId);
    const session = await this.sessions.create(user.id, ctx);
    await this.audit.record({
      action: 'auth.login_succeeded',
      targetType: 'user',
      targetId: user.id,
      details: { method },
      actor: { id: user.id, login: user.login },
    });
    return { status: 'authenticated', user, sessionSecret: session.secret, sessionId: session.id };
  }

  async logout(principal: Principal): Promise<void> {
    if (principal.sessionId) await this.endSession(principal.sessionId);
    await this.audit.record({ action: 'auth.logout', targetType: 'user', targetId: principal.id });
  }

  /** Deletes the session and forgets its principal on every instance, so its cookie stops working at once. */
  private async endSession(id: string): Promise<void> {
    try {
      await this.sessions.destroy(id);
    } finally {
      await this.principals.invalidate({ kind: 'session', id });
    }
  }

  /**
   * The principal behind a session cookie, or `undefined` when the session is unknown, expired or its user is gone.
   * Remembered per session for up to the cache's TTL (never past what the session lookup allows), so most requests
   * cost no query here.
   */
  async principalForSession(secret: string): Promise<CachedPrincipal | undefined> {
    return this.principals.resolve(digest(secret), async () => {
      const session = await this.sessions.resolve(secret);
      if (!session) return undefined;
      const em = this.orm.em.fork();
      const user = await em.findOne(UserEntity, { id: session.userId });
      if (!user?.active) return undefined;
      const [view] = await loadUserViews(em, [user]);
      const found: CachedPrincipal = {
        user: view!,
        principal: {
          id: user.id,
          login: user.login,
          type: user.type,
          isAdmin: view!.isAdmin,
          authMethod: 'session',
          scopes: undefined,
          sessionId: session.id,
        },
      };
      return { found, reusableForMs: session.reusableForMs };
    });
  }
}
