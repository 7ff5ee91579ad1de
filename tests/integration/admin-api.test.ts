/**
 * The admin API: users, groups, memberships — validation with per-field details, conflicts, filters, and an
 * audit row with the acting admin for every change.
 */
import type { Kernel } from '@goatflow/kernel';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditItem, ErrorBody, GroupView, ListBody, UserView } from '../support/api-types.js';
import { freshDatabase, type TestDatabase } from '../support/database.js';
import { auditRows, createUser, USER_PASSWORD } from '../support/helpers.js';
import { ApiClient, type ApiResponse } from '../support/http-client.js';
import { adminClient, startTestKernel } from '../support/kernel.js';
import { sql, withWritesHeld } from '../support/sql.js';

let db: TestDatabase;
let kernel: Kernel;
let admin: ApiClient;
let adminId: number;
let adminGroupId: number;

beforeAll(async () => {
  db = await freshDatabase();
  kernel = await startTestKernel({ databaseUrl: db.url });
  admin = await adminClient(kernel);
  adminId = (await admin.get<{ user: UserView }>('/api/auth/me')).body.user.id;
  const groups = await admin.get<ListBody<GroupView>>('/api/admin/groups');
  adminGroupId = groups.body.items.find((g) => g.name === 'admin')!.id;
});

afterAll(async () => {
  await kernel?.stop();
  await db?.drop();
});

function validUser(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    login: 'valid-login',
    type: 'agent',
    firstName: 'Val',
    lastName: 'Id',
    email: 'valid@example.com',
    password: 'long-enough-password',
    ...overrides,
  };
}

function paths(res: ApiResponse<ErrorBody>): string[] {
  return (res.body.error.details ?? []).map((d) => d.path).sort();
}

function expectValidation(res: ApiResponse<ErrorBody>, expected: string[]): void {
  expect(res.status, JSON.stringify(res.body)).toBe(400);
  expect(res.body.error.code).toBe('validation_failed');
  expect(paths(res)).toEqual([...expected].sort());
}

/** The audit row written by the request that got `res`, found by its request id. */
async function auditOf(res: ApiResponse, action: string): Promise<AuditItem> {
  const requestId = res.headers.get('x-request-id');
  const row = (await auditRows(admin, action, 50)).find((r) => r.requestId === requestId);
  if (!row) throw new Error(`no ${action} audit row for request ${requestId}`);
  return row;
}

function expectAdminActor(row: AuditItem): void {
  expect(row.actorUserId).toBe(adminId);
  expect(row.actorLogin).toBe('admin');
  expect(row.ip).toBe('127.0.0.1');
}

async function userCount(): Promise<number> {
  return (await sql<{ n: number }>(db.url, 'select count(*)::int as n from kernel.users'))[0]!.n;
}

