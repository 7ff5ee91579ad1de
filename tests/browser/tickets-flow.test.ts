/**
 * The tickets plugin's UI in Chromium, on the matrix world of tests/support/tickets.ts (queue A of group gA,
 * agent rw-a with rw in it, customer cx of company X). The agent finds both dashboard widgets, walks the ticket
 * list through its URL (filters in the query, Back restores them: the shell hands plugin pages the query),
 * creates a ticket for cx (a 400 shows next to its field), replies, adds an internal note and closes it; cx
 * sees the reply in the portal and not the note; the agent changes the state of three tickets in one bulk
 * change. Set GOATFLOW_SCREENSHOT_DIR to keep screenshots of the pages.
 */
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, screenshot, signIn as signInPage, waitForText } from '../support/browser.js';
import { ADMIN_PASSWORD } from '../support/kernel.js';
import { signIn as signInApi, startTicketsKernel, type TicketsKernel } from '../support/tickets.js';

const TITLE = 'Laptop battery is swelling';
const REPLY = 'We will replace the battery this week.';
const NOTE = 'Internal: the warranty ends in May, order under contract 42.';

let tk: TicketsKernel;
let browser: Browser;
let agentContext: BrowserContext;
let agent: Page;
/** The ticket the agent creates. */
let ticketId: number;

/** The `data-testid` of the focused element, looking into shadow roots. */
function focusedTestId(page: Page): Promise<string | null> {
  return page.evaluate(() => {
    let active = document.activeElement;
    while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
    return active?.getAttribute('data-testid') ?? null;
  });
}

