/**
 * How people are named in the UI: "First Last", or the login when the names are empty.
 * @module
 */
import type { UserRef } from './types.js';

/**
 * The display name of a user the API refers to, or `''` for none.
 * @param user - an owner, customer, author… as the API sends it
 */
export function userName(user: UserRef | null | undefined): string {
  if (!user) return '';
  const name = [user.firstName, user.lastName].filter(Boolean).join(' ').trim();
  return name || user.login || `#${user.id}`;
}
