/**
 * Login throttling: per account and per client address, counted in the database so that two kernels on one
 * database share the counters, with a window that ends (moved back in the table instead of waiting).
 */
import type { Kernel } from '@goatflow/kernel';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ErrorBody } from '../support/api-types.js';
import { freshDatabase, type TestDatabase } from '../support/database.js';
import { auditRows, createUser, USER_PASSWORD } from '../support/helpers.js';
import { ApiClient, type ApiResponse } from '../support/http-client.js';
import { ADMIN_PASSWORD, adminClient, startTestKernel } from '../support/kernel.js';
import { sql } from '../support/sql.js';

const WINDOW_SECONDS = 900; // the default GOATFLOW_LOGIN_WINDOW_SECONDS
const IP_LIMIT = 8;

let db: TestDatabase;
/** Two kernels with the default policy on one database, as behind a load balancer. */
let kernelA: Kernel;
let kernelB: Kernel;
/** A third one on the same database with a low per-address limit. */
let kernelIp: Kernel;
let admin: ApiClient;

beforeAll(async () => {
  db = await freshDatabase();
  kernelA = await startTestKernel({ databaseUrl: db.url });
  // The second kernel runs the migrations again (a no-op) and finds the admin account in place.
  kernelB = await startTestKernel({ databaseUrl: db.url });
  kernelIp = await startTestKernel({
    databaseUrl: db.url,
    env: { GOATFLOW_LOGIN_MAX_FAILURES_PER_IP: String(IP_LIMIT) },
  });
  admin = await adminClient(kernelA);
});

afterAll(async () => {
  await kernelIp?.stop();
  await kernelB?.stop();
  await kernelA?.stop();
  await db?.drop();
});

// Every test starts with no counters, so the shared address (127.0.0.1) does not carry failures across tests.
beforeEach(async () => {
  await sql(db.url, 'delete from kernel.auth_rate_limits');
});

function attempt(kernel: Kernel, login: string, password: string, headers: Record<string, string> = {}) {
  return new ApiClient(kernel.url).post<ErrorBody>('/api/auth/login', { login, password }, headers);
}

async function fail(kernel: Kernel, login: string, times: number): Promise<void> {
  for (let i = 0; i < times; i++) {
    const res = await attempt(kernel, login, `wrong-password-${i}`);
    expect(res.status, `failure ${i + 1} for ${login}`).toBe(401);
    expect(res.body.error.code).toBe('invalid_credentials');
  }
}

function expectRateLimited(res: ApiResponse<ErrorBody>, maxRetryAfter = WINDOW_SECONDS): number {
  expect(res.status).toBe(429);
  expect(res.body.error.code).toBe('rate_limited');
  const retryAfter = res.headers.get('retry-after');
  expect(retryAfter).toMatch(/^\d+$/);
  const seconds = Number(retryAfter);
  expect(seconds).toBeGreaterThanOrEqual(1);
  expect(seconds).toBeLessThanOrEqual(maxRetryAfter);
  return seconds;
}

