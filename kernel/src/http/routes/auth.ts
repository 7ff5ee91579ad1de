/**
 * `/api/auth`: login, logout, the current user and their preferences.
 * @module
 */
import { Router } from 'express';
import { currentContext } from '../../context/request-context.js';
import type { AuthService } from '../../identity/auth-service.js';
import { loginInput, updatePreferencesInput } from '../../identity/schemas.js';
import { csrfTokenFor } from '../../identity/tokens.js';
import type { UserService } from '../../identity/users.js';
import { requireUser } from '../auth-middleware.js';
import { clearSessionCookie, setSessionCookie } from '../cookies.js';
import { parseInput } from '../validate.js';

export function authRoutes(auth: AuthService, users: UserService, sessionMaxAgeSeconds: number): Router {
  const router = Router();

  router.post('/login', async (req, res) => {
    const input = parseInput(loginInput, req.body);
    const ctx = currentContext()!;
    const result = await auth.login(input.login, input.password, {
      ip: ctx.ip,
      userAgent: ctx.userAgent,
      requestId: ctx.requestId,
      previousSessionId: ctx.principal?.sessionId,
    });
    if (result.status === 'second_factor_required') {
      res.json({ status: result.status, factor: result.challenge.factor, data: result.challenge.data });
      return;
    }
    setSessionCookie(req, res, result.sessionSecret, sessionMaxAgeSeconds);
    res.json({ status: 'authenticated', user: result.user, csrfToken: csrfTokenFor(result.sessionSecret) });
  });

  router.post('/logout', requireUser, async (req, res) => {
    await auth.logout(currentContext()!.principal!);
    clearSessionCookie(req, res);
    res.status(204).end();
  });

  router.get('/me', requireUser, async (_req, res) => {
    const principal = currentContext()!.principal!;
    const user = res.locals.user ?? (await users.get(principal.id));
    const secret = res.locals.sessionSecret as string | undefined;
    res.json({ user, csrfToken: secret ? csrfTokenFor(secret) : null });
  });

  router.patch('/me', requireUser, async (req, res) => {
    const input = parseInput(updatePreferencesInput, req.body);
    res.json({ user: await users.updatePreferences(currentContext()!.principal!.id, input) });
  });

  return router;
}
