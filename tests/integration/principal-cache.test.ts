/**
 * The principal cache: an instance remembers who is behind a session cookie for GOATFLOW_SESSION_CACHE_MS, so
 * repeated requests skip the session and user lookups, yet a logout, deactivation, password reset, admin flag,
 * membership, group or preference change takes effect at once — on the instance that made it and, through the
 * cluster bus, on a second instance sharing the database. Both instances remember for 60 s here, so anything
 * seen sooner on the second one was carried by the bus, not by an expired entry.
 */
import type { Kernel } from '@goatflow/kernel';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../fixtures/grpc/host-api-plugins.js';
import type { GroupView, ListBody, MeBody } from '../support/api-types.js';
import { freshDatabase, type TestDatabase } from '../support/database.js';
import { createUser, USER_PASSWORD } from '../support/helpers.js';
import { ApiClient } from '../support/http-client.js';
import { adminClient, startTestKernel } from '../support/kernel.js';
import { sessionIdOfCookie, sql } from '../support/sql.js';

const env = { GOATFLOW_SESSION_CACHE_MS: '60000' };
/** Far below the 60 s the instances remember: the bus, not a TTL, must have carried the change. */
const BUS_TIMEOUT_MS = 10_000;

let db: TestDatabase;
let a: Kernel;
let b: Kernel;
let admin: ApiClient;
let adminGroupId: number;

beforeAll(async () => {
  db = await freshDatabase();
  a = await startTestKernel({ databaseUrl: db.url, env });
  b = await startTestKernel({ databaseUrl: db.url, env });
  admin = await adminClient(a);
  const groups = await admin.get<ListBody<GroupView>>('/api/admin/groups');
  adminGroupId = groups.body.items.find((g) => g.name === 'admin')!.id;
}, 120_000);

afterAll(async () => {
  await Promise.all([a?.stop(), b?.stop()]);
  await db?.drop();
});

/** A signed-in user with one client per instance, both carrying the same session cookie. */
async function signedIn(login: string) {
  const user = await createUser(admin, { login });
  const onA = new ApiClient(a.url);
  expect((await onA.login(login, USER_PASSWORD)).status).toBe(200);
  const onB = new ApiClient(b.url);
  onB.cookie = onA.cookie;
  onB.csrfToken = onA.csrfToken;
  return { id: user.id, onA, onB, cookie: onA.cookie! };
}

/** Sends a request with exactly this cookie (a client would forget it on logout; a thief would not). */
function withCookie(kernel: Kernel, cookie: string): ApiClient {
  const client = new ApiClient(kernel.url);
  client.cookie = cookie;
  return client;
}

const status = async (client: ApiClient, path: string) => (await client.get(path)).status;

async function me(client: ApiClient): Promise<MeBody['user'] | undefined> {
  const res = await client.get<MeBody>('/api/auth/me');
  return res.status === 200 ? res.body.user : undefined;
}

/** Waits until instance B answers what instance A already does. */
function onB<T>(what: string, probe: () => Promise<T | undefined | null | false>) {
  return waitFor(`instance B: ${what}`, probe, BUS_TIMEOUT_MS);
}

describe('remembering', () => {
  it('serves a used session from memory: repeated requests do not read the session table', async () => {
    const user = await signedIn('cache-reader');
    expect(await status(user.onA, '/api/auth/me')).toBe(200);
    // Removed behind the kernel's back, so no instance is told.
    await sql(db.url, 'delete from kernel.sessions where id = $1', [sessionIdOfCookie(user.cookie)]);
    for (let i = 0; i < 3; i++) expect(await status(user.onA, '/api/auth/me'), `request ${i + 1}`).toBe(200);
    // Instance B never saw this session, so it asks the database, which no longer has it.
    expect(await status(user.onB, '/api/auth/me')).toBe(401);
  });

  it('still moves last_seen_at of a busy session when it is due, however long the TTL', async () => {
    const user = await signedIn('cache-toucher');
    const id = sessionIdOfCookie(user.cookie);
    const idleSeconds = async () =>
      (
        await sql<{ s: number }>(
          db.url,
          'select extract(epoch from now() - last_seen_at)::float8 as s from kernel.sessions where id = $1',
          [id],
        )
      )[0]!.s;
    // The default idle timeout (2 h) moves last_seen_at once a minute: make the next move due in 1 s. The lookup
    // below is then remembered for that 1 s only, not for the 60 s TTL, so the move is not skipped.
    await sql(
      db.url,
      `update kernel.sessions set last_seen_at = now() - interval '59 seconds' where id = $1`,
      [id],
    );
    expect(await status(user.onA, '/api/auth/me')).toBe(200);
    expect(await idleSeconds()).toBeGreaterThan(58);
    await new Promise((resolve) => setTimeout(resolve, 1200));
    expect(await status(user.onA, '/api/auth/me')).toBe(200);
    expect(await idleSeconds()).toBeLessThan(5);
  });
});

describe('logout', () => {
  it('makes the cookie useless at once, on both instances', async () => {
    const user = await signedIn('cache-leaver');
    expect(await status(user.onA, '/api/auth/me')).toBe(200);
    expect(await status(user.onB, '/api/auth/me')).toBe(200);
    expect((await user.onA.post('/api/auth/logout')).status).toBe(204);
    expect(await status(withCookie(a, user.cookie), '/api/auth/me')).toBe(401);
    await onB(
      'the logged-out cookie refused',
      async () => (await status(withCookie(b, user.cookie), '/api/auth/me')) === 401,
    );
  });
});

