/**
 * Adaptive busy-polling, for the moments when a thread has just sent something and expects the answer within
 * microseconds: the kernel's main thread after answering a WASM worker's host call (the next host call follows a
 * few µs later) or after handing it an invocation; and, with the same {@link PollPolicy}, a WASM worker spinning
 * for the reply to its host call (`bridge-client.mjs`). (The gRPC runtime was measured with it too and does not
 * use it: its answers take 50–150 µs, and polling that long cost more than it saved; see docs/performance.md.)
 *
 * Why: a thread that waits in `epoll_wait` is put to sleep, and waking it costs tens of µs on a virtual machine
 * (the idle vCPU halts, and every system call on the way — the eventfd write that wakes it, its read — is
 * expensive there). Turning the event loop with `setImmediate` keeps the thread awake: every turn polls sockets
 * and message ports without blocking (libuv polls with a zero timeout while immediates are pending), and calls
 * the `turn` hook of every hold, which can look at shared memory (the WASM bridge does, see `bridge-server.ts`).
 * Nothing else waits for the answer: timers, I/O and other requests are served on every turn as usual.
 *
 * What it costs is CPU time, and on a machine whose CPUs other processes want, it costs more than it saves: a
 * polling thread uses up its share of the CPU and loses the scheduler's preference for threads that wake from
 * sleep, and is preempted in the middle of things. So:
 * - nobody polls while the machine is contended: {@link machineContended} samples, every 200 ms, how much CPU the
 *   other processes used, and a flag in shared memory ({@link contentionBuffer}) tells the WASM workers too;
 * - each channel decides for itself ({@link PollPolicy}): it polls for about twice its recent answer times,
 *   never past a ceiling, and stops while most of its polls miss;
 * - a turn that comes long after the previous one means the thread did not get the CPU or had real work to do;
 *   when that cuts many windows short, polling pauses in the thread for a while.
 *
 * Plain JavaScript, because worker threads do not inherit the TypeScript loader; types in `busy-poll.d.mts`.
 * @module
 */

import { openSync, readSync } from 'node:fs';
import { availableParallelism } from 'node:os';

const clock = () => performance.now();

/** How often the machine's CPU use is sampled while polling is considered (ms). */
const CONTENTION_SAMPLE_MS = 200;
/** Polling needs this many CPUs left over by the other processes (steal time counts as theirs). */
const FREE_CPUS_NEEDED = 1.5;
/** `/proc/stat` counts in USER_HZ ticks, 100 per second on Linux. */
const TICK_MS = 10;

/** Slot 0: 1 while the machine is contended. Shared with the WASM workers (`WorkerInit.contention`). */
const contention = new Int32Array(new SharedArrayBuffer(4));
const sampling = {
  at: 0,
  /** @type {number | null} an open `/proc/stat`, null when there is none (not Linux) */
  fd: /** @type {number | null} */ (null),
  opened: false,
  busyMs: 0,
  ownMs: 0,
};
const statBuffer = Buffer.alloc(256);

/** Milliseconds of CPU time the whole machine has spent busy (steal included), or null if unknown. */
function machineBusyMs() {
  if (!sampling.opened) {
    sampling.opened = true;
    try {
      sampling.fd = openSync('/proc/stat', 'r');
    } catch {
      sampling.fd = null;
    }
  }
  if (sampling.fd === null) return null;
  try {
    const length = readSync(sampling.fd, statBuffer, 0, statBuffer.length, 0);
    const line = statBuffer.toString('latin1', 0, length);
    // cpu  user nice system idle iowait irq softirq steal …
    const fields = line.slice(0, line.indexOf('\n')).trim().split(/\s+/);
    const tick = (i) => Number(fields[i]) || 0;
    return (tick(1) + tick(2) + tick(3) + tick(6) + tick(7) + tick(8)) * TICK_MS;
  } catch {
    return null;
  }
}

/**
 * Whether other processes leave this one too little CPU for polling to pay (sampled at most every 200 ms; on a
 * system without `/proc/stat`, never). Also kept in {@link contentionBuffer} for the WASM workers.
 * @param {number} [now] `performance.now()`, if the caller has it.
 * @returns {boolean}
 */
export function machineContended(now = clock()) {
  if (now - sampling.at < CONTENTION_SAMPLE_MS) return contention[0] === 1;
  const busyMs = machineBusyMs();
  const usage = process.cpuUsage();
  const ownMs = (usage.user + usage.system) / 1000;
  if (busyMs !== null && sampling.at > 0) {
    const othersCpus = (busyMs - sampling.busyMs - (ownMs - sampling.ownMs)) / (now - sampling.at);
    Atomics.store(contention, 0, availableParallelism() - othersCpus < FREE_CPUS_NEEDED ? 1 : 0);
  }
  sampling.at = now;
  sampling.busyMs = busyMs ?? 0;
  sampling.ownMs = ownMs;
  return contention[0] === 1;
}

