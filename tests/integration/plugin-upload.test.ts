/**
 * Installing a plugin by uploading a packed package through `POST /api/admin/plugins/upload`, over real HTTP as
 * an admin: the checksum is checked before anything is unpacked, unsafe and oversized archives and invalid
 * manifests are refused, ids of bundled plugins are refused, an upgrade waits until the plugin is disabled, a
 * downgrade is refused, and a second kernel on the same database unpacks the package from the database.
 * `DELETE /api/admin/plugins/:id` removes an uploaded package once it is disabled, keeping the plugin's grant,
 * settings and state for a later upload, and the other kernels drop it too.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Kernel } from '@goatflow/kernel';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase, type TestDatabase } from '../support/database.js';
import { auditRows } from '../support/helpers.js';
import { ApiClient } from '../support/http-client.js';
import { adminClient, startTestKernel, userClient } from '../support/kernel.js';
import { packPlugin, sha256, tarball, uploadForm } from '../support/plugin-package.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const fixture = path.join(root, 'tests/fixtures/packages/packaged-echo');
const manifest = JSON.parse(fs.readFileSync(path.join(fixture, 'goatflow-plugin.json'), 'utf8'));
const UPLOAD = '/api/admin/plugins/upload';
const ID = 'packaged-echo';

let db: TestDatabase;
let kernel: Kernel;
let admin: ApiClient;
let agent: ApiClient;
let wasm: Buffer;
const dataDirs: string[] = [];
const second: Kernel[] = [];

function dataDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'goatflow-upload-'));
  dataDirs.push(dir);
  return dir;
}

/** The fixture packed with the built echo module, with manifest fields overridden. */
function pack(overrides: Record<string, unknown> = {}, extra: Record<string, string | Buffer> = {}): Buffer {
  return packPlugin(fixture, {
    'dist/plugin.wasm': wasm,
    'goatflow-plugin.json': JSON.stringify({ ...manifest, ...overrides }, null, 2),
    ...extra,
  });
}

const upload = (client: ApiClient, form: FormData, headers?: Record<string, string>) =>
  client.request('POST', UPLOAD, form, headers);

const listed = async (client: ApiClient, id: string) => {
  const res = await client.get('/api/admin/plugins');
  expect(res.status).toBe(200);
  return (res.body.items as { id: string }[]).find((p) => p.id === id) as Record<string, any> | undefined;
};

beforeAll(async () => {
  const build = spawnSync(process.execPath, [path.join(root, 'scripts', 'build-wasm.mjs')], {
    encoding: 'utf8',
  });
  if (build.status !== 0)
    throw new Error(`building the WASM fixtures failed:\n${build.stdout}${build.stderr}`);
  wasm = fs.readFileSync(path.join(root, 'tests/fixtures/wasm/echo/dist/plugin.wasm'));
  db = await freshDatabase();
  kernel = await startTestKernel({ databaseUrl: db.url, dataDir: dataDir() });
  admin = await adminClient(kernel);
  agent = (await userClient(kernel, admin, { login: 'upload-agent' })).client;
}, 240_000);

afterAll(async () => {
  for (const k of second) await k.stop();
  await kernel?.stop();
  await db?.drop();
  for (const dir of dataDirs) fs.rmSync(dir, { recursive: true, force: true });
});

