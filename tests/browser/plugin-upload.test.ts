/**
 * Uploading a packed plugin at /admin/plugins, in Chromium: the admin picks the .tgz and its .sha256 file in the
 * upload dialog; a checksum that does not match is shown at the checksum field, a package with a broken
 * manifest lists the manifest's problems, and a good package is installed disabled, listed and highlighted. A
 * plugin that is not running can then be removed, after a confirmation; a bundled plugin offers no Remove.
 * The packages are packed at test time, npm-pack style, into a temporary folder. Set GOATFLOW_SCREENSHOT_DIR to
 * keep screenshots.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type BrowserSession,
  screenshot as keep,
  signIn,
  startBrowserSession,
  waitForText,
} from '../support/browser.js';
import { ADMIN_PASSWORD, adminClient } from '../support/kernel.js';
import { packPlugin, sha256sumLine } from '../support/plugin-package.js';

const ID = 'uploaded-greeter';
const manifest = {
  id: ID,
  version: '0.1.0',
  name: 'Uploaded Greeter',
  description: 'A plugin installed through the upload dialog.',
  kernelApi: '^1.0.0',
  runtime: 'grpc',
  entry: { command: 'node', args: ['plugin.js'] },
  permissions: { cache: true },
  contributes: {},
};

let session: BrowserSession;
let page: Page;
let work: string;

const screenshot = (name: string) => keep(page, name);

/** Packs a plugin folder with this manifest; returns the paths of the .tgz and of its sha256sum file. */
function packed(name: string, pluginManifest: object): { tgz: string; sha256: string } {
  const dir = path.join(work, name);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'goatflow-plugin.json'), JSON.stringify(pluginManifest, null, 2));
  fs.writeFileSync(path.join(dir, 'plugin.js'), '// never started by this test\n');
  const bytes = packPlugin(dir);
  const tgz = path.join(work, `${name}.tgz`);
  fs.writeFileSync(tgz, bytes);
  const sha256 = `${tgz}.sha256`;
  fs.writeFileSync(sha256, sha256sumLine(bytes, path.basename(tgz)));
  return { tgz, sha256 };
}

async function upload(files: { tgz: string; sha256: string }): Promise<void> {
  await page.getByTestId('plugin-upload-package').setInputFiles(files.tgz);
  await page.getByTestId('plugin-upload-checksum').setInputFiles(files.sha256);
  await page.getByTestId('plugin-upload-submit').click();
}

beforeAll(async () => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'goatflow-upload-browser-'));
  session = await startBrowserSession({ kernel: { dataDir: path.join(work, 'data') } });
  page = session.page;
});

afterAll(async () => {
  await session?.stop();
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

describe('uploading a plugin at /admin/plugins', () => {
  it('opens the upload dialog', async () => {
    await signIn(page, 'admin', ADMIN_PASSWORD);
    await page.getByTestId('nav-admin-plugins').click();
    await page.getByTestId('admin-plugins').waitFor();
    expect(await page.getByTestId(`plugin-row-${ID}`).count()).toBe(0);

    await page.getByTestId('plugins-upload').click();
    await page.getByTestId('plugin-upload-form').waitFor();
    await page.getByRole('heading', { name: 'Upload a plugin' }).waitFor();
  });

  it('shows a checksum that does not match the package at the checksum field', async () => {
    const good = packed('good', manifest);
    const other = packed('other', { ...manifest, version: '0.2.0' });
    await upload({ tgz: good.tgz, sha256: other.sha256 });
    await waitForText(page.getByTestId('plugin-upload-error'), 'Some fields need your attention.');
    await waitForText(page.getByTestId('plugin-upload-checksum-error'), /^Does not match the package/);
    expect(await page.getByTestId('plugin-upload-package-error').count()).toBe(0);
  });

  it('lists the problems of a package whose manifest is invalid', async () => {
    const broken = packed('broken', {
      ...manifest,
      contributes: { routes: [{ method: 'GET', path: '/x', auth: 'everyone', handler: 'x' }] },
    });
    await upload(broken);
    await waitForText(page.getByTestId('plugin-upload-error'), 'The plugin package cannot be installed.');
    await waitForText(
      page.getByTestId('plugin-upload-issues'),
      /\/contributes\/routes\/0\/auth Invalid option/,
    );
    expect(await page.getByTestId('plugin-upload-checksum-error').count()).toBe(0);
    await screenshot('plugin-upload-invalid');
  });

  it('installs a good package disabled, lists it and highlights it', async () => {
    await upload(packed('good', manifest));
    await page.getByTestId('plugin-upload-form').waitFor({ state: 'detached' });
    await waitForText(
      page.getByTestId('plugins-notice'),
      'Uploaded Greeter 0.1.0 was installed. It stays disabled until you enable it.',
    );
    const row = page.getByTestId(`plugin-row-${ID}`);
    await row.waitFor();
    expect(await row.getAttribute('data-uploaded')).toBe('true');
    await waitForText(page.getByTestId(`plugin-uploaded-${ID}`), 'Just uploaded');
    await waitForText(page.getByTestId(`plugin-state-${ID}`), /Installed|Disabled/);
    await page.getByTestId(`plugin-enable-${ID}`).waitFor();
    await screenshot('plugin-uploaded');

    const admin = await adminClient(session.kernel);
    const res = await admin.get(`/api/admin/plugins/${ID}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: ID, version: '0.1.0', firstParty: false, granted: {} });

    // Still there after a reload, no longer highlighted.
    await page.reload();
    await waitForText(page.getByTestId(`plugin-row-${ID}`), 'Uploaded Greeter');
    expect(await page.getByTestId(`plugin-row-${ID}`).getAttribute('data-uploaded')).toBeNull();
  });

  it('removes the uploaded plugin after a confirmation; a bundled plugin has no Remove', async () => {
    await page.getByTestId('plugin-row-hello-wasm').waitFor();
    expect(await page.getByTestId('plugin-remove-hello-wasm').count()).toBe(0);
    await page.getByTestId(`plugin-remove-${ID}`).click();
    const dialog = page.getByTestId('plugin-remove-dialog');
    await waitForText(dialog, 'Its data, granted permissions and settings are kept');
    // Cancelling leaves it installed.
    await page.getByTestId('plugin-remove-cancel').click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByTestId(`plugin-row-${ID}`).waitFor();

    await page.getByTestId(`plugin-remove-${ID}`).click();
    await page.getByTestId('plugin-remove-confirm').click();
    await waitForText(page.getByTestId('plugins-notice'), 'Uploaded Greeter was removed.');
    await page.getByTestId(`plugin-row-${ID}`).waitFor({ state: 'detached' });
    await screenshot('plugin-removed');

    const admin = await adminClient(session.kernel);
    expect((await admin.get(`/api/admin/plugins/${ID}`)).status).toBe(404);
    await page.reload();
    await page.getByTestId('plugins-table').waitFor();
    expect(await page.getByTestId(`plugin-row-${ID}`).count()).toBe(0);
  });
});
