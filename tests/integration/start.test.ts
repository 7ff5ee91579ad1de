/**
 * `npm start` as an operator runs it: a real process on the embedded database, the generated admin password
 * printed once, health within 30 s, a clean exit on SIGTERM, and a second start that reuses the data directory.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { afterAll, describe, expect, it } from 'vitest';
import { ApiClient } from '../support/http-client.js';
import { freePort } from '../support/ports.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'goatflow-start-'));
const children: ChildProcess[] = [];

afterAll(() => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  fs.rmSync(dataDir, { recursive: true, force: true });
});

async function start(port: number) {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    GOATFLOW_DATA_DIR: dataDir,
    GOATFLOW_LOG_LEVEL: 'warn',
  };
  delete env.DATABASE_URL;
  delete env.GOATFLOW_ADMIN_PASSWORD;
  const started = Date.now();
  const child = spawn(process.execPath, [path.join(root, 'scripts', 'start.mjs')], { cwd: root, env });
  children.push(child);
  let output = '';
  child.stdout!.on('data', (d) => {
    output += d;
  });
  child.stderr!.on('data', (d) => {
    output += d;
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  for (;;) {
    if (child.exitCode !== null) throw new Error(`npm start exited with ${child.exitCode}:\n${output}`);
    if (Date.now() - started > 30_000) throw new Error(`no healthy answer within 30 s:\n${output}`);
    try {
      const res = await fetch(`http://127.0.0.1:${port}/api/health`);
      if (res.status === 200) break;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return { child, exited, output: () => output, seconds: (Date.now() - started) / 1000 };
}

describe.skipIf(process.env.DATABASE_URL)('npm start on the embedded database', () => {
  it('starts, prints the admin password once, stops cleanly and reuses its data on the next start', async () => {
    const port = await freePort();
    const first = await start(port);
    const health = await (await fetch(`http://127.0.0.1:${port}/api/health`)).json();
    expect(health).toMatchObject({ status: 'ok', database: 'ok' });
    const password = /password: (\S+)/.exec(first.output())?.[1];
    expect(password, first.output()).toBeDefined();
    const client = new ApiClient(`http://127.0.0.1:${port}`);
    expect((await client.login('admin', password!)).status).toBe(200);
    const created = await client.post('/api/admin/users', {
      login: 'kept',
      type: 'agent',
      firstName: 'Kept',
      lastName: 'Across Restarts',
      email: 'kept@example.com',
      password: 'kept-password',
    });
    expect(created.status).toBe(201);
    expect(fs.existsSync(path.join(dataDir, 'pglite'))).toBe(true);

    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);

    const second = await start(port);
    expect(second.output()).not.toContain('password:');
    expect((await client.get('/api/auth/me')).status).toBe(200);
    const again = new ApiClient(`http://127.0.0.1:${port}`);
    expect((await again.login('kept', 'kept-password')).status).toBe(200);
    second.child.kill('SIGINT');
    expect(await second.exited).toBe(0);
  });
});
