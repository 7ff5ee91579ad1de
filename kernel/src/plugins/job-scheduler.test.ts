import { describe, expect, it } from 'vitest';
import { backoffMs } from './event-dispatcher.js';
import { latestSlot, validateJobs } from './job-scheduler.js';

const job = (schedule: string) => ({ id: 'j', schedule, handler: 'h' });

describe('validateJobs', () => {
  it('accepts five-field schedules', () => {
    expect(() => validateJobs([job('* * * * *'), { ...job('*/5 2 * * MON-FRI'), id: 'k' }])).not.toThrow();
  });

  it('names the job and the problem', () => {
    expect(() => validateJobs([job('61 * * * *')])).toThrow(
      /job "j" has an invalid schedule "61 \* \* \* \*"/,
    );
    expect(() => validateJobs([job('0 * * * * *')])).toThrow(/5 fields .* this one has 6/);
    expect(() => validateJobs([job('@hourly')])).toThrow(/5 fields/);
    expect(() => validateJobs([job('* * * * *'), job('0 * * * *')])).toThrow(/job "j" is declared twice/);
  });
});

describe('latestSlot', () => {
  it('is the slot at or before now, in UTC', () => {
    const t = (iso: string) => Date.parse(iso);
    expect(latestSlot('* * * * *', t('2031-01-01T00:01:00.000Z'))).toBe(t('2031-01-01T00:01:00.000Z'));
    expect(latestSlot('* * * * *', t('2031-01-01T00:01:59.999Z'))).toBe(t('2031-01-01T00:01:00.000Z'));
    expect(latestSlot('*/5 * * * *', t('2031-01-01T00:09:00.000Z'))).toBe(t('2031-01-01T00:05:00.000Z'));
    expect(latestSlot('0 3 * * *', t('2031-01-01T02:00:00.000Z'))).toBe(t('2030-12-31T03:00:00.000Z'));
  });
});

describe('backoffMs', () => {
  it('doubles from the base after each failure, up to an hour', () => {
    expect([1, 2, 3, 4].map((a) => backoffMs(a, 5000))).toEqual([5000, 10_000, 20_000, 40_000]);
    expect(backoffMs(30, 5000)).toBe(3600_000);
  });
});
