/**
 * Sign-in, the current user, sign-out: cookie attributes, uniform failures, case-insensitive logins and the
 * user's own preferences.
 */
import type { Kernel } from '@goatflow/kernel';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ErrorBody, LoginBody, MeBody, UserView } from '../support/api-types.js';
import { freshDatabase, type TestDatabase } from '../support/database.js';
import { auditRows, createUser, sessionSetCookie, setCookies, USER_PASSWORD } from '../support/helpers.js';
import { ApiClient } from '../support/http-client.js';
import { ADMIN_PASSWORD, adminClient, startTestKernel } from '../support/kernel.js';
import { sessionIdOfCookie, sql } from '../support/sql.js';

let db: TestDatabase;
let kernel: Kernel;
/** A second kernel on the same database that trusts X-Forwarded-* from its (pretend) proxy. */
let proxied: Kernel;
let admin: ApiClient;
let alice: UserView;
let inactive: UserView;

beforeAll(async () => {
  db = await freshDatabase();
  kernel = await startTestKernel({ databaseUrl: db.url });
  proxied = await startTestKernel({ databaseUrl: db.url, env: { GOATFLOW_TRUST_PROXY: 'true' } });
  admin = await adminClient(kernel);
  alice = await createUser(admin, { login: 'alice' });
  await createUser(admin, { login: 'Carol.Case' });
  inactive = await createUser(admin, { login: 'inactive' });
  const off = await admin.patch(`/api/admin/users/${inactive.id}`, { active: false });
  expect(off.status).toBe(200);
});

afterAll(async () => {
  await proxied?.stop();
  await kernel?.stop();
  await db?.drop();
});

describe('POST /api/auth/login', () => {
  it('signs in and sets an HttpOnly, SameSite=Lax, Path=/ session cookie without Secure over plain http', async () => {
    const client = new ApiClient(kernel.url);
    const res = await client.login('alice', USER_PASSWORD);
    expect(res.status).toBe(200);
    const body = res.body as LoginBody;
    expect(body.status).toBe('authenticated');
    expect(body.user).toMatchObject({ id: alice.id, login: 'alice', type: 'agent', isAdmin: false });
    expect(body.csrfToken).toMatch(/^[A-Za-z0-9_-]{20,}$/);

    const cookie = sessionSetCookie(res);
    expect(cookie.value).toMatch(/^[A-Za-z0-9_-]{40,}$/);
    expect(cookie.attributes.has('httponly')).toBe(true);
    expect(cookie.attributes.get('samesite')?.toLowerCase()).toBe('lax');
    expect(cookie.attributes.get('path')).toBe('/');
    expect(cookie.attributes.has('secure')).toBe(false);
    expect(Number(cookie.attributes.get('max-age'))).toBeGreaterThan(0);

    // The cookie is the whole credential: the secret itself is not what the database stores.
    const rows = await sql(db.url, 'select id from kernel.sessions where id = $1', [
      sessionIdOfCookie(client.cookie),
    ]);
    expect(rows).toHaveLength(1);
    const raw = await sql(db.url, 'select id from kernel.sessions where id = $1', [cookie.value]);
    expect(raw).toHaveLength(0);
  });

  it('ignores X-Forwarded-Proto when no proxy is trusted', async () => {
    const res = await new ApiClient(kernel.url).post(
      '/api/auth/login',
      { login: 'alice', password: USER_PASSWORD },
      { 'x-forwarded-proto': 'https' },
    );
    expect(res.status).toBe(200);
    expect(sessionSetCookie(res).attributes.has('secure')).toBe(false);
  });

  it('marks the cookie Secure behind a trusted proxy that says the request came over https', async () => {
    const client = new ApiClient(proxied.url);
    const res = await client.post(
      '/api/auth/login',
      { login: 'alice', password: USER_PASSWORD },
      { 'x-forwarded-proto': 'https' },
    );
    expect(res.status).toBe(200);
    const cookie = sessionSetCookie(res);
    expect(cookie.attributes.has('secure')).toBe(true);
    expect(cookie.attributes.has('httponly')).toBe(true);
    expect(cookie.attributes.get('samesite')?.toLowerCase()).toBe('lax');

    // ...and plain http through the same proxy still gets no Secure flag (the browser would drop the cookie).
    const plain = await new ApiClient(proxied.url).post(
      '/api/auth/login',
      { login: 'alice', password: USER_PASSWORD },
      { 'x-forwarded-proto': 'http' },
    );
    expect(sessionSetCookie(plain).attributes.has('secure')).toBe(false);

    // Logging out over https clears the cookie with the same attributes.
    const out = await client.post('/api/auth/logout', undefined, { 'x-forwarded-proto': 'https' });
    expect(out.status).toBe(204);
    const cleared = setCookies(out).find((c) => c.name === 'gf_session');
    expect(cleared?.value).toBe('');
    expect(cleared?.attributes.has('secure')).toBe(true);
  });

  it('answers a wrong password, an unknown login and a deactivated user with the same 401', async () => {
    const wrong = await new ApiClient(kernel.url).login('alice', 'not-the-password');
    const unknown = await new ApiClient(kernel.url).login('nobody-here', 'not-the-password');
    const deactivated = await new ApiClient(kernel.url).login('inactive', USER_PASSWORD);
    for (const res of [wrong, unknown, deactivated]) {
      expect(res.status).toBe(401);
      expect((res.body as ErrorBody).error.code).toBe('invalid_credentials');
      expect(setCookies(res).filter((c) => c.name === 'gf_session')).toEqual([]);
    }
    expect(unknown.body).toEqual(wrong.body);
    expect(deactivated.body).toEqual(wrong.body);

    // The audit log keeps the reason the caller is not told.
    const failed = await auditRows(admin, 'auth.login_failed', 10);
    const reasons = failed.map(
      (r) => `${r.targetId?.replace(/^unknown:[0-9a-f]{12}$/, 'unknown')}:${String(r.details.reason)}`,
    );
    expect(reasons).toEqual(
      expect.arrayContaining(['alice:wrong_password', 'unknown:unknown_login', 'inactive:inactive']),
    );
  });

  it('rejects a login body without the fields with 400 naming them', async () => {
    const res = await new ApiClient(kernel.url).post<ErrorBody>('/api/auth/login', { login: 'alice' });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('validation_failed');
    expect(res.body.error.details?.map((d) => d.path)).toContain('password');
  });

  it('treats the login name case-insensitively', async () => {
    for (const spelling of ['carol.case', 'CAROL.CASE', 'Carol.Case']) {
      const res = await new ApiClient(kernel.url).login(spelling, USER_PASSWORD);
      expect(res.status, spelling).toBe(200);
      expect((res.body as LoginBody).user.login).toBe('Carol.Case');
    }
    const admin2 = await new ApiClient(kernel.url).login('ADMIN', ADMIN_PASSWORD);
    expect(admin2.status).toBe(200);
  });
});