describe('per account', () => {
  it('refuses the 6th failed attempt with 429 and Retry-After, and then even the right password', async () => {
    await createUser(admin, { login: 'lock-me' });
    await createUser(admin, { login: 'bystander' });
    await fail(kernelA, 'lock-me', 5);

    expectRateLimited(await attempt(kernelA, 'lock-me', 'wrong-again'));
    expectRateLimited(await attempt(kernelA, 'lock-me', USER_PASSWORD));
    // The lock is on the account, whatever the spelling.
    expectRateLimited(await attempt(kernelA, 'LOCK-ME', USER_PASSWORD));

    // Another account from the same address is not affected.
    expect((await attempt(kernelA, 'bystander', USER_PASSWORD)).status).toBe(200);
  });

  it('resets the account counter on a successful login before the limit', async () => {
    await createUser(admin, { login: 'typo-prone' });
    await fail(kernelA, 'typo-prone', 4);
    expect((await attempt(kernelA, 'typo-prone', USER_PASSWORD)).status).toBe(200);
    // A fresh allowance of five failures...
    await fail(kernelA, 'typo-prone', 5);
    // ...and the sixth is refused.
    expectRateLimited(await attempt(kernelA, 'typo-prone', USER_PASSWORD));
  });

  it('does not lock a third account after five typos each on two others', async () => {
    await createUser(admin, { login: 'typo-one' });
    await createUser(admin, { login: 'typo-two' });
    await createUser(admin, { login: 'third' });
    await fail(kernelA, 'typo-one', 5);
    await fail(kernelA, 'typo-two', 5);
    expect((await attempt(kernelA, 'third', USER_PASSWORD)).status).toBe(200);
    // The two accounts themselves have used up their five attempts.
    expectRateLimited(await attempt(kernelA, 'typo-one', USER_PASSWORD));
    expectRateLimited(await attempt(kernelA, 'typo-two', USER_PASSWORD));
  });

  it('counts parallel guesses atomically: ten at once let exactly five through to the password check', async () => {
    await createUser(admin, { login: 'parallel' });
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) => attempt(kernelA, 'parallel', `parallel-guess-${i}`)),
    );
    const statuses = results.map((r) => r.status).sort();
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429, 429, 429, 429]);
  });

  it('ends the lock when the window has passed', async () => {
    await createUser(admin, { login: 'windowed' });
    await fail(kernelA, 'windowed', 5);
    expectRateLimited(await attempt(kernelA, 'windowed', USER_PASSWORD));

    // 30 seconds before the window ends it is still locked, and Retry-After says so.
    await sql(
      db.url,
      `update kernel.auth_rate_limits set window_start = now() - make_interval(secs => $1) where key = $2`,
      [WINDOW_SECONDS - 30, 'account:windowed'],
    );
    const seconds = expectRateLimited(await attempt(kernelA, 'windowed', USER_PASSWORD), 31);
    expect(seconds).toBeGreaterThanOrEqual(20);

    // Past the window, the right password works again.
    await sql(
      db.url,
      `update kernel.auth_rate_limits set window_start = now() - make_interval(secs => $1) where key = $2`,
      [WINDOW_SECONDS + 1, 'account:windowed'],
    );
    expect((await attempt(kernelA, 'windowed', USER_PASSWORD)).status).toBe(200);
  });
});

describe('per client address', () => {
  it(`refuses the ${IP_LIMIT + 1}th failure from one address even when spread over accounts`, async () => {
    await createUser(admin, { login: 'ip-victim' });
    // Unknown logins count as well; no account gets near its own limit of five.
    const logins = ['spray-1', 'spray-2', 'spray-3'];
    for (let i = 0; i < IP_LIMIT; i++) {
      const res = await attempt(kernelIp, logins[i % logins.length]!, 'wrong-password');
      expect(res.status, `failure ${i + 1}`).toBe(401);
    }
    const limited = await attempt(kernelIp, 'ip-victim', USER_PASSWORD);
    expectRateLimited(limited);

    const rows = await auditRows(admin, 'auth.login_rate_limited', 5);
    // The address is the target of an address limit; the refused account is not even counted.
    expect(rows[0]).toMatchObject({ targetId: '127.0.0.1', details: { limit: 'ip' }, ip: '127.0.0.1' });
  });

  it('cannot be dodged with X-Forwarded-For when no proxy is trusted', async () => {
    for (let i = 0; i < IP_LIMIT; i++) {
      const res = await attempt(kernelIp, `xff-${i}`, 'wrong-password', {
        'x-forwarded-for': `203.0.113.${i + 1}`,
      });
      expect(res.status, `failure ${i + 1}`).toBe(401);
    }
    expectRateLimited(
      await attempt(kernelIp, 'xff-last', 'wrong-password', { 'x-forwarded-for': '198.51.100.7' }),
    );
  });

  it('gives a successful login its attempt back', async () => {
    await createUser(admin, { login: 'ip-success' });
    for (let i = 0; i < IP_LIMIT - 1; i++) {
      expect((await attempt(kernelIp, `giveback-${i % 3}`, 'wrong-password')).status).toBe(401);
    }
    expect((await attempt(kernelIp, 'ip-success', USER_PASSWORD)).status).toBe(200);
    // Still one failure left before the limit...
    expect((await attempt(kernelIp, 'giveback-9', 'wrong-password')).status).toBe(401);
    // ...and then the address is blocked.
    expectRateLimited(await attempt(kernelIp, 'ip-success', USER_PASSWORD));
  });

  it('is looser than the account limit with the default policy', async () => {
    // Ten failures from one address over two accounts are far below the default of 50 per address.
    await fail(kernelA, 'loose-1', 5);
    await fail(kernelA, 'loose-2', 5);
    await createUser(admin, { login: 'loose-3' });
    expect((await attempt(kernelA, 'loose-3', USER_PASSWORD)).status).toBe(200);
  });
});

