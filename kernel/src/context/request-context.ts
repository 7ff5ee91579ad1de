/**
 * Per-request context (request id, client address, the authenticated principal) carried through async calls
 * with AsyncLocalStorage, so services and audit rows know who acts without threading it through every call.
 * @module
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { UserType } from '../db/entities/index.js';

/** The user a request acts for, as resolved by the session cookie or an authenticator. */
export interface Principal {
  id: number;
  login: string;
  type: UserType;
  isAdmin: boolean;
  /** How the caller proved who they are: cookie sessions need CSRF tokens on writes, bearer credentials do not. */
  authMethod: 'session' | string;
  /** Token scopes for non-session authenticators; sessions carry every scope of their user. */
  scopes: string[] | undefined;
  sessionId: string | undefined;
}

export interface RequestContext {
  requestId: string;
  ip: string | undefined;
  userAgent: string | undefined;
  principal: Principal | undefined;
}

const storage = new AsyncLocalStorage<RequestContext>();

export function runWithContext<T>(ctx: RequestContext, fn: () => T): T {
  return storage.run(ctx, fn);
}

export function currentContext(): RequestContext | undefined {
  return storage.getStore();
}
