import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { PluginLogLine } from '../contract.js';
import { LineSplitter, LogLimiter, TRUNCATED_MARK } from './log-limiter.js';

describe('LogLimiter', () => {
  let lines: PluginLogLine[];
  let limiter: LogLimiter;

  beforeEach(() => {
    vi.useFakeTimers({ now: 1_000_000 });
    lines = [];
    limiter = new LogLimiter({ maxLinesPerSecond: 3, maxLineLength: 10, sink: (l) => lines.push(l) });
  });
  afterEach(() => vi.useRealTimers());

  it('keeps the first N lines of a second and summarises the rest once, at the end of that second', () => {
    for (let i = 0; i < 10; i++) limiter.write({ level: 'info', message: `line ${i}` });
    expect(lines.map((l) => l.message)).toEqual(['line 0', 'line 1', 'line 2']);
    vi.advanceTimersByTime(1000);
    expect(lines).toHaveLength(4);
    expect(lines[3]).toEqual({ level: 'warn', message: expect.stringMatching(/^7 log lines dropped/) });
  });

  it('starts a new quota in the next second', () => {
    for (let i = 0; i < 5; i++) limiter.write({ level: 'info', message: `a${i}` });
    vi.advanceTimersByTime(1000);
    for (let i = 0; i < 5; i++) limiter.write({ level: 'error', message: `b${i}` });
    vi.advanceTimersByTime(1000);
    expect(lines.map((l) => l.message)).toEqual([
      'a0',
      'a1',
      'a2',
      expect.stringMatching(/^2 log lines dropped/),
      'b0',
      'b1',
      'b2',
      expect.stringMatching(/^2 log lines dropped/),
    ]);
    expect(lines[4]!.level).toBe('error');
  });

  it('writes no summary when nothing was dropped, and flush() reports pending drops at once', () => {
    limiter.write({ level: 'info', message: 'x' });
    vi.advanceTimersByTime(5000);
    expect(lines).toHaveLength(1);
    for (let i = 0; i < 4; i++) limiter.write({ level: 'info', message: 'y' });
    limiter.flush();
    expect(lines.at(-1)!.message).toMatch(/^1 log lines dropped/);
  });

  it('truncates long lines', () => {
    limiter.write({ level: 'info', message: 'abcdefghijklmnop' });
    expect(lines[0]!.message).toBe(`abcdefghij${TRUNCATED_MARK}`);
  });
});

describe('LineSplitter', () => {
  it('splits chunks into lines across chunk boundaries, dropping blank lines and trailing CR', () => {
    const out: string[] = [];
    const splitter = new LineSplitter(100, (l) => out.push(l));
    splitter.push('one\ntw');
    splitter.push('o\r\n\n   \nthr');
    splitter.push('ee');
    expect(out).toEqual(['one', 'two']);
    splitter.end();
    expect(out).toEqual(['one', 'two', 'three']);
  });

  it('holds at most maxLength + 1 characters of a line, however long it is', () => {
    const out: string[] = [];
    const splitter = new LineSplitter(5, (l) => out.push(l));
    for (let i = 0; i < 1000; i++) splitter.push('x'.repeat(1000));
    splitter.push('\nshort\n');
    expect(out).toEqual(['xxxxxx', 'short']);
  });
});
