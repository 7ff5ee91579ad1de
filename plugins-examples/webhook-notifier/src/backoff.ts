/**
 * When a failed delivery is tried again: exponential backoff with jitter.
 * @module
 */

/** No retry waits longer than this, however many attempts failed. */
export const MAX_BACKOFF_SECONDS = 3600;

/**
 * Seconds to wait after the `attempts`-th failed attempt: `base × 2^(attempts − 1)`, capped at an hour, of which
 * the first half is fixed and the second random ("equal jitter"). Without the jitter, every delivery that failed
 * during the same outage would come back at the same moment and knock the recovering receiver over again.
 * @param attempts - how many attempts have failed so far (1 after the first)
 * @param baseSeconds - the `retryBaseSeconds` setting
 * @param random - a number in [0, 1); `Math.random` unless a test pins it
 */
export function backoffSeconds(
  attempts: number,
  baseSeconds: number,
  random: () => number = Math.random,
): number {
  const exponential = Math.min(MAX_BACKOFF_SECONDS, baseSeconds * 2 ** Math.max(0, attempts - 1));
  return exponential / 2 + random() * (exponential / 2);
}
