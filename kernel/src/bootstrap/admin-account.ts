/**
 * The first start creates the `admin` agent in the `admin` group. Its password comes from
 * GOATFLOW_ADMIN_PASSWORD, or is generated and handed back once for the operator to see; it is never logged.
 * @module
 */
import { randomBytes } from 'node:crypto';
import { GroupEntity, GroupMembershipEntity, UserEntity } from '../db/entities/index.js';
import type { KernelOrm } from '../db/orm.js';
import { ADMIN_GROUP } from '../identity/directory.js';
import { hashPassword } from '../identity/passwords.js';

export interface AdminBootstrap {
  created: boolean;
  /** Set only when the password was generated here. */
  generatedPassword: string | undefined;
}

export async function ensureAdminAccount(
  orm: KernelOrm,
  configuredPassword: string | undefined,
): Promise<AdminBootstrap> {
  const em = orm.em.fork();
  if ((await em.count(UserEntity, {})) > 0) return { created: false, generatedPassword: undefined };
  const generatedPassword = configuredPassword ? undefined : randomBytes(15).toString('base64url');
  const passwordHash = await hashPassword(configuredPassword ?? generatedPassword!);
  await em.transactional(async (tx) => {
    let group = await tx.findOne(GroupEntity, { name: ADMIN_GROUP });
    group ??= tx.create(GroupEntity, {
      name: ADMIN_GROUP,
      comment: 'Administrators of GoatFlow',
      active: true,
    });
    const user = tx.create(UserEntity, {
      login: 'admin',
      type: 'agent',
      firstName: 'GoatFlow',
      lastName: 'Administrator',
      email: 'admin@localhost',
      passwordHash,
      locale: 'en',
      active: true,
    });
    await tx.flush();
    for (const key of ['ro', 'rw'] as const) {
      tx.create(GroupMembershipEntity, { groupId: group.id, userId: user.id, permissionKey: key });
    }
  });
  return { created: true, generatedPassword };
}
