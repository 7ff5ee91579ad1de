import { describe, expect, it } from 'vitest';
import { createHostClient } from './host-client.js';
import { HOST_ERROR_CODES, isHostError } from './host-errors.js';

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

  it('lets a plugin recognise a unique violation of a transaction, with the constraint and statement', async () => {
    const host = createHostClient(async (fn) => {
      throw Object.assign(
        new Error('statements[1]: duplicate key value violates unique constraint "queues_name"'),
        {
          code: 'unique_violation',
          fn,
          details: { index: 1, constraint: 'queues_name' },
        },
      );
    });
    const error = await host.db.transaction([{ sql: 'select 1' }]).catch((e: unknown) => e);
    expect(isHostError(error, 'unique_violation')).toBe(true);
    expect(isHostError(error, 'sql_error')).toBe(false);
    expect((error as { details?: unknown }).details).toEqual({ index: 1, constraint: 'queues_name' });
  });
});