/** Waits until the locator matches exactly `count` elements. */
async function waitForCount(locator: Locator, count: number, timeout = 10_000): Promise<void> {
  const deadline = Date.now() + timeout;
  while ((await locator.count()) !== count) {
    if (Date.now() > deadline) throw new Error(`expected ${count} elements, found ${await locator.count()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function rows(page: Page): Locator {
  return page.getByTestId('ticket-row');
}

beforeAll(async () => {
  tk = await startTicketsKernel();
  browser = await launchBrowser();
  agentContext = await browser.newContext({
    baseURL: tk.kernel.url,
    locale: 'en-US',
    viewport: { width: 1360, height: 900 },
  });
  agent = await agentContext.newPage();
});

afterAll(async () => {
  await agentContext?.close();
  await browser?.close();
  await tk?.stop();
});

describe('the tickets UI', () => {
  it('shows the agent both widgets with the counts of the queue, and the agent menu', async () => {
    await signInPage(agent, 'rw-a', ADMIN_PASSWORD);
    const status = agent.getByTestId('widget-tickets-tickets-queue-status');
    const row = status.locator(`[data-testid="queue-status-row"][data-queue-id="${tk.world.queues.A}"]`);
    // A2 is new, A1 open, A3 pending reminder; queue B is not the agent's.
    await waitForText(row.getByTestId('queue-status-new'), '1');
    await waitForText(row.getByTestId('queue-status-open'), '1');
    await waitForText(row.getByTestId('queue-status-pending'), '1');
    expect(await status.getByTestId('queue-status-row').count()).toBe(1);

    const recent = agent.getByTestId('widget-tickets-tickets-recent');
    await waitForCount(recent.getByTestId('tickets-recent-item'), 3);
    await waitForText(recent, 'A1: printer jams on every job');
    expect(await recent.getByText('B1:').count()).toBe(0);

    await waitForText(agent.getByTestId('menu-tickets-tickets'), 'Tickets');
    await waitForText(agent.getByTestId('menu-tickets-ticket-new'), 'New ticket');
    expect(await agent.getByTestId('menu-tickets-portal-tickets').count()).toBe(0);
    await screenshot(agent, 'tickets-dashboard');
  });

  it('keeps the list filters in the URL: a sidebar link filters, Back and a deep link restore', async () => {
    await agent.getByTestId('menu-tickets-tickets').click();
    await waitForText(agent.getByTestId('tickets-heading'), 'Tickets (3)');
    await waitForCount(rows(agent), 3);
    expect(await focusedTestId(agent)).toBe('tickets-heading');

    const sidebar = agent.locator(`[data-testid="sidebar-queue"][data-queue-id="${tk.world.queues.A}"]`);
    await sidebar.getByTestId('sidebar-count-open').click();
    await waitForText(agent.getByTestId('tickets-heading'), 'Tickets (1)');
    const url = new URL(agent.url());
    expect(url.pathname).toBe('/tickets');
    expect(url.searchParams.get('queue')).toBe(String(tk.world.queues.A));
    expect(url.searchParams.get('stateType')).toBe('open');
    await waitForText(rows(agent).first(), 'A1: printer jams');

    await agent.goBack();
    await waitForText(agent.getByTestId('tickets-heading'), 'Tickets (3)');
    expect(new URL(agent.url()).search).toBe('');

    await agent.goto('/tickets?stateType=pending_reminder');
    await waitForText(agent.getByTestId('tickets-heading'), 'Tickets (1)');
    await waitForText(rows(agent).first(), 'A3: new laptop');
    expect(await agent.getByTestId('filter-stateType').inputValue()).toBe('pending_reminder');

    // The page follows <html lang>, as the shell sets it for the user's language.
    await agent.evaluate(() => document.documentElement.setAttribute('lang', 'de'));
    await waitForText(agent.getByTestId('tickets-new'), 'Neues Ticket');
    await agent.evaluate(() => document.documentElement.setAttribute('lang', 'en'));
    await waitForText(agent.getByTestId('tickets-new'), 'New ticket');
  });

  it('creates a ticket for a customer; a 400 is shown next to its field', async () => {
    await agent.getByTestId('menu-tickets-ticket-new').click();
    await agent.getByTestId('new-heading').waitFor();
    expect(await focusedTestId(agent)).toBe('new-heading');

    await agent.getByTestId('new-title').fill(TITLE);
    await agent.getByTestId('new-queueId').selectOption(String(tk.world.queues.A));
    await agent.getByTestId('new-customer').fill('carla');
    const option = agent.getByTestId('new-customer-option').first();
    await waitForText(option, 'Carla Xavier');
    await agent.getByTestId('new-customer').press('Enter');
    expect(await agent.getByTestId('new-customer').inputValue()).toContain('Carla Xavier');
    await agent.getByTestId('composer-body').fill('The battery of my laptop bulges the case.');

    // A pending state without the time it waits until: the server names the field.
    await agent.getByTestId('new-stateId').selectOption(String(tk.world.states.pendingReminder));
    await agent.getByTestId('composer-send').click();
    await agent.getByTestId('new-pendingUntil-error').waitFor();
    expect(await agent.getByTestId('new-pendingUntil').getAttribute('aria-invalid')).toBe('true');
    expect(new URL(agent.url()).pathname).toBe('/tickets/new');

    await agent.getByTestId('new-stateId').selectOption('');
    await agent.getByTestId('composer-send').click();
    await waitForText(agent.getByTestId('ticket-title'), TITLE);
    const match = /^\/tickets\/(\d+)$/.exec(new URL(agent.url()).pathname);
    expect(match).not.toBeNull();
    ticketId = Number(match?.[1]);
    await waitForCount(agent.getByTestId('ticket-article'), 1);
    expect(await focusedTestId(agent)).toBe('ticket-title');
  });

  it('replies, adds an internal note (marked as one) and closes the ticket', async () => {
    await agent.getByTestId('composer-body').fill(REPLY);
    await agent.getByTestId('composer-send').click();
    await waitForText(agent.getByTestId('tickets-toast'), 'Reply sent.');
    await waitForCount(agent.getByTestId('ticket-article'), 2);

    await agent.getByTestId('composer-note').check();
    await agent.getByTestId('composer-note-hint').waitFor();
    await agent.getByTestId('composer-body').fill(NOTE);
    await waitForText(agent.getByTestId('composer-send'), 'Add internal note');
    await agent.getByTestId('composer-send').click();
    await waitForText(agent.getByTestId('tickets-toast'), 'Internal note added.');
    await waitForCount(agent.getByTestId('ticket-article'), 3);
    const note = agent.getByTestId('ticket-article').nth(2);
    expect(await note.getAttribute('data-internal')).toBe('true');
    await waitForText(note.getByTestId('article-internal'), 'Internal note');
    await waitForText(note.getByTestId('article-body'), NOTE);
    expect(await agent.getByTestId('ticket-article').nth(1).getAttribute('data-internal')).toBe('false');

    const closed = String(tk.world.states.closedSuccessful);
    await agent.getByTestId('field-stateId').selectOption(closed);
    await agent.getByTestId('fields-save').click();
    await waitForText(agent.getByTestId('tickets-toast'), 'Ticket updated.');
    const api = await signInApi(tk.kernel, 'rwA');
    const ticket = await api.get(`/api/v1/tickets/${ticketId}`);
    expect(ticket.body.state).toMatchObject({ id: tk.world.states.closedSuccessful, type: 'closed' });
    expect(await agent.getByTestId('field-stateId').inputValue()).toBe(closed);

    await agent.getByTestId('tab-history').click();
    await agent.locator('[data-testid="history-row"][data-action="state"]').first().waitFor();
    await screenshot(agent, 'tickets-detail-history');
  });

  it('the customer sees the reply in the portal, and neither the note nor any note control', async () => {
    const context = await browser.newContext({ baseURL: tk.kernel.url, locale: 'en-US' });
    try {
      const customer = await context.newPage();
      await signInPage(customer, 'cx', ADMIN_PASSWORD);
      const recent = customer.getByTestId('widget-tickets-tickets-recent');
      await waitForText(recent, TITLE);
      expect(await customer.getByTestId('widget-tickets-tickets-queue-status').count()).toBe(0);
      expect(await customer.getByTestId('menu-tickets-tickets').count()).toBe(0);

      await customer.getByTestId('menu-tickets-portal-tickets').click();
      await customer.getByTestId('portal-heading').waitFor();
      await customer.getByTestId('ticket-link').filter({ hasText: TITLE }).click();
      await waitForText(customer.getByTestId('ticket-title'), TITLE);
      expect(new URL(customer.url()).pathname).toBe(`/portal/tickets/${ticketId}`);

      await waitForCount(customer.getByTestId('ticket-article'), 2);
      const bodies = await customer.getByTestId('article-body').allTextContents();
      expect(bodies).toContain(REPLY);
      expect(bodies.join('\n')).not.toContain('warranty');
      expect(await customer.getByTestId('article-internal').count()).toBe(0);
      expect(await customer.getByTestId('composer-note').count()).toBe(0);
      await waitForText(customer.getByTestId('ticket-state'), 'closed successful');
      await screenshot(customer, 'tickets-portal-detail');

      // A new ticket from the portal: no customer, state or owner to choose; the one open queue is preset.
      await customer.getByTestId('menu-tickets-portal-ticket-new').click();
      await customer.getByTestId('new-heading').waitFor();
      expect(await customer.getByTestId('new-customer').count()).toBe(0);
      expect(await customer.getByTestId('new-stateId').count()).toBe(0);
      expect(await customer.getByTestId('new-queueId').inputValue()).toBe(String(tk.world.queues.A));
      await customer.getByTestId('new-title').fill('Docking station flickers');
      await customer.getByTestId('composer-body').fill('The screen goes dark every few minutes.');
      await customer.getByTestId('composer-send').click();
      await waitForText(customer.getByTestId('ticket-title'), 'Docking station flickers');
      expect(new URL(customer.url()).pathname).toMatch(/^\/portal\/tickets\/\d+$/);

      // The agent's pages are not the customer's.
      await customer.goto(`/tickets/${ticketId}`);
      await customer.getByTestId('not-found').waitFor();
    } finally {
      await context.close();
    }
  });

  it('changes the state of three tickets in one bulk change', async () => {
    const open = ['new', 'open', 'pending_reminder'].join(',');
    await agent.goto(`/tickets?queue=${tk.world.queues.A}&stateType=${open}`);
    // A1–A3, and the ticket cx opened in the portal, which stays as it is.
    await waitForCount(rows(agent), 4);
    const seeded = [tk.world.tickets.A1, tk.world.tickets.A2, tk.world.tickets.A3];
    for (const id of seeded) {
      await agent
        .locator(`[data-testid="ticket-row"][data-ticket-id="${id}"]`)
        .getByTestId('ticket-select')
        .check();
    }
    await waitForText(agent.getByTestId('bulk-count'), '3 selected');
    await agent.getByTestId('bulk-stateId').selectOption(String(tk.world.states.open));
    await agent.getByTestId('bulk-apply').click();
    await waitForText(agent.getByTestId('tickets-toast'), '3 ticket(s) updated.');
    await agent.getByTestId('bulk-bar').waitFor({ state: 'detached' });
    await waitForCount(
      rows(agent)
        .getByTestId('ticket-state')
        .filter({ hasText: /^open$/ }),
      3,
    );

    const api = await signInApi(tk.kernel, 'rwA');
    const list = await api.get(`/api/v1/tickets?queue=${tk.world.queues.A}&stateType=open`);
    expect(list.status).toBe(200);
    expect(list.body.items.map((t: { id: number }) => t.id).sort()).toEqual([...seeded].sort());
    const portalTicket = rows(agent).filter({ hasText: 'Docking station flickers' });
    await waitForText(portalTicket.getByTestId('ticket-state'), 'new');
    await screenshot(agent, 'tickets-list-bulk');
  });

  it('lets an admin edit the reference data, with a taken name shown next to its field', async () => {
    const context = await browser.newContext({ baseURL: tk.kernel.url, locale: 'en-US' });
    try {
      const admin = await context.newPage();
      await signInPage(admin, 'admin', ADMIN_PASSWORD);
      await admin.getByTestId('menu-tickets-admin').click();
      const queues = admin.getByTestId('admin-table-queues');
      await waitForCount(queues.getByTestId('admin-row'), 2);
      await waitForText(queues, 'gA');

      await admin.getByTestId('tab-types').click();
      await admin.getByTestId('admin-table-types').waitFor();
      await admin.getByTestId('admin-new').click();
      await admin.getByTestId('admin-name').fill('Incident');
      await admin.getByTestId('admin-save').click();
      await admin.getByTestId('admin-name-error').waitFor();
      expect(await admin.getByTestId('admin-name').getAttribute('aria-invalid')).toBe('true');

      await admin.getByTestId('admin-name').fill('Feature request');
      await admin.getByTestId('admin-save').click();
      await waitForText(admin.getByTestId('tickets-toast'), 'Created.');
      await waitForText(admin.getByTestId('admin-table-types'), 'Feature request');
      await screenshot(admin, 'tickets-admin');
    } finally {
      await context.close();
    }
  });
});
