/**
 * Small helpers shared by the integration suites: creating users without signing them in, reading audit rows,
 * and taking a Set-Cookie header apart.
 * @module
 */
import type { AuditItem, ListBody, UserView } from './api-types.js';
import type { ApiClient, ApiResponse } from './http-client.js';

export const USER_PASSWORD = 'user-test-password';

export interface NewUser {
  login: string;
  type?: 'agent' | 'customer';
  password?: string;
  firstName?: string;
  lastName?: string;
  email?: string;
}

/** Creates a user through the admin API (no sign-in) and returns it; throws unless the answer is 201. */
export async function createUser(admin: ApiClient, user: NewUser): Promise<UserView> {
  const res = await admin.post<UserView>('/api/admin/users', {
    login: user.login,
    type: user.type ?? 'agent',
    firstName: user.firstName ?? 'Test',
    lastName: user.lastName ?? user.login,
    email: user.email ?? `${user.login.replace(/@.*/, '').toLowerCase()}@example.com`,
    password: user.password ?? USER_PASSWORD,
  });
  if (res.status !== 201) throw new Error(`create user failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/** The newest audit rows with `action`, newest first. */
export async function auditRows(admin: ApiClient, action: string, limit = 100): Promise<AuditItem[]> {
  const res = await admin.get<ListBody<AuditItem>>(
    `/api/admin/audit?action=${encodeURIComponent(action)}&limit=${limit}`,
  );
  if (res.status !== 200) throw new Error(`audit query failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.items;
}

export interface SetCookie {
  name: string;
  value: string;
  /** Attribute names lower-cased; flag attributes map to ''. */
  attributes: Map<string, string>;
}

/** The Set-Cookie headers of a response, parsed. */
export function setCookies(res: ApiResponse): SetCookie[] {
  return res.headers.getSetCookie().map((header) => {
    const [pair = '', ...attrs] = header.split(';').map((s) => s.trim());
    const eq = pair.indexOf('=');
    const attributes = new Map<string, string>();
    for (const a of attrs) {
      const i = a.indexOf('=');
      attributes.set((i < 0 ? a : a.slice(0, i)).toLowerCase(), i < 0 ? '' : a.slice(i + 1));
    }
    return { name: pair.slice(0, eq), value: pair.slice(eq + 1), attributes };
  });
}

/** The one gf_session Set-Cookie of a response; throws when there is none or more than one. */
export function sessionSetCookie(res: ApiResponse): SetCookie {
  const found = setCookies(res).filter((c) => c.name === 'gf_session');
  if (found.length !== 1) throw new Error(`expected one gf_session Set-Cookie, got ${found.length}`);
  return found[0]!;
}
