/** Types of `busy-poll.mjs` (plain JavaScript so that worker threads can load it too). */

/**
 * What a hold calls: `turn` on every turn of the loop while it lasts, `end` once when it ends, however it ends
 * (released, window over, polling paused).
 */
export interface HoldHooks {
  turn?: () => void;
  end?: () => void;
}

/**
 * Keeps the event loop turning for at most `us` microseconds, or until released. Returns the release function
 * (which calls `end`), or `null` when no hold was started (an empty window, or polling is paused in this thread).
 */
export function holdLoop(us: number, hooks?: HoldHooks, now?: number): (() => void) | null;

/**
 * Whether other processes leave this one too little CPU for polling to pay (sampled at most every 200 ms; on a
 * system without `/proc/stat`, never).
 */
export function machineContended(now?: number): boolean;

/** The shared flag (Int32 slot 0, 1 = contended) behind {@link machineContended}, for the WASM workers' spin. */
export function contentionBuffer(): SharedArrayBuffer;

/** For diagnostics and tests: whether the loop is being turned, how often it was, how often polling paused. */
export function loopState(): { running: boolean; holds: number; turns: number; pauses: number };

/**
 * When, and for how long, one channel should poll (or spin) for its next answer: about twice its recent answer
 * times, never past the ceiling; not at all while most polls miss, except for probes after a growing sit-out.
 */
export class PollPolicy {
  constructor(options: { ceilingUs: number; startUs?: number });
  /** How long to poll for the next answer, µs (0: do not poll). */
  windowUs(): number;
  /** Learns from one answer: how long it took, and how long this side polled for it (0 if it did not). */
  record(waitedUs: number, polledUs: number): void;
  /** For diagnostics and tests. */
  get state(): { answerUs: number; hitShare: number; skip: number; backoff: number };
}

/** The event-loop polling of one channel (one worker, one plugin connection). */
export class AdaptivePoll {
  constructor(options: {
    ceilingUs: number;
    startUs?: number;
    /** For tests. */
    hold?: (us: number, hooks?: HoldHooks, now?: number) => (() => void) | null;
    /** A clock in µs, for tests. */
    nowUs?: () => number;
    /** For tests; defaults to {@link machineContended}. */
    contended?: (now?: number) => boolean;
  });
  /** The policy, for diagnostics and tests. */
  get policy(): PollPolicy;
  /**
   * Something was just sent that the other side answers: poll for the current window. Returns whether polling
   * started (the hooks are only ever called if it did).
   */
  expect(hooks?: HoldHooks): boolean;
  /** A message from the other side arrived: stop polling and learn how long it took. */
  arrived(): void;
  /** Nothing is expected any more (the channel closed, the job ended): stop polling, learn nothing. */
  cancel(): void;
}