describe('uploading a package', () => {
  it('installs it disabled with nothing granted, stores it in the database and audits it', async () => {
    const bytes = pack();
    const res = await upload(admin, uploadForm(bytes, { filename: 'packaged-echo-1.0.0.tgz' }));
    expect(res.status).toBe(201);
    expect(res.body.package).toEqual({
      id: ID,
      version: '1.0.0',
      sha256: sha256(bytes),
      size: bytes.length,
      previousVersion: null,
      outcome: 'installed',
    });
    expect(res.body.plugin).toMatchObject({
      id: ID,
      version: '1.0.0',
      runtime: 'wasm',
      firstParty: false,
      state: 'installed',
      requested: { cache: true },
      granted: {},
      missingGrants: ['cache'],
      issues: [],
    });
    expect(await listed(admin, ID)).toMatchObject({ state: 'installed', granted: {} });

    const unpacked = path.join(dataDirs[0]!, 'uploaded-plugins', ID, sha256(bytes));
    expect(fs.readFileSync(path.join(unpacked, 'dist/plugin.wasm')).equals(wasm)).toBe(true);

    const [row] = await auditRows(admin, 'plugin.uploaded');
    expect(row).toMatchObject({
      targetType: 'plugin',
      targetId: ID,
      details: { id: ID, version: '1.0.0', sha256: sha256(bytes) },
    });
  });

  it('runs once granted and enabled, like any third-party plugin', async () => {
    expect((await admin.post(`/api/admin/plugins/${ID}/enable`)).status).toBe(409);
    expect((await admin.put(`/api/admin/plugins/${ID}/grants`, { cache: true })).status).toBe(200);
    const enabled = await admin.post(`/api/admin/plugins/${ID}/enable`);
    expect(enabled.status).toBe(200);
    expect(enabled.body.state).toBe('enabled');
    const call = await agent.post(`/api/plugins/${ID}/calls`, { count: 1, fn: 'cache_get', key: 'k' });
    expect(call.status).toBe(200);
    expect(call.body).toEqual([{ ok: true, value: null }]);
  });

  it('accepts the checksum as a plain form field holding just the hex digest', async () => {
    // The same bytes again: nothing changes, so even the enabled plugin may be "re-uploaded".
    const bytes = pack();
    const res = await upload(admin, uploadForm(bytes, { checksum: sha256(bytes), checksumAsText: true }));
    expect(res.status).toBe(200);
    expect(res.body.package).toMatchObject({ outcome: 'unchanged', previousVersion: '1.0.0' });
    expect(res.body.plugin.state).toBe('enabled');
  });

  it('refuses an upgrade while the plugin is enabled', async () => {
    const res = await upload(admin, uploadForm(pack({ version: '1.1.0' })));
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('conflict');
    expect(res.body.error.message).toContain('disable it first');
    expect((await listed(admin, ID))?.version).toBe('1.0.0');
  });

  it('upgrades a disabled plugin, keeping its grant, and removes the old folder', async () => {
    const old = path.join(dataDirs[0]!, 'uploaded-plugins', ID, sha256(pack()));
    expect((await admin.post(`/api/admin/plugins/${ID}/disable`)).status).toBe(200);
    const bytes = pack({ version: '1.1.0' });
    const res = await upload(admin, uploadForm(bytes));
    expect(res.status).toBe(200);
    expect(res.body.package).toMatchObject({
      version: '1.1.0',
      previousVersion: '1.0.0',
      outcome: 'upgraded',
    });
    expect(res.body.plugin).toMatchObject({ version: '1.1.0', state: 'disabled', granted: { cache: true } });
    expect(fs.existsSync(old)).toBe(false);
    expect((await admin.post(`/api/admin/plugins/${ID}/enable`)).status).toBe(200);
    expect((await agent.post(`/api/plugins/${ID}/calls`, { count: 1, fn: 'log' })).status).toBe(200);
    expect((await admin.post(`/api/admin/plugins/${ID}/disable`)).status).toBe(200);
  });

  it('refuses a downgrade, and a changed package under the same version', async () => {
    const down = await upload(admin, uploadForm(pack({ version: '1.0.0' })));
    expect(down.status).toBe(409);
    expect(down.body.error.details).toEqual([
      expect.objectContaining({ path: '/version', code: 'too_small', params: { minimum: '1.1.0' } }),
    ]);
    const same = await upload(admin, uploadForm(pack({ version: '1.1.0', description: 'changed' })));
    expect(same.status).toBe(409);
    expect(same.body.error.details[0]).toMatchObject({ path: '/version' });
  });
});

