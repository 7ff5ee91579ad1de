/** Odd and hostile input gets a clear 4xx naming the problem — never a 500. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Kernel } from '@goatflow/kernel';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase, type TestDatabase } from '../support/database.js';
import { ApiClient } from '../support/http-client.js';
import { adminClient, startTestKernel } from '../support/kernel.js';

let db: TestDatabase;
let kernel: Kernel;
let admin: ApiClient;

beforeAll(async () => {
  db = await freshDatabase();
  kernel = await startTestKernel({ databaseUrl: db.url });
  admin = await adminClient(kernel);
});

afterAll(async () => {
  await kernel?.stop();
  await db?.drop();
});

describe('NUL characters', () => {
  it('are refused with 400 naming the field, in bodies and query strings, signed in or not', async () => {
    const login = await new ApiClient(kernel.url).post('/api/auth/login', {
      login: 'adm\u0000in',
      password: 'x',
    });
    expect(login.status).toBe(400);
    expect(login.body.error.details).toEqual([
      { path: 'login', message: 'must not contain a NUL character', code: 'invalid_characters' },
    ]);
    const query = await admin.get('/api/admin/users?q=%00');
    expect(query.status).toBe(400);
    expect(query.body.error.details[0].path).toBe('query.q');
    const group = await admin.post('/api/admin/groups', { name: 'nul-group', comment: 'c\u0000' });
    expect(group.status).toBe(400);
    expect(group.body.error.details[0].path).toBe('comment');
  });
});

describe('broken requests', () => {
  it('a malformed URL escape is 400 bad_request', async () => {
    for (const p of ['/api/admin/users/%', '/%E0%A4%A']) {
      const res = await admin.get(p);
      expect(res.status, p).toBe(400);
      expect(res.body.error.code, p).toBe('bad_request');
    }
  });

  it('a body that claims gzip but is not is 400; real gzip works', async () => {
    const bad = await fetch(`${kernel.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
      body: 'not gzip at all',
    });
    expect(bad.status).toBe(400);
    const good = await fetch(`${kernel.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
      body: gzipSync(JSON.stringify({ login: 'nobody', password: 'wrong' })),
    });
    expect(good.status).toBe(401);
  });

  it('ids have one spelling: 0x1, 1e0, 1.0 and padded ids are 400', async () => {
    for (const id of ['0x1', '1e0', '1.0', '%201', '01', '99999999999']) {
      const res = await admin.get(`/api/admin/users/${id}`);
      expect(res.status, id).toBe(400);
      expect(res.body.error.details[0].path, id).toBe('id');
    }
    expect((await admin.get('/api/admin/users/1')).status).toBe(200);
  });

  it('repeated and bracketed query parameters are refused, not crashed on', async () => {
    for (const q of ['type=agent&type=customer', 'type[]=agent', 'limit=abc', 'limit=-1']) {
      const res = await admin.get(`/api/admin/users?${q}`);
      expect(res.status, q).toBe(400);
    }
  });

  it('the login route is reachable as written, also with a trailing slash, without a CSRF token', async () => {
    const client = new ApiClient(kernel.url);
    await client.login('admin', 'admin-test-password');
    client.sendCsrf = false;
    const again = await client.post('/api/auth/login/', { login: 'admin', password: 'admin-test-password' });
    expect(again.status).toBe(200);
  });
});

describe('one kernel per data directory', () => {
  it('a second kernel on the same embedded data directory refuses to start, naming the holder', async () => {
    if (process.env.DATABASE_URL) return; // the embedded database only
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'goatflow-lock-'));
    const first = await startTestKernel({ dataDir });
    try {
      await expect(startTestKernel({ dataDir })).rejects.toThrow(
        /in use by another GoatFlow process \(pid \d+\)/,
      );
    } finally {
      await first.stop();
    }
    const second = await startTestKernel({ dataDir });
    await second.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });
});
