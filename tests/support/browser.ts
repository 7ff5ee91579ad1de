/**
 * Chromium for browser tests, driven by playwright-core: the system's Chromium (Playwright's own download does not
 * work on our machines), headless, with the background services off so it makes no outside connections.
 * @module
 */
import fs from 'node:fs';
import { type Browser, chromium, type Locator } from 'playwright-core';

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
