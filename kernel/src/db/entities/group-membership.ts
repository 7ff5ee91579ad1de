import type { PermissionKey } from '@goatflow/sdk';
import { defineEntity, type InferEntity } from '@mikro-orm/core';

/**
 * Permission keys a membership can carry: `ro` and `rw`, and the finer keys `create`, `move_into`, `note` and
 * `owner` that the tickets plugin reads through `goatflow.my_group_permissions`. One row per key, so granting
 * `note` without `rw` is a row, not a bit mask.
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
