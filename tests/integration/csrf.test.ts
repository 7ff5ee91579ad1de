/**
 * CSRF: cookie-authenticated writes must carry the session's own X-CSRF-Token; reads and the login do not; and
 * write bodies must be JSON, so a cross-site HTML form cannot reach the API at all.
 */
import type { Kernel } from '@goatflow/kernel';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ErrorBody, GroupView, MeBody, UserView } from '../support/api-types.js';
import { freshDatabase, type TestDatabase } from '../support/database.js';
import { createUser, USER_PASSWORD } from '../support/helpers.js';
import { ApiClient, type ApiResponse } from '../support/http-client.js';
import { ADMIN_PASSWORD, adminClient, startTestKernel } from '../support/kernel.js';
import { sql } from '../support/sql.js';

let db: TestDatabase;
let kernel: Kernel;
let admin: ApiClient;
let user: UserView;
let group: GroupView;

interface Write {
  name: string;
  method: 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  path: () => string;
  body?: () => unknown;
}

/** One admin write of each method; each would change something if it got through. */
const writes: Write[] = [
  {
    name: 'POST /api/admin/users',
    method: 'POST',
    path: () => '/api/admin/users',
    body: () => ({
      login: 'csrf-created',
      type: 'agent',
      firstName: 'C',
      lastName: 'S',
      email: 'csrf-created@example.com',
      password: 'long-enough-password',
    }),
  },
  {
    name: 'PATCH /api/admin/users/:id',
    method: 'PATCH',
    path: () => `/api/admin/users/${user.id}`,
    body: () => ({ firstName: 'Forged' }),
  },
  {
    name: 'PUT /api/admin/groups/:id/members/:userId',
    method: 'PUT',
    path: () => `/api/admin/groups/${group.id}/members/${user.id}`,
    body: () => ({ permissions: ['rw'] }),
  },
  {
    name: 'DELETE /api/admin/groups/:id/members/:userId',
    method: 'DELETE',
    path: () => `/api/admin/groups/${group.id}/members/${user.id}`,
  },
];

/** What the writes above would change, read straight from the database. */
async function snapshot(): Promise<unknown> {
  const [users, memberships] = await Promise.all([
    sql(db.url, 'select id, login, first_name from kernel.users order by id'),
    sql(db.url, 'select group_id, user_id, permission_key from kernel.group_memberships order by 1, 2, 3'),
  ]);
  return { users, memberships };
}

function send(
  client: ApiClient,
  w: Write,
  headers: Record<string, string> = {},
): Promise<ApiResponse<ErrorBody>> {
  return client.request<ErrorBody>(w.method, w.path(), w.body?.(), headers);
}

beforeAll(async () => {
  db = await freshDatabase();
  kernel = await startTestKernel({ databaseUrl: db.url });
  admin = await adminClient(kernel);
  user = await createUser(admin, { login: 'csrf-user' });
  const created = await admin.post<GroupView>('/api/admin/groups', { name: 'csrf-group' });
  expect(created.status).toBe(201);
  group = created.body;
  const member = await admin.put(`/api/admin/groups/${group.id}/members/${user.id}`, { permissions: ['ro'] });
  expect(member.status).toBe(200);
});

afterAll(async () => {
  await kernel?.stop();
  await db?.drop();
});

