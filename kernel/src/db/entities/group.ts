import { defineEntity, type InferEntity } from '@mikro-orm/core';

export const GroupEntity = defineEntity({
  name: 'Group',
  tableName: 'groups',
  schema: 'kernel',
  properties: (p) => ({
    id: p.integer().primary().autoincrement(),
    name: p.text().unique(),
    comment: p.text(),
    active: p.boolean(),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p
      .datetime()
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
  }),
});
export type Group = InferEntity<typeof GroupEntity>;
