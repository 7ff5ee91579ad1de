/**
 * Reads users together with their group memberships and turns them into the API's shapes. Both the user and
 * the group services need this join, so it lives here once.
 * @module
 */
import type { ApiGroup, ApiGroupMember, ApiUser, ApiUserGroup } from '@goatflow/sdk';
import type { EntityManager } from '@mikro-orm/postgresql';
import {
  type Group,
  GroupEntity,
  GroupMembershipEntity,
  type User,
  UserEntity,
} from '../db/entities/index.js';

/** The group that makes an agent an administrator (with the `rw` key). */
export const ADMIN_GROUP = 'admin';

export type UserGroupView = ApiUserGroup;
export type UserView = ApiUser;
export type GroupMemberView = ApiGroupMember;
export type GroupView = ApiGroup;

/** Only agents administer: a customer in the admin group gains nothing. */
export function isAdminOf(user: Pick<User, 'type' | 'active'>, groups: UserGroupView[]): boolean {
  return (
    user.type === 'agent' &&
    user.active &&
    groups.some((g) => g.name === ADMIN_GROUP && g.permissions.includes('rw'))
  );
}

export async function groupsOfUsers(
  em: EntityManager,
  userIds: number[],
): Promise<Map<number, UserGroupView[]>> {
  const result = new Map<number, UserGroupView[]>();
  if (userIds.length === 0) return result;
  const memberships = await em.find(GroupMembershipEntity, { userId: { $in: userIds } });
  const groupIds = [...new Set(memberships.map((m) => m.groupId))];
  const groups = groupIds.length
    ? await em.find(GroupEntity, { id: { $in: groupIds }, active: true }, { orderBy: { name: 'asc' } })
    : [];
  const byId = new Map(groups.map((g) => [g.id, g]));
  for (const m of memberships) {
    const group = byId.get(m.groupId);
    if (!group) continue;
    const list = result.get(m.userId) ?? [];
    let entry = list.find((g) => g.id === group.id);
    if (!entry) {
      entry = { id: group.id, name: group.name, permissions: [] };
      list.push(entry);
    }
    entry.permissions.push(m.permissionKey);
    result.set(m.userId, list);
  }
  for (const list of result.values()) {
    list.sort((a, b) => a.name.localeCompare(b.name));
    for (const g of list) g.permissions.sort();
  }
  return result;
}

export function toUserView(user: User, groups: UserGroupView[]): UserView {
  return {
    id: user.id,
    login: user.login,
    type: user.type,
    firstName: user.firstName,
    lastName: user.lastName,
    email: user.email,
    locale: user.locale,
    active: user.active,
    isAdmin: isAdminOf(user, groups),
    groups,
    createdAt: user.createdAt.toISOString(),
    updatedAt: user.updatedAt.toISOString(),
  };
}

export async function loadUserViews(em: EntityManager, users: User[]): Promise<UserView[]> {
  const groups = await groupsOfUsers(
    em,
    users.map((u) => u.id),
  );
  return users.map((u) => toUserView(u, groups.get(u.id) ?? []));
}

export async function loadGroupViews(em: EntityManager, groups: Group[]): Promise<GroupView[]> {
  if (groups.length === 0) return [];
  const memberships = await em.find(
    GroupMembershipEntity,
    { groupId: { $in: groups.map((g) => g.id) } },
    { orderBy: { permissionKey: 'asc' } },
  );
  const userIds = [...new Set(memberships.map((m) => m.userId))];
  const users = userIds.length ? await em.find(UserEntity, { id: { $in: userIds } }) : [];
  const usersById = new Map(users.map((u) => [u.id, u]));
  return groups.map((g) => {
    const members = new Map<number, GroupMemberView>();
    for (const m of memberships) {
      if (m.groupId !== g.id) continue;
      const u = usersById.get(m.userId);
      if (!u) continue;
      const member = members.get(u.id) ?? {
        userId: u.id,
        login: u.login,
        firstName: u.firstName,
        lastName: u.lastName,
        permissions: [],
      };
      member.permissions.push(m.permissionKey);
      members.set(u.id, member);
    }
    return {
      id: g.id,
      name: g.name,
      comment: g.comment,
      active: g.active,
      members: [...members.values()].sort((a, b) => a.login.localeCompare(b.login)),
      createdAt: g.createdAt.toISOString(),
      updatedAt: g.updatedAt.toISOString(),
    };
  });
}
