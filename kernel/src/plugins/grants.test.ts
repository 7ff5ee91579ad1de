import { describe, expect, it } from 'vitest';
import { missingGrants } from './grants.js';

describe('missingGrants', () => {
  it('is empty when the grant covers the request', () => {
    const want = { db: { own: true }, cache: true, http: ['api.example.com'] };
    expect(missingGrants(want, { ...want, audit: true })).toEqual([]);
  });

  it('names every permission the grant lacks', () => {
    const want = {
      db: { own: true, read: ['tickets.ticket_visible'] },
      http: ['a.example', 'b.example'],
      audit: true,
    };
    expect(missingGrants(want, { db: { own: true }, http: ['a.example'] })).toEqual([
      'db.read:tickets.ticket_visible',
      'http:b.example',
      'audit',
    ]);
  });
});
