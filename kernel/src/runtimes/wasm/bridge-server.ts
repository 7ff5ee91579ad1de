/**
 * The main-thread side of one worker's host-call bridge (the protocol is described in `bridge-protocol.ts`):
 * notices the worker's host calls in shared memory, writes the replies back, and polls for the next call while
 * one is expected soon (`busy-poll.mjs`). What a host call does, and for which invocation, is the worker
 * handle's business; this class only moves bytes and wakes threads.
 * @module
 */
import type { MessagePort } from 'node:worker_threads';
import { AdaptivePoll } from '../busy-poll.mjs';
import {
  CONTROL,
  type HostReplyMessage,
  REPLY_CAPACITY,
  REPLY_OFFSET,
  REQUEST_OFFSET,
} from './bridge-protocol.js';

/**
 * Longest the main thread keeps its event loop turning while it expects a worker's next host call after a reply
 * (a few µs of plugin work away), and while it expects the first message of an invocation it just handed over
 * (a wake-up of the worker and the handler's start away). Slower answers switch polling off for that worker.
 */
export const REPLY_POLL_CEILING_US = 50;
export const INVOKE_POLL_CEILING_US = 150;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** What the bridge hands to its owner. */
export interface BridgeHandlers {
  /** A host call to run and then {@link BridgeServer.answer}. `args` is the JSON text the plugin passed. */
  call(seq: number, id: number, fn: string, args: string): void;
  /** Handles whatever the worker posted on its events port before the host call now being taken. */
  drain(): void;
}

export class BridgeServer {
  readonly #control: Int32Array;
  readonly #bytes: Uint8Array;
  readonly #reply: Uint8Array;
  readonly #port: MessagePort;
  readonly #fnNames: readonly string[];
  readonly #handlers: BridgeHandlers;
  /** The last id taken from `REQUESTED`. */
  #taken = 0;
  #stopped = false;
  /** Polling for the first message of an invocation, and for the next host call after a reply. */
  readonly #afterInvoke = new AdaptivePoll({ ceilingUs: INVOKE_POLL_CEILING_US });
  readonly #afterReply = new AdaptivePoll({ ceilingUs: REPLY_POLL_CEILING_US });
  readonly #hooks = { turn: () => this.check(), end: () => this.#pollEnded() };

  /**
   * @param shared - the worker's shared memory (`SHARED_BYTES`)
   * @param port - the main thread's end of the bridge port (large replies)
   * @param fnNames - `WorkerInit.hostFunctionNames`
   */
  constructor(
    shared: SharedArrayBuffer,
    port: MessagePort,
    fnNames: readonly string[],
    handlers: BridgeHandlers,
  ) {
    this.#control = new Int32Array(shared, 0, REQUEST_OFFSET / Int32Array.BYTES_PER_ELEMENT);
    this.#bytes = new Uint8Array(shared);
    this.#reply = new Uint8Array(shared, REPLY_OFFSET, REPLY_CAPACITY);
    this.#port = port;
    this.#fnNames = fnNames;
    this.#handlers = handlers;
  }

  /**
   * Takes the host call waiting in shared memory, if there is a new one. Called on a ring, on every turn while
   * polling, and once more when polling stops.
   */
  check(): void {
    if (this.#stopped) return;
    const control = this.#control;
    const id = Atomics.load(control, CONTROL.REQUESTED);
    if (id === this.#taken) return;
    this.#taken = id;
    this.arrived();
    // Log lines the worker posted before this call come first.
    this.#handlers.drain();
    if (this.#stopped) return;
    const seq = Atomics.load(control, CONTROL.REQUEST_SEQ);
    const fn = this.#fnNames[Atomics.load(control, CONTROL.REQUEST_FN)] ?? 'unknown';
    const length = Atomics.load(control, CONTROL.REQUEST_LENGTH);
    const args = decoder.decode(this.#bytes.subarray(REQUEST_OFFSET, REQUEST_OFFSET + length));
    this.#handlers.call(seq, id, fn, args);
  }

  /** Answers host call `id` with the JSON text `reply`, and polls for the next call if they come quickly. */
  answer(id: number, reply: string): void {
    if (this.#stopped) return;
    const control = this.#control;
    const { read, written } = encoder.encodeInto(reply, this.#reply);
    if (read === reply.length) {
      Atomics.store(control, CONTROL.REPLY_LENGTH, written);
    } else {
      Atomics.store(control, CONTROL.REPLY_LENGTH, -1);
      const message: HostReplyMessage = { id, reply };
      this.#port.postMessage(message);
    }
    // Polling is announced before the worker can go on to its next call.
    if (this.#afterReply.expect(this.#hooks)) Atomics.store(control, CONTROL.MAIN_POLLING, 1);
    // Order matters: reply, then raise the counter (this thread is its only writer), then wake the worker.
    Atomics.store(control, CONTROL.ANSWERED, id);
    Atomics.notify(control, CONTROL.ANSWERED);
  }

  /** Call right before handing the worker an invocation: polls for its first message if they come quickly. */
  invoking(): void {
    if (this.#stopped) return;
    if (this.#afterInvoke.expect(this.#hooks)) Atomics.store(this.#control, CONTROL.MAIN_POLLING, 1);
  }

  /** The worker said something that answers the latest reply or invocation (a host call, a result). */
  arrived(): void {
    this.#afterInvoke.arrived();
    this.#afterReply.arrived();
  }

  /** The worker is gone: no more polling, nothing more taken or answered. */
  stop(): void {
    this.#stopped = true;
    this.#afterInvoke.cancel();
    this.#afterReply.cancel();
  }

  #pollEnded(): void {
    Atomics.store(this.#control, CONTROL.MAIN_POLLING, 0);
    // A call made while the flag was still 1 was not rung for: look once more.
    this.check();
  }
}