describe('cookie-authenticated writes', () => {
  it.each(writes.map((w) => [w.name, w] as const))(
    '%s without X-CSRF-Token → 403 csrf_failed',
    async (_, w) => {
      const before = await snapshot();
      const bare = new ApiClient(kernel.url);
      bare.cookie = admin.cookie;
      bare.sendCsrf = false;
      const res = await send(bare, w);
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('csrf_failed');
      expect(await snapshot()).toEqual(before);
    },
  );

  it.each(writes.map((w) => [w.name, w] as const))('%s with a wrong token → 403', async (_, w) => {
    const before = await snapshot();
    for (const token of [
      '',
      'wrong',
      'A'.repeat(43),
      `${admin.csrfToken}x`,
      admin.csrfToken!.toUpperCase(),
    ]) {
      const res = await send(admin, w, { 'x-csrf-token': token });
      expect(res.status, `token ${JSON.stringify(token)}`).toBe(403);
      expect(res.body.error.code).toBe('csrf_failed');
    }
    expect(await snapshot()).toEqual(before);
  });

  it("refuses another session's token, of the same user or of another", async () => {
    const otherAdminSession = await adminClient(kernel);
    const otherUser = new ApiClient(kernel.url);
    expect((await otherUser.login('csrf-user', USER_PASSWORD)).status).toBe(200);
    expect(otherAdminSession.csrfToken).not.toBe(admin.csrfToken);

    const before = await snapshot();
    for (const token of [otherAdminSession.csrfToken!, otherUser.csrfToken!]) {
      for (const w of writes) {
        const res = await send(admin, w, { 'x-csrf-token': token });
        expect(res.status, w.name).toBe(403);
      }
    }
    expect(await snapshot()).toEqual(before);
  });

  it('a token dies with its session: after logout and a new login the old one is refused', async () => {
    const client = new ApiClient(kernel.url);
    await client.login('csrf-user', USER_PASSWORD);
    const oldToken = client.csrfToken!;
    expect((await client.post('/api/auth/logout')).status).toBe(204);
    await client.login('csrf-user', USER_PASSWORD);
    const res = await client.patch<ErrorBody>('/api/auth/me', { locale: 'de' }, { 'x-csrf-token': oldToken });
    expect(res.status).toBe(403);
    expect((await client.patch('/api/auth/me', { locale: 'de' })).status).toBe(200);
    expect((await client.patch('/api/auth/me', { locale: 'en' })).status).toBe(200);
  });

  it('guards the user routes too: logout and PATCH /api/auth/me', async () => {
    const client = new ApiClient(kernel.url);
    await client.login('csrf-user', USER_PASSWORD);
    client.sendCsrf = false;
    const patch = await client.patch<ErrorBody>('/api/auth/me', { locale: 'de' });
    expect(patch.status).toBe(403);
    expect(patch.body.error.code).toBe('csrf_failed');
    const out = await client.post<ErrorBody>('/api/auth/logout');
    expect(out.status).toBe(403);
    // Still signed in, locale unchanged.
    const me = await client.get<MeBody>('/api/auth/me');
    expect(me.status).toBe(200);
    expect(me.body.user.locale).toBe('en');
  });

  it('succeeds with the right token, for every method', async () => {
    const create = writes[0]!;
    const res = await send(admin, create);
    expect(res.status).toBe(201);
    const patch = await send(admin, writes[1]!);
    expect(patch.status).toBe(200);
    const put = await send(admin, writes[2]!);
    expect(put.status).toBe(200);
    const del = await send(admin, writes[3]!);
    expect(del.status).toBe(204);
    // Put things back for the other tests.
    await admin.put(`/api/admin/groups/${group.id}/members/${user.id}`, { permissions: ['ro'] });
    await admin.patch(`/api/admin/users/${user.id}`, { firstName: 'Test' });
  });
});

describe('what needs no token', () => {
  it('GET requests', async () => {
    const bare = new ApiClient(kernel.url);
    bare.cookie = admin.cookie;
    bare.sendCsrf = false;
    expect((await bare.get('/api/auth/me')).status).toBe(200);
    expect((await bare.get('/api/admin/users')).status).toBe(200);
    expect((await bare.get(`/api/admin/groups/${group.id}`)).status).toBe(200);
  });

  it('the login, also when the browser still sends an old session cookie', async () => {
    const fresh = new ApiClient(kernel.url);
    fresh.sendCsrf = false;
    expect((await fresh.login('csrf-user', USER_PASSWORD)).status).toBe(200);
    // Signed in already and no token: logging in again is still allowed (and gives a new session).
    const before = fresh.cookie;
    expect((await fresh.login('admin', ADMIN_PASSWORD)).status).toBe(200);
    expect(fresh.cookie).not.toBe(before);
  });
});

describe('write bodies must be JSON', () => {
  const cases = [
    ['text/plain', '{"locale":"de"}'],
    ['text/plain;charset=UTF-8', 'locale=de'],
    ['application/x-www-form-urlencoded', 'locale=de'],
    [
      'multipart/form-data; boundary=xyz',
      '--xyz\r\nContent-Disposition: form-data; name="locale"\r\n\r\nde\r\n--xyz--\r\n',
    ],
  ] as const;

  it.each(cases)(
    'PATCH /api/auth/me with %s → 415 unsupported_media_type, nothing written',
    async (type, body) => {
      const client = new ApiClient(kernel.url);
      await client.login('csrf-user', USER_PASSWORD);
      const res = await client.patch<ErrorBody>('/api/auth/me', body, { 'content-type': type });
      expect(res.status).toBe(415);
      expect(res.body.error.code).toBe('unsupported_media_type');
      const me = await client.get<MeBody>('/api/auth/me');
      expect(me.body.user.locale).toBe('en');
    },
  );

  it.each(cases)('a cross-site form post of the login (%s) is refused with 415', async (type) => {
    const res = await new ApiClient(kernel.url).post<ErrorBody>(
      '/api/auth/login',
      type.startsWith('multipart')
        ? `--xyz\r\nContent-Disposition: form-data; name="login"\r\n\r\nadmin\r\n--xyz\r\nContent-Disposition: form-data; name="password"\r\n\r\n${ADMIN_PASSWORD}\r\n--xyz--\r\n`
        : `login=admin&password=${ADMIN_PASSWORD}`,
      { 'content-type': type },
    );
    expect(res.status).toBe(415);
    expect(res.body.error.code).toBe('unsupported_media_type');
    expect(res.headers.getSetCookie()).toEqual([]);
  });

  it('an admin write with a form body is refused before anything is created', async () => {
    const before = await snapshot();
    const res = await admin.post<ErrorBody>(
      '/api/admin/users',
      'login=form-made&type=agent&firstName=F&lastName=M&email=f%40example.com&password=long-enough-password',
      { 'content-type': 'application/x-www-form-urlencoded' },
    );
    expect(res.status).toBe(415);
    expect(await snapshot()).toEqual(before);
  });
});
