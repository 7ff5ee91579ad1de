/**
 * Plugins in the web shell, in Chromium: an admin grants and enables a real gRPC plugin at /admin/plugins by
 * clicking, its widget (showing what the plugin's own route answers), menu entries and page appear; disabling
 * and enabling again take them away and bring them back with no page reload and no kernel restart; the plugin's
 * log is readable on the admin page. Set GOATFLOW_SCREENSHOT_DIR to keep screenshots of the pages.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type BrowserSession,
  screenshot,
  signIn,
  startBrowserSession,
  waitForText,
} from '../support/browser.js';
import { ADMIN_PASSWORD, adminClient } from '../support/kernel.js';

const pluginDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'plugins');
const PLUGIN = 'hello-widget';

let session: BrowserSession;
/** The admin's one page for the whole lifecycle: that it is never reloaded is part of what is tested. */
let page: Page;

async function openPluginAdmin(): Promise<void> {
  await page.getByTestId('nav-admin-plugins').click();
  await page.getByTestId(`plugin-row-${PLUGIN}`).waitFor();
}

async function openDashboard(): Promise<void> {
  await page.getByTestId('nav-dashboard').click();
  await page.getByTestId('dashboard').waitFor();
}

/** Whether the document is still the one loaded at sign-in (a reload would drop the marker). */
async function sameDocument(): Promise<boolean> {
  return page.evaluate(() => (window as unknown as { gfTestMarker?: string }).gfTestMarker === 'no-reload');
}

beforeAll(async () => {
  session = await startBrowserSession({
    kernel: { env: { GOATFLOW_PLUGIN_DIR: pluginDir } },
    viewport: { width: 1360, height: 860 },
  });
  page = session.page;
});

afterAll(async () => {
  await session?.stop();
});