describe('refused uploads', () => {
  it('answers 400 naming the field checksum when the checksum does not match, before unpacking', async () => {
    const bytes = pack({ id: 'never-installed' });
    const res = await upload(admin, uploadForm(bytes, { checksum: `${'0'.repeat(64)}  plugin-1.0.0.tgz` }));
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('validation_failed');
    expect(res.body.error.details).toEqual([expect.objectContaining({ path: 'checksum', code: 'invalid' })]);
    expect(await listed(admin, 'never-installed')).toBeUndefined();
    expect(fs.readdirSync(path.join(dataDirs[0]!, 'uploaded-plugins'))).not.toContain('never-installed');
  });

  it('answers 400 for a checksum that is not one, and for missing parts', async () => {
    const bytes = pack();
    const bad = await upload(
      admin,
      uploadForm(bytes, { checksum: 'sha1 da39a3ee5e6b4b0d3255bfef95601890afd80709' }),
    );
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0]).toMatchObject({ path: 'checksum', code: 'invalid_format' });
    const none = await upload(admin, uploadForm(undefined));
    expect(none.status).toBe(400);
    expect(none.body.error.details.map((d: { path: string }) => d.path)).toEqual(['package', 'checksum']);
    const noChecksum = new FormData();
    noChecksum.append('package', new Blob([new Uint8Array(bytes)]), 'p.tgz');
    const res = await upload(admin, noChecksum);
    expect(res.body.error.details).toEqual([expect.objectContaining({ path: 'checksum', code: 'required' })]);
  });

  it('answers 400 for an archive that reaches outside its folder, and writes nothing there', async () => {
    const escapeName = `escaped-${randomBytes(4).toString('hex')}.txt`;
    const bytes = tarball([
      { path: 'package/goatflow-plugin.json', data: JSON.stringify({ ...manifest, id: 'traversal' }) },
      { path: `package/../../../../${escapeName}`, data: 'gotcha' },
    ]);
    const res = await upload(admin, uploadForm(bytes));
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_package');
    expect(res.body.error.message).toContain('".." segment');
    expect(res.body.error.details[0]).toMatchObject({
      path: 'package',
      params: { entry: `package/../../../../${escapeName}` },
    });
    for (const dir of [dataDirs[0]!, path.dirname(dataDirs[0]!), os.tmpdir(), root]) {
      expect(fs.existsSync(path.join(dir, escapeName))).toBe(false);
    }
    expect(await listed(admin, 'traversal')).toBeUndefined();
  });

  it('answers 400 for links and device files in the archive', async () => {
    for (const entry of [
      { path: 'package/link', type: 'symlink' as const, linkpath: '/etc/passwd' },
      { path: 'package/tty', type: 'chardev' as const },
    ]) {
      const bytes = tarball([
        { path: 'package/goatflow-plugin.json', data: JSON.stringify({ ...manifest, id: 'linked' }) },
        entry,
      ]);
      const res = await upload(admin, uploadForm(bytes));
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('invalid_package');
    }
  });

  it('answers 413 for a package over 20 MiB, and for a body declared larger than the caps', async () => {
    const bytes = randomBytes(20 * 1024 * 1024 + 1);
    const res = await upload(admin, uploadForm(bytes));
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe('payload_too_large');
    expect(res.body.error.details).toEqual([
      expect.objectContaining({ path: 'package', code: 'too_large', params: { maximum: 20 * 1024 * 1024 } }),
    ]);
    const declared = await upload(admin, uploadForm(randomBytes(25 * 1024 * 1024)));
    expect(declared.status).toBe(413);
    expect(declared.body.error.details).toEqual([
      expect.objectContaining({ path: 'body', code: 'too_large' }),
    ]);
  });

  it('answers 400 with each manifest problem by its JSON path', async () => {
    const bytes = pack({
      id: 'bad-manifest',
      contributes: { routes: [{ method: 'GET', path: '/x', auth: 'superuser', handler: 'x' }] },
      surprise: true,
    });
    const res = await upload(admin, uploadForm(bytes));
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_package');
    const paths = res.body.error.details.map((d: { path: string }) => d.path);
    expect(paths).toEqual(expect.arrayContaining(['/contributes/routes/0/auth', '/surprise']));
    expect(await listed(admin, 'bad-manifest')).toBeUndefined();
  });

  it('answers 400 when the manifest is missing or the WASM entry is not in the package', async () => {
    const noManifest = tarball([{ path: 'package/readme.md', data: 'hello' }]);
    expect((await upload(admin, uploadForm(noManifest))).body.error.code).toBe('invalid_package');
    const noWasm = tarball([
      { path: 'package/goatflow-plugin.json', data: JSON.stringify({ ...manifest, id: 'no-wasm' }) },
    ]);
    const res = await upload(admin, uploadForm(noWasm));
    expect(res.status).toBe(400);
    expect(res.body.error.details).toEqual([expect.objectContaining({ path: '/entry' })]);
  });

  it('answers 409 for the id of a bundled plugin', async () => {
    const res = await upload(admin, uploadForm(pack({ id: 'hello-wasm', version: '9.0.0' })));
    expect(res.status).toBe(409);
    expect(res.body.error.details).toEqual([expect.objectContaining({ path: '/id', code: 'taken' })]);
  });

  it('answers 415 for a JSON body', async () => {
    const res = await admin.post(UPLOAD, { package: 'x', checksum: 'y' });
    expect(res.status).toBe(415);
    expect(res.body.error.code).toBe('unsupported_media_type');
  });
});

