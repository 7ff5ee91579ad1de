import type { Kernel } from '@goatflow/kernel';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { launchBrowser, waitForText } from '../support/browser.js';
import { freshDatabase, type TestDatabase } from '../support/database.js';
import { ADMIN_PASSWORD, startTestKernel } from '../support/kernel.js';

let db: TestDatabase;
let kernel: Kernel;
let browser: Browser;
let context: BrowserContext;

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

beforeEach(async () => {
  await context?.close();
  context = await browser.newContext({ baseURL: kernel.url, locale: 'en-US' });
});

async function signIn(login: string, password: string) {
  const page = await context.newPage();
  await page.goto('/');
  await page.getByTestId('login-input').fill(login);
  await page.getByTestId('password-input').fill(password);
  await page.getByTestId('login-submit').click();
  return page;
}

describe('signing in and out in Chromium', () => {
  it('an unauthenticated visitor is sent to the login page', async () => {
    const page = await context.newPage();
    await page.goto('/admin/users');
    await page.getByTestId('login-form').waitFor();
    expect(new URL(page.url()).pathname).toBe('/login');
  });

  it('the admin signs in and sees the dashboard with its widget slots', async () => {
    const page = await signIn('admin', ADMIN_PASSWORD);
    await page.getByTestId('dashboard').waitFor();
    await waitForText(page.getByTestId('dashboard'), 'GoatFlow');
    await page.getByTestId('widget-slot-dashboard.main').waitFor();
    expect(new URL(page.url()).pathname).toBe('/');
  });

  it('a wrong password shows an error and no session', async () => {
    const page = await signIn('admin', 'not-the-password');
    await page.getByTestId('login-error').waitFor({ state: 'visible' });
    await waitForText(page.getByTestId('login-error'), /wrong|incorrect|invalid/i);
    const cookies = await context.cookies();
    expect(cookies.find((c) => c.name === 'gf_session')).toBeUndefined();
  });

  it('logout ends the session', async () => {
    const page = await signIn('admin', ADMIN_PASSWORD);
    await page.getByTestId('dashboard').waitFor();
    const toggle = page.getByTestId('user-menu-toggle');
    if (await toggle.count()) await toggle.click();
    await page.getByTestId('logout-button').click();
    await page.getByTestId('login-form').waitFor();
    await page.goto('/');
    await page.getByTestId('login-form').waitFor();
    const me = await page.request.get('/api/auth/me');
    expect(me.status()).toBe(401);
  });

  it('an admin creates an agent, who can then sign in', async () => {
    const page = await signIn('admin', ADMIN_PASSWORD);
    await page.getByTestId('dashboard').waitFor();
    await page.getByTestId('nav-admin-users').click();
    await page.getByTestId('users-table').waitFor();
    await page.getByTestId('new-user-button').click();
    const form = page.getByTestId('user-form');
    await form.waitFor();
    await page.getByTestId('user-form-login').fill('marta');
    await page.getByTestId('user-form-type').selectOption('agent');
    await page.getByTestId('user-form-first-name').fill('Marta');
    await page.getByTestId('user-form-last-name').fill('Nowak');
    await page.getByTestId('user-form-email').fill('marta@example.com');
    await page.getByTestId('user-form-password').fill('marta-password-1');
    await page.getByTestId('user-form-submit').click();
    await page.getByTestId('user-row-marta').waitFor();

    await context.clearCookies();
    const agentPage = await signIn('marta', 'marta-password-1');
    await agentPage.getByTestId('dashboard').waitFor();
    await waitForText(agentPage.getByTestId('dashboard'), 'Marta');
    // An agent is not an admin: no admin navigation, and the admin pages are not found.
    expect(await agentPage.getByTestId('nav-admin-users').count()).toBe(0);
    await agentPage.goto('/admin/users');
    await agentPage.getByTestId('not-found').waitFor();
  });

  it('the form shows the field that the server rejected', async () => {
    const page = await signIn('admin', ADMIN_PASSWORD);
    await page.getByTestId('dashboard').waitFor();
    await page.goto('/admin/users');
    await page.getByTestId('new-user-button').click();
    await page.getByTestId('user-form-login').fill('admin');
    await page.getByTestId('user-form-first-name').fill('Dup');
    await page.getByTestId('user-form-last-name').fill('Licate');
    await page.getByTestId('user-form-email').fill('dup@example.com');
    await page.getByTestId('user-form-password').fill('another-password');
    await page.getByTestId('user-form-submit').click();
    await waitForText(page.getByTestId('user-form'), /taken|exists|vergeben/i);
  });
});
