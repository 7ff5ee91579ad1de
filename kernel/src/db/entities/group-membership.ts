import type { PermissionKey } from '@goatflow/sdk';
import { defineEntity, type InferEntity } from '@mikro-orm/core';

/**
 * Permission keys a membership can carry. `ro` and `rw` are the kernel's; plugins such as tickets add finer keys
 * (`create`, `move_into`, `note`, `owner`) later, which is why a membership is one row per key.
 */
export { PERMISSION_KEYS, type PermissionKey } from '@goatflow/sdk';

export const GroupMembershipEntity = defineEntity({
  name: 'GroupMembership',
  tableName: 'group_memberships',
  schema: 'kernel',
  properties: (p) => ({
    groupId: p.integer().primary(),
    userId: p.integer().primary(),
    permissionKey: p.text().primary().$type<PermissionKey>(),
    createdAt: p.datetime().onCreate(() => new Date()),
  }),
});
export type GroupMembership = InferEntity<typeof GroupMembershipEntity>;
