/** Admin user endpoints. @module */
import { api, withQuery } from './client.js';
import type { ListResponse, Locale, User, UserType } from './types.js';

export interface UserFilter {
  type?: UserType | undefined;
  q?: string | undefined;
  /** The kernel pages the list (100 by default, 500 at most). */
  limit?: number | undefined;
}

export interface NewUser {
  login: string;
  type: UserType;
  firstName: string;
  lastName: string;
  email: string;
  password: string;
  locale?: Locale;
}

export interface UserChanges {
  firstName?: string;
  lastName?: string;
  email?: string;
  locale?: Locale;
  active?: boolean;
  password?: string;
}

export function listUsers(filter: UserFilter = {}, signal?: AbortSignal): Promise<ListResponse<User>> {
  const query = { type: filter.type, q: filter.q, limit: filter.limit?.toString() };
  return api.get(withQuery('/api/admin/users', query), signal ? { signal } : {});
}

export function createUser(user: NewUser): Promise<User> {
  return api.post('/api/admin/users', user);
}

export function updateUser(id: number, changes: UserChanges): Promise<User> {
  return api.patch(`/api/admin/users/${encodeURIComponent(id)}`, changes);
}