describe('a plugin at /admin/plugins and in the shell', () => {
  it('lists a third-party plugin as installed with nothing granted, and a broken one with its problems', async () => {
    await signIn(page, 'admin', ADMIN_PASSWORD);
    await page.evaluate(() => {
      (window as unknown as { gfTestMarker?: string }).gfTestMarker = 'no-reload';
    });
    // Nothing from the plugin before it is enabled.
    expect(await page.getByTestId(`widget-${PLUGIN}-hello`).count()).toBe(0);
    expect(await page.getByTestId(`menu-${PLUGIN}-hello`).count()).toBe(0);

    await openPluginAdmin();
    await page.getByTestId('plugins-table').waitFor();
    await waitForText(page.getByTestId(`plugin-state-${PLUGIN}`), 'Installed');
    const row = page.getByTestId(`plugin-row-${PLUGIN}`);
    await waitForText(row, 'Hello Widget');
    await waitForText(row, 'gRPC');
    await waitForText(row, 'Third-party');
    const permissions = page.getByTestId(`plugin-permissions-${PLUGIN}`).locator('li');
    expect(
      await permissions.evaluateAll((items) => items.map((li) => li.getAttribute('data-granted'))),
    ).toEqual(['false', 'false']);

    await waitForText(page.getByTestId('plugin-state-broken-manifest'), 'Failed');
    await waitForText(page.getByTestId('plugin-issues-broken-manifest'), '/contributes/routes/0/auth');
    await page.getByTestId('plugin-enable-broken-manifest').click();
    // Its manifest could not be read, so the kernel names it by its id.
    await waitForText(page.getByTestId('plugins-error'), 'broken-manifest could not be enabled.');
    await waitForText(page.getByTestId('plugins-error-detail'), /invalid manifest/);
  });

  it('refuses to enable before the grant, then the admin grants and enables it by clicking', async () => {
    await page.getByTestId(`plugin-enable-${PLUGIN}`).click();
    await waitForText(page.getByTestId('plugins-error'), 'Hello Widget could not be enabled.');
    await waitForText(page.getByTestId('plugins-error-detail'), /not granted: cache, i18n/);
    await screenshot(page, 'admin-plugins-refused');

    await page.getByTestId(`plugin-grant-${PLUGIN}`).click();
    await waitForText(page.getByTestId('plugins-notice'), 'granted');
    await page.getByTestId(`plugin-grant-${PLUGIN}`).waitFor({ state: 'detached' });
    const permissions = page.getByTestId(`plugin-permissions-${PLUGIN}`).locator('li');
    expect(
      await permissions.evaluateAll((items) => items.map((li) => li.getAttribute('data-granted'))),
    ).toEqual(['true', 'true']);

    await page.getByTestId(`plugin-enable-${PLUGIN}`).click();
    await waitForText(page.getByTestId(`plugin-state-${PLUGIN}`), 'Enabled', 30_000);
    await waitForText(page.getByTestId(`plugin-health-${PLUGIN}`), /Running · PID \d+/);
    await page.getByTestId(`plugin-disable-${PLUGIN}`).waitFor();
    // The shell's menus follow at once, on this very page.
    await waitForText(page.getByTestId(`menu-${PLUGIN}-hello`), 'Hello');
    await waitForText(page.getByTestId(`menu-${PLUGIN}-settings`), 'Hello settings');
    await screenshot(page, 'admin-plugins');
  });

  it('shows the widget with the greeting from the plugin route, its menu entry and its page', async () => {
    await openDashboard();
    const widget = page.getByTestId(`widget-${PLUGIN}-hello`);
    await waitForText(widget, 'Greetings');
    await waitForText(
      page.getByTestId('hello-greeting'),
      'Hello, admin! This greeting comes from the hello-widget',
    );
    await waitForText(page.getByTestId('hello-count'), /Greetings since the plugin started: \d+/);
    await screenshot(page, 'dashboard-widget');

    await page.getByTestId(`menu-${PLUGIN}-hello`).click();
    await page.getByTestId(`plugin-page-${PLUGIN}-hello`).waitFor();
    await waitForText(page.getByTestId('hello-page-content'), 'Hello, admin!');
    expect(new URL(page.url()).pathname).toBe('/hello');
    expect(await page.title()).toBe('Hello page · GoatFlow');
    await screenshot(page, 'plugin-page');

    // A menu entry without a page of that path is an unknown page.
    await page.getByTestId(`menu-${PLUGIN}-settings`).click();
    await page.getByTestId('not-found').waitFor();
    expect(await sameDocument()).toBe(true);
  });

  it('disabling takes widget, menu entries and page away with no reload', async () => {
    await openPluginAdmin();
    await page.getByTestId(`plugin-disable-${PLUGIN}`).click();
    await waitForText(page.getByTestId(`plugin-state-${PLUGIN}`), 'Disabled');
    await page.getByTestId(`menu-${PLUGIN}-hello`).waitFor({ state: 'detached' });
    expect(await page.getByTestId(`menu-${PLUGIN}-settings`).count()).toBe(0);

    await openDashboard();
    await page.getByTestId('widget-slot-dashboard.main').waitFor();
    await page.getByTestId(`widget-${PLUGIN}-hello`).waitFor({ state: 'detached' });
    expect(await page.getByTestId(`menu-${PLUGIN}-hello`).count()).toBe(0);

    await page.goto('/hello');
    await page.getByTestId('not-found').waitFor();
    await page.goBack();
    await page.getByTestId('dashboard').waitFor();
    // goto/goBack left the document; from here on a new marker proves there is no reload.
    await page.evaluate(() => {
      (window as unknown as { gfTestMarker?: string }).gfTestMarker = 'no-reload';
    });
  });

  it('enabling again brings them back, still with no reload; a full reload shows them too', async () => {
    await openPluginAdmin();
    await page.getByTestId(`plugin-enable-${PLUGIN}`).click();
    await waitForText(page.getByTestId(`plugin-state-${PLUGIN}`), 'Enabled', 30_000);
    await page.getByTestId(`menu-${PLUGIN}-hello`).waitFor();

    await openDashboard();
    await waitForText(page.getByTestId('hello-greeting'), 'Hello, admin!');
    expect(await sameDocument()).toBe(true);

    await page.reload();
    await waitForText(page.getByTestId('hello-greeting'), 'Hello, admin!');
    await page.getByTestId(`menu-${PLUGIN}-hello`).waitFor();
    await page.goto('/hello');
    await waitForText(page.getByTestId('hello-page-content'), 'Hello, admin!');
  });

  it('shows the plugin log at /admin/plugins, filtered by level', async () => {
    await page.goto('/admin/plugins');
    await page.getByTestId(`plugin-logs-${PLUGIN}`).click();
    const lines = page.getByTestId('plugin-log-line');
    await waitForText(lines, 'enabled version 1.2.0');
    await waitForText(lines, 'greeted admin');
    await screenshot(page, 'admin-plugins-log');

    // `info` lines are below `warn`: they go (the plugin's stderr, if any, would stay as `warn` lines).
    await page.getByTestId('plugin-log-level').selectOption('warn');
    await lines.filter({ hasText: 'greeted admin' }).first().waitFor({ state: 'detached' });
    expect(await lines.filter({ hasText: 'enabled version' }).count()).toBe(0);

    await page.getByTestId('plugin-log-level').selectOption('info');
    await waitForText(lines, 'enabled version 1.2.0');
    expect(await lines.count()).toBeGreaterThanOrEqual(2);
  });

  it('an agent sees the widget, menu entry and page in their language, and no admin entry', async () => {
    const admin = await adminClient(session.kernel);
    const created = await admin.post('/api/admin/users', {
      login: 'greta',
      type: 'agent',
      firstName: 'Greta',
      lastName: 'Gruber',
      email: 'greta@example.com',
      password: 'greta-password-1',
      locale: 'de',
    });
    expect(created.status).toBe(201);

    const agentContext = await session.browser.newContext({ baseURL: session.kernel.url, locale: 'en-US' });
    try {
      const agentPage = await agentContext.newPage();
      await signIn(agentPage, 'greta', 'greta-password-1');
      await waitForText(agentPage.getByTestId(`widget-${PLUGIN}-hello`), 'Grüße');
      await waitForText(agentPage.getByTestId('hello-greeting'), 'Hallo, greta!');
      await waitForText(agentPage.getByTestId(`menu-${PLUGIN}-hello`), 'Hallo');
      expect(await agentPage.getByTestId(`menu-${PLUGIN}-settings`).count()).toBe(0);
      expect(await agentPage.getByTestId('nav-admin-plugins').count()).toBe(0);
      await agentPage.getByTestId(`menu-${PLUGIN}-hello`).click();
      await waitForText(agentPage.getByTestId(`plugin-page-${PLUGIN}-hello`), 'Hallo-Seite');
      await agentPage.goto('/admin/plugins');
      await agentPage.getByTestId('not-found').waitFor();
    } finally {
      await agentContext.close();
    }
  });
});
