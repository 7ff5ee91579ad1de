import { defineEntity, type InferEntity } from '@mikro-orm/core';

/** Key/value settings of the kernel and (later) of plugins: state, grants, settings, installed versions. */
export const SysconfigEntity = defineEntity({
  name: 'Sysconfig',
  tableName: 'sysconfig',
  schema: 'kernel',
  properties: (p) => ({
    key: p.text().primary(),
    value: p.json<unknown>(),
    updatedAt: p
      .datetime()
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
    updatedBy: p.integer().nullable(),
  }),
});
export type Sysconfig = InferEntity<typeof SysconfigEntity>;