describe('who may upload', () => {
  it('hides the route from agents (404) and asks the anonymous to sign in (401)', async () => {
    const bytes = pack({ id: 'agent-upload' });
    const asAgent = await upload(agent, uploadForm(bytes));
    expect(asAgent.status).toBe(404);
    expect(asAgent.body.error.code).toBe('not_found');
    const anonymous = await upload(new ApiClient(kernel.url), uploadForm(bytes));
    expect(anonymous.status).toBe(401);
    expect(await listed(admin, 'agent-upload')).toBeUndefined();
  });

  it('refuses an admin upload without the CSRF token, like every admin write', async () => {
    const bytes = pack({ id: 'csrf-upload' });
    admin.sendCsrf = false;
    try {
      const res = await upload(admin, uploadForm(bytes));
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('csrf_failed');
    } finally {
      admin.sendCsrf = true;
    }
    expect(await listed(admin, 'csrf-upload')).toBeUndefined();
  });

  it('lets only an admin with the CSRF token remove a package: agents 404, the anonymous 401, no token 403', async () => {
    expect((await upload(admin, uploadForm(pack({ id: 'guarded-remove' })))).status).toBe(201);
    const path = '/api/admin/plugins/guarded-remove';
    expect((await agent.delete(path)).status).toBe(404);
    expect((await new ApiClient(kernel.url).delete(path)).status).toBe(401);
    admin.sendCsrf = false;
    try {
      expect((await admin.delete(path)).status).toBe(403);
    } finally {
      admin.sendCsrf = true;
    }
    expect(await listed(admin, 'guarded-remove')).toBeDefined();
    expect((await admin.delete(path)).status).toBe(204);
    expect(await listed(admin, 'guarded-remove')).toBeUndefined();
  });
});

describe('removing an uploaded package', () => {
  const REM = 'removable-echo';
  const remPath = `/api/admin/plugins/${REM}`;
  /** The fixture under another id, with a settings form, so the kept settings can be seen. */
  const packRemovable = (version: string) =>
    pack({
      id: REM,
      version,
      contributes: {
        ...manifest.contributes,
        settings: { type: 'object', properties: { greeting: { type: 'string' } } },
      },
    });
  const folderOf = (dir: string, bytes: Buffer) => path.join(dir, 'uploaded-plugins', REM, sha256(bytes));

  it('answers 404 for an unknown id and 400 for one that is not an id', async () => {
    const unknown = await admin.delete('/api/admin/plugins/no-such-plugin');
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('not_found');
    const bad = await admin.delete('/api/admin/plugins/Not_An_Id');
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0]).toMatchObject({ path: 'id' });
  });

  it('refuses (409) a plugin that comes with the installation, saying to delete its folder', async () => {
    const res = await admin.delete('/api/admin/plugins/hello-wasm');
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('conflict');
    expect(res.body.error.message).toContain('comes with this installation');
    expect(res.body.error.message).toContain('delete its folder');
    expect(await listed(admin, 'hello-wasm')).toMatchObject({ source: 'installation' });
  });

  it('refuses (409) an enabled plugin: disable it first', async () => {
    expect((await upload(admin, uploadForm(packRemovable('1.1.0')))).status).toBe(201);
    expect(await listed(admin, REM)).toMatchObject({ source: 'upload', state: 'installed' });
    expect((await admin.put(`${remPath}/grants`, { cache: true })).status).toBe(200);
    expect((await admin.put(`${remPath}/settings`, { greeting: 'kept' })).status).toBe(200);
    expect((await admin.post(`${remPath}/enable`)).status).toBe(200);
    expect((await agent.post(`/api/plugins/${REM}/calls`, { count: 1, fn: 'log' })).status).toBe(200);

    const res = await admin.delete(remPath);
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('conflict');
    expect(res.body.error.message).toContain('disable it first');
    expect(await listed(admin, REM)).toMatchObject({ state: 'enabled' });
  });

  it('removes it once disabled: 204, gone from the list and its routes, folder deleted, audited', async () => {
    const bytes = packRemovable('1.1.0');
    expect((await admin.post(`${remPath}/disable`)).status).toBe(200);
    const res = await admin.delete(remPath);
    expect(res.status).toBe(204);

    expect(await listed(admin, REM)).toBeUndefined();
    expect((await admin.get(remPath)).status).toBe(404);
    expect((await agent.post(`/api/plugins/${REM}/calls`, { count: 1, fn: 'log' })).status).toBe(404);
    expect(fs.existsSync(path.join(dataDirs[0]!, 'uploaded-plugins', REM))).toBe(false);
    expect(fs.existsSync(folderOf(dataDirs[0]!, bytes))).toBe(false);
    const rows = await auditRows(admin, 'plugin.removed');
    expect(rows.find((r) => r.targetId === REM)).toMatchObject({
      targetType: 'plugin',
      details: { id: REM, version: '1.1.0', sha256: sha256(bytes) },
    });
    expect((await admin.delete(remPath)).status).toBe(404);
  });

  it('keeps its grant, settings and state: an upload brings them back, an older version is refused', async () => {
    const older = await upload(admin, uploadForm(packRemovable('1.0.0')));
    expect(older.status).toBe(409);
    expect(older.body.error.details).toEqual([
      expect.objectContaining({ path: '/version', code: 'too_small', params: { minimum: '1.1.0' } }),
    ]);
    expect(await listed(admin, REM)).toBeUndefined();

    const again = await upload(admin, uploadForm(packRemovable('1.1.0')));
    expect(again.status).toBe(201);
    expect(again.body.package).toMatchObject({ outcome: 'installed', previousVersion: null });
    expect(again.body.plugin).toMatchObject({
      source: 'upload',
      state: 'disabled',
      granted: { cache: true },
      missingGrants: [],
      settings: { greeting: 'kept' },
    });
    const logs = await admin.get(`${remPath}/logs?level=info`);
    expect(logs.body.items.map((l: { message: string }) => l.message)).toContain('enabled version 1.1.0');
    // No new grant needed: it runs again as it did before it was removed.
    expect((await admin.post(`${remPath}/enable`)).status).toBe(200);
    expect((await agent.post(`/api/plugins/${REM}/calls`, { count: 1, fn: 'log' })).status).toBe(200);
    expect((await admin.post(`${remPath}/disable`)).status).toBe(200);
  });
});