/** The shared flag behind {@link machineContended}, for the WASM workers' spin. */
export function contentionBuffer() {
  return /** @type {SharedArrayBuffer} */ (contention.buffer);
}

/** A turn takes a few µs; a gap this long (ms) between two turns cuts the windows short. */
const GAP_MS = 0.3;
/** Weight of each ended hold in the moving share of holds that a gap cut short. */
const GAP_SHARE_WEIGHT = 1 / 32;
/** When more holds than this share end in a gap, the thread is contended: no polling for a while. */
const CONTENDED_SHARE = 0.1;
/** How long polling pauses in a contended thread (ms). */
const CONTENDED_PAUSE_MS = 200;

/**
 * @typedef {{ turn?: () => void, end?: () => void }} HoldHooks `turn` is called on every turn while the hold
 *   lasts; `end` once when it ends, however it ends (released, window over, polling paused).
 * @typedef {{ deadline: number, hooks: HoldHooks, born: number }} Hold `born`: the turn count when it was made.
 */

/** @type {Set<Hold>} */
const holds = new Set();
const loop = { running: false, lastTurn: 0, pausedUntil: 0, gapShare: 0, turns: 0, pauses: 0 };

/**
 * @param {Hold} hold
 * @param {boolean} [gap] whether a gap between turns cut it short.
 */
function finish(hold, gap = false) {
  if (!holds.delete(hold)) return;
  loop.gapShare += GAP_SHARE_WEIGHT * ((gap ? 1 : 0) - loop.gapShare);
  if (gap && loop.gapShare > CONTENDED_SHARE) {
    loop.pausedUntil = clock() + CONTENDED_PAUSE_MS;
    loop.pauses++;
  }
  hold.hooks.end?.();
}

function turn() {
  loop.turns++;
  const now = clock();
  const gap = now - loop.lastTurn > GAP_MS;
  for (const hold of holds) {
    // A hold made by a hook during this turn waits for the next one.
    if (hold.born === loop.turns) continue;
    if (gap || now >= hold.deadline) finish(hold, gap);
    else hold.hooks.turn?.();
  }
  if (holds.size > 0) {
    loop.lastTurn = clock();
    setImmediate(turn);
  } else {
    loop.running = false;
  }
}

/**
 * Keeps the event loop turning for at most `us` microseconds, or until released.
 * @param {number} us
 * @param {HoldHooks} [hooks]
 * @param {number} [now] `performance.now()`, if the caller has it.
 * @returns {(() => void) | null} releases the hold (calling `end`); `null` when no hold was started (an empty
 *   window, or polling is paused in this thread).
 */
export function holdLoop(us, hooks = {}, now = clock()) {
  if (!(us > 0)) return null;
  if (now < loop.pausedUntil) return null;
  /** @type {Hold} */
  const hold = { deadline: now + us / 1000, hooks, born: loop.turns };
  holds.add(hold);
  if (!loop.running) {
    loop.running = true;
    loop.lastTurn = now;
    setImmediate(turn);
  }
  return () => finish(hold);
}

/** For diagnostics and tests: whether the loop is being turned, how often it was, how often polling paused. */
export function loopState() {
  return { running: loop.running, holds: holds.size, turns: loop.turns, pauses: loop.pauses };
}

/** Weight of the newest sample in the moving averages of {@link PollPolicy}. */
const WEIGHT = 0.25;
/** Below this share of polls that caught their answer, a channel stops polling and only probes now and then. */
const MIN_HIT_SHARE = 0.5;
/** Longest sit-out between two probes, in expectations. */
const MAX_BACKOFF = 64;

/**
 * When, and for how long, one channel should poll (or spin) for its next answer. Shared by the main thread's
 * event-loop polling and the worker's spin (`bridge-client.mjs`).
 *
 * - The window covers twice the recent answer times (a moving average of the answers that came within the
 *   ceiling), at least `startUs`, at most the ceiling.
 * - A poll that did not catch its answer is a miss. Misses are what polling costs, and they are what happens
 *   when the other side cannot run while this one polls: a thread woken by this one is often put on this one's
 *   CPU, and waits there until the poll ends. So when fewer than half of the recent polls caught their answer,
 *   the channel stops polling, and only probes again after sitting out 1, 2, 4, … 64 expectations; a probe that
 *   hits resumes polling.
 */
