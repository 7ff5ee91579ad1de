/**
 * Test-only worker for `bridge.stress.test.ts`: makes many host calls through the real {@link BridgeClient}
 * with arguments of random sizes (some too large for shared memory), random pauses between calls, and a log line
 * before some of them, and checks that every reply is the one for its call. Nothing in the runtime loads it.
 */
import { workerData } from 'node:worker_threads';
import { BridgeClient, REQUEST_CAPACITY, SHARED_BYTES } from './bridge-client.mjs';

const { port, events, shared, calls, seed, pauses = true } = workerData;
const encoder = new TextEncoder();
const decoder = new TextDecoder();
const sleeper = new Int32Array(new SharedArrayBuffer(4));

/** A small deterministic PRNG (mulberry32), so a failure can be replayed with its seed. */
let state = seed >>> 0;
function random() {
  state = (state + 0x6d2b79f5) >>> 0;
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const below = (n) => Math.floor(random() * n);

const client = new BridgeClient(port, shared, (message) => events.postMessage(message));
let errors = 0;
let firstError = null;
let large = 0;
for (let i = 1; i <= calls; i++) {
  const logged = random() < 0.1;
  if (logged) events.postMessage({ type: 'log', i });
  const big = random() < 0.01;
  if (big) large++;
  const pad = 'a'.repeat(big ? REQUEST_CAPACITY + below(1000) : below(300));
  const fnIndex = i % 3;
  const args = encoder.encode(JSON.stringify({ i, logged, pad }));
  const reply = JSON.parse(decoder.decode(client.call(7, fnIndex, `fn${fnIndex}`, args)));
  if (reply.i !== i || reply.fn !== `fn${fnIndex}` || reply.pad.length !== reply.length || !reply.ok) {
    errors++;
    firstError ??= { i, reply: JSON.stringify(reply).slice(0, 200) };
  }
  // Vary the gap before the next call: none, a short spin, or a real sleep (unless told to go flat out).
  const pause = pauses ? random() : 1;
  if (pause < 0.4) {
    const until = performance.now() + below(40) / 1000;
    while (performance.now() < until);
  } else if (pause < 0.41) {
    Atomics.wait(sleeper, 0, 0, 1 + below(2));
  }
}
events.postMessage({ type: 'done', errors, firstError, large, sharedBytes: SHARED_BYTES });