describe('several kernels on one database', () => {
  it('unpacks the uploaded packages at start, and new ones when told packages changed', async () => {
    const other = await startTestKernel({ databaseUrl: db.url, dataDir: dataDir() });
    second.push(other);
    const otherAdmin = await adminClient(other);
    expect(await listed(otherAdmin, ID)).toMatchObject({
      version: '1.1.0',
      state: 'disabled',
      granted: { cache: true },
    });

    const bytes = pack({ id: 'late-arrival', version: '0.1.0' });
    expect((await upload(admin, uploadForm(bytes))).status).toBe(201);
    await other.plugins.packagesChanged();
    expect(await listed(otherAdmin, 'late-arrival')).toMatchObject({ state: 'installed', granted: {} });
    expect(
      fs.existsSync(path.join(dataDirs.at(-1)!, 'uploaded-plugins', 'late-arrival', sha256(bytes))),
    ).toBe(true);

    // Enabled on the first kernel, it runs on the second once told, from the second kernel's own copy.
    expect((await admin.put('/api/admin/plugins/late-arrival/grants', { cache: true })).status).toBe(200);
    expect((await admin.post('/api/admin/plugins/late-arrival/enable')).status).toBe(200);
    await other.plugins.reconcile('late-arrival');
    const otherAgent = new ApiClient(other.url);
    expect((await otherAgent.login('upload-agent', 'user-test-password')).status).toBe(200);
    const call = await otherAgent.post('/api/plugins/late-arrival/calls', { count: 1, fn: 'log' });
    expect(call.status).toBe(200);
  });

  it('drops a package removed on another kernel, and its unpacked folder, once told packages changed', async () => {
    const other = second[0]!;
    const otherAdmin = await adminClient(other);
    const otherFolder = path.join(dataDirs.at(-1)!, 'uploaded-plugins', 'late-arrival');
    expect(fs.existsSync(otherFolder)).toBe(true);
    expect((await admin.post('/api/admin/plugins/late-arrival/disable')).status).toBe(200);
    await other.plugins.reconcile('late-arrival');
    expect((await admin.delete('/api/admin/plugins/late-arrival')).status).toBe(204);

    await other.plugins.packagesChanged();
    expect(await listed(otherAdmin, 'late-arrival')).toBeUndefined();
    expect(fs.existsSync(otherFolder)).toBe(false);
    const otherAgent = new ApiClient(other.url);
    expect((await otherAgent.login('upload-agent', 'user-test-password')).status).toBe(200);
    expect((await otherAgent.post('/api/plugins/late-arrival/calls', { count: 1, fn: 'log' })).status).toBe(
      404,
    );
  });
});
