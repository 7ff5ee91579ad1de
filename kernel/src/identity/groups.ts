/**
 * Groups and memberships. A membership is a set of permission keys a user holds in a group; the admin group's
 * `rw` key makes an agent an administrator. Changes go through {@link IdentityWrites}, so no instance keeps
 * serving a cached principal the change made wrong.
 * @module
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import type { AuditLog } from '../audit/audit-log.js';
import { GroupEntity, GroupMembershipEntity, type PermissionKey, UserEntity } from '../db/entities/index.js';
import type { KernelOrm } from '../db/orm.js';
import { conflictOnDuplicate } from '../db/unique-violation.js';
import { ConflictError, NotFoundError } from '../errors/index.js';
import { ADMIN_GROUP, type GroupView, loadGroupViews } from './directory.js';
import type { IdentityWrites } from './identity-writes.js';
import type { CreateGroupInput, UpdateGroupInput } from './schemas.js';

export class GroupService {
  constructor(
    private readonly orm: KernelOrm,
    private readonly audit: AuditLog,
    private readonly writes: IdentityWrites,
  ) {}

  async list(): Promise<{ items: GroupView[]; total: number }> {
    const em = this.orm.em.fork();
    const groups = await em.find(GroupEntity, {}, { orderBy: { name: 'asc' } });
    return { items: await loadGroupViews(em, groups), total: groups.length };
  }

  async get(id: number, em: EntityManager = this.orm.em.fork()): Promise<GroupView> {
    const group = await em.findOne(GroupEntity, { id });
    if (!group) throw new NotFoundError(`No group with id ${id}.`);
    const [view] = await loadGroupViews(em, [group]);
    return view!;
  }

  async create(input: CreateGroupInput): Promise<GroupView> {
    const created = () =>
      this.writes.transaction(async (em) => {
        await this.assertNameFree(em, input.name);
        const group = em.create(GroupEntity, { name: input.name, comment: input.comment, active: true });
        await em.flush();
        await this.audit.record(
          { action: 'group.created', targetType: 'group', targetId: group.id, details: { name: group.name } },
          em,
        );
        return this.get(group.id, em);
      });
    return conflictOnDuplicate(created, `A group named "${input.name}" exists.`, {
      path: 'name',
      message: 'is already taken',
      code: 'taken',
    });
  }

  async update(id: number, input: UpdateGroupInput): Promise<GroupView> {
    const updated = () =>
      this.writes.transaction(async (em) => {
        const group = await em.findOne(GroupEntity, { id });
        if (!group) throw new NotFoundError(`No group with id ${id}.`);
        if (
          group.name === ADMIN_GROUP &&
          (input.active === false || (input.name && input.name !== ADMIN_GROUP))
        ) {
          throw new ConflictError(
            'The admin group cannot be renamed or deactivated: administrators depend on it.',
          );
        }
        if (input.name && input.name.toLowerCase() !== group.name.toLowerCase()) {
          await this.assertNameFree(em, input.name);
        }
        const changed: string[] = [];
        for (const field of ['name', 'comment', 'active'] as const) {
          const value = input[field];
          if (value !== undefined && value !== group[field]) {
            (group as Record<string, unknown>)[field] = value;
            changed.push(field);
          }
        }
        await em.flush();
        if (changed.length) {
          await this.audit.record(
            {
              action: 'group.updated',
              targetType: 'group',
              targetId: id,
              details: { name: group.name, changed },
            },
            em,
          );
        }
        return this.get(id, em);
      });
    return conflictOnDuplicate(updated, `A group named "${input.name}" exists.`, {
      path: 'name',
      message: 'is already taken',
      code: 'taken',
    });
  }

  /** Replaces the user's permission keys in the group. */
  async setMembership(
    groupId: number,
    userId: number,
    permissions: PermissionKey[],
    actorId: number | undefined,
  ): Promise<GroupView> {
    const write = () =>
      this.writes.transaction(async (em) => {
        const group = await this.requireGroup(em, groupId);
        const user = await em.findOne(UserEntity, { id: userId });
        if (!user) throw new NotFoundError(`No user with id ${userId}.`);
        if (group.name === ADMIN_GROUP && userId === actorId && !permissions.includes('rw')) {
          throw new ConflictError('You cannot remove your own administrator rights.');
        }
        const rows = await em.find(GroupMembershipEntity, { groupId, userId });
        const before = rows.map((m) => m.permissionKey).sort();
        // Change only what differs: the unit of work tracks these rows, so deleting and re-creating the same keys
        // would cancel out.
        for (const row of rows) if (!permissions.includes(row.permissionKey)) em.remove(row);
        for (const key of permissions) {
          if (!before.includes(key))
            em.create(GroupMembershipEntity, { groupId, userId, permissionKey: key });
        }
        await em.flush();
        await this.audit.record(
          {
            action: 'group.membership_set',
            targetType: 'group',
            targetId: groupId,
            details: { group: group.name, userId, login: user.login, before, after: permissions },
          },
          em,
        );
        return this.get(groupId, em);
      });
    // Two admins saving the same membership at once: one wins, the other is told to reload.
    return conflictOnDuplicate(write, 'The membership was changed at the same time; reload and try again.', {
      path: 'permissions',
      message: 'was changed concurrently',
      code: 'concurrent_change',
    });
  }

  async removeMembership(groupId: number, userId: number, actorId: number | undefined): Promise<void> {
    await this.writes.transaction(async (em) => {
      const group = await this.requireGroup(em, groupId);
      if (group.name === ADMIN_GROUP && userId === actorId) {
        throw new ConflictError('You cannot remove your own administrator rights.');
      }
      const removed = await em.nativeDelete(GroupMembershipEntity, { groupId, userId });
      if (removed === 0) throw new NotFoundError(`User ${userId} is not a member of group ${groupId}.`);
      await this.audit.record(
        {
          action: 'group.membership_removed',
          targetType: 'group',
          targetId: groupId,
          details: { group: group.name, userId },
        },
        em,
      );
    });
  }

  private async requireGroup(em: EntityManager, id: number) {
    const group = await em.findOne(GroupEntity, { id });
    if (!group) throw new NotFoundError(`No group with id ${id}.`);
    return group;
  }

  private async assertNameFree(em: EntityManager, name: string): Promise<void> {
    const rows = await em.execute<{ id: number }[]>(
      'select id from kernel.groups where lower(name) = lower(?)',
      [name],
    );
    if (rows.length > 0) {
      throw new ConflictError(`A group named "${name}" exists.`, [
        { path: 'name', message: 'is already taken', code: 'taken' },
      ]);
    }
  }
}
