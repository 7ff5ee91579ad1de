/**
 * Who is calling: a bearer-style credential handled by an attached authenticator, else the session cookie.
 * Then the gates: sign-in required, admins only (404 for everyone else), CSRF token on cookie-authenticated
 * writes.
 * @module
 */
import type { RequestHandler, Response } from 'express';
import { currentContext } from '../context/request-context.js';
import { KernelError, UnauthenticatedError } from '../errors/index.js';
import type { AuthService } from '../identity/auth-service.js';
import type { UserView } from '../identity/directory.js';
import type { LoginPipeline } from '../identity/login-pipeline.js';
import { csrfTokenFor, safeEqual } from '../identity/tokens.js';
import { readSessionCookie } from './cookies.js';
import { routeNotFound } from './errors.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function authenticate(auth: AuthService, pipeline: LoginPipeline): RequestHandler {
  return async (req, res, next) => {
    const ctx = currentContext()!;
    const authorization = req.headers.authorization;
    if (authorization) {
      // An authenticator throws for a credential of its kind that is invalid; a header none recognises (say, a
      // proxy's Basic auth) is not ours, so the session cookie decides.
      const principal = await pipeline.authenticate(authorization, {
        ip: ctx.ip,
        userAgent: ctx.userAgent,
        requestId: ctx.requestId,
      });
      if (principal) {
        ctx.principal = principal;
        next();
        return;
      }
    }
    const secret = readSessionCookie(req);
    if (secret) {
      const found = await auth.principalForSession(secret);
      if (found) {
        ctx.principal = found.principal;
        res.locals.sessionSecret = secret;
        res.locals.user = found.user;
      }
    }
    next();
  };
}

/** The signed-in user's language (set by {@link authenticate} for a session), English for anyone else. */
export function localeOf(res: Response): string {
  return (res.locals.user as UserView | undefined)?.locale ?? 'en';
}

export const requireUser: RequestHandler = (_req, _res, next) => {
  if (!currentContext()?.principal) throw new UnauthenticatedError();
  next();
};

/** Admin routes are invisible to everyone else: a signed-in non-admin gets the same 404 as for a missing route. */
export const requireAdmin: RequestHandler = (req, _res, next) => {
  const principal = currentContext()?.principal;
  if (!principal) throw new UnauthenticatedError();
  if (!principal.isAdmin || principal.type !== 'agent') throw routeNotFound(req);
  next();
};

/** Cookie-authenticated writes must echo the session's CSRF token; other credentials are not sent by browsers. */
export function csrfProtection(exemptPaths: string[]): RequestHandler {
  const exempt = new Set(exemptPaths);
  return (req, res, next) => {
    const principal = currentContext()?.principal;
    // Routing ignores case and a trailing slash, so the exemption must too.
    const routePath = req.path.toLowerCase().replace(/\/+$/, '');
    if (
      SAFE_METHODS.has(req.method) ||
      !principal ||
      principal.authMethod !== 'session' ||
      exempt.has(routePath)
    ) {
      next();
      return;
    }
    const sent = req.get('x-csrf-token');
    const expected = csrfTokenFor(res.locals.sessionSecret as string);
    if (!sent || !safeEqual(sent, expected)) {
      throw new KernelError(
        'csrf_failed',
        'This write needs the X-CSRF-Token header with the csrfToken from the login or GET /api/auth/me response.',
      );
    }
    next();
  };
}
