import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CliError } from '../io.js';
import { memoryIo, removeTempDirs, tempProject } from '../project.test-util.js';
import { runDev } from './dev.js';

/**
 * A stand-in for the kernel's auth and reload endpoints, strict about what the real one checks: the session
 * cookie from the login, and the CSRF token from GET /api/auth/me on the POST.
 */
let server: http.Server;
let url: string;
const reloads: string[] = [];

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => {
      body += c.toString();
    });
    req.on('end', () => {
      const json = (status: number, value: unknown, headers: Record<string, string> = {}) => {
        res.writeHead(status, { 'content-type': 'application/json', ...headers });
        res.end(JSON.stringify(value));
      };
      const signedIn = req.headers.cookie === 'gf_session=s3cret';
      if (req.method === 'POST' && req.url === '/api/auth/login') {
        const { login, password } = JSON.parse(body) as { login: string; password: string };
        if (login !== 'admin' || password !== 'admin-password')
          return json(401, { error: { code: 'unauthorized' } });
        return json(
          200,
          { status: 'authenticated', csrfToken: 'from-login' },
          { 'set-cookie': 'gf_session=s3cret; Path=/; HttpOnly' },
        );
      }
      if (req.method === 'GET' && req.url === '/api/auth/me') {
        return signedIn ? json(200, { user: {}, csrfToken: 'csrf-1' }) : json(401, {});
      }
      const reload = /^\/api\/admin\/plugins\/([^/]+)\/reload$/.exec(req.url ?? '');
      if (req.method === 'POST' && reload) {
        if (!signedIn) return json(401, {});
        if (req.headers['x-csrf-token'] !== 'csrf-1') return json(403, { error: { code: 'csrf_failed' } });
        if (reload[1] !== 'demo-dev')
          return json(404, { error: { code: 'not_found', message: 'no such plugin' } });
        reloads.push(reload[1]);
        return json(200, { id: reload[1], state: 'enabled' });
      }
      json(404, {});
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  removeTempDirs();
});

/** A manifest-only WASM project: build has nothing to compile, so a round is quick. */
const project = (id: string) =>
  tempProject({
    'goatflow-plugin.json': {
      id,
      version: '1.0.0',
      name: 'Dev',
      kernelApi: '^1.0.0',
      runtime: 'wasm',
      entry: 'dist/plugin.wasm',
      contributes: { i18n: { en: 'i18n/en.json' } },
    },
    'i18n/en.json': '{}',
  });

const env = { GOATFLOW_ADMIN_PASSWORD: 'admin-password' };

describe('goatflow-plugin dev', () => {
  it('builds and reloads, then rebuilds and reloads again when a watched file changes', async () => {
    const dir = project('demo-dev');
    const io = memoryIo(dir, env);
    const stop = new AbortController();
    const rounds: boolean[] = [];
    let next: (ok: boolean) => void = () => {};
    const round = () => new Promise<boolean>((resolve) => (next = resolve));
    let first = round();
    const done = runDev(['--kernel', url], io, {
      signal: stop.signal,
      onRound: (ok) => {
        rounds.push(ok);
        next(ok);
      },
    });
    expect(await first).toBe(true);
    expect(reloads).toEqual(['demo-dev']);

    first = round();
    fs.writeFileSync(path.join(dir, 'i18n', 'en.json'), '{"hello": "Hello"}');
    expect(await first).toBe(true);
    expect(reloads).toEqual(['demo-dev', 'demo-dev']);

    stop.abort();
    expect(await done).toBe(0);
    expect(io.stdout).toContain('✓ reloaded in the kernel (enabled)');
    expect(io.stdout).toContain('watching i18n/');
  });

  it('builds and reloads without a round callback too', async () => {
    const io = memoryIo(project('demo-dev'), env);
    const stop = new AbortController();
    const done = runDev(['--kernel', url], io, { signal: stop.signal });
    await expect.poll(() => io.stdout, { timeout: 10_000 }).toContain('watching i18n/');
    stop.abort();
    expect(await done).toBe(0);
    expect(io.stdout).toContain('✓ reloaded in the kernel (enabled)');
  });

  it('says how to make the kernel know a plugin it does not have, and keeps watching', async () => {
    const io = memoryIo(project('unknown-plugin'), env);
    const stop = new AbortController();
    const done = runDev(['--kernel', url], io, {
      signal: stop.signal,
      onRound: (ok) => {
        expect(ok).toBe(false);
        stop.abort();
      },
    });
    expect(await done).toBe(0);
    expect(io.stderr).toContain('the kernel at http://127.0.0.1');
    expect(io.stderr).toContain('has no plugin "unknown-plugin" (no such plugin)');
    expect(io.stderr).toContain('GOATFLOW_PLUGIN_DIR and restart the kernel once');
  });

  it('needs the admin password, a kernel URL, and a kernel that answers', async () => {
    const dir = project('demo-dev');
    await expect(runDev(['--kernel', url], memoryIo(dir, {}))).rejects.toThrow(
      /GOATFLOW_ADMIN_PASSWORD is not set/,
    );
    await expect(runDev(['--kernel', 'localhost'], memoryIo(dir, env))).rejects.toBeInstanceOf(CliError);

    const io = memoryIo(dir, { ...env, GOATFLOW_ADMIN_PASSWORD: 'wrong-password' });
    const stop = new AbortController();
    await runDev(['--kernel', url], io, { signal: stop.signal, onRound: () => stop.abort() });
    expect(io.stderr).toContain('refused the sign-in as "admin" (401)');
  });
});
