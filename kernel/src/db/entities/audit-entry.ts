import { defineEntity, type InferEntity } from '@mikro-orm/core';

export const AuditEntryEntity = defineEntity({
  name: 'AuditEntry',
  tableName: 'audit_log',
  schema: 'kernel',
  properties: (p) => ({
    id: p.bigint('number').primary().autoincrement(),
    at: p.datetime().onCreate(() => new Date()),
    actorUserId: p.integer().nullable(),
    actorLogin: p.text().nullable(),
    action: p.text(),
    targetType: p.text().nullable(),
    targetId: p.text().nullable(),
    ip: p.text().nullable(),
    requestId: p.text().nullable(),
    details: p.json<Record<string, unknown>>(),
  }),
});
export type AuditEntry = InferEntity<typeof AuditEntryEntity>;
