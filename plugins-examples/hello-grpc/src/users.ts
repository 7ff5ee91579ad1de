/**
 * Users as `identity.getUser` shows them (permission `identity.read`): read-only, never a password or session.
 * @module
 */
import type { ApiUser } from '@goatflow/sdk';
import type { Host } from '@goatflow/sdk/grpc';

/** The user with `id`; rejects with `not_found` for an unknown id. */
export async function getUser(host: Host, id: number): Promise<ApiUser> {
  return host.call<ApiUser>('identity.getUser', { id });
}

/** "First Last", or the login when the user has no name. */
export function displayName(user: ApiUser): string {
  return `${user.firstName} ${user.lastName}`.trim() || user.login;
}
