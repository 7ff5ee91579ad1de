/**
 * Worker side of the synchronous host-call bridge. A WASM host function must return its result synchronously,
 * but the Host API is asynchronous (database, HTTP, email) and lives on the main thread. So the worker puts the
 * call in shared memory and blocks until the main thread has written the reply back (the protocol is described
 * in `bridge-protocol.ts`; `bridge-server.ts` is the other side).
 *
 * Plain JavaScript on purpose: worker threads do not inherit the TypeScript loader. The constants mirror
 * `bridge-protocol.ts`.
 * @module
 */
import { receiveMessageOnPort } from 'node:worker_threads';
import { PollPolicy } from '../busy-poll.mjs';

/** Control slots (`CONTROL` in bridge-protocol.ts). */
const ANSWERED = 0;
const REQUESTED = 1;
const REQUEST_SEQ = 2;
const REQUEST_FN = 3;
const REQUEST_LENGTH = 4;
const REPLY_LENGTH = 5;
const MAIN_POLLING = 6;
/** Layout of the shared memory (`CONTROL_LENGTH`, `REQUEST_CAPACITY`, `REPLY_CAPACITY` in bridge-protocol.ts). */
const CONTROL_LENGTH = 8;
export const REQUEST_CAPACITY = 64 * 1024;
const REPLY_CAPACITY = 256 * 1024;
const REQUEST_OFFSET = CONTROL_LENGTH * 4;
const REPLY_OFFSET = REQUEST_OFFSET + REQUEST_CAPACITY;
export const SHARED_BYTES = REPLY_OFFSET + REPLY_CAPACITY;

/**
 * Waking from `Atomics.wait` costs tens of microseconds, more than many host calls take, so the worker first
 * spins briefly. The spin is adaptive ({@link PollPolicy}): about twice the recent reply times, never more than
 * this ceiling, none while most spins end without the reply, and none at all while the machine is contended (a
 * flag the main thread keeps, see `busy-poll.mjs`).
 */
const SPIN_CEILING_US = 100;

/** A one-slot array to sleep on when there is nothing to wait for but time. */
const sleeper = new Int32Array(new SharedArrayBuffer(4));
const encoder = new TextEncoder();
const decoder = new TextDecoder();

export class BridgeClient {
  /** @type {import('node:worker_threads').MessagePort} */
  #port;
  /** @type {Int32Array} */
  #control;
  /** @type {Uint8Array} */
  #bytes;
  /** @type {(message: unknown) => void} */
  #send;
  /** @type {Int32Array | null} slot 0 is 1 while the machine is contended */
  #contention;
  #lastId = 0;
  #spin = new PollPolicy({ ceilingUs: SPIN_CEILING_US });

  /**
   * @param {import('node:worker_threads').MessagePort} port the worker's end of the bridge channel; nothing may
   *   listen on it, replies are only ever taken synchronously.
   * @param {SharedArrayBuffer} shared the worker's shared memory (`SHARED_BYTES`).
   * @param {(message: unknown) => void} send posts a message on the events port.
   * @param {SharedArrayBuffer} [contention] the main thread's contention flag (`contentionBuffer()`).
   */
  constructor(port, shared, send, contention) {
    this.#port = port;
    this.#control = new Int32Array(shared, 0, CONTROL_LENGTH);
    this.#bytes = new Uint8Array(shared);
    this.#send = send;
    this.#contention = contention ? new Int32Array(contention) : null;
  }

  /**
   * Makes one host call and blocks until the main thread answers it.
   * @param {number} seq the invocation the call belongs to.
   * @param {number} fnIndex the function's index in `hostFunctionNames`.
   * @param {string} fn Host API function name, e.g. `db.query`.
   * @param {Uint8Array} args the arguments: UTF-8 JSON as the plugin passed them.
   * @returns {Uint8Array} the UTF-8 JSON of the HostCallResult, in an ArrayBuffer of its own.
   */
  call(seq, fnIndex, fn, args) {
    const id = ++this.#lastId;
    const control = this.#control;
    const started = performance.now();
    if (args.byteLength <= REQUEST_CAPACITY) {
      this.#bytes.set(args, REQUEST_OFFSET);
      Atomics.store(control, REQUEST_SEQ, seq);
      Atomics.store(control, REQUEST_FN, fnIndex);
      Atomics.store(control, REQUEST_LENGTH, args.byteLength);
      Atomics.store(control, REQUESTED, id);
      // Read after REQUESTED was raised: if the main thread stopped polling meanwhile, it looks once more.
      if (Atomics.load(control, MAIN_POLLING) === 0) this.#send({ type: 'ring' });
    } else {
      this.#send({ type: 'host_call', seq, id, fn, args: decoder.decode(args) });
    }
    const spunUs = this.#awaitAnswer(id, started);
    this.#spin.record((performance.now() - started) * 1000, spunUs);
    return this.#take(id);
  }

  /** The spin policy's state (for diagnostics). */
  get spin() {
    return this.#spin.state;
  }

  /**
   * @param {number} id
   * @param {number} started `performance.now()` when the call was posted.
   * @returns {number} how long it was willing to spin, µs.
   */
  #awaitAnswer(id, started) {
    const control = this.#control;
    const spinUs =
      this.#contention !== null && Atomics.load(this.#contention, 0) === 1 ? 0 : this.#spin.windowUs();
    if (spinUs > 0) {
      const until = started + spinUs / 1000;
      while (Atomics.load(control, ANSWERED) < id) {
        if (performance.now() >= until) break;
      }
    }
    for (;;) {
      const answered = Atomics.load(control, ANSWERED);
      if (answered >= id) return spinUs;
      // Sleeps only while the value is still `answered`: a reply stored in between wakes us at once.
      // No timeout: if the answer never comes, the invocation's deadline terminates this worker.
      Atomics.wait(control, ANSWERED, answered);
    }
  }

  /**
   * Takes the reply to `id`: from shared memory, or off the port when it was too large for it. Replies on the
   * port to earlier ids (a call the worker stopped waiting for) are dropped. The main thread posts before it
   * raises the counter, so a posted reply is normally there at once.
   * @param {number} id
   * @returns {Uint8Array}
   */
  #take(id) {
    const length = Atomics.load(this.#control, REPLY_LENGTH);
    if (length >= 0) return this.#bytes.slice(REPLY_OFFSET, REPLY_OFFSET + length);
    for (let attempt = 0; attempt < 1000; attempt++) {
      const received = receiveMessageOnPort(this.#port);
      if (received === undefined) {
        Atomics.wait(sleeper, 0, 0, 1);
        continue;
      }
      const message = /** @type {{ id: number, reply: string }} */ (received.message);
      if (message.id === id) return encoder.encode(message.reply);
    }
    return encoder.encode(
      JSON.stringify({
        ok: false,
        error: { code: 'bridge_error', message: `the reply to host call ${id} never arrived` },
      }),
    );
  }
}
