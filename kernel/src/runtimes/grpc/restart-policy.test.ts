import { describe, expect, it } from 'vitest';
import { Backoff, CrashBudget } from './restart-policy.js';

describe('Backoff', () => {
  it('doubles from the initial delay up to the cap, and starts over after reset', () => {
    const backoff = new Backoff({ initialMs: 100, maxMs: 1000 });
    expect([1, 2, 3, 4, 5, 6].map(() => backoff.next())).toEqual([100, 200, 400, 800, 1000, 1000]);
    backoff.reset();
    expect(backoff.next()).toBe(100);
  });

  it('stays finite after very many attempts', () => {
    const backoff = new Backoff({ initialMs: 100, maxMs: 30_000 });
    for (let i = 0; i < 5000; i++) backoff.next();
    expect(backoff.next()).toBe(30_000);
  });
});

describe('CrashBudget', () => {
  it('is spent by the fifth crash within the window', () => {
    const budget = new CrashBudget({ crashes: 5, windowMs: 600_000 });
    expect([0, 1000, 2000, 3000].map((t) => budget.record(t))).toEqual([false, false, false, false]);
    expect(budget.record(4000)).toBe(true);
  });

  it('forgets crashes older than the window', () => {
    const budget = new CrashBudget({ crashes: 5, windowMs: 600_000 });
    for (const t of [0, 100_000, 200_000, 300_000]) expect(budget.record(t)).toBe(false);
    // The crash at 0 has left the window by 600_001, so this is the fourth within it, not the fifth.
    expect(budget.record(600_001)).toBe(false);
    expect(budget.count(600_001)).toBe(4);
    expect(budget.record(600_002)).toBe(true);
  });

  it('with a budget of one, the first crash quarantines', () => {
    expect(new CrashBudget({ crashes: 1, windowMs: 1000 }).record(0)).toBe(true);
  });
});
