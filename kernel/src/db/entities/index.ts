import { AuditEntryEntity } from './audit-entry.js';
import { GroupEntity } from './group.js';
import { GroupMembershipEntity } from './group-membership.js';
import { SessionEntity } from './session.js';
import { SysconfigEntity } from './sysconfig.js';
import { UserEntity } from './user.js';

export { type AuditEntry, AuditEntryEntity } from './audit-entry.js';
export { type Group, GroupEntity } from './group.js';
export {
  type GroupMembership,
  GroupMembershipEntity,
  PERMISSION_KEYS,
  type PermissionKey,
} from './group-membership.js';
export { type Session, SessionEntity } from './session.js';
export { type Sysconfig, SysconfigEntity } from './sysconfig.js';
export { LOCALES, type Locale, USER_TYPES, type User, UserEntity, type UserType } from './user.js';

export const kernelEntities = [
  UserEntity,
  GroupEntity,
  GroupMembershipEntity,
  SessionEntity,
  SysconfigEntity,
  AuditEntryEntity,
];
