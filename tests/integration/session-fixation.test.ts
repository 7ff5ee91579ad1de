import type { Kernel } from '@goatflow/kernel';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase, type TestDatabase } from '../support/database.js';
import { ApiClient } from '../support/http-client.js';
import { ADMIN_PASSWORD, startTestKernel } from '../support/kernel.js';

let db: TestDatabase;
let kernel: Kernel;

beforeAll(async () => {
  db = await freshDatabase();
  kernel = await startTestKernel({ databaseUrl: db.url });
});

afterAll(async () => {
  await kernel?.stop();
  await db?.drop();
});

describe('session fixation', () => {
  it('signing in again replaces the session the browser already had', async () => {
    const client = new ApiClient(kernel.url);
    expect((await client.login('admin', ADMIN_PASSWORD)).status).toBe(200);
    const first = client.cookie!;
    expect((await client.login('admin', ADMIN_PASSWORD)).status).toBe(200);
    const second = client.cookie!;
    expect(second).not.toBe(first);
    const old = new ApiClient(kernel.url);
    old.cookie = first;
    expect((await old.get('/api/auth/me')).status).toBe(401);
    expect((await client.get('/api/auth/me')).status).toBe(200);
  });

  it('a planted cookie value that was never issued grants nothing and is replaced at sign-in', async () => {
    const client = new ApiClient(kernel.url);
    client.cookie = 'gf_session=plantedplantedplantedplanted0123456789';
    expect((await client.get('/api/auth/me')).status).toBe(401);
    await client.login('admin', ADMIN_PASSWORD);
    expect(client.cookie).not.toContain('planted');
  });
});
