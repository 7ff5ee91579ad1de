import { defineEntity, type InferEntity } from '@mikro-orm/core';

/** A login session. `id` is the SHA-256 of the cookie token: the token itself is never stored. */
export const SessionEntity = defineEntity({
  name: 'Session',
  tableName: 'sessions',
  schema: 'kernel',
  properties: (p) => ({
    id: p.text().primary(),
    userId: p.integer(),
    createdAt: p.datetime(),
    lastSeenAt: p.datetime(),
    expiresAt: p.datetime(),
    ip: p.text().nullable(),
    userAgent: p.text().nullable(),
  }),
});
export type Session = InferEntity<typeof SessionEntity>;
