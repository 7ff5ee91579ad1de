/** Admin group and membership endpoints. @module */
import { api } from './client.js';
import type { Group, ListResponse, Permission } from './types.js';

export interface NewGroup {
  name: string;
  comment?: string;
}

export interface GroupChanges {
  name?: string;
  comment?: string;
  active?: boolean;
}

export function listGroups(): Promise<ListResponse<Group>> {
  return api.get('/api/admin/groups');
}

export function createGroup(group: NewGroup): Promise<Group> {
  return api.post('/api/admin/groups', group);
}

export function updateGroup(id: number, changes: GroupChanges): Promise<Group> {
  return api.patch(`/api/admin/groups/${encodeURIComponent(id)}`, changes);
}

export function setMembership(groupId: number, userId: number, permissions: Permission[]): Promise<Group> {
  return api.put(`/api/admin/groups/${encodeURIComponent(groupId)}/members/${encodeURIComponent(userId)}`, {
    permissions,
  });
}

export function removeMembership(groupId: number, userId: number): Promise<void> {
  return api.delete(`/api/admin/groups/${encodeURIComponent(groupId)}/members/${encodeURIComponent(userId)}`);
}