export class PollPolicy {
  #ceilingUs;
  #startUs;
  /** Moving average of answer times within the ceiling, µs. */
  #answerUs;
  /** Moving share of polls that caught their answer. */
  #hitShare = 1;
  #skip = 0;
  #backoff = 1;

  /** @param {{ ceilingUs: number, startUs?: number }} options */
  constructor({ ceilingUs, startUs = 10 }) {
    this.#ceilingUs = Math.max(0, ceilingUs);
    this.#startUs = Math.min(Math.max(1, startUs), Math.max(1, this.#ceilingUs));
    this.#answerUs = this.#startUs / 2;
  }

  /** How long to poll for the next answer, µs (0: do not poll). */
  windowUs() {
    if (this.#ceilingUs === 0) return 0;
    if (this.#hitShare < MIN_HIT_SHARE && this.#skip > 0) {
      this.#skip--;
      return 0;
    }
    return Math.min(this.#ceilingUs, Math.max(this.#startUs, 2 * this.#answerUs));
  }

  /**
   * Learns from one answer.
   * @param {number} waitedUs how long it took.
   * @param {number} polledUs how long this side polled for it (0 if it did not).
   */
  record(waitedUs, polledUs) {
    if (waitedUs <= this.#ceilingUs) this.#answerUs += WEIGHT * (waitedUs - this.#answerUs);
    if (!(polledUs > 0)) return;
    const hit = waitedUs <= polledUs;
    this.#hitShare += WEIGHT * ((hit ? 1 : 0) - this.#hitShare);
    if (hit) {
      this.#backoff = 1;
      // A probe that hits brings polling back at once.
      if (this.#hitShare < MIN_HIT_SHARE) this.#hitShare = MIN_HIT_SHARE;
    } else if (this.#hitShare < MIN_HIT_SHARE) {
      this.#skip = this.#backoff;
      this.#backoff = Math.min(MAX_BACKOFF, 2 * this.#backoff);
    }
  }

  /** For diagnostics and tests. */
  get state() {
    return { answerUs: this.#answerUs, hitShare: this.#hitShare, skip: this.#skip, backoff: this.#backoff };
  }
}

/**
 * The event-loop polling of one channel (one worker, one plugin connection): {@link PollPolicy} deciding,
 * {@link holdLoop} turning.
 */
export class AdaptivePoll {
  #policy;
  /** @type {typeof holdLoop} */
  #hold;
  /** @type {() => number} a clock in µs */
  #nowUs;
  /** @type {(now?: number) => boolean} */
  #contended;
  /** When the latest expectation began (µs, `#nowUs()`), 0 when nothing is expected. */
  #since = 0;
  /** The window polled for since then, µs (0: not polling). */
  #polledUs = 0;
  /** @type {(() => void) | null} */
  #release = null;

  /**
   * @param {{ ceilingUs: number, startUs?: number, hold?: typeof holdLoop, nowUs?: () => number,
   *   contended?: (now?: number) => boolean }} options `hold`, `nowUs` and `contended` are for tests.
   */
  constructor({
    ceilingUs,
    startUs = 10,
    hold = holdLoop,
    nowUs = () => clock() * 1000,
    contended = machineContended,
  }) {
    this.#policy = new PollPolicy({ ceilingUs, startUs });
    this.#hold = hold;
    this.#nowUs = nowUs;
    this.#contended = contended;
  }

  /** The policy, for diagnostics and tests. */
  get policy() {
    return this.#policy;
  }

  /**
   * Something was just sent that the other side answers: poll for the current window.
   * @param {HoldHooks} [hooks]
   * @returns {boolean} whether polling started (hooks are only ever called if it did).
   */
  expect(hooks) {
    this.#stop();
    this.#since = this.#nowUs();
    // One clock reading for everything below (they cost a fraction of a µs each, and this runs per host call).
    const now = this.#since / 1000;
    const windowUs = this.#contended(now) ? 0 : this.#policy.windowUs();
    this.#release = windowUs > 0 ? this.#hold(windowUs, hooks, now) : null;
    this.#polledUs = this.#release === null ? 0 : windowUs;
    return this.#release !== null;
  }

  /** A message from the other side arrived: stop polling and learn how long it took. */
  arrived() {
    if (this.#since === 0) return;
    const waitedUs = this.#nowUs() - this.#since;
    this.#since = 0;
    this.#stop();
    this.#policy.record(waitedUs, this.#polledUs);
  }

  /** Nothing is expected any more (the channel closed, the job ended): stop polling, learn nothing. */
  cancel() {
    this.#since = 0;
    this.#stop();
  }

  #stop() {
    const release = this.#release;
    this.#release = null;
    release?.();
  }
}
