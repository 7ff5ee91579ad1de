/**
 * `GoatflowWidget` (`@goatflow/sdk/widget`) in Chromium, on the real dashboard: a test widget written like a
 * plugin author's (tests/fixtures/widget/probe-widget.ts, bundled with esbuild and lit) in a gRPC plugin whose
 * routes the test steers (tests/fixtures/widget/probe-plugin.ts). Loading, content, error and Retry, aborting,
 * the refresh interval and its pause on a hidden page, a CSRF-protected POST, the theme tokens and the language
 * switch are all checked against the real kernel.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import type { Locator, Page, Request } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BrowserSession, signIn, startBrowserSession, waitForText } from '../support/browser.js';
import type { ApiClient } from '../support/http-client.js';
import { ADMIN_PASSWORD, adminClient } from '../support/kernel.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '..', '..');
const fixtures = path.join(here, '..', 'fixtures', 'widget');
const PLUGIN = 'widget-probe';
const GREETING_PATH = `/api/plugins/${PLUGIN}/greeting`;

type ProbeElement = HTMLElement & {
  state: string;
  error: unknown;
  data: { load: number } | undefined;
  refreshSeconds: number | null | undefined;
  refresh(): Promise<void>;
};

let pluginRoot: string;
let session: BrowserSession;
let page: Page;
let admin: ApiClient;

/** Builds the plugin folder: its manifest, and the widget bundled the way `goatflow-plugin build` bundles one. */
async function writeProbePlugin(root: string): Promise<void> {
  const dir = path.join(root, PLUGIN);
  await fs.mkdir(path.join(dir, 'web'), { recursive: true });
  await build({
    entryPoints: [path.join(fixtures, 'probe-widget.ts')],
    outfile: path.join(dir, 'web', 'probe-widget.js'),
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    conditions: ['@goatflow/source'],
    logLevel: 'silent',
  });
  // The plugin runs the fixture's TypeScript from the repository through tsx, named by absolute paths because
  // the plugin folder is outside the repository (and so outside its node_modules).
  const tsx = pathToFileURL(path.join(repoRoot, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;
  const manifest = {
    id: PLUGIN,
    version: '1.0.0',
    name: 'Widget probe',
    description: 'A test plugin whose widget extends GoatflowWidget.',
    kernelApi: '^1.0.0',
    runtime: 'grpc',
    entry: {
      command: 'node',
      args: ['--conditions=@goatflow/source', '--import', tsx, path.join(fixtures, 'probe-plugin.ts')],
    },
    permissions: {},
    contributes: {
      assets: 'web',
      routes: [
        { method: 'GET', path: '/greeting', auth: 'user', handler: 'greeting' },
        { method: 'POST', path: '/click', auth: 'user', handler: 'click' },
        { method: 'PUT', path: '/control', auth: 'admin', handler: 'control' },
        { method: 'GET', path: '/stats', auth: 'admin', handler: 'stats' },
      ],
      widgets: [
        {
          id: 'probe',
          slot: 'dashboard.main',
          title: 'probe.title',
          element: 'gf-widget-probe',
          module: 'web/probe-widget.js',
          auth: 'user',
        },
      ],
    },
  };
  await fs.writeFile(path.join(dir, 'goatflow-plugin.json'), JSON.stringify(manifest, null, 2));
}

async function control(body: { delayMs?: number; failWith?: string | null }): Promise<void> {
  const res = await admin.put(`/api/plugins/${PLUGIN}/control`, body);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
}

/** The widget on the dashboard (Playwright locators pierce its shadow root). */
function probe(): Locator {
  return page.locator('gf-widget-probe').first();
}

/** The load number the widget shows. */
async function shownLoad(widget: Locator = probe()): Promise<number> {
  return widget.evaluate((el) => (el as ProbeElement).data?.load ?? -1);
}

/** Records the page's requests to the probe's greeting route, and which of them were aborted. */
function watchGreetings() {
  const started: Request[] = [];
  const aborted: Request[] = [];
  const onRequest = (request: Request) => {
    if (new URL(request.url()).pathname === GREETING_PATH) started.push(request);
  };
  const onFailed = (request: Request) => {
    if (new URL(request.url()).pathname === GREETING_PATH) aborted.push(request);
  };
  page.on('request', onRequest);
  page.on('requestfailed', onFailed);
  return {
    started,
    aborted,
    stop() {
      page.off('request', onRequest);
      page.off('requestfailed', onFailed);
    },
  };
}

/** Picks a language in the user menu, as a user would. */
async function switchLanguage(language: 'en' | 'de'): Promise<void> {
  const select = page.getByTestId('language-select');
  if (!(await select.isVisible())) await page.getByTestId('user-menu-toggle').click();
  await select.selectOption(language);
}

/** Pretends the tab is hidden or shown again: what a browser reports when the user switches tabs. */
async function setPageVisibility(state: 'hidden' | 'visible'): Promise<void> {
  await page.evaluate((value) => {
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => value });
    Object.defineProperty(document, 'hidden', { configurable: true, get: () => value === 'hidden' });
    document.dispatchEvent(new Event('visibilitychange'));
  }, state);
}