describe('GET /api/auth/me and logout', () => {
  it('returns the user and the same CSRF token as the login', async () => {
    const client = new ApiClient(kernel.url);
    const login = await client.login('alice', USER_PASSWORD);
    const me = await client.get<MeBody>('/api/auth/me');
    expect(me.status).toBe(200);
    expect(me.body.user).toMatchObject({ id: alice.id, login: 'alice' });
    expect(me.body.csrfToken).toBe((login.body as LoginBody).csrfToken);
    expect(JSON.stringify(me.body)).not.toMatch(/password/i);
  });

  it('answers 401 unauthenticated without a session or with a bogus cookie', async () => {
    const none = await new ApiClient(kernel.url).get<ErrorBody>('/api/auth/me');
    expect(none.status).toBe(401);
    expect(none.body.error.code).toBe('unauthenticated');

    const bogus = new ApiClient(kernel.url);
    bogus.cookie = `gf_session=${'A'.repeat(43)}`;
    const res = await bogus.get<ErrorBody>('/api/auth/me');
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('unauthenticated');
  });

  it('logs out with 204, clears the cookie, and the old cookie no longer works', async () => {
    const client = new ApiClient(kernel.url);
    await client.login('alice', USER_PASSWORD);
    const oldCookie = client.cookie!;
    const sessionId = sessionIdOfCookie(oldCookie);

    const out = await client.post('/api/auth/logout');
    expect(out.status).toBe(204);
    const cleared = setCookies(out).find((c) => c.name === 'gf_session');
    expect(cleared?.value).toBe('');
    expect(cleared?.attributes.get('max-age')).toBe('0');

    const after = await client.get<ErrorBody>('/api/auth/me');
    expect(after.status).toBe(401);

    // A copy of the cookie kept by an attacker (or another tab) is dead as well.
    const replay = new ApiClient(kernel.url);
    replay.cookie = oldCookie;
    const replayed = await replay.get<ErrorBody>('/api/auth/me');
    expect(replayed.status).toBe(401);
    expect(replayed.body.error.code).toBe('unauthenticated');
    expect(await sql(db.url, 'select 1 from kernel.sessions where id = $1', [sessionId])).toHaveLength(0);

    // Logging out without a session is 401, not a silent success.
    const again = await replay.post<ErrorBody>('/api/auth/logout');
    expect(again.status).toBe(401);
  });

  it('logs out only the one session', async () => {
    const a = new ApiClient(kernel.url);
    const b = new ApiClient(kernel.url);
    await a.login('alice', USER_PASSWORD);
    await b.login('alice', USER_PASSWORD);
    expect((await a.post('/api/auth/logout')).status).toBe(204);
    expect((await b.get('/api/auth/me')).status).toBe(200);
  });
});

