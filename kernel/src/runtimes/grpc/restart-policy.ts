/**
 * The arithmetic of restarting a crashed plugin process: how long to wait before the next start (exponential
 * backoff) and when to give up (the crash budget). Kept free of timers and processes so it is tested alone.
 * @module
 */

/** Backoff between restarts: `initialMs`, doubling per consecutive crash, capped at `maxMs`. */
export interface BackoffOptions {
  initialMs: number;
  maxMs: number;
}

/** At most `crashes` crashes within any `windowMs`; one more quarantines the plugin. */
export interface CrashBudgetOptions {
  crashes: number;
  windowMs: number;
}

/**
 * Exponential backoff. A restart that then runs stably resets it (the caller decides what "stably" means),
 * so a plugin that crashes once a day restarts quickly every time.
 */
export class Backoff {
  private attempt = 0;

  constructor(private readonly options: BackoffOptions) {}

  /** The delay before the next restart; each call doubles the following one, up to the cap. */
  next(): number {
    const { initialMs, maxMs } = this.options;
    // 2 ** 30 already exceeds any sensible cap; clamping the exponent keeps the number finite.
    const delay = Math.min(initialMs * 2 ** Math.min(this.attempt, 30), maxMs);
    this.attempt++;
    return Math.max(0, delay);
  }

  /** Back to `initialMs` for the next crash. */
  reset(): void {
    this.attempt = 0;
  }
}

/**
 * Counts crashes in a sliding window. Quarantine is the answer to a plugin that cannot stay up: restarting it
 * forever would spend the kernel's CPU on a plugin that costs only itself by invariant.
 */
export class CrashBudget {
  private readonly times: number[] = [];

  constructor(private readonly options: CrashBudgetOptions) {}

  /**
   * Records a crash at `now` and tells whether the budget is spent (this crash was the `crashes`-th within the
   * window), i.e. whether the plugin must be quarantined rather than restarted.
   */
  record(now: number): boolean {
    this.times.push(now);
    const since = now - this.options.windowMs;
    while (this.times.length > 0 && this.times[0]! <= since) this.times.shift();
    return this.times.length >= this.options.crashes;
  }

  /** Crashes counted within the window ending at `now`. */
  count(now: number): number {
    const since = now - this.options.windowMs;
    return this.times.filter((t) => t > since).length;
  }
}
