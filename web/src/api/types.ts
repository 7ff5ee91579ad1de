/**
 * The kernel's JSON shapes under the names the shell uses. The shapes themselves live in `@goatflow/sdk`, which
 * the kernel builds them from, so the two cannot drift apart.
 * @module
 */
import type {
  ApiGroup,
  ApiGroupMember,
  ApiList,
  ApiSession,
  ApiUser,
  ApiUserGroup,
  PermissionKey,
} from '@goatflow/sdk';

export { type Locale, PERMISSION_KEYS as PERMISSIONS, USER_TYPES, type UserType } from '@goatflow/sdk';

/**
 * The kernel's built-in administrators' group. Some of its rules answer 409 with English prose only (it cannot be
 * renamed, admins cannot drop their own rights), so the shell recognises the group to explain them in its language.
 */
export const ADMIN_GROUP = 'admin';

export type Permission = PermissionKey;
export type UserGroup = ApiUserGroup;
export type User = ApiUser;
export type GroupMember = ApiGroupMember;
export type Group = ApiGroup;
export type ListResponse<T> = ApiList<T>;
export type Session = ApiSession;

export function fullName(person: { firstName: string; lastName: string; login?: string }): string {
  const name = `${person.firstName} ${person.lastName}`.trim();
  return name || person.login || '';
}