describe('PATCH /api/auth/me', () => {
  it('changes the locale preference', async () => {
    const client = new ApiClient(kernel.url);
    await client.login('alice', USER_PASSWORD);
    const res = await client.patch<{ user: UserView }>('/api/auth/me', { locale: 'de' });
    expect(res.status).toBe(200);
    expect(res.body.user.locale).toBe('de');
    const me = await client.get<MeBody>('/api/auth/me');
    expect(me.body.user.locale).toBe('de');
    const back = await client.patch<{ user: UserView }>('/api/auth/me', { locale: 'en' });
    expect(back.body.user.locale).toBe('en');
  });

  it('rejects an unsupported locale with 400 naming locale', async () => {
    const client = new ApiClient(kernel.url);
    await client.login('alice', USER_PASSWORD);
    const res = await client.patch<ErrorBody>('/api/auth/me', { locale: 'fr' });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('validation_failed');
    expect(res.body.error.details?.map((d) => d.path)).toEqual(['locale']);
  });

  it('does not let a user change anything but their preferences, naming each unknown field', async () => {
    const client = new ApiClient(kernel.url);
    await client.login('alice', USER_PASSWORD);
    const res = await client.patch<ErrorBody>('/api/auth/me', { locale: 'de', isAdmin: true, type: 'agent' });
    expect(res.status).toBe(400);
    const me = await client.get<MeBody>('/api/auth/me');
    expect(me.body.user).toMatchObject({ locale: 'en', isAdmin: false });
    // KERNEL BUG (kernel/src/http/validate.ts:13): zod reports all unknown keys in ONE issue and parseInput
    // appends them all to one path, answering `isAdmin.type` — a field that does not exist — instead of one
    // detail per unknown field.
    expect(
      res.body.error.details?.map((d) => d.path).sort(),
      'one details[] entry per unknown field',
    ).toEqual(['isAdmin', 'type']);
  });

  it('requires a session', async () => {
    const res = await new ApiClient(kernel.url).patch<ErrorBody>('/api/auth/me', { locale: 'de' });
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('unauthenticated');
  });
});

describe('behind a proxy that uses HTTP Basic auth', () => {
  // Browsers send the proxy's `Authorization: Basic ...` with every request to the origin, fetch() included.
  const basic = { authorization: `Basic ${Buffer.from('staging:proxy-password').toString('base64')}` };

  it('a header no authenticator recognises does not break login or the session cookie', async () => {
    const client = new ApiClient(kernel.url);
    const login = await client.post('/api/auth/login', { login: 'alice', password: USER_PASSWORD }, basic);
    const cookieClient = new ApiClient(kernel.url);
    await cookieClient.login('alice', USER_PASSWORD);
    const me = await cookieClient.get('/api/auth/me', basic);
    // KERNEL BUG (kernel/src/http/auth-middleware.ts:21-29, authenticate): when an Authorization header is
    // present and every attached authenticator returns null ("not my kind" per the Authenticator contract), the
    // middleware throws 401 "The Authorization header carries no credential we accept." instead of falling back
    // to the session cookie as its own doc comment says ("... else the session cookie"). With no authenticator
    // attached, any Basic-auth proxy in front of GoatFlow makes every API call, the login included, a 401.
    expect([login.status, me.status], '[login, /me] with a foreign Basic header').toEqual([200, 200]);
  });
});
