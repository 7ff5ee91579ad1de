import { describe, expect, it } from 'vitest';
import {
  AdaptivePoll,
  contentionBuffer,
  holdLoop,
  loopState,
  machineContended,
  PollPolicy,
} from './busy-poll.mjs';

const immediate = () => new Promise((resolve) => setImmediate(resolve));

describe('PollPolicy', () => {
  it('polls for about twice the recent answer times, at least the start window, at most the ceiling', () => {
    const policy = new PollPolicy({ ceilingUs: 50, startUs: 10 });
    expect(policy.windowUs()).toBe(10);
    for (let i = 0; i < 30; i++) policy.record(8, policy.windowUs());
    expect(policy.windowUs()).toBeCloseTo(16, 1);
    for (let i = 0; i < 30; i++) policy.record(2, policy.windowUs());
    expect(policy.windowUs()).toBe(10);
    for (let i = 0; i < 30; i++) policy.record(45, policy.windowUs());
    expect(policy.windowUs()).toBe(50);
  });

  it('stops polling when most polls miss, probes after growing sit-outs, and resumes on a hit', () => {
    const policy = new PollPolicy({ ceilingUs: 50, startUs: 10 });
    // Answers far slower than the ceiling: every poll misses.
    const windows: number[] = [];
    for (let i = 0; i < 40; i++) {
      const window = policy.windowUs();
      windows.push(window);
      policy.record(2000, window);
    }
    const polled = windows.map((w) => (w > 0 ? 1 : 0)).join('');
    // Three misses in a row stop it; then probes after sitting out 1, 2, 4, 8, 16 expectations.
    expect(polled.slice(0, 3)).toBe('111');
    const probes = [1, 2, 4, 8, 16].map((sitOut) => `${'0'.repeat(sitOut)}1`).join('');
    expect(polled.slice(3, 3 + probes.length)).toBe(probes);
    // A probe that catches its answer brings polling back.
    let window = policy.windowUs();
    while (window === 0) window = policy.windowUs();
    policy.record(3, window);
    expect(policy.windowUs()).toBeGreaterThan(0);
    expect(policy.windowUs()).toBeGreaterThan(0);
  });

  it('learns answer times from answers it did not poll for, without counting them as hits or misses', () => {
    const policy = new PollPolicy({ ceilingUs: 50, startUs: 10 });
    for (let i = 0; i < 30; i++) policy.record(20, 0);
    expect(policy.windowUs()).toBeCloseTo(40, 1);
    expect(policy.state.hitShare).toBe(1);
  });

  it('never polls with a ceiling of 0', () => {
    const policy = new PollPolicy({ ceilingUs: 0 });
    for (let i = 0; i < 5; i++) policy.record(0.5, policy.windowUs());
    expect(policy.windowUs()).toBe(0);
  });
});

describe('AdaptivePoll', () => {
  it("holds the loop for the policy's window, releases it on the answer or on cancel, and learns only from answers", () => {
    let nowUs = 1_000_000;
    const holds: number[] = [];
    let released = 0;
    const poll = new AdaptivePoll({
      ceilingUs: 50,
      startUs: 10,
      nowUs: () => nowUs,
      contended: () => false,
      hold: (us: number) => {
        holds.push(us);
        return () => {
          released++;
        };
      },
    });
    expect(poll.expect()).toBe(true);
    expect(holds).toEqual([10]);
    nowUs += 4;
    poll.arrived();
    expect(released).toBe(1);
    expect(poll.policy.state.answerUs).toBeCloseTo(4.75, 5);
    // An arrival with nothing expected changes nothing.
    poll.arrived();
    expect(poll.policy.state.answerUs).toBeCloseTo(4.75, 5);
    poll.expect();
    nowUs += 1000;
    poll.cancel();
    expect(released).toBe(2);
    expect(poll.policy.state.answerUs).toBeCloseTo(4.75, 5);
    expect(poll.policy.state.hitShare).toBe(1);
  });

  it('does not poll on a contended machine, or when the loop cannot be held, and learns answer times then', () => {
    let nowUs = 1_000_000;
    const contended = new AdaptivePoll({ ceilingUs: 50, nowUs: () => nowUs, contended: () => true });
    expect(contended.expect()).toBe(false);
    nowUs += 20;
    contended.arrived();
    expect(contended.policy.state.answerUs).toBeCloseTo(5 + 0.25 * (20 - 5), 5);
    expect(contended.policy.state.hitShare).toBe(1);
    const refused = new AdaptivePoll({ ceilingUs: 50, contended: () => false, hold: () => null });
    expect(refused.expect()).toBe(false);
  });
});

describe('machineContended', () => {
  it('answers a boolean, the same one the shared flag holds', () => {
    const contended = machineContended();
    expect(typeof contended).toBe('boolean');
    expect(new Int32Array(contentionBuffer())[0]).toBe(contended ? 1 : 0);
  });
});

describe('holdLoop', () => {
  it('turns the event loop while held, calling the hooks, and stops once released', async () => {
    const before = loopState().turns;
    let turns = 0;
    let ends = 0;
    const release = holdLoop(1_000_000, { turn: () => turns++, end: () => ends++ });
    // Polling may be paused if this test process was busy a moment ago; then nothing is held at all.
    if (release === null) {
      expect(loopState().holds).toBe(0);
      return;
    }
    expect(loopState().running).toBe(true);
    await immediate();
    await immediate();
    release();
    release();
    for (let i = 0; i < 5 && loopState().running; i++) await immediate();
    expect(loopState().running).toBe(false);
    expect(loopState().turns).toBeGreaterThan(before);
    expect(ends).toBe(1);
    expect(loopState().holds).toBe(0);
  });

  it('holds nothing for an empty window', () => {
    expect(holdLoop(0)).toBeNull();
    expect(loopState().holds).toBe(0);
  });
});