describe('two kernels on one database', () => {
  it.each([
    ['A', 'shared-a'],
    ['B', 'shared-b'],
  ])(
    'share the account counter: 3 failures on A and 2 on B, then the 6th on %s is refused',
    async (which, login) => {
      await createUser(admin, { login });
      await fail(kernelA, login, 3);
      await fail(kernelB, login, 2);
      const sixth = which === 'A' ? kernelA : kernelB;
      const other = which === 'A' ? kernelB : kernelA;
      expectRateLimited(await attempt(sixth, login, 'wrong-password'));
      expectRateLimited(await attempt(other, login, USER_PASSWORD));
    },
  );

  it('both serve the same users and sessions', async () => {
    const client = new ApiClient(kernelA.url);
    expect((await client.login('admin', ADMIN_PASSWORD)).status).toBe(200);
    const onB = new ApiClient(kernelB.url);
    onB.cookie = client.cookie;
    const me = await onB.get('/api/auth/me');
    expect(me.status).toBe(200);
    expect(await sql(db.url, `select count(*)::int as n from kernel.users where login = 'admin'`)).toEqual([
      { n: 1 },
    ]);
  });
});

describe('audit', () => {
  it('records failed, succeeded, rate-limited logins and logouts with address and request id', async () => {
    await createUser(admin, { login: 'audited' });
    const failed = await attempt(kernelA, 'audited', 'wrong-password');
    const unknown = await attempt(kernelA, 'no-such-user', 'wrong-password');
    const client = new ApiClient(kernelA.url);
    const ok = await client.login('audited', USER_PASSWORD);
    const userId = (ok.body as { user: { id: number } }).user.id;
    const out = await client.post('/api/auth/logout');
    expect(out.status).toBe(204);
    await fail(kernelA, 'audited', 5);
    const limited = await attempt(kernelA, 'audited', 'wrong-password');
    expect(limited.status).toBe(429);

    const failedRows = await auditRows(admin, 'auth.login_failed', 20);
    expect(failedRows.find((r) => r.requestId === failed.headers.get('x-request-id'))).toMatchObject({
      action: 'auth.login_failed',
      actorUserId: userId,
      targetType: 'login',
      targetId: 'audited',
      ip: '127.0.0.1',
      details: { reason: 'wrong_password' },
    });
    // What was typed is not kept when it named no account (people type passwords there), only a digest.
    expect(failedRows.find((r) => r.requestId === unknown.headers.get('x-request-id'))).toMatchObject({
      actorUserId: null,
      targetId: expect.stringMatching(/^unknown:[0-9a-f]{12}$/),
      details: { reason: 'unknown_login' },
    });
    expect(JSON.stringify(failedRows)).not.toContain('no-such-user');
    // A failed password must never end up in the log.
    expect(JSON.stringify(failedRows)).not.toContain('wrong-password');

    const succeeded = await auditRows(admin, 'auth.login_succeeded', 20);
    expect(succeeded.find((r) => r.requestId === ok.headers.get('x-request-id'))).toMatchObject({
      actorUserId: userId,
      actorLogin: 'audited',
      targetType: 'user',
      targetId: String(userId),
      ip: '127.0.0.1',
    });

    const logouts = await auditRows(admin, 'auth.logout', 20);
    expect(logouts.find((r) => r.requestId === out.headers.get('x-request-id'))).toMatchObject({
      actorUserId: userId,
      actorLogin: 'audited',
      targetId: String(userId),
    });

    const limitedRows = await auditRows(admin, 'auth.login_rate_limited', 20);
    expect(limitedRows.find((r) => r.requestId === limited.headers.get('x-request-id'))).toMatchObject({
      targetId: 'audited',
      details: { limit: 'account' },
      ip: '127.0.0.1',
    });

    // The filter returns only the asked-for action.
    expect(new Set(limitedRows.map((r) => r.action))).toEqual(new Set(['auth.login_rate_limited']));
  });
});

describe('spelling variants of a login', () => {
  it('share the account counter: a Unicode look-alike cannot open a second one', async () => {
    await createUser(admin, { login: 'ilse' });
    await fail(kernelA, 'ilse', 5);
    // "İ" lower-cases to "i" in PostgreSQL but to "i̇" in JavaScript: it must not find the account, and must
    // not get a fresh counter for it either.
    const variant = await attempt(kernelA, 'İlse', USER_PASSWORD);
    expect(variant.status).toBe(401);
    const real = await attempt(kernelA, 'ILSE', USER_PASSWORD);
    expectRateLimited(real);
  });
});
