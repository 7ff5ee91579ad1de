import { describe, expect, it } from 'vitest';
import { translatePgError } from './db-capability.js';
import { eventsToPublish, meets, parseTransaction, TRANSACTION_LIMITS } from './db-transaction.js';
import { HostApiError } from './host-api-error.js';

const refusal = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    if (err instanceof HostApiError) return { code: err.code, message: err.message };
    throw err;
  }
  throw new Error('expected a refusal');
};

const select = { sql: 'select 1' };

describe('parseTransaction', () => {
  it('fills the defaults', () => {
    expect(parseTransaction({ statements: [select] })).toEqual({
      statements: [{ sql: 'select 1', params: [], expect: 'any' }],
      events: [],
    });
    expect(
      parseTransaction({
        statements: [select, { sql: 'x', params: [1], expect: 'one' }],
        events: [{ name: 'a.b' }, { name: 'a.c', rowsOf: 1 }],
      }).events,
    ).toEqual([
      { name: 'a.b', payload: null },
      { name: 'a.c', rowsOf: 1 },
    ]);
  });

  it('names the field that is wrong', () => {
    const cases: [unknown, string][] = [
      [{}, '"statements" must be a non-empty array'],
      [{ statements: [] }, '"statements" must be a non-empty array'],
      [{ statements: [select, 'x'] }, '"statements[1]" must be an object'],
      [{ statements: [{ sql: '' }] }, '"statements[0].sql"'],
      [{ statements: [{ sql: 'x', params: {} }] }, '"statements[0].params"'],
      [
        { statements: [{ sql: 'x', expect: 'two' }] },
        '"statements[0].expect" must be one of any, none, one, some',
      ],
      [{ statements: [select], events: {} }, '"events" must be an array'],
      [{ statements: [select], events: [{ name: 'Bad' }] }, '"events[0].name"'],
      [
        { statements: [select], events: [{ name: 'a.b', rowsOf: 1 }] },
        '"events[0].rowsOf" must be the index',
      ],
      [{ statements: [select], events: [{ name: 'a.b', rowsOf: 0, payload: 1 }] }, 'both payload and rowsOf'],
      [
        { statements: [select], events: [{ name: 'a.b', payload: 'x'.repeat(70_000) }] },
        '"events[0].payload"',
      ],
    ];
    for (const [args, message] of cases) {
      const r = refusal(() => parseTransaction(args as Record<string, unknown>));
      expect(r.code, message).toBe('invalid_argument');
      expect(r.message).toContain(message);
    }
  });

  it('holds the limits on statements, parameters and events', () => {
    const many = (n: number, make: () => unknown) => Array.from({ length: n }, make);
    expect(() => parseTransaction({ statements: many(32, () => select) })).not.toThrow();
    expect(refusal(() => parseTransaction({ statements: many(33, () => select) })).message).toContain(
      'at most 32 statements',
    );
    const params = (n: number) => ({ sql: 'x', params: many(n, () => 1) });
    expect(refusal(() => parseTransaction({ statements: [params(1001)] })).message).toContain(
      '"statements[0].params" must be an array of at most 1000',
    );
    expect(() => parseTransaction({ statements: many(20, () => params(1000)) })).not.toThrow();
    expect(
      refusal(() => parseTransaction({ statements: [...many(20, () => params(1000)), params(1)] })).message,
    ).toContain('20001 parameters in all; at most 20000');
    expect(
      refusal(() => parseTransaction({ statements: [select], events: many(101, () => ({ name: 'a.b' })) }))
        .message,
    ).toContain('at most 100 events');
  });
});

describe('meets', () => {
  it('checks each expectation against a row count', () => {
    const table = [0, 1, 2].map((n) => ['any', 'none', 'one', 'some'].map((e) => meets(e as 'any', n)));
    expect(table).toEqual([
      [true, true, false, false],
      [true, false, true, true],
      [true, false, false, true],
    ]);
  });
});

describe('eventsToPublish', () => {
  const results = [{ rows: [{ id: 1 }, { id: 2 }], rowCount: 2 }];

  it('publishes one event per row for rowsOf, in order, between the others', () => {
    expect(
      eventsToPublish(
        [
          { name: 'a.first', payload: 0 },
          { name: 'a.row', rowsOf: 0 },
          { name: 'a.last', payload: 3 },
        ],
        results,
      ),
    ).toEqual([
      { name: 'a.first', payload: 0 },
      { name: 'a.row', payload: { id: 1 } },
      { name: 'a.row', payload: { id: 2 } },
      { name: 'a.last', payload: 3 },
    ]);
  });

  it('refuses more events than allowed, and a row too large to be a payload', () => {
    const rows = Array.from({ length: TRANSACTION_LIMITS.events + 1 }, (_, id) => ({ id }));
    expect(
      refusal(() => eventsToPublish([{ name: 'a.row', rowsOf: 0 }], [{ rows, rowCount: rows.length }])),
    ).toMatchObject({ code: 'result_too_large' });
    const big = [{ rows: [{ text: 'x'.repeat(70_000) }], rowCount: 1 }];
    expect(refusal(() => eventsToPublish([{ name: 'a.row', rowsOf: 0 }], big)).message).toContain(
      '"events[0]": row 0 of statements[0] cannot be an event payload',
    );
  });
});

describe('translatePgError', () => {
  it('maps conflicts, timeouts and denials, naming the statement of a transaction', () => {
    const pg = (code: string, message = 'm') => Object.assign(new Error(message), { code });
    expect(translatePgError(pg('40001'), 2)).toMatchObject({ code: 'sql_conflict', details: { index: 2 } });
    expect(translatePgError(pg('40P01')).code).toBe('sql_conflict');
    expect(translatePgError(pg('57014')).code).toBe('sql_timeout');
    expect(translatePgError(pg('25P04')).code).toBe('sql_timeout');
    expect(translatePgError(pg('42501')).code).toBe('sql_denied');
    expect(translatePgError(pg('23503', 'foreign key'), 1)).toMatchObject({
      code: 'sql_error',
      message: 'statements[1]: foreign key',
      details: { index: 1 },
    });
  });

  it('gives a unique violation its own code with the constraint, never the conflicting values', () => {
    const duplicate = Object.assign(
      new Error('duplicate key value violates unique constraint "notes_title"'),
      {
        code: '23505',
        constraint: 'notes_title',
        detail: 'Key (title)=(secret) already exists.',
      },
    );
    const inTransaction = translatePgError(duplicate, 3);
    expect(inTransaction).toMatchObject({
      code: 'unique_violation',
      details: { index: 3, constraint: 'notes_title' },
    });
    expect(inTransaction.message).toMatch(/^statements\[3\]: duplicate key value .*"notes_title"/);
    const alone = translatePgError(duplicate);
    expect(alone.details).toEqual({ constraint: 'notes_title' });
    expect(JSON.stringify([alone.message, alone.details, inTransaction.message])).not.toContain('secret');
    expect(translatePgError(Object.assign(new Error('dup'), { code: '23505' })).details).toEqual({
      constraint: null,
    });
  });
});
