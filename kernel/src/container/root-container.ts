/**
 * The root container: one instance of each kernel service, built lazily from the configuration and the ORM.
 * @module
 */
import 'reflect-metadata';
import { type DependencyContainer, container as globalContainer, instanceCachingFactory } from 'tsyringe';
import { AuditLog } from '../audit/audit-log.js';
import type { KernelConfig } from '../config/config.js';
import type { KernelOrm } from '../db/orm.js';
import { AuthService } from '../identity/auth-service.js';
import { GroupService } from '../identity/groups.js';
import { IdentityWrites } from '../identity/identity-writes.js';
import { LoginPipeline } from '../identity/login-pipeline.js';
import { PrincipalCache } from '../identity/principal-cache.js';
import { LoginRateLimiter } from '../identity/rate-limit.js';
import { SessionStore } from '../identity/sessions.js';
import { UserService } from '../identity/users.js';
import type { Logger } from '../log/logger.js';
import { TOKENS } from './tokens.js';

/** A fresh root per kernel (not tsyringe's global), so several kernels can run in one process, as tests do. */
export function createRootContainer(
  config: KernelConfig,
  logger: Logger,
  orm: KernelOrm,
): DependencyContainer {
  const c = globalContainer.createChildContainer();
  c.register(TOKENS.Config, { useValue: config });
  c.register(TOKENS.Logger, { useValue: logger });
  c.register(TOKENS.Orm, { useValue: orm });
  c.register(TOKENS.AuditLog, {
    useFactory: instanceCachingFactory((r) => new AuditLog(r.resolve(TOKENS.Orm))),
  });
  c.register(TOKENS.SessionStore, {
    useFactory: instanceCachingFactory(
      (r) =>
        new SessionStore(r.resolve(TOKENS.Orm), {
          idleSeconds: config.sessionIdleSeconds,
          maxAgeSeconds: config.sessionMaxAgeSeconds,
        }),
    ),
  });
  c.register(TOKENS.PrincipalCache, {
    useFactory: instanceCachingFactory(() => new PrincipalCache({ ttlMs: config.sessionCacheMs })),
  });
  c.register(TOKENS.LoginRateLimiter, {
    useFactory: instanceCachingFactory(
      (r) =>
        new LoginRateLimiter(r.resolve(TOKENS.Orm), {
          windowSeconds: config.loginWindowSeconds,
          maxPerAccount: config.loginMaxFailuresPerAccount,
          maxPerIp: config.loginMaxFailuresPerIp,
        }),
    ),
  });
  c.register(TOKENS.LoginPipeline, { useFactory: instanceCachingFactory(() => new LoginPipeline()) });
  c.register(TOKENS.AuthService, {
    useFactory: instanceCachingFactory(
      (r) =>
        new AuthService(
          r.resolve(TOKENS.Orm),
          r.resolve(TOKENS.SessionStore),
          r.resolve(TOKENS.LoginRateLimiter),
          r.resolve(TOKENS.LoginPipeline),
          r.resolve(TOKENS.AuditLog),
          r.resolve(TOKENS.PrincipalCache),
        ),
    ),
  });
  const writes = (r: DependencyContainer) =>
    new IdentityWrites(r.resolve(TOKENS.Orm), r.resolve(TOKENS.PrincipalCache));
  c.register(TOKENS.UserService, {
    useFactory: instanceCachingFactory(
      (r) => new UserService(r.resolve(TOKENS.Orm), r.resolve(TOKENS.AuditLog), writes(r)),
    ),
  });
  c.register(TOKENS.GroupService, {
    useFactory: instanceCachingFactory(
      (r) => new GroupService(r.resolve(TOKENS.Orm), r.resolve(TOKENS.AuditLog), writes(r)),
    ),
  });
  return c;
}
