import { describe, expect, it } from 'vitest';
import { PERMISSION_KINDS, permissionNames } from './plugins.js';

describe('permissionNames', () => {
  it('names every permission the way the kernel names missing grants', () => {
    const names = permissionNames({
      db: { own: true, read: ['tickets.ticket_visible'] },
      cache: true,
      http: ['api.example.com'],
      httpPrivate: true,
      email: ['users'],
      i18n: true,
      events: { publish: ['ticket.created'] },
      auth: { hooks: true },
      identity: { read: true },
      plugins: { call: ['other-plugin'] },
      audit: true,
    });
    expect(names.map((n) => n.name)).toEqual([
      'db.own',
      'db.read:tickets.ticket_visible',
      'cache',
      'http:api.example.com',
      'httpPrivate',
      'email:users',
      'i18n',
      'events.publish:ticket.created',
      'auth.hooks',
      'identity.read',
      'plugins.call:other-plugin',
      'audit',
    ]);
    expect(new Set(names.map((n) => n.kind))).toEqual(new Set(PERMISSION_KINDS));
  });

  it('leaves out flags that are false and empty lists', () => {
    expect(permissionNames({ cache: false, http: [], db: { own: false } })).toEqual([]);
    expect(permissionNames({})).toEqual([]);
  });
});
