/**
 * The example plugins' widgets on the real dashboard, in Chromium: hello-wasm's greeting (a GoatflowWidget
 * subclass bundled by goatflow-plugin build) counts a greeting on click, and webhook-notifier's delivery log
 * shows the `hello.greeted` event that greeting published, delivered to a receiver on loopback; a delivery the
 * receiver refused shows as failed, and the admin's Retry delivers it.
 */
import { spawnSync } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../fixtures/grpc/host-api-plugins.js';
import {
  type BrowserSession,
  screenshot,
  signIn,
  startBrowserSession,
  waitForText,
} from '../support/browser.js';
import type { ApiClient } from '../support/http-client.js';
import { ADMIN_PASSWORD, adminClient } from '../support/kernel.js';

const WASM = 'hello-wasm';
const NOTIFIER = 'webhook-notifier';

let session: BrowserSession;
let page: Page;
let admin: ApiClient;
let receiver: http.Server;
/** Statuses the receiver answers with, in turn; 200 once they are used up. */
const answers: number[] = [];
let received = 0;

async function enable(id: string, extraGrant: Record<string, unknown>, settings?: Record<string, unknown>) {
  const status = await admin.get(`/api/admin/plugins/${id}`);
  const grant = await admin.put(`/api/admin/plugins/${id}/grants`, {
    ...status.body.requested,
    ...extraGrant,
  });
  expect(grant.status, JSON.stringify(grant.body)).toBe(200);
  if (settings) {
    const saved = await admin.put(`/api/admin/plugins/${id}/settings`, settings);
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
  }
  const enabled = await admin.post(`/api/admin/plugins/${id}/enable`);
  expect(enabled.status, JSON.stringify(enabled.body)).toBe(200);
}

function greeting(): Locator {
  return page.locator('gf-hello-wasm-greeting').first();
}

function deliveries(): Locator {
  return page.locator('gf-webhook-deliveries').first();
}

/**
 * Reloads the delivery log (instead of waiting for the dashboard's 30-second refresh) until its newest row shows
 * `text`: the event reaches the plugin a moment after the greeting that published it.
 */
async function refreshUntilNewest(text: RegExp): Promise<Locator> {
  const row = deliveries().getByTestId('webhook-delivery').first();
  const deadline = Date.now() + 15_000;
  while (!text.test((await row.textContent({ timeout: 1000 }).catch(() => '')) ?? '')) {
    if (Date.now() > deadline) throw new Error(`the newest delivery never showed ${text}`);
    await deliveries().evaluate((el) => (el as HTMLElement & { refresh(): Promise<void> }).refresh());
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return row;
}

beforeAll(async () => {
  const script = path.join(repoRoot, 'scripts', 'build-examples.mjs');
  const build = spawnSync(process.execPath, [script, '--quiet', WASM, NOTIFIER], { encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`building the examples failed:\n${build.stdout}${build.stderr}`);
  receiver = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      received++;
      res.writeHead(answers.shift() ?? 200);
      res.end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const receiverHost = `127.0.0.1:${(receiver.address() as AddressInfo).port}`;

  session = await startBrowserSession({ kernel: { env: { GOATFLOW_EVENTS_POLL_MS: '100' } } });
  page = session.page;
  admin = await adminClient(session.kernel);
  await enable(WASM, {});
  await enable(
    NOTIFIER,
    { http: ['hooks.example.com', receiverHost], httpPrivate: true },
    // One attempt each, so a refused delivery fails at once and the Retry button shows.
    { targetUrl: `http://${receiverHost}/hook`, maxAttempts: 1, retryBaseSeconds: 1 },
  );
});

afterAll(async () => {
  await session?.stop();
  receiver?.closeAllConnections();
  await new Promise((resolve) => receiver?.close(resolve));
});

describe('the example widgets on the dashboard', () => {
  it('hello-wasm greets the admin and counts a greeting when the button is clicked', async () => {
    await signIn(page, 'admin', ADMIN_PASSWORD);
    await waitForText(greeting().getByTestId('hello-wasm-greeting'), /^Hello, .+! 👋$/);
    await waitForText(greeting().getByTestId('hello-wasm-count'), 'Greetings so far: 0');
    const button = greeting().getByTestId('hello-wasm-greet');
    expect((await button.textContent())?.trim()).toBe('Say hello');
    await button.click();
    await waitForText(greeting().getByTestId('hello-wasm-count'), 'Greetings so far: 1');
  });

  it('webhook-notifier lists the greeting it forwarded, delivered', async () => {
    await deliveries().getByTestId('webhook-filter').waitFor();
    const row = await refreshUntilNewest(/Delivered/);
    await waitForText(row.getByTestId('webhook-delivery-status'), 'Delivered');
    await waitForText(row, /hello\.greeted #\d+/);
    expect(received).toBe(1);
    // Delivered is final: no Retry on it. Admins may send a test event.
    expect(await row.getByTestId('webhook-delivery-retry').count()).toBe(0);
    expect(await deliveries().getByTestId('webhook-ping').isEnabled()).toBe(true);
  });

  it('shows a delivery the receiver refused as failed, and Retry delivers it', async () => {
    answers.push(500);
    await greeting().getByTestId('hello-wasm-greet').click();
    await waitForText(greeting().getByTestId('hello-wasm-count'), 'Greetings so far: 2');
    const row = await refreshUntilNewest(/Failed/);
    await waitForText(row.getByTestId('webhook-delivery-status'), 'Failed');
    await waitForText(row, /HTTP 500/);

    await row.getByTestId('webhook-delivery-retry').click();
    await waitForText(row.getByTestId('webhook-delivery-status'), 'Delivered');
    expect(await row.getByTestId('webhook-delivery-retry').count()).toBe(0);
    expect(received).toBe(3);
    await screenshot(page, 'example-widgets');
  });
});