describe('identity changes take effect at once on both instances', () => {
  it('deactivating a user', async () => {
    const user = await signedIn('cache-deactivated');
    expect(await status(user.onA, '/api/auth/me')).toBe(200);
    expect(await status(user.onB, '/api/auth/me')).toBe(200);
    expect((await admin.patch(`/api/admin/users/${user.id}`, { active: false })).status).toBe(200);
    expect(await status(user.onA, '/api/auth/me')).toBe(401);
    await onB('the deactivated user refused', async () => (await status(user.onB, '/api/auth/me')) === 401);
  });

  it('resetting a password', async () => {
    const user = await signedIn('cache-reset');
    expect(await status(user.onA, '/api/auth/me')).toBe(200);
    expect(await status(user.onB, '/api/auth/me')).toBe(200);
    const reset = await admin.patch(`/api/admin/users/${user.id}`, { password: 'another-password' });
    expect(reset.status).toBe(200);
    expect(await status(user.onA, '/api/auth/me')).toBe(401);
    await onB('the old session refused', async () => (await status(user.onB, '/api/auth/me')) === 401);
  });

  it('granting and removing the admin flag (admin group membership)', async () => {
    const user = await signedIn('cache-boss');
    expect(await status(user.onA, '/api/admin/users')).toBe(404);
    expect(await status(user.onB, '/api/admin/users')).toBe(404);
    const members = `/api/admin/groups/${adminGroupId}/members/${user.id}`;
    expect((await admin.put(members, { permissions: ['ro', 'rw'] })).status).toBe(200);
    expect(await status(user.onA, '/api/admin/users')).toBe(200);
    await onB('the new admin let in', async () => (await status(user.onB, '/api/admin/users')) === 200);

    expect((await admin.put(members, { permissions: ['ro'] })).status).toBe(200);
    expect(await status(user.onA, '/api/admin/users')).toBe(404);
    await onB(
      'the narrowed admin kept out',
      async () => (await status(user.onB, '/api/admin/users')) === 404,
    );

    expect((await admin.put(members, { permissions: ['ro', 'rw'] })).status).toBe(200);
    await onB('the admin let in again', async () => (await status(user.onB, '/api/admin/users')) === 200);
    expect(await status(user.onA, '/api/admin/users')).toBe(200);
    expect((await admin.delete(members)).status).toBe(204);
    expect(await status(user.onA, '/api/admin/users')).toBe(404);
    await onB('the removed admin kept out', async () => (await status(user.onB, '/api/admin/users')) === 404);
  });

  it('adding and removing a group membership, and deactivating the group', async () => {
    const user = await signedIn('cache-member');
    const created = await admin.post<GroupView>('/api/admin/groups', { name: 'cache-team', comment: '' });
    expect(created.status).toBe(201);
    const group = created.body.id;
    const names = async (client: ApiClient) => (await me(client))?.groups.map((g) => g.name);
    expect(await names(user.onA)).toEqual([]);
    expect(await names(user.onB)).toEqual([]);

    expect(
      (await admin.put(`/api/admin/groups/${group}/members/${user.id}`, { permissions: ['ro'] })).status,
    ).toBe(200);
    expect(await names(user.onA)).toEqual(['cache-team']);
    await onB('the new membership', async () => (await names(user.onB))?.[0] === 'cache-team');

    expect((await admin.patch(`/api/admin/groups/${group}`, { active: false })).status).toBe(200);
    expect(await names(user.onA)).toEqual([]);
    await onB('the deactivated group gone', async () => (await names(user.onB))?.length === 0);

    expect((await admin.patch(`/api/admin/groups/${group}`, { active: true })).status).toBe(200);
    await onB('the group back', async () => (await names(user.onB))?.[0] === 'cache-team');
    expect(await names(user.onA)).toEqual(['cache-team']);
    expect((await admin.delete(`/api/admin/groups/${group}/members/${user.id}`)).status).toBe(204);
    expect(await names(user.onA)).toEqual([]);
    await onB('the removed membership gone', async () => (await names(user.onB))?.length === 0);
  });

  it('changing one’s own preferences', async () => {
    const user = await signedIn('cache-locale');
    expect((await me(user.onA))?.locale).toBe('en');
    expect((await me(user.onB))?.locale).toBe('en');
    expect((await user.onA.patch('/api/auth/me', { locale: 'de' })).status).toBe(200);
    expect((await me(user.onA))?.locale).toBe('de');
    await onB('the new locale', async () => (await me(user.onB))?.locale === 'de');
  });
});

describe.skipIf(!process.env.DATABASE_URL)('a lost notification connection', () => {
  it('forgets every remembered principal on reconnecting, since messages may have been missed', async () => {
    const user = await signedIn('cache-resync');
    expect(await status(user.onB, '/api/auth/me')).toBe(200);
    // Cut every listening connection, then change something while they are gone: instance B cannot hear it.
    await sql(
      db.url,
      `select pg_terminate_backend(pid) from pg_stat_activity
        where datname = current_database() and query ilike 'listen %' and pid <> pg_backend_pid()`,
    );
    expect((await admin.patch(`/api/admin/users/${user.id}`, { active: false })).status).toBe(200);
    await onB('the deactivated user refused after reconnecting', async () => {
      return (await status(user.onB, '/api/auth/me')) === 401;
    });
  });
});
