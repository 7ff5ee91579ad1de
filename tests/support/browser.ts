/**
 * Chromium for browser tests, driven by playwright-core: the system's Chromium (Playwright's own download does not
 * work on our machines), headless, with the background services off so it makes no outside connections.
 * @module
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Kernel } from '@goatflow/kernel';
import { type Browser, type BrowserContext, chromium, type Locator, type Page } from 'playwright-core';
import { freshDatabase, type TestDatabase } from './database.js';
import { startTestKernel, type TestKernelOptions } from './kernel.js';

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

export function chromiumPath(): string {
  const configured = process.env.GOATFLOW_CHROMIUM;
  const found = configured ?? CANDIDATES.find((p) => fs.existsSync(p));
  if (!found || !fs.existsSync(found)) {
    throw new Error(
      'Chromium not found: run `npm test` (it installs or explains), or set GOATFLOW_CHROMIUM.',
    );
  }
  return found;
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

/** Waits until the element shows matching text (Playwright's auto-waiting, without @playwright/test's expect). */
export async function waitForText(locator: Locator, text: string | RegExp, timeout = 10_000): Promise<void> {
  await locator.filter({ hasText: text }).first().waitFor({ state: 'visible', timeout });
}

/** A kernel on a fresh database with a browser page pointed at it: what most browser suites start from. */
export interface BrowserSession {
  db: TestDatabase;
  kernel: Kernel;
  browser: Browser;
  context: BrowserContext;
  page: Page;
  stop(): Promise<void>;
}

export async function startBrowserSession(
  options: {
    kernel?: Omit<TestKernelOptions, 'databaseUrl'>;
    viewport?: { width: number; height: number };
  } = {},
): Promise<BrowserSession> {
  const db = await freshDatabase();
  const kernel = await startTestKernel({ ...options.kernel, databaseUrl: db.url });
  const browser = await launchBrowser();
  const context = await browser.newContext({
    baseURL: kernel.url,
    locale: 'en-US',
    viewport: options.viewport ?? { width: 1360, height: 900 },
  });
  const page = await context.newPage();
  return {
    db,
    kernel,
    browser,
    context,
    page,
    async stop() {
      await context.close();
      await browser.close();
      await kernel.stop();
      await db.drop();
    },
  };
}

/** Signs in through the login page and waits for the dashboard. */
export async function signIn(page: Page, login: string, password: string): Promise<void> {
  await page.goto('/');
  await page.getByTestId('login-input').fill(login);
  await page.getByTestId('password-input').fill(password);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('dashboard').waitFor();
}

/** Keeps a full-page screenshot when GOATFLOW_SCREENSHOT_DIR is set (for reviewing the UI), else does nothing. */
export async function screenshot(page: Page, name: string): Promise<void> {
  const dir = process.env.GOATFLOW_SCREENSHOT_DIR;
  if (dir) await page.screenshot({ path: path.join(dir, `${name}.png`), fullPage: true });
}
