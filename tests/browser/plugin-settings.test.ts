/**
 * A plugin's settings at /admin/plugins, in Chromium: the form generated from the JSON Schema in the hello-widget
 * fixture's manifest shows the settings in effect (its defaults), the kernel's field errors appear at the fields
 * they name (nested ones too), fixed values are saved and still there after a reload, and the plugin's log says
 * its settings changed. Set GOATFLOW_SCREENSHOT_DIR to keep screenshots of the form.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
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

const pluginDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'plugins');
const PLUGIN = 'hello-widget';

let session: BrowserSession;
let page: Page;

const field = (key: string) => page.getByTestId(`plugin-settings-field-${key}`);
const fieldError = (key: string) => page.getByTestId(`plugin-settings-field-${key}-error`);

const screenshot = (name: string) => keep(page, name);

async function openSettings(): Promise<void> {
  await page.getByTestId(`plugin-settings-${PLUGIN}`).click();
  await page.getByTestId('plugin-settings').waitFor();
}

beforeAll(async () => {
  session = await startBrowserSession({
    kernel: { env: { GOATFLOW_PLUGIN_DIR: pluginDir } },
    viewport: { width: 1360, height: 1000 },
  });
  page = session.page;
});

afterAll(async () => {
  await session?.stop();
});

describe('plugin settings at /admin/plugins', () => {
  it('offers Settings only for a plugin with a settings schema, as a form with the values in effect', async () => {
    await signIn(page, 'admin', ADMIN_PASSWORD);
    await page.getByTestId('nav-admin-plugins').click();
    await page.getByTestId(`plugin-row-${PLUGIN}`).waitFor();
    expect(await page.getByTestId('plugin-settings-broken-manifest').count()).toBe(0);

    await openSettings();
    await page.getByRole('heading', { name: 'Settings of Hello Widget' }).waitFor();
    await waitForText(page.getByTestId('plugin-settings'), 'How the widget greets people.');
    // The manifest's settingsDefaults are what is in effect before anything was saved.
    expect(await field('greeting').inputValue()).toBe('Hello');
    expect(await field('maxGreetings').inputValue()).toBe('10');
    expect(await field('maxGreetings').getAttribute('type')).toBe('number');
    expect(await field('maxGreetings').getAttribute('max')).toBe('100');
    expect(await field('style').inputValue()).toBe('"friendly"');
    expect(await field('showCount').isChecked()).toBe(true);
    expect(await field('reportTo').inputValue()).toBe('');
    expect(await field('contact.email').getAttribute('type')).toBe('email');
    // Labels from `title`, with the required ones marked.
    await waitForText(page.getByText('Greetings per minute'), 'Greetings per minute');
    expect(await field('greeting').getAttribute('required')).not.toBeNull();
    expect(await field('maxGreetings').getAttribute('required')).toBeNull();
    await screenshot('plugin-settings');
  });

  it("shows the kernel's field errors at the fields they name, nested ones too", async () => {
    await field('greeting').fill('');
    await field('maxGreetings').fill('500');
    await field('contact.email').fill('not-an-email');
    await page.getByTestId('plugin-settings-submit').click();

    await waitForText(page.getByTestId('plugin-settings-error'), 'Some fields need your attention.');
    await waitForText(fieldError('greeting'), 'This field is required.');
    await waitForText(fieldError('maxGreetings'), 'Must be at most 100.');
    await waitForText(fieldError('contact.email'), 'Enter a valid email address.');
    expect(await field('maxGreetings').getAttribute('aria-invalid')).toBe('true');
    expect(await fieldError('style').count()).toBe(0);
    await screenshot('plugin-settings-errors');

    // Nothing was saved.
    const admin = await adminClient(session.kernel);
    const res = await admin.get(`/api/admin/plugins/${PLUGIN}`);
    expect(res.body.settings.maxGreetings).toBe(10);
  });

  it('saves the fixed values, typed, and shows them again after a reload', async () => {
    await field('greeting').fill('Servus');
    await field('maxGreetings').fill('25');
    await field('contact.email').fill('greta@example.com');
    await field('style').selectOption('"formal"');
    await field('showCount').uncheck();
    await field('reportTo').fill('a@example.com\n\nb@example.com\n');
    await page.getByTestId('plugin-settings-submit').click();

    await waitForText(page.getByTestId('plugin-settings-saved'), 'Saved.');
    expect(await page.getByTestId('plugin-settings-error').count()).toBe(0);
    expect(await fieldError('maxGreetings').count()).toBe(0);

    const admin = await adminClient(session.kernel);
    const res = await admin.get(`/api/admin/plugins/${PLUGIN}`);
    expect(res.body.settings).toEqual({
      greeting: 'Servus',
      maxGreetings: 25,
      style: 'formal',
      showCount: false,
      reportTo: ['a@example.com', 'b@example.com'],
      contact: { email: 'greta@example.com' },
    });

    await page.reload();
    await page.getByTestId(`plugin-row-${PLUGIN}`).waitFor();
    await openSettings();
    expect(await field('greeting').inputValue()).toBe('Servus');
    expect(await field('maxGreetings').inputValue()).toBe('25');
    expect(await field('style').inputValue()).toBe('"formal"');
    expect(await field('showCount').isChecked()).toBe(false);
    expect(await field('reportTo').inputValue()).toBe('a@example.com\nb@example.com');
    expect(await field('contact.email').inputValue()).toBe('greta@example.com');
  });

  it('Reset returns to the values in effect', async () => {
    await field('greeting').fill('Changed');
    await field('maxGreetings').fill('3');
    await page.getByTestId('plugin-settings-reset').click();
    expect(await field('greeting').inputValue()).toBe('Servus');
    expect(await field('maxGreetings').inputValue()).toBe('25');
  });

  it("the plugin's log says its settings changed", async () => {
    await page.keyboard.press('Escape');
    await page.getByTestId('plugin-settings').waitFor({ state: 'detached' });
    await page.getByTestId(`plugin-logs-${PLUGIN}`).click();
    await waitForText(page.getByTestId('plugin-log-line'), 'settings changed');
  });
});
