/**
 * The host-call bridge under stress, without WASM: workers make tens of thousands of host calls through the real
 * BridgeClient, answered through the real BridgeServer after random delays (none, a microtask, a turn of the
 * event loop, a timer), with arguments and replies of random sizes — some too large for shared memory, so both
 * paths of the protocol are taken — while the main thread's polling switches on and off as the timing varies.
 * It proves what must never happen does not: a lost or misdelivered reply, a hang, a host call handled before a
 * message the worker posted earlier. It asserts nothing about speed.
 */
import { MessageChannel, receiveMessageOnPort, Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { REPLY_CAPACITY, SHARED_BYTES } from './bridge-protocol.js';
import { BridgeServer } from './bridge-server.js';

const WORKER_URL = new URL('./bridge.stress-worker.mjs', import.meta.url);

interface Done {
  type: 'done';
  errors: number;
  firstError: unknown;
  large: number;
  sharedBytes: number;
}

type Message =
  | { type: 'ring' }
  | { type: 'host_call'; seq: number; id: number; fn: string; args: string }
  | { type: 'log'; i: number }
  | Done;

/**
 * Runs one worker making `calls` host calls; resolves with what it reported and what the main thread saw. With
 * `pauses` false the worker calls again at once, which keeps the main thread polling for it (unless the machine is
 * contended); with pauses, the main thread often stops polling and is rung for.
 */
function runWorker(calls: number, seed: number, pauses = true) {
  const bridge = new MessageChannel();
  const events = new MessageChannel();
  const shared = new SharedArrayBuffer(SHARED_BYTES);
  const logs = new Set<number>();
  const problems: string[] = [];
  let served = 0;
  let rings = 0;
  let largeReplies = 0;
  let random = seed;
  const next = () => {
    random = (Math.imul(random, 1103515245) + 12345) >>> 0;
    return random / 4294967296;
  };

  let server: BridgeServer;
  const serve = (seq: number, id: number, fn: string, json: string) => {
    const args = JSON.parse(json) as { i: number; logged: boolean; pad: string };
    served++;
    if (seq !== 7) problems.push(`call ${args.i} came with seq ${seq}`);
    if (args.logged && !logs.has(args.i)) problems.push(`call ${args.i} was handled before its log line`);
    const big = next() < 0.01;
    if (big) largeReplies++;
    const length = big ? REPLY_CAPACITY + Math.floor(next() * 1000) : Math.floor(next() * 500);
    const answer = () =>
      server.answer(id, JSON.stringify({ ok: true, i: args.i, fn, length, pad: 'b'.repeat(length) }));
    const delay = next();
    if (delay < 0.5) queueMicrotask(answer);
    else if (delay < 0.9) setImmediate(answer);
    else if (delay < 0.99) answer();
    else setTimeout(answer, Math.floor(next() * 3));
  };
  const handle = (message: Message): Done | undefined => {
    switch (message.type) {
      case 'ring':
        rings++;
        server.check();
        return undefined;
      case 'host_call':
        server.arrived();
        serve(message.seq, message.id, message.fn, message.args);
        return undefined;
      case 'log':
        logs.add(message.i);
        return undefined;
      case 'done':
        return message;
    }
  };
  return new Promise<{
    done: Done;
    served: number;
    rings: number;
    largeReplies: number;
    problems: string[];
  }>((resolve, reject) => {
    const finish = (done: Done | undefined) => {
      if (!done) return;
      server.stop();
      events.port1.close();
      bridge.port1.close();
      resolve({ done, served, rings, largeReplies, problems });
    };
    server = new BridgeServer(shared, bridge.port1, ['fn0', 'fn1', 'fn2'], {
      call: serve,
      drain: () => {
        for (;;) {
          const received = receiveMessageOnPort(events.port1);
          if (received === undefined) return;
          finish(handle(received.message as Message));
        }
      },
    });
    events.port1.on('message', (message: Message) => finish(handle(message)));
    const worker = new Worker(WORKER_URL, {
      workerData: { port: bridge.port2, events: events.port2, shared, calls, seed, pauses },
      transferList: [bridge.port2, events.port2],
    });
    worker.on('error', reject);
    worker.on('exit', (code) => {
      if (code !== 0) reject(new Error(`the stress worker exited with code ${code}`));
    });
  });
}

describe('host-call bridge under stress', () => {
  it('answers every call of three concurrent workers exactly once, in order, with its own reply', async () => {
    const calls = 10_000;
    const results = await Promise.all([runWorker(calls, 1), runWorker(calls, 2), runWorker(calls, 3, false)]);
    for (const { done, served, rings, largeReplies, problems } of results) {
      expect(problems).toEqual([]);
      expect({ errors: done.errors, firstError: done.firstError }).toEqual({ errors: 0, firstError: null });
      expect(served).toBe(calls);
      // Both paths of the protocol were taken (shared memory and messages, rung for or not), and both sides
      // agree on the layout.
      expect(done.large).toBeGreaterThan(0);
      expect(rings).toBeGreaterThan(0);
      expect(largeReplies).toBeGreaterThan(0);
      expect(done.sharedBytes).toBe(SHARED_BYTES);
    }
  }, 60_000);
});
