import { describe, expect, it } from 'vitest';
import { Cancellation } from './cancellation.js';

describe('Cancellation', () => {
  it('aborts a signal a handler already holds, once, with the first reason', () => {
    const cancellation = new Cancellation();
    const signal = cancellation.signal;
    const seen: unknown[] = [];
    signal.addEventListener('abort', () => seen.push(signal.reason));
    expect(signal.aborted).toBe(false);
    cancellation.abort(new Error('deadline_exceeded'));
    cancellation.abort(new Error('disconnected'));
    expect(cancellation.aborted).toBe(true);
    expect(seen).toHaveLength(1);
    expect((seen[0] as Error).message).toBe('deadline_exceeded');
    expect(cancellation.signal).toBe(signal);
  });

  it('hands out an already aborted signal when the invocation was given up before anyone asked', () => {
    const cancellation = new Cancellation();
    cancellation.abort(new Error('disconnected'));
    const signal = cancellation.signal;
    expect(signal.aborted).toBe(true);
    expect((signal.reason as Error).message).toBe('disconnected');
    expect(cancellation.signal).toBe(signal);
  });
});