describe('users', () => {
  it('creates a user (201) and never shows the password, in any answer or in the audit log', async () => {
    const password = 'secret-Pa55word-xyz';
    const res = await admin.post<UserView>(
      '/api/admin/users',
      validUser({ login: 'newbie', password, locale: 'de' }),
    );
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      login: 'newbie',
      type: 'agent',
      firstName: 'Val',
      lastName: 'Id',
      email: 'valid@example.com',
      locale: 'de',
      active: true,
      isAdmin: false,
      groups: [],
    });
    expect(res.body.id).toBeGreaterThan(0);
    const row = await auditOf(res, 'user.created');
    expectAdminActor(row);
    expect(row).toMatchObject({ targetType: 'user', targetId: String(res.body.id) });

    const answers = [
      res,
      await admin.get(`/api/admin/users/${res.body.id}`),
      await admin.get('/api/admin/users?q=newbie'),
      await admin.patch(`/api/admin/users/${res.body.id}`, { password: `${password}-2` }),
      await admin.get('/api/admin/audit?limit=500'),
    ];
    for (const a of answers) {
      expect(a.status).toBe(a === res ? 201 : 200);
      const text = JSON.stringify(a.body);
      expect(text).not.toContain(password);
      expect(text).not.toMatch(/passwordHash|password_hash|\$argon2/);
    }
    const client = new ApiClient(kernel.url);
    const login = await client.login('newbie', `${password}-2`);
    expect(JSON.stringify(login.body)).not.toMatch(/passwordHash|\$argon2/);
  });

  it('refuses a taken login, also in another case, with 409 conflict naming login', async () => {
    await createUser(admin, { login: 'Taken.Name' });
    const count = await userCount();
    for (const login of ['Taken.Name', 'taken.name', 'TAKEN.NAME']) {
      const res = await admin.post<ErrorBody>('/api/admin/users', validUser({ login }));
      expect(res.status, login).toBe(409);
      expect(res.body.error.code).toBe('conflict');
      expect(res.body.error.details?.map((d) => d.path)).toEqual(['login']);
    }
    expect(await userCount()).toBe(count);
  });

  it('answers concurrent creations of one login with 201 and 409, never a 500', async () => {
    const fire = () =>
      Promise.all(
        ['racer', 'Racer'].map((login) => admin.post<ErrorBody>('/api/admin/users', validUser({ login }))),
      );
    // On PostgreSQL both requests are held between their check and their insert; PGlite serialises transactions.
    const results =
      db.kind === 'postgresql' ? await withWritesHeld(db.url, 'kernel.users', 2, fire) : await fire();
    expect(
      results.map((r) => r.status).sort(),
      'regression: both requests pass assertLoginFree(); the second insert hits users_login_lower_idx and must become 409 conflict, not 500 internal',
    ).toEqual([201, 409]);
    expect(await sql(db.url, `select login from kernel.users where lower(login) = 'racer'`)).toHaveLength(1);
  });

  it('names every failing field of an invalid body', async () => {
    expectValidation(
      await admin.post<ErrorBody>(
        '/api/admin/users',
        validUser({ email: 'not-an-email', password: 'short', type: 'robot', isAdmin: true }),
      ),
      ['email', 'password', 'type', 'isAdmin'],
    );
    expectValidation(await admin.post<ErrorBody>('/api/admin/users', validUser({ email: 'x@' })), ['email']);
    expectValidation(await admin.post<ErrorBody>('/api/admin/users', validUser({ password: '1234567' })), [
      'password',
    ]);
    expectValidation(await admin.post<ErrorBody>('/api/admin/users', validUser({ type: 'admin' })), ['type']);
    expectValidation(await admin.post<ErrorBody>('/api/admin/users', validUser({ role: 'admin' })), ['role']);
    expectValidation(await admin.post<ErrorBody>('/api/admin/users', validUser({ login: 'has space' })), [
      'login',
    ]);
    expectValidation(await admin.post<ErrorBody>('/api/admin/users', validUser({ locale: 'fr' })), [
      'locale',
    ]);
    expectValidation(await admin.post<ErrorBody>('/api/admin/users', {}), [
      'email',
      'firstName',
      'lastName',
      'login',
      'password',
      'type',
    ]);
    // A body that is JSON but not an object.
    const arr = await admin.post<ErrorBody>('/api/admin/users', [validUser()]);
    expect(arr.status).toBe(400);
    expect(arr.body.error.code).toBe('validation_failed');
    expect(await sql(db.url, `select 1 from kernel.users where login = 'valid-login'`)).toEqual([]);
  });

  it('changes fields with PATCH and audits user.updated with what changed', async () => {
    const user = await createUser(admin, { login: 'patchable' });
    const res = await admin.patch<UserView>(`/api/admin/users/${user.id}`, {
      firstName: 'Pat',
      lastName: 'Chable',
      email: 'pat@example.com',
      locale: 'de',
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      firstName: 'Pat',
      lastName: 'Chable',
      email: 'pat@example.com',
      locale: 'de',
    });
    const fetched = await admin.get<UserView>(`/api/admin/users/${user.id}`);
    expect(fetched.body).toMatchObject({ firstName: 'Pat', email: 'pat@example.com' });
    const row = await auditOf(res, 'user.updated');
    expectAdminActor(row);
    expect(row.targetId).toBe(String(user.id));
    expect((row.details.changed as string[]).sort()).toEqual(['email', 'firstName', 'lastName', 'locale']);

    expectValidation(await admin.patch<ErrorBody>(`/api/admin/users/${user.id}`, { email: 'nope' }), [
      'email',
    ]);
    // Login and type cannot be changed; the answer names the field (and may add that nothing changeable was sent).
    for (const body of [{ login: 'renamed' }, { type: 'customer' }]) {
      const res = await admin.patch<ErrorBody>(`/api/admin/users/${user.id}`, body);
      expect(res.status).toBe(400);
      expect(paths(res)).toContain(Object.keys(body)[0]);
    }
    expect((await admin.get<UserView>(`/api/admin/users/${user.id}`)).body).toMatchObject({
      login: 'patchable',
      type: 'agent',
    });
    const empty = await admin.patch<ErrorBody>(`/api/admin/users/${user.id}`, {});
    expect(empty.status).toBe(400);
    expect(empty.body.error.code).toBe('validation_failed');
  });

  it('resets a password: audited as user.password_reset, the new one works, the old one does not', async () => {
    const user = await createUser(admin, { login: 'forgetful' });
    const res = await admin.patch<UserView>(`/api/admin/users/${user.id}`, {
      password: 'a-whole-new-password',
    });
    expect(res.status).toBe(200);
    const row = await auditOf(res, 'user.password_reset');
    expectAdminActor(row);
    expect(row.details.changed).toEqual(['password']);
    expect(JSON.stringify(row)).not.toContain('a-whole-new-password');
    expect((await new ApiClient(kernel.url).login('forgetful', USER_PASSWORD)).status).toBe(401);
    expect((await new ApiClient(kernel.url).login('forgetful', 'a-whole-new-password')).status).toBe(200);
    expectValidation(await admin.patch<ErrorBody>(`/api/admin/users/${user.id}`, { password: 'short' }), [
      'password',
    ]);
  });

  it('deactivates a user, who then cannot log in', async () => {
    const user = await createUser(admin, { login: 'leaver' });
    const res = await admin.patch<UserView>(`/api/admin/users/${user.id}`, { active: false });
    expect(res.status).toBe(200);
    expect(res.body.active).toBe(false);
    expectAdminActor(await auditOf(res, 'user.deactivated'));
    const login = await new ApiClient(kernel.url).login('leaver', USER_PASSWORD);
    expect(login.status).toBe(401);
    expect((login.body as ErrorBody).error.code).toBe('invalid_credentials');
  });

  it('does not let an admin deactivate themselves (409)', async () => {
    const res = await admin.patch<ErrorBody>(`/api/admin/users/${adminId}`, { active: false });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('conflict');
    expect(res.body.error.details?.map((d) => d.path)).toEqual(['active']);
    expect((await admin.get('/api/auth/me')).status).toBe(200);
    expect(await sql(db.url, 'select active from kernel.users where id = $1', [adminId])).toEqual([
      { active: true },
    ]);
  });

  it('filters the list by type and by a search term, and pages it', async () => {
    await createUser(admin, { login: 'cust-zebra', type: 'customer', lastName: 'Zebrafish' });
    await createUser(admin, { login: 'cust-other', type: 'customer', email: 'zebra-mail@example.com' });
    await createUser(admin, { login: 'agent-zebra', type: 'agent' });
    await createUser(admin, { login: 'cust-plain', type: 'customer', lastName: 'Plain' });

    const zebraCustomers = await admin.get<ListBody<UserView>>('/api/admin/users?type=customer&q=ZEBRA');
    expect(zebraCustomers.status).toBe(200);
    expect(zebraCustomers.body.items.map((u) => u.login)).toEqual(['cust-other', 'cust-zebra']);
    expect(zebraCustomers.body.total).toBe(2);

    const customers = await admin.get<ListBody<UserView>>('/api/admin/users?type=customer');
    expect(customers.body.items.every((u) => u.type === 'customer')).toBe(true);
    expect(customers.body.items.map((u) => u.login)).toEqual(
      expect.arrayContaining(['cust-plain', 'cust-zebra']),
    );

    const zebras = await admin.get<ListBody<UserView>>('/api/admin/users?q=zebra');
    expect(zebras.body.items.map((u) => u.login)).toEqual(['agent-zebra', 'cust-other', 'cust-zebra']);

    // LIKE wildcards in the term are literal characters.
    const percent = await admin.get<ListBody<UserView>>('/api/admin/users?q=%25');
    expect(percent.body).toEqual({ items: [], total: 0 });
    const underscore = await admin.get<ListBody<UserView>>('/api/admin/users?q=_');
    expect(underscore.body.total).toBe(0);

    const page = await admin.get<ListBody<UserView>>('/api/admin/users?q=zebra&limit=1&offset=1');
    expect(page.body.items.map((u) => u.login)).toEqual(['cust-other']);
    expect(page.body.total).toBe(3);

    expectValidation(await admin.get<ErrorBody>('/api/admin/users?type=robot'), ['query.type']);
    expectValidation(await admin.get<ErrorBody>('/api/admin/users?limit=0'), ['query.limit']);
    expectValidation(await admin.get<ErrorBody>('/api/admin/users?limit=abc'), ['query.limit']);
  });

  it('answers a non-numeric id with 400 and an unknown id with 404', async () => {
    for (const id of ['abc', '1.5', '-1', '0', '99999999999']) {
      const get = await admin.get<ErrorBody>(`/api/admin/users/${id}`);
      expectValidation(get, ['id']);
      const patch = await admin.patch<ErrorBody>(`/api/admin/users/${id}`, { firstName: 'X' });
      expectValidation(patch, ['id']);
    }
    const get = await admin.get<ErrorBody>('/api/admin/users/424242');
    expect(get.status).toBe(404);
    expect(get.body.error.code).toBe('not_found');
    const patch = await admin.patch<ErrorBody>('/api/admin/users/424242', { firstName: 'X' });
    expect(patch.status).toBe(404);
    expect(patch.body.error.code).toBe('not_found');
  });
});

