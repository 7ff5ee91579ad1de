/**
 * The API reference at /api-reference, in Chromium: reached from the user menu, it shows the merged OpenAPI
 * document of the enabled plugins by tag — an operation with its method, path, summary, who may call it,
 * parameters, request body and responses — filters operations, shows the document's texts as text (never as
 * markup) and loads nothing from outside the kernel (its CSP would refuse it). Set GOATFLOW_SCREENSHOT_DIR to
 * keep screenshots.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PluginFolder, waitFor } from '../fixtures/grpc/host-api-plugins.js';
import { writeNotesPlugin } from '../fixtures/openapi-plugin/folder.js';
import { NOTES_PLUGIN } from '../fixtures/openapi-plugin/plugin.js';
import {
  type BrowserSession,
  screenshot,
  signIn,
  startBrowserSession,
  waitForText,
} from '../support/browser.js';
import { ADMIN_PASSWORD, adminClient } from '../support/kernel.js';

let folder: PluginFolder;
let session: BrowserSession;
let page: Page;
/** What the browser refused or reported as broken while the page was in use. */
const problems: string[] = [];

beforeAll(async () => {
  folder = new PluginFolder();
  writeNotesPlugin(folder);
  session = await startBrowserSession({ kernel: { env: { GOATFLOW_PLUGIN_DIR: folder.dir } } });
  page = session.page;
  page.on('console', (message) => {
    // A 401 before sign-in is logged as a failed resource too; only refusals of the policy count here.
    if (/Content Security Policy|Refused to/.test(message.text())) problems.push(message.text());
  });
  page.on('pageerror', (error) => problems.push(error.message));
  page.on('request', (request) => {
    if (!request.url().startsWith(session.kernel.url)) problems.push(`request to ${request.url()}`);
  });
  const admin = await adminClient(session.kernel);
  expect((await admin.post(`/api/admin/plugins/${NOTES_PLUGIN}/enable`)).status).toBe(200);
  await waitFor('the notes plugin running', async () => {
    const health = (await admin.get(`/api/admin/plugins/${NOTES_PLUGIN}`)).body.health;
    return health?.state === 'running';
  });
});

afterAll(async () => {
  await session?.stop();
  folder?.remove();
});

describe('the API reference', () => {
  it('is linked from the user menu and lists the operations by tag', async () => {
    await signIn(page, 'admin', ADMIN_PASSWORD);
    await page.getByTestId('user-menu-toggle').click();
    await page.getByTestId('api-reference-link').click();
    await page.getByTestId('api-reference').waitFor();
    expect(new URL(page.url()).pathname).toBe('/api-reference');
    expect(await page.title()).toBe('API reference · GoatFlow');
    await waitForText(page.getByTestId('api-tag-Notes'), /GET\s*\/api\/v1\/notes\/\{id\}\s*One note/);
    await waitForText(page.getByTestId(`api-tag-${NOTES_PLUGIN}`), 'Short notes, for the OpenAPI tests.');
    const paths = await page.getByTestId('api-tag-Notes').getByTestId('api-operation-path').allTextContents();
    expect(paths).toEqual(['/api/v1/notes', '/api/v1/notes', '/api/v1/notes/{id}', '/api/v1/notes/{id}']);
    await screenshot(page, 'api-reference');
  });

  it('shows an operation: who may call it, its request body and its responses with their schemas', async () => {
    const create = page.getByTestId(`api-operation-${NOTES_PLUGIN}.createNote`);
    await create.locator('summary').click();
    await waitForText(create, 'Signed-in agents');
    const body = create.getByTestId('api-request-body');
    await waitForText(body, 'no other fields');
    expect(await body.locator('tbody tr').allTextContents()).toEqual([
      expect.stringContaining('object'),
      expect.stringMatching(/title\s*\*\s*string\s*at least 1 characters\s*at most 200 characters/),
      expect.stringMatching(/body\s*string\s*at most 10000 characters\s*default ""/),
      expect.stringMatching(/tags\s*array\s*at most 10 items\s*default \[\]/),
      expect.stringMatching(/\[\]\s*string/),
    ]);
    await waitForText(create.getByTestId('api-response-201'), 'Created.');
    await waitForText(create.getByTestId('api-response-schema-201'), 'Note (object)');
    await waitForText(create.getByTestId('api-response-409'), 'Conflict.');
    // Errors name the shared body the page describes once, instead of repeating it.
    await waitForText(create.getByTestId('api-response-shared-409'), 'ErrorBody');
    expect(await create.getByTestId('api-response-schema-409').count()).toBe(0);
    await waitForText(create.getByTestId('api-response-403'), 'csrf_failed');
    // The description's markup is shown as the text it is.
    await waitForText(create, '<b id="injected">Markup</b> stays text.');
    expect(await page.locator('#injected').count()).toBe(0);
    await screenshot(page, 'api-reference-operation');

    const list = page.getByTestId(`api-operation-${NOTES_PLUGIN}.listNotes`);
    await list.locator('summary').click();
    const parameters = list.getByTestId('api-parameters');
    await waitForText(parameters, 'limit');
    expect(await parameters.locator('tbody tr').allTextContents()).toEqual([
      expect.stringMatching(/tag\s*query\s*array\s*at most 20 items/),
      expect.stringMatching(/limit\s*query\s*integer\s*≥ 1\s*≤ 100\s*default 20/),
    ]);
  });

  it('filters the operations', async () => {
    await page.getByTestId('api-reference-filter').fill('whether');
    await waitFor('the filter', async () => (await page.locator('details.operation').count()) === 1);
    await waitForText(
      page.getByTestId(`api-operation-${NOTES_PLUGIN}.status`),
      '/api/plugins/notes-api/status',
    );
    await page.getByTestId('api-reference-filter').fill('no such operation');
    await waitForText(page.getByTestId('api-reference'), 'No operation matches the filter.');
  });

  it('loaded nothing from elsewhere and reported no error', () => {
    expect(problems).toEqual([]);
  });
});
