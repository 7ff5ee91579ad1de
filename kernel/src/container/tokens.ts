/**
 * Injection tokens of the kernel's services. Services are registered with factories (not decorators), because
 * the TypeScript runners we use emit no decorator metadata; the tokens make every dependency explicit.
 * @module
 */
import type { InjectionToken } from 'tsyringe';
import type { AuditLog } from '../audit/audit-log.js';
import type { KernelConfig } from '../config/config.js';
import type { KernelOrm } from '../db/orm.js';
import type { AuthService } from '../identity/auth-service.js';
import type { GroupService } from '../identity/groups.js';
import type { LoginPipeline } from '../identity/login-pipeline.js';
import type { PrincipalCache } from '../identity/principal-cache.js';
import type { LoginRateLimiter } from '../identity/rate-limit.js';
import type { SessionStore } from '../identity/sessions.js';
import type { UserService } from '../identity/users.js';
import type { Logger } from '../log/logger.js';

export const TOKENS = {
  Config: Symbol('Config') as InjectionToken<KernelConfig>,
  Logger: Symbol('Logger') as InjectionToken<Logger>,
  Orm: Symbol('Orm') as InjectionToken<KernelOrm>,
  AuditLog: Symbol('AuditLog') as InjectionToken<AuditLog>,
  SessionStore: Symbol('SessionStore') as InjectionToken<SessionStore>,
  PrincipalCache: Symbol('PrincipalCache') as InjectionToken<PrincipalCache>,
  LoginRateLimiter: Symbol('LoginRateLimiter') as InjectionToken<LoginRateLimiter>,
  LoginPipeline: Symbol('LoginPipeline') as InjectionToken<LoginPipeline>,
  AuthService: Symbol('AuthService') as InjectionToken<AuthService>,
  UserService: Symbol('UserService') as InjectionToken<UserService>,
  GroupService: Symbol('GroupService') as InjectionToken<GroupService>,
} as const;