describe('groups and memberships', () => {
  it('creates a group (201, audited) and refuses a duplicate name in any case with 409', async () => {
    const res = await admin.post<GroupView>('/api/admin/groups', {
      name: 'Second Level',
      comment: 'escalations',
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      name: 'Second Level',
      comment: 'escalations',
      active: true,
      members: [],
    });
    const row = await auditOf(res, 'group.created');
    expectAdminActor(row);
    expect(row).toMatchObject({ targetType: 'group', targetId: String(res.body.id) });

    for (const name of ['Second Level', 'second level']) {
      const dup = await admin.post<ErrorBody>('/api/admin/groups', { name });
      expect(dup.status, name).toBe(409);
      expect(dup.body.error.code).toBe('conflict');
      expect(dup.body.error.details?.map((d) => d.path)).toEqual(['name']);
    }
    expectValidation(await admin.post<ErrorBody>('/api/admin/groups', { name: 'x' }), ['name']);
    expectValidation(await admin.post<ErrorBody>('/api/admin/groups', { name: 'ok name', extra: 1 }), [
      'extra',
    ]);
  });

  it('answers concurrent creations of one group name with 201 and 409, never a 500', async () => {
    const fire = () =>
      Promise.all(
        ['race-group', 'Race-Group'].map((name) => admin.post<ErrorBody>('/api/admin/groups', { name })),
      );
    const results =
      db.kind === 'postgresql' ? await withWritesHeld(db.url, 'kernel.groups', 2, fire) : await fire();
    expect(
      results.map((r) => r.status).sort(),
      'regression: both requests pass assertNameFree(); the second insert hits groups_name_lower_idx and must become 409 conflict, not 500 internal',
    ).toEqual([201, 409]);
  });

  it('renames a group (audited) and refuses a name that is taken', async () => {
    const a = (await admin.post<GroupView>('/api/admin/groups', { name: 'rename-me' })).body;
    await admin.post('/api/admin/groups', { name: 'occupied' });
    const res = await admin.patch<GroupView>(`/api/admin/groups/${a.id}`, {
      name: 'renamed',
      comment: 'new',
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ name: 'renamed', comment: 'new' });
    const row = await auditOf(res, 'group.updated');
    expectAdminActor(row);
    expect((row.details.changed as string[]).sort()).toEqual(['comment', 'name']);

    const clash = await admin.patch<ErrorBody>(`/api/admin/groups/${a.id}`, { name: 'OCCUPIED' });
    expect(clash.status).toBe(409);
    // A change of case of its own name is fine.
    expect((await admin.patch(`/api/admin/groups/${a.id}`, { name: 'Renamed' })).status).toBe(200);

    expectValidation(await admin.get<ErrorBody>('/api/admin/groups/abc'), ['id']);
    expect((await admin.get('/api/admin/groups/424242')).status).toBe(404);
    expect((await admin.patch('/api/admin/groups/424242', { comment: 'x' })).status).toBe(404);
  });

  it('sets memberships: visible in the group and in the user, audited; bad keys are 400', async () => {
    const group = (await admin.post<GroupView>('/api/admin/groups', { name: 'members-test' })).body;
    const user = await createUser(admin, { login: 'member' });

    const res = await admin.put<GroupView>(`/api/admin/groups/${group.id}/members/${user.id}`, {
      permissions: ['rw', 'ro', 'rw'],
    });
    expect(res.status).toBe(200);
    expect(res.body.members).toEqual([
      { userId: user.id, login: 'member', firstName: 'Test', lastName: 'member', permissions: ['ro', 'rw'] },
    ]);
    const fetched = await admin.get<GroupView>(`/api/admin/groups/${group.id}`);
    expect(fetched.body.members.map((m) => [m.login, m.permissions])).toEqual([['member', ['ro', 'rw']]]);
    const u = await admin.get<UserView>(`/api/admin/users/${user.id}`);
    expect(u.body.groups).toEqual([{ id: group.id, name: 'members-test', permissions: ['ro', 'rw'] }]);
    const row = await auditOf(res, 'group.membership_set');
    expectAdminActor(row);
    expect(row.details).toMatchObject({ userId: user.id, before: [], after: ['ro', 'rw'] });

    expectValidation(
      await admin.put<ErrorBody>(`/api/admin/groups/${group.id}/members/${user.id}`, { permissions: ['xx'] }),
      ['permissions.0'],
    );
    expectValidation(
      await admin.put<ErrorBody>(`/api/admin/groups/${group.id}/members/${user.id}`, { permissions: [] }),
      ['permissions'],
    );
    expectValidation(await admin.put<ErrorBody>(`/api/admin/groups/${group.id}/members/${user.id}`, {}), [
      'permissions',
    ]);
    expectValidation(
      await admin.put<ErrorBody>(`/api/admin/groups/${group.id}/members/abc`, { permissions: ['ro'] }),
      ['userId'],
    );
    expect(
      (await admin.put(`/api/admin/groups/${group.id}/members/424242`, { permissions: ['ro'] })).status,
    ).toBe(404);
    expect(
      (await admin.put(`/api/admin/groups/424242/members/${user.id}`, { permissions: ['ro'] })).status,
    ).toBe(404);
    // The failed attempts changed nothing.
    const after = await admin.get<GroupView>(`/api/admin/groups/${group.id}`);
    expect(after.body.members.map((m) => m.permissions)).toEqual([['ro', 'rw']]);

    const del = await admin.delete(`/api/admin/groups/${group.id}/members/${user.id}`);
    expect(del.status).toBe(204);
    expectAdminActor(await auditOf(del, 'group.membership_removed'));
    expect((await admin.get<UserView>(`/api/admin/users/${user.id}`)).body.groups).toEqual([]);
    expect((await admin.get<GroupView>(`/api/admin/groups/${group.id}`)).body.members).toEqual([]);
    const again = await admin.delete<ErrorBody>(`/api/admin/groups/${group.id}/members/${user.id}`);
    expect(again.status).toBe(404);
    expect(again.body.error.code).toBe('not_found');
  });

  it('PUT replaces the permission set, also when the new set overlaps the old one', async () => {
    const group = (await admin.post<GroupView>('/api/admin/groups', { name: 'replace-test' })).body;
    const user = await createUser(admin, { login: 'replaced' });
    const url = `/api/admin/groups/${group.id}/members/${user.id}`;
    const stored = async () =>
      (
        await sql<{ permission_key: string }>(
          db.url,
          'select permission_key from kernel.group_memberships where group_id = $1 and user_id = $2 order by 1',
          [group.id, user.id],
        )
      ).map((r) => r.permission_key);

    expect((await admin.put(url, { permissions: ['rw'] })).status).toBe(200);
    // Regression: setMembership used to load the rows, nativeDelete() them and em.create() the new keys; the
    // unit of work still tracked the loaded rows, so every key present both before and after was silently lost
    // (while the answer and the audit row claimed it). It must store exactly the new set.
    const steps: [string[], string[]][] = [
      [
        ['ro', 'rw'],
        ['ro', 'rw'],
      ],
      [['ro'], ['ro']],
      [['ro'], ['ro']],
      [
        ['ro', 'rw'],
        ['ro', 'rw'],
      ],
    ];
    const seen: string[][] = [];
    for (const [permissions] of steps) {
      const res = await admin.put<GroupView>(url, { permissions });
      expect(res.status).toBe(200);
      seen.push(await stored());
    }
    expect(seen, 'stored keys after each PUT').toEqual(steps.map(([, expected]) => expected));
  });

  it('an admin re-saving their own admin membership with rw stays admin', async () => {
    try {
      const res = await admin.put<GroupView>(`/api/admin/groups/${adminGroupId}/members/${adminId}`, {
        permissions: ['ro', 'rw'],
      });
      expect(res.status).toBe(200);
      // Regression (same cause as above): the self-protection check passed because the new set contains rw,
      // then both keys were lost and the only administrator was locked out.
      expect(
        res.body.members.find((m) => m.userId === adminId)?.permissions,
        'the admin group should still list the admin with ro+rw',
      ).toEqual(['ro', 'rw']);
      expect((await admin.get('/api/admin/users')).status, 'still admin afterwards').toBe(200);
    } finally {
      // Put the rights back so the rest of this file can run whatever the kernel did.
      await sql(
        db.url,
        `insert into kernel.group_memberships (group_id, user_id, permission_key)
         values ($1, $2, 'ro'), ($1, $2, 'rw') on conflict do nothing`,
        [adminGroupId, adminId],
      );
    }
  });

  it('does not let the admin group be renamed or deactivated (409)', async () => {
    for (const body of [{ name: 'administrators' }, { name: 'Admin' }, { active: false }]) {
      const res = await admin.patch<ErrorBody>(`/api/admin/groups/${adminGroupId}`, body);
      expect(res.status, JSON.stringify(body)).toBe(409);
      expect(res.body.error.code).toBe('conflict');
    }
    const group = await admin.get<GroupView>(`/api/admin/groups/${adminGroupId}`);
    expect(group.body).toMatchObject({ name: 'admin', active: true });
    // Its comment may change.
    expect((await admin.patch(`/api/admin/groups/${adminGroupId}`, { comment: 'the admins' })).status).toBe(
      200,
    );
  });

  it('does not let an admin remove their own admin rights (409)', async () => {
    const narrow = await admin.put<ErrorBody>(`/api/admin/groups/${adminGroupId}/members/${adminId}`, {
      permissions: ['ro'],
    });
    expect(narrow.status).toBe(409);
    const remove = await admin.delete<ErrorBody>(`/api/admin/groups/${adminGroupId}/members/${adminId}`);
    expect(remove.status).toBe(409);
    expect((await admin.get('/api/admin/users')).status).toBe(200);
  });

  it('a deactivated group confers nothing', async () => {
    const group = (await admin.post<GroupView>('/api/admin/groups', { name: 'soon-inactive' })).body;
    const user = await createUser(admin, { login: 'in-inactive' });
    await admin.put(`/api/admin/groups/${group.id}/members/${user.id}`, { permissions: ['rw'] });
    const res = await admin.patch<GroupView>(`/api/admin/groups/${group.id}`, { active: false });
    expect(res.status).toBe(200);
    expect(res.body.active).toBe(false);
    expect((await admin.get<UserView>(`/api/admin/users/${user.id}`)).body.groups).toEqual([]);
  });
});

