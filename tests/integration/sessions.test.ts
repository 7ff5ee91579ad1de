/**
 * Session lifetime: the idle timeout slides with use, the absolute expiry does not, and an admin's password reset
 * or deactivation ends the user's sessions at once. Time passes by moving timestamps back in the database.
 */
import type { Kernel } from '@goatflow/kernel';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ErrorBody, UserView } from '../support/api-types.js';
import { freshDatabase, type TestDatabase } from '../support/database.js';
import { createUser, sessionSetCookie, USER_PASSWORD } from '../support/helpers.js';
import { ApiClient } from '../support/http-client.js';
import { adminClient, startTestKernel } from '../support/kernel.js';
import { sessionIdOfCookie, sql } from '../support/sql.js';

const IDLE_SECONDS = 60;
const MAX_AGE_SECONDS = 3600;

let db: TestDatabase;
let kernel: Kernel;
let admin: ApiClient;

beforeAll(async () => {
  db = await freshDatabase();
  kernel = await startTestKernel({
    databaseUrl: db.url,
    env: {
      GOATFLOW_SESSION_IDLE_SECONDS: String(IDLE_SECONDS),
      GOATFLOW_SESSION_MAX_AGE_SECONDS: String(MAX_AGE_SECONDS),
      // These tests move session timestamps behind the kernel's back, which a remembered principal would not see
      // for its few seconds; the cache has its own suite (principal-cache.test.ts in this folder).
      GOATFLOW_SESSION_CACHE_MS: '0',
    },
  });
  admin = await adminClient(kernel);
});

afterAll(async () => {
  await kernel?.stop();
  await db?.drop();
});

async function signIn(login: string, password = USER_PASSWORD): Promise<ApiClient> {
  const client = new ApiClient(kernel.url);
  const res = await client.login(login, password);
  expect(res.status, `login ${login}`).toBe(200);
  return client;
}

/** Moves the session's last_seen_at to `seconds` ago. */
async function idleFor(client: ApiClient, seconds: number): Promise<void> {
  const rows = await sql(
    db.url,
    'update kernel.sessions set last_seen_at = now() - make_interval(secs => $1) where id = $2 returning id',
    [seconds, sessionIdOfCookie(client.cookie)],
  );
  expect(rows).toHaveLength(1);
}

async function sessionRow(client: ApiClient) {
  const rows = await sql<{ idle_seconds: number; expires_in: number }>(
    db.url,
    `select extract(epoch from now() - last_seen_at)::float8 as idle_seconds,
            extract(epoch from expires_at - now())::float8 as expires_in
       from kernel.sessions where id = $1`,
    [sessionIdOfCookie(client.cookie)],
  );
  return rows[0];
}

async function sessionCount(userId: number): Promise<number> {
  const rows = await sql<{ n: number }>(
    db.url,
    'select count(*)::int as n from kernel.sessions where user_id = $1',
    [userId],
  );
  return rows[0]!.n;
}

async function expectSignedOut(client: ApiClient): Promise<void> {
  const res = await client.get<ErrorBody>('/api/auth/me');
  expect(res.status).toBe(401);
  expect(res.body.error.code).toBe('unauthenticated');
}

describe('idle timeout', () => {
  it('ends a session unused for longer than GOATFLOW_SESSION_IDLE_SECONDS and deletes its row', async () => {
    await createUser(admin, { login: 'idler' });
    const client = await signIn('idler');
    expect((await client.get('/api/auth/me')).status).toBe(200);
    await idleFor(client, 120);
    await expectSignedOut(client);
    expect(await sessionRow(client)).toBeUndefined();
  });

  it('keeps a session in use alive and moves last_seen_at forward', async () => {
    await createUser(admin, { login: 'busy' });
    const client = await signIn('busy');
    // Two 40-second pauses add up to more than the idle timeout; each request in between restarts the clock.
    for (let i = 0; i < 2; i++) {
      await idleFor(client, 40);
      const res = await client.get('/api/auth/me');
      expect(res.status, `request after pause ${i + 1}`).toBe(200);
      const row = await sessionRow(client);
      expect(row?.idle_seconds).toBeLessThan(5);
    }
    // Just inside the timeout still counts.
    await idleFor(client, IDLE_SECONDS - 5);
    expect((await client.get('/api/auth/me')).status).toBe(200);
  });

  it('also ends the session on a write, not only on reads', async () => {
    await createUser(admin, { login: 'idle-writer' });
    const client = await signIn('idle-writer');
    await idleFor(client, 120);
    const res = await client.patch<ErrorBody>('/api/auth/me', { locale: 'de' });
    expect(res.status).toBe(401);
    const user = await sql(db.url, `select locale from kernel.users where login = 'idle-writer'`);
    expect(user).toEqual([{ locale: 'en' }]);
  });
});

