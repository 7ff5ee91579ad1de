import { describe, expect, it } from 'vitest';
import { rightsOf, toSummary } from './rows.js';

const flags = { mergedIntoId: null, canRw: true, canNote: true, canMoveElsewhere: true };

describe('rightsOf', () => {
  it('gives an agent what the queue flags allow', () => {
    expect(rightsOf({ ...flags, actorType: 'agent', stateType: 'open' })).toEqual({
      update: true,
      reply: true,
      note: true,
      move: true,
      merge: true,
    });
    expect(
      rightsOf({ ...flags, canRw: false, canMoveElsewhere: true, actorType: 'agent', stateType: 'open' }),
    ).toEqual({ update: false, reply: false, note: true, move: false, merge: false });
    expect(rightsOf({ ...flags, canMoveElsewhere: false, actorType: 'agent', stateType: 'new' }).move).toBe(
      false,
    );
  });

  it('lets a customer only reply, and nobody change a merged ticket', () => {
    expect(rightsOf({ ...flags, actorType: 'customer', stateType: 'open' })).toEqual({
      update: false,
      reply: true,
      note: false,
      move: false,
      merge: false,
    });
    expect(Object.values(rightsOf({ ...flags, actorType: 'agent', stateType: 'merged' }))).toEqual([
      false,
      false,
      false,
      false,
      false,
    ]);
  });
});

describe('toSummary', () => {
  it('turns bigint ids into numbers, dates into ISO 8601 and names into references', () => {
    const summary = toSummary({
      id: '42',
      tn: '2024050100000042',
      title: 'x',
      queueId: 1,
      queueName: null,
      stateId: 2,
      stateName: 'open',
      stateType: 'open',
      priorityId: 3,
      priorityName: 'normal',
      typeId: null,
      typeName: null,
      ownerId: 5,
      ownerLogin: 'alice',
      ownerFirstName: 'Alice',
      ownerLastName: 'Adams',
      responsibleId: null,
      responsibleLogin: null,
      responsibleFirstName: null,
      responsibleLastName: null,
      customerUserId: 9,
      customerLogin: null,
      customerFirstName: null,
      customerLastName: null,
      customerCompanyId: null,
      customerCompanyName: null,
      pendingUntil: null,
      locked: false,
      createdAt: new Date('2024-05-01T09:00:00Z'),
      changedAt: '2024-05-02T09:00:00.123Z',
    });
    expect(summary).toMatchObject({
      id: 42,
      queue: { id: 1, name: null },
      type: null,
      owner: { id: 5, login: 'alice', firstName: 'Alice', lastName: 'Adams' },
      responsible: null,
      customerUser: { id: 9, login: null },
      customerCompany: null,
      createdAt: '2024-05-01T09:00:00.000Z',
      changedAt: '2024-05-02T09:00:00.123Z',
    });
  });
});
