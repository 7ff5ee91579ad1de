/**
 * Users as `identity.getUser` shows them (permission `identity.read`): read-only, never a password or session.
 * @module
 */
import type { HostUser } from '@goatflow/sdk';

/** "First Last", or the login when the user has no name. */
export function displayName(user: HostUser): string {
  return `${user.firstName} ${user.lastName}`.trim() || user.login;
}