describe('absolute expiry', () => {
  it('sets the cookie Max-Age and expires_at from GOATFLOW_SESSION_MAX_AGE_SECONDS', async () => {
    await createUser(admin, { login: 'max-age' });
    const client = new ApiClient(kernel.url);
    const res = await client.login('max-age', USER_PASSWORD);
    expect(sessionSetCookie(res).attributes.get('max-age')).toBe(String(MAX_AGE_SECONDS));
    const row = await sessionRow(client);
    expect(row?.expires_in).toBeGreaterThan(MAX_AGE_SECONDS - 30);
    expect(row?.expires_in).toBeLessThanOrEqual(MAX_AGE_SECONDS);
  });

  it('ends a session past expires_at even though it was just used', async () => {
    await createUser(admin, { login: 'expiring' });
    const client = await signIn('expiring');
    expect((await client.get('/api/auth/me')).status).toBe(200);
    await sql(db.url, `update kernel.sessions set expires_at = now() - interval '1 second' where id = $1`, [
      sessionIdOfCookie(client.cookie),
    ]);
    await expectSignedOut(client);
    expect(await sessionRow(client)).toBeUndefined();
  });

  it('is not extended by activity', async () => {
    await createUser(admin, { login: 'not-extended' });
    const client = await signIn('not-extended');
    const before = await sessionRow(client);
    await idleFor(client, 30);
    expect((await client.get('/api/auth/me')).status).toBe(200);
    const after = await sessionRow(client);
    expect(after!.expires_in).toBeLessThanOrEqual(before!.expires_in);
  });
});

describe('admin changes end sessions', () => {
  it('a password reset signs the user out everywhere; the new password works and the old does not', async () => {
    const user = await createUser(admin, { login: 'reset-me' });
    const first = await signIn('reset-me');
    const second = await signIn('reset-me');
    expect(await sessionCount(user.id)).toBe(2);

    const res = await admin.patch<UserView>(`/api/admin/users/${user.id}`, {
      password: 'brand-new-password',
    });
    expect(res.status).toBe(200);
    expect(await sessionCount(user.id)).toBe(0);
    await expectSignedOut(first);
    await expectSignedOut(second);
    // The admin's own session is untouched.
    expect((await admin.get('/api/auth/me')).status).toBe(200);

    expect((await new ApiClient(kernel.url).login('reset-me', USER_PASSWORD)).status).toBe(401);
    expect((await new ApiClient(kernel.url).login('reset-me', 'brand-new-password')).status).toBe(200);
  });

  it('deactivation signs the user out at once; reactivation does not revive old sessions', async () => {
    const user = await createUser(admin, { login: 'deactivate-me' });
    const client = await signIn('deactivate-me');
    expect((await admin.patch(`/api/admin/users/${user.id}`, { active: false })).status).toBe(200);
    expect(await sessionCount(user.id)).toBe(0);
    await expectSignedOut(client);

    expect((await admin.patch(`/api/admin/users/${user.id}`, { active: true })).status).toBe(200);
    await expectSignedOut(client);
    expect((await new ApiClient(kernel.url).login('deactivate-me', USER_PASSWORD)).status).toBe(200);
  });

  it('other profile changes keep the user signed in', async () => {
    const user = await createUser(admin, { login: 'renamed' });
    const client = await signIn('renamed');
    const res = await admin.patch<UserView>(`/api/admin/users/${user.id}`, {
      firstName: 'Renamed',
      locale: 'de',
    });
    expect(res.status).toBe(200);
    const me = await client.get<{ user: UserView }>('/api/auth/me');
    expect(me.status).toBe(200);
    expect(me.body.user).toMatchObject({ firstName: 'Renamed', locale: 'de' });
  });
});
