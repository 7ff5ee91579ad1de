/**
 * Worker side of the synchronous host-call bridge. A WASM host function must return its result synchronously,
 * but the Host API is asynchronous (database, HTTP, email) and lives on the main thread. So the worker posts
 * the call and blocks: it waits on a shared Int32 that the main thread raises to the id of each reply it has
 * posted, then takes the reply off its port with `receiveMessageOnPort`.
 *
 * Plain JavaScript on purpose: worker threads do not inherit the TypeScript loader. Message shapes mirror
 * `bridge-protocol.ts`.
 * @module
 */
import { receiveMessageOnPort } from 'node:worker_threads';

/** Index of the highest answered id in the control array (`CONTROL_ANSWERED_ID` in bridge-protocol.ts). */
const ANSWERED = 0;

/**
 * Waking from `Atomics.wait` costs tens of microseconds, more than many host calls take, so the worker first
 * spins briefly. The spin is adaptive: it lasts about twice the recent average wait and never more than this
 * ceiling. When replies get slow (real I/O, or a main thread busy under full load) the average rises past the
 * ceiling and the worker stops spinning, so it does not burn a core the main thread needs.
 */
const SPIN_CEILING_US = 100;
/** Weight of the newest sample in the moving average of reply waits. */
const AVERAGE_WEIGHT = 0.2;

/** A one-slot array to sleep on when there is nothing to wait for but time. */
const sleeper = new Int32Array(new SharedArrayBuffer(4));

export class BridgeClient {
  /** @type {import('node:worker_threads').MessagePort} */
  #port;
  /** @type {Int32Array} */
  #control;
  /** @type {(message: unknown) => void} */
  #send;
  #lastId = 0;
  /** Moving average of the time from posting a call to its reply becoming visible, in µs. */
  #averageWaitUs = 30;

  /**
   * @param {import('node:worker_threads').MessagePort} port the worker's end of the bridge channel; nothing may
   *   listen on it, replies are only ever taken synchronously.
   * @param {Int32Array} control the shared control array.
   * @param {(message: unknown) => void} send posts a message to the main thread.
   */
  constructor(port, control, send) {
    this.#port = port;
    this.#control = control;
    this.#send = send;
  }

  /**
   * Makes one host call and blocks until the main thread answers it.
   * @param {number} seq the invocation the call belongs to.
   * @param {string} fn Host API function name, e.g. `db.query`.
   * @param {unknown} args parsed JSON arguments.
   * @returns {string} the JSON text of the HostCallResult.
   */
  call(seq, fn, args) {
    const id = ++this.#lastId;
    const started = performance.now();
    this.#send({ type: 'host_call', seq, id, fn, args });
    this.#awaitAnswer(id, started);
    const waitedUs = (performance.now() - started) * 1000;
    this.#averageWaitUs += AVERAGE_WEIGHT * (waitedUs - this.#averageWaitUs);
    return this.#take(id);
  }

  /** Microseconds the worker is currently willing to spin before sleeping (for diagnostics). */
  get spinBudgetUs() {
    return this.#averageWaitUs < SPIN_CEILING_US ? Math.min(SPIN_CEILING_US, 2 * this.#averageWaitUs + 5) : 0;
  }

  /**
   * @param {number} id
   * @param {number} started `performance.now()` when the call was posted.
   */
  #awaitAnswer(id, started) {
    const control = this.#control;
    const spinUs = this.spinBudgetUs;
    if (spinUs > 0) {
      const until = started + spinUs / 1000;
      while (Atomics.load(control, ANSWERED) < id) {
        if (performance.now() >= until) break;
      }
    }
    for (;;) {
      const answered = Atomics.load(control, ANSWERED);
      if (answered >= id) return;
      // Sleeps only while the value is still `answered`: a reply stored in between wakes us at once.
      // No timeout: if the answer never comes, the invocation's deadline terminates this worker.
      Atomics.wait(control, ANSWERED, answered);
    }
  }

  /**
   * Takes the reply to `id` off the port. Replies to earlier ids (a call the worker stopped waiting for) are
   * dropped. The main thread posts before it raises the counter, so the reply is normally there at once.
   * @param {number} id
   * @returns {string}
   */
  #take(id) {
    for (let attempt = 0; attempt < 1000; attempt++) {
      const received = receiveMessageOnPort(this.#port);
      if (received === undefined) {
        Atomics.wait(sleeper, 0, 0, 1);
        continue;
      }
      const message = /** @type {{ id: number, reply: string }} */ (received.message);
      if (message.id === id) return message.reply;
    }
    return JSON.stringify({
      ok: false,
      error: { code: 'bridge_error', message: `the reply to host call ${id} never arrived` },
    });
  }
}
