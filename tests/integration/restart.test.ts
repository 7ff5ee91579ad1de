/**
 * A restart keeps users and sessions, and the first-start bootstrap does not run again: with the embedded
 * database persisted in GOATFLOW_DATA_DIR, and with an external database.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createLogger, KERNEL_VERSION, type Kernel, loadConfig, startKernel } from '@goatflow/kernel';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { GroupView, HealthBody, ListBody, MeBody, UserView } from '../support/api-types.js';
import { freshDatabase, type TestDatabase } from '../support/database.js';
import { createUser, USER_PASSWORD } from '../support/helpers.js';
import { ApiClient } from '../support/http-client.js';
import { ADMIN_PASSWORD, adminClient, startTestKernel, type TestKernelOptions } from '../support/kernel.js';

const running = new Set<Kernel>();

async function start(options: TestKernelOptions): Promise<Kernel> {
  const kernel = await startTestKernel(options);
  running.add(kernel);
  return kernel;
}

async function stop(kernel: Kernel): Promise<void> {
  running.delete(kernel);
  await kernel.stop();
}

afterEach(async () => {
  // A failed test must not leave a kernel holding the database.
  await Promise.all([...running].map((k) => k.stop()));
  running.clear();
});

/**
 * The common scenario: create a user, sign in as them, stop, start again with a different
 * GOATFLOW_ADMIN_PASSWORD, and check that everything is still there and nothing was bootstrapped twice.
 */
async function restartScenario(options: TestKernelOptions): Promise<void> {
  const first = await start(options);
  const admin = await adminClient(first);
  const created = await createUser(admin, { login: 'survivor', type: 'customer' });
  const user = new ApiClient(first.url);
  expect((await user.login('survivor', USER_PASSWORD)).status).toBe(200);
  const { cookie, csrfToken } = user;
  const adminCookie = admin.cookie;
  await stop(first);

  const second = await start({
    ...options,
    env: { ...options.env, GOATFLOW_ADMIN_PASSWORD: 'a-different-password' },
  });
  expect(second.generatedAdminPassword).toBeUndefined();

  // The same cookie, sent to the new process, is still a session.
  const again = new ApiClient(second.url);
  again.cookie = cookie;
  const me = await again.get<MeBody>('/api/auth/me');
  expect(me.status).toBe(200);
  expect(me.body.user).toMatchObject({ id: created.id, login: 'survivor', type: 'customer' });
  expect(me.body.csrfToken).toBe(csrfToken);
  // The CSRF token is derived from the session, so writes keep working too.
  expect((await again.patch('/api/auth/me', { locale: 'de' })).status).toBe(200);

  const adminAgain = new ApiClient(second.url);
  adminAgain.cookie = adminCookie;
  expect((await adminAgain.get('/api/auth/me')).status).toBe(200);

  // Bootstrap did not run again: the admin keeps the first password and is the only administrator.
  expect((await new ApiClient(second.url).login('admin', 'a-different-password')).status).toBe(401);
  const admin2 = await adminClient(second);
  const users = await admin2.get<ListBody<UserView>>('/api/admin/users');
  expect(users.body.items.map((u) => u.login).sort()).toEqual(['admin', 'survivor']);
  expect(users.body.items.filter((u) => u.isAdmin).map((u) => u.login)).toEqual(['admin']);
  const groups = await admin2.get<ListBody<GroupView>>('/api/admin/groups');
  const adminGroups = groups.body.items.filter((g) => g.name === 'admin');
  expect(adminGroups).toHaveLength(1);
  expect(adminGroups[0]!.members.map((m) => m.login)).toEqual(['admin']);

  // A user logged in after the restart works as usual.
  expect((await new ApiClient(second.url).login('survivor', USER_PASSWORD)).status).toBe(200);
  await stop(second);
}

describe.skipIf(Boolean(process.env.DATABASE_URL))('embedded database in GOATFLOW_DATA_DIR', () => {
  let dataDir: string;

  beforeAll(async () => {
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'goatflow-restart-'));
  });

  afterAll(async () => {
    if (dataDir) await fs.rm(dataDir, { recursive: true, force: true });
  });

  it('keeps users and sessions across a restart and bootstraps only once', async () => {
    await restartScenario({ dataDir });
    // The database lives on disk in the data directory.
    const entries = await fs.readdir(path.join(dataDir, 'pglite'));
    expect(entries.length).toBeGreaterThan(0);
  });
});

describe('external database (freshDatabase)', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await freshDatabase();
  });

  afterAll(async () => {
    await db?.drop();
  });

  it('keeps users and sessions across a restart and bootstraps only once', async () => {
    await restartScenario({ databaseUrl: db.url });
  });

  it('reports 503 degraded on /api/health once its database is gone', async () => {
    // Last use of this file's database: the drop in afterAll is idempotent.
    const kernel = await start({ databaseUrl: db.url });
    expect((await new ApiClient(kernel.url).get('/api/health')).status).toBe(200);
    await db.drop();
    const res = await new ApiClient(kernel.url).get<HealthBody>('/api/health');
    expect(res.status).toBe(503);
    expect(res.body).toEqual({ status: 'degraded', database: 'unavailable', version: KERNEL_VERSION });
    await stop(kernel);
  });

  it('generates an admin password on the first start only when none is configured', async () => {
    const other = await freshDatabase();
    const boot = (password?: string) =>
      startKernel(
        loadConfig({
          PORT: '0',
          HOST: '127.0.0.1',
          DATABASE_URL: other.url,
          GOATFLOW_DB_POOL_SIZE: '2',
          GOATFLOW_SHUTDOWN_TIMEOUT_SECONDS: '2',
          ...(password ? { GOATFLOW_ADMIN_PASSWORD: password } : {}),
        }),
        { logger: createLogger('silent') },
      );
    try {
      const first = await boot();
      running.add(first);
      const generated = first.generatedAdminPassword;
      expect(generated).toMatch(/^[A-Za-z0-9_-]{16,}$/);
      expect((await new ApiClient(`http://127.0.0.1:${first.port}`).login('admin', generated!)).status).toBe(
        200,
      );
      await stop(first);

      const second = await boot();
      running.add(second);
      expect(second.generatedAdminPassword).toBeUndefined();
      const url = `http://127.0.0.1:${second.port}`;
      expect((await new ApiClient(url).login('admin', generated!)).status).toBe(200);
      expect((await new ApiClient(url).login('admin', ADMIN_PASSWORD)).status).toBe(401);
      await stop(second);
    } finally {
      await Promise.all([...running].map((k) => k.stop()));
      running.clear();
      await other.drop();
    }
  });
});
