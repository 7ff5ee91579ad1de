import type { LoginRateLimiter } from '../identity/rate-limit.js';
import type { SessionStore } from '../identity/sessions.js';
import type { Logger } from '../log/logger.js';

/** Sweeps expired sessions and login counters off the request path; returns the function that stops it. */
export function startMaintenance(
  sessions: SessionStore,
  limiter: LoginRateLimiter,
  logger: Logger,
  everyMs = 5 * 60_000,
): () => void {
  const timer = setInterval(async () => {
    try {
      const purged = await sessions.purgeExpired();
      await limiter.purgeExpired();
      if (purged) logger.debug({ purged }, 'expired sessions removed');
    } catch (err) {
      logger.warn({ err }, 'maintenance sweep failed; will retry');
    }
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
