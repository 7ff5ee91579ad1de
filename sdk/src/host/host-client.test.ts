import { describe, expect, it } from 'vitest';
import { createHostClient } from './host-client.js';
import { HOST_ERROR_CODES } from './host-errors.js';

describe('host.db.transaction', () => {
  it('sends the statements, and the events only when there are any, as db.transaction', async () => {
    const calls: { fn: string; args: unknown }[] = [];
    const host = createHostClient(async (fn, args) => {
      calls.push({ fn, args });
      return { results: [{ rows: [{ id: 1 }], rowCount: 1 }], events: [{ id: 9 }] };
    });
    const statements = [
      { sql: 'insert into t (a) values ($1) returning id', params: [1], expect: 'one' as const },
    ];
    const result = await host.db.transaction<{ id: number }>(statements, {
      events: [{ name: 't.created', rowsOf: 0 }],
    });
    expect(result.results[0]!.rows[0]!.id).toBe(1);
    await host.db.transaction([{ sql: 'delete from t' }]);
    expect(calls).toEqual([
      { fn: 'db.transaction', args: { statements, events: [{ name: 't.created', rowsOf: 0 }] } },
      { fn: 'db.transaction', args: { statements: [{ sql: 'delete from t' }] } },
    ]);
  });

  it('has codes for a missed expectation and a retryable conflict', () => {
    expect(HOST_ERROR_CODES).toContain('precondition_failed');
    expect(HOST_ERROR_CODES).toContain('sql_conflict');
  });
});