beforeAll(async () => {
  pluginRoot = await fs.mkdtemp(path.join(os.tmpdir(), 'goatflow-widget-'));
  await writeProbePlugin(pluginRoot);
  session = await startBrowserSession({ kernel: { env: { GOATFLOW_PLUGIN_DIR: pluginRoot } } });
  page = session.page;
  admin = await adminClient(session.kernel);
  const enabled = await admin.post(`/api/admin/plugins/${PLUGIN}/enable`);
  expect(enabled.status, JSON.stringify(enabled.body)).toBe(200);
});

afterAll(async () => {
  await session?.stop();
  if (pluginRoot) await fs.rm(pluginRoot, { recursive: true, force: true });
});

describe('GoatflowWidget on the dashboard', () => {
  it('shows an accessible loading state, then the content the plugin route answers', async () => {
    await control({ delayMs: 1500 });
    await signIn(page, 'admin', ADMIN_PASSWORD);
    const status = probe().getByRole('status');
    await status.waitFor();
    expect(await status.getAttribute('aria-busy')).toBe('true');
    await waitForText(status, 'Loading…');
    expect(await probe().evaluate((el) => (el as ProbeElement).state)).toBe('loading');

    await control({ delayMs: 0 });
    await waitForText(probe().getByTestId('probe-greeting'), 'Hello, admin!');
    await status.waitFor({ state: 'detached' });
    expect(await probe().evaluate((el) => (el as ProbeElement).state)).toBe('ready');
    await waitForText(probe().getByTestId('probe-loads'), /^Load number \d+$/);
    // Marks this element, so later tests can tell it was kept rather than replaced.
    await probe().evaluate((el) => {
      (el as HTMLElement & { marker?: string }).marker = 'first';
    });
  });

  it('styles itself with the shell theme tokens, and a subclass extends the base styles', async () => {
    const colours = () =>
      probe().evaluate((el) => ({
        host: getComputedStyle(el).color,
        font: getComputedStyle(el).fontFamily,
        heading: getComputedStyle(el.shadowRoot?.querySelector('[data-testid="probe-heading"]') as Element)
          .color,
        shellFont: getComputedStyle(document.documentElement).getPropertyValue('--gf-font-family').trim(),
      }));
    const before = await colours();
    expect(before.host).toBe('rgb(28, 38, 48)'); // --gf-color-text of the Classic theme
    expect(before.heading).toBe('rgb(15, 122, 107)'); // --gf-color-primary, from the subclass's own styles
    expect(before.font.replace(/\s+/g, ' ')).toBe(before.shellFont.replace(/\s+/g, ' '));

    // Changing the tokens on the document changes the widget: it reads them, not copies of them.
    await page.evaluate(() => {
      document.documentElement.style.setProperty('--gf-color-text', 'rgb(1, 2, 3)');
      document.documentElement.style.setProperty('--gf-color-primary', 'rgb(4, 5, 6)');
    });
    const after = await colours();
    expect(after.host).toBe('rgb(1, 2, 3)');
    expect(after.heading).toBe('rgb(4, 5, 6)');
    await page.evaluate(() => {
      document.documentElement.style.removeProperty('--gf-color-text');
      document.documentElement.style.removeProperty('--gf-color-primary');
    });
  });

  it('shows the error with a Retry button when the route fails, keeps the last data, and Retry recovers', async () => {
    const before = await shownLoad();
    await control({ failWith: 'The probe is down for a test.' });
    // What the shell does every refreshSeconds of the manifest.
    await probe().evaluate((el) => (el as ProbeElement).refresh());
    const alert = probe().getByRole('alert');
    await waitForText(alert, 'This widget could not load its data.');
    await waitForText(alert, 'The probe is down for a test.');
    const failure = await probe().evaluate((el) => {
      const error = (el as ProbeElement).error as { name: string; status: number; code: string };
      return { state: (el as ProbeElement).state, name: error.name, status: error.status, code: error.code };
    });
    expect(failure).toEqual({
      state: 'error',
      name: 'ApiRequestError',
      status: 503,
      code: 'probe_unavailable',
    });
    // The last data stays below the error.
    await waitForText(probe().getByTestId('probe-greeting'), 'Hello, admin!');
    expect(await shownLoad()).toBe(before);

    await control({ failWith: null });
    await alert.getByRole('button', { name: 'Retry' }).click();
    await alert.waitFor({ state: 'detached' });
    expect(await shownLoad()).toBeGreaterThan(before);
    expect(await probe().evaluate((el) => (el as ProbeElement).state)).toBe('ready');
  });

  it('shows only the error, no content, when the very first load fails', async () => {
    await control({ failWith: 'Nothing to show yet.' });
    await page.evaluate(() => {
      const el = document.createElement('gf-widget-probe');
      el.dataset.testid = 'standalone-probe';
      document.body.append(el);
    });
    const standalone = page.getByTestId('standalone-probe');
    const alert = standalone.getByRole('alert');
    await waitForText(alert, 'Nothing to show yet.');
    expect(await standalone.getByTestId('probe-greeting').count()).toBe(0);

    await control({ failWith: null });
    await alert.getByRole('button', { name: 'Retry' }).click();
    await waitForText(standalone.getByTestId('probe-greeting'), 'Hello, admin!');
    await standalone.evaluate((el) => el.remove());
  });

  it('aborts a load in flight when a newer one starts or the element leaves the page', async () => {
    await control({ delayMs: 2000 });
    const greetings = watchGreetings();
    try {
      const before = await shownLoad();
      await probe().evaluate((el) => {
        void (el as ProbeElement).refresh();
        void (el as ProbeElement).refresh();
      });
      await expect.poll(() => greetings.aborted.length, { timeout: 5000 }).toBe(1);
      // Only the newer load lands; the content stays on screen (marked busy) while it runs.
      const content = probe().locator('.gf-widget-content');
      expect(await content.getAttribute('aria-busy')).toBe('true');
      await waitForText(probe().getByTestId('probe-greeting'), 'Hello, admin!');
      await expect
        .poll(() => probe().evaluate((el) => (el as ProbeElement).state), { timeout: 5000 })
        .toBe('ready');
      expect(await content.getAttribute('aria-busy')).toBe('false');
      // The aborted request may or may not have reached the plugin before it was cancelled.
      expect(await shownLoad()).toBeGreaterThan(before);
      expect(greetings.started).toHaveLength(2);

      // A standalone element removed while it loads stops its request.
      await page.evaluate(() => {
        const el = document.createElement('gf-widget-probe');
        el.id = 'leaving-probe';
        document.body.append(el);
      });
      await expect.poll(() => greetings.started.length).toBe(3);
      await page.evaluate(() => document.getElementById('leaving-probe')?.remove());
      await expect.poll(() => greetings.aborted.length, { timeout: 5000 }).toBe(2);
    } finally {
      greetings.stop();
      await control({ delayMs: 0 });
    }
  });

  it('refreshes every refreshSeconds while the page is visible and pauses while it is hidden', async () => {
    const greetings = watchGreetings();
    try {
      const first = await shownLoad();
      await probe().evaluate((el) => {
        (el as ProbeElement).refreshSeconds = 1;
      });
      await expect.poll(() => shownLoad(), { timeout: 5000 }).toBeGreaterThanOrEqual(first + 2);

      await setPageVisibility('hidden');
      // A load that had already started may still finish; after that, nothing while hidden.
      await page.waitForTimeout(500);
      const whileHidden = greetings.started.length;
      await page.waitForTimeout(2500);
      expect(greetings.started.length).toBe(whileHidden);

      // Shown again, the overdue refresh runs at once, and the interval goes on.
      // Within the 1 s interval: only the overdue refresh can have started it (900 ms leaves room for a busy CI).
      await setPageVisibility('visible');
      await expect.poll(() => greetings.started.length, { timeout: 900 }).toBeGreaterThan(whileHidden);
      await expect.poll(() => greetings.started.length, { timeout: 5000 }).toBeGreaterThan(whileHidden + 1);

      // The attribute works like the property; removing it stops the timer.
      await probe().evaluate((el) => {
        el.removeAttribute('refresh-seconds');
        (el as ProbeElement).refreshSeconds = null;
      });
      await page.waitForTimeout(500);
      const stopped = greetings.started.length;
      await page.waitForTimeout(2000);
      expect(greetings.started.length).toBe(stopped);
      await probe().evaluate((el) => el.setAttribute('refresh-seconds', '1'));
      await expect.poll(() => greetings.started.length, { timeout: 5000 }).toBeGreaterThan(stopped);
      await probe().evaluate((el) => el.removeAttribute('refresh-seconds'));
    } finally {
      greetings.stop();
      await setPageVisibility('visible');
    }
  });

  it('POSTs with the CSRF token it looked up once from /api/auth/me', async () => {
    const posts: Request[] = [];
    let meLookUps = 0;
    const onRequest = (request: Request) => {
      const url = new URL(request.url());
      if (url.pathname === `/api/plugins/${PLUGIN}/click`) posts.push(request);
      if (url.pathname === '/api/auth/me') meLookUps += 1;
    };
    page.on('request', onRequest);
    try {
      const button = probe().getByTestId('probe-click');
      await waitForText(button, 'Click (0 so far)');
      await button.click();
      await waitForText(probe().getByTestId('probe-click'), 'Click (1 so far)');
      await probe().getByTestId('probe-click').click();
      await waitForText(probe().getByTestId('probe-click'), 'Click (2 so far)');
    } finally {
      page.off('request', onRequest);
    }
    expect(posts).toHaveLength(2);
    for (const post of posts) {
      expect(post.method()).toBe('POST');
      expect(post.headers()['x-csrf-token']).toMatch(/^[\w-]{20,}$/);
      expect(post.headers()['content-type']).toBe('application/json');
      expect(post.postData()).toBe('{"by":1}');
      expect((await post.response())?.status()).toBe(200);
    }
    expect(meLookUps).toBe(1);
    const stats = await admin.get(`/api/plugins/${PLUGIN}/stats`);
    expect(stats.body.clicks).toBe(2);
  });

  it('re-renders its translated chrome when the user switches the language, keeping the element', async () => {
    await switchLanguage('de');
    await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe('de');
    await waitForText(probe().getByTestId('probe-heading'), 'Sonde');
    await waitForText(probe().getByTestId('probe-loads'), /^Ladevorgang Nummer \d+$/);
    await waitForText(probe().getByTestId('probe-click'), 'Klicken (bisher 2)');
    expect(await probe().evaluate((el) => (el as HTMLElement & { marker?: string }).marker)).toBe('first');

    // The base class's own chrome follows too.
    await control({ failWith: 'Sonde gestört.' });
    await probe().evaluate((el) => (el as ProbeElement).refresh());
    const alert = probe().getByRole('alert');
    await waitForText(alert, 'Dieses Widget konnte seine Daten nicht laden.');
    await control({ failWith: null });
    await alert.getByRole('button', { name: 'Erneut versuchen' }).click();
    await alert.waitFor({ state: 'detached' });

    await switchLanguage('en');
    await waitForText(probe().getByTestId('probe-heading'), 'Probe');
  });
});