describe('audit log', () => {
  it('lists newest first, filters by action and pages', async () => {
    const all = await admin.get<ListBody<AuditItem>>('/api/admin/audit?limit=500');
    expect(all.status).toBe(200);
    const ids = all.body.items.map((r) => r.id);
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
    expect(all.body.total).toBe(all.body.items.length);

    const created = await admin.get<ListBody<AuditItem>>(
      '/api/admin/audit?action=user.created&limit=2&offset=1',
    );
    expect(created.body.items).toHaveLength(2);
    expect(created.body.items.every((r) => r.action === 'user.created')).toBe(true);
    const total = (
      await sql<{ n: number }>(
        db.url,
        `select count(*)::int as n from kernel.audit_log where action = 'user.created'`,
      )
    )[0]!.n;
    expect(created.body.total).toBe(total);

    expectValidation(await admin.get<ErrorBody>('/api/admin/audit?limit=501'), ['query.limit']);
    expectValidation(await admin.get<ErrorBody>('/api/admin/audit?offset=-1'), ['query.offset']);
  });

  it('every admin change above left a row naming the acting admin', async () => {
    const rows = await sql<{ action: string }>(
      db.url,
      `select distinct action from kernel.audit_log where action like 'user.%' or action like 'group.%'`,
    );
    // Every user.* and group.* row has the admin as actor: any other actor (or none) shows up here.
    const withoutAdmin = await sql(
      db.url,
      `select action, actor_user_id, actor_login from kernel.audit_log
        where (action like 'user.%' or action like 'group.%')
          and (actor_user_id is distinct from $1 or actor_login is distinct from 'admin')`,
      [adminId],
    );
    expect(withoutAdmin).toEqual([]);
    const actions = new Set(rows.map((r) => r.action));
    for (const action of [
      'user.created',
      'user.updated',
      'user.password_reset',
      'user.deactivated',
      'group.created',
      'group.updated',
      'group.membership_set',
      'group.membership_removed',
    ]) {
      expect(actions, action).toContain(action);
    }
  });
});
