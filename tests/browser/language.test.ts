import type { Kernel } from '@goatflow/kernel';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, waitForText } from '../support/browser.js';
import { freshDatabase, type TestDatabase } from '../support/database.js';
import { ApiClient } from '../support/http-client.js';
import { ADMIN_PASSWORD, adminClient, startTestKernel } from '../support/kernel.js';

let db: TestDatabase;
let kernel: Kernel;
let browser: Browser;

beforeAll(async () => {
  db = await freshDatabase();
  kernel = await startTestKernel({ databaseUrl: db.url });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await kernel?.stop();
  await db?.drop();
});

describe('the language is a user preference', () => {
  it('a German browser gets the German login page before sign-in', async () => {
    const context = await browser.newContext({ baseURL: kernel.url, locale: 'de-DE' });
    const page = await context.newPage();
    await page.goto('/login');
    await page.getByText('Bei GoatFlow anmelden').waitFor();
    await waitForText(page.getByTestId('login-submit'), 'Anmelden');
    await context.close();
  });

  it('switching to Deutsch in the user menu re-renders at once and sticks across sign-ins', async () => {
    const context = await browser.newContext({ baseURL: kernel.url, locale: 'en-US' });
    const page = await context.newPage();
    await page.goto('/login');
    await page.getByTestId('login-input').fill('admin');
    await page.getByTestId('password-input').fill(ADMIN_PASSWORD);
    await page.getByTestId('login-submit').click();
    await waitForText(page.getByTestId('dashboard'), 'Hello, GoatFlow!');

    await page.getByTestId('user-menu-toggle').click();
    await page.getByTestId('language-select').selectOption('de');
    await waitForText(page.getByTestId('dashboard'), 'Hallo, GoatFlow!');

    const api = await adminClient(kernel);
    const me = await api.get('/api/auth/me');
    expect(me.body.user.locale).toBe('de');

    // An English browser, a new session: the stored preference wins.
    const fresh = await browser.newContext({ baseURL: kernel.url, locale: 'en-US' });
    const again = await fresh.newPage();
    await again.goto('/login');
    await again.getByTestId('login-input').fill('admin');
    await again.getByTestId('password-input').fill(ADMIN_PASSWORD);
    await again.getByTestId('login-submit').click();
    await waitForText(again.getByTestId('dashboard'), 'Hallo, GoatFlow!');
    await fresh.close();
    await context.close();

    const reset = new ApiClient(kernel.url);
    await reset.login('admin', ADMIN_PASSWORD);
    expect((await reset.patch('/api/auth/me', { locale: 'en' })).status).toBe(200);
  });
});
