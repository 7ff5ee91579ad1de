/**
 * The webhook-notifier example plugin as it ships (plugins-examples/webhook-notifier, definePlugin and serve()),
 * run the way an operator runs it: granted its own schema and the host of a receiver on loopback, configured
 * through its settings, enabled. Events published in the kernel are POSTed to the receiver with an HMAC-SHA256
 * signature; a receiver that fails is retried with exponential backoff by the plugin's job (the scheduler's
 * clock is moved instead of waiting for the minute, the backoff base is one second), up to maxAttempts; an
 * admin can retry by hand; the delivery log and its widget are there for agents only.
 */
import { spawnSync } from 'node:child_process';
import { createHmac, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { type Kernel, publishEvent } from '@goatflow/kernel';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot, schemaOf, waitFor } from '../fixtures/grpc/host-api-plugins.js';
import { freshDatabase, type TestDatabase } from '../support/database.js';
import { ApiClient } from '../support/http-client.js';
import { adminClient, startTestKernel, userClient } from '../support/kernel.js';
import { sql } from '../support/sql.js';

const PLUGIN = 'webhook-notifier';
const BASE = `/api/plugins/${PLUGIN}`;
const SECRET = 'a shared secret for the receiver';

/** A request the receiver got. */
interface Received {
  url: string;
  headers: http.IncomingHttpHeaders;
  raw: string;
  body: { id: number; event: string; publisher: string; createdAt: string; payload: unknown };
}

/** A delivery as GET /deliveries shows it. */
interface Delivery {
  id: number;
  eventId: number;
  event: string;
  status: 'pending' | 'delivered' | 'failed';
  attempts: number;
  lastStatusCode: number | null;
  lastError: string | null;
  lastAttemptAt: string | null;
  nextAttemptAt: string | null;
  deliveredAt: string | null;
}

/** An HTTP receiver on loopback that records every request and answers from a queue of statuses (then 200). */
class Receiver {
  readonly received: Received[] = [];
  readonly answers: number[] = [];
  readonly server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      this.received.push({ url: req.url ?? '', headers: req.headers, raw, body: JSON.parse(raw || '{}') });
      const status = this.answers.shift() ?? 200;
      res.writeHead(status, { 'content-type': 'text/plain' });
      res.end(status === 200 ? 'thanks' : 'the receiver fell over');
    });
  });

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** The requests for one event, by the delivery header. */
  of(eventId: number): Received[] {
    return this.received.filter((r) => r.headers['x-goatflow-delivery'] === String(eventId));
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }
}

const receiver = new Receiver();
/** A second receiver whose host the operator has not granted (at first). */
const stranger = new Receiver();
let receiverHost: string;
let strangerHost: string;
let targetUrl: string;

let db: TestDatabase;
let kernel: Kernel;
let admin: ApiClient;
let agent: ApiClient;
let customer: ApiClient;
/** The job scheduler's clock; each `runRetryJob` moves it to the next minute. */
let now = Date.parse('2031-05-01T09:00:30Z');
/** The settings saved last (PUT replaces them all, so each change starts from these). */
let settings: Record<string, unknown> = {};

async function saveSettings(patch: Record<string, unknown>): Promise<void> {
  const next = { ...settings, ...patch };
  const res = await admin.put(`/api/admin/plugins/${PLUGIN}/settings`, next);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  settings = next;
}

/** Runs the plugin's every-minute job for the next minute, and waits for it to finish. */
async function runRetryJob(): Promise<void> {
  now += 60_000;
  await kernel.plugins.jobs.tick();
}

async function deliveries(
  query = '',
): Promise<{ items: Delivery[]; total: number } & Record<string, unknown>> {
  const res = await admin.get(`${BASE}/deliveries${query}`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
}

async function deliveryOf(eventId: number): Promise<Delivery | undefined> {
  return (await deliveries('?pageSize=100')).items.find((d) => d.eventId === eventId);
}

/** Waits until the delivery of `eventId` satisfies `done` and answers it. */
function settled(eventId: number, what: string, done: (d: Delivery) => boolean): Promise<Delivery> {
  return waitFor(what, async () => {
    const d = await deliveryOf(eventId);
    return d && done(d) ? d : undefined;
  });
}

/** Waits until a pending delivery is due (by the database's clock, which is this machine's). */
async function untilDue(delivery: Delivery): Promise<void> {
  const wait = Date.parse(delivery.nextAttemptAt ?? '') - Date.now() + 50;
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
}

function seconds(from: string | null, to: string | null): number {
  return (Date.parse(to ?? '') - Date.parse(from ?? '')) / 1000;
}

async function publishGreeting(count: number): Promise<number> {
  const { id, subscribers } = await publishEvent(kernel, 'hello.greeted', {
    userId: 1,
    login: 'admin',
    count,
    visitId: count,
  });
  expect(subscribers).toEqual([PLUGIN]);
  return id;
}

beforeAll(async () => {
  // The widget is bundled from web/*.ts (goatflow-plugin build), as npm test and npm start do too; a no-op when
  // up to date. The plugin itself runs from its TypeScript.
  const script = path.join(repoRoot, 'scripts', 'build-examples.mjs');
  const build = spawnSync(process.execPath, [script, '--quiet', PLUGIN], { encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`building ${PLUGIN} failed:\n${build.stdout}${build.stderr}`);
  receiverHost = await receiver.start();
  strangerHost = await stranger.start();
  targetUrl = `http://${receiverHost}/hooks/goatflow`;
  db = await freshDatabase();
  // No GOATFLOW_PLUGIN_DIR: the example is found where every installation finds it, in plugins-examples/.
  kernel = await startTestKernel({ databaseUrl: db.url, env: { GOATFLOW_EVENTS_POLL_MS: '100' } });
  kernel.plugins.jobs.setClock(() => now);
  admin = await adminClient(kernel);
  agent = (await userClient(kernel, admin, { login: 'agnes', type: 'agent' })).client;
  customer = (await userClient(kernel, admin, { login: 'carl', type: 'customer' })).client;
}, 120_000);

afterAll(async () => {
  await kernel?.stop();
  await db?.drop();
  await receiver.stop();
  await stranger.stop();
});

describe('an operator sets it up', () => {
  it('is installed with nothing granted, asking for its own schema, one webhook host and its test event', async () => {
    const status = await admin.get(`/api/admin/plugins/${PLUGIN}`);
    expect(status.status).toBe(200);
    expect(status.body).toMatchObject({ id: PLUGIN, state: 'installed', firstParty: false, granted: {} });
    expect(status.body.requested).toEqual({
      db: { own: true },
      http: ['hooks.example.com'],
      events: { publish: ['webhook_notifier.ping'] },
    });
    expect(status.body.issues).toEqual([]);
  });

  it('refuses settings its schema does not allow, naming the field', async () => {
    const cases: [Record<string, unknown>, string, string][] = [
      [{ targetUrl: 'ftp://files.example.com/' }, 'settings.targetUrl', 'invalid_format'],
      [{ targetUrl: 'not a url' }, 'settings.targetUrl', 'invalid_format'],
      [{ maxAttempts: 0 }, 'settings.maxAttempts', 'too_small'],
      [{ maxAttempts: 2.5 }, 'settings.maxAttempts', 'invalid_type'],
      [{ retryBaseSeconds: 7200 }, 'settings.retryBaseSeconds', 'too_large'],
      [{ events: ['ticket.deleted'] }, 'settings.events.0', 'invalid_option'],
      [{ secret: 'x'.repeat(201) }, 'settings.secret', 'too_long'],
      [{ colour: 'green' }, 'settings.colour', 'unknown_field'],
    ];
    for (const [body, path, code] of cases) {
      const res = await admin.put(`/api/admin/plugins/${PLUGIN}/settings`, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.details, JSON.stringify(body)).toContainEqual(
        expect.objectContaining({ path, code }),
      );
    }
  });

  it('grants it the receiver on loopback, sets the target URL and secret, and enables it', async () => {
    const requested = (await admin.get(`/api/admin/plugins/${PLUGIN}`)).body.requested;
    // The manifest asks for hooks.example.com; this installation's receiver is on loopback, which needs its
    // host (with the port) in the grant and httpPrivate besides.
    const grant = await admin.put(`/api/admin/plugins/${PLUGIN}/grants`, {
      ...requested,
      http: [...requested.http, receiverHost],
      httpPrivate: true,
    });
    expect(grant.status, JSON.stringify(grant.body)).toBe(200);
    expect(grant.body.missingGrants).toEqual([]);
    // Fast retries for the test: 1 s, then 2 s (each with jitter), at most 3 attempts.
    await saveSettings({ targetUrl, secret: SECRET, maxAttempts: 3, retryBaseSeconds: 1 });
    // The secret is write-only: the admin API shows it masked.
    const shown = await admin.get(`/api/admin/plugins/${PLUGIN}`);
    expect(shown.body.settings).toMatchObject({ targetUrl, secret: '********', maxAttempts: 3 });

    const enabled = await admin.post(`/api/admin/plugins/${PLUGIN}/enable`);
    expect(enabled.status, JSON.stringify(enabled.body)).toBe(200);
    expect(enabled.body.state).toBe('enabled');
    await waitFor('the plugin running', async () => {
      const health = (await admin.get(`/api/admin/plugins/${PLUGIN}`)).body.health;
      return health?.state === 'running';
    });
    // Its migration created the delivery log in its own schema.
    expect(await sql(db.url, `select count(*)::integer as n from ${schemaOf(PLUGIN)}.deliveries`)).toEqual([
      { n: 0 },
    ]);
  });
});

describe('delivering events', () => {
  it('POSTs each event as JSON, signed with HMAC-SHA256 of the body, and logs it delivered', async () => {
    const eventId = await publishGreeting(1);
    const request = await waitFor('the receiver called', () => receiver.of(eventId)[0]);
    expect(request.url).toBe('/hooks/goatflow');
    expect(request.headers).toMatchObject({
      'content-type': 'application/json',
      'x-goatflow-event': 'hello.greeted',
      'x-goatflow-delivery': String(eventId),
    });
    expect(request.body).toEqual({
      id: eventId,
      event: 'hello.greeted',
      publisher: 'kernel',
      createdAt: expect.any(String),
      payload: { userId: 1, login: 'admin', count: 1, visitId: 1 },
    });
    // What a receiver does: recompute the signature over the raw body and compare in constant time.
    const expected = `sha256=${createHmac('sha256', SECRET).update(request.raw).digest('hex')}`;
    const signature = String(request.headers['x-goatflow-signature']);
    expect(signature).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(timingSafeEqual(Buffer.from(signature), Buffer.from(expected))).toBe(true);

    const delivery = await settled(eventId, 'the delivery recorded', (d) => d.status === 'delivered');
    expect(delivery).toMatchObject({
      event: 'hello.greeted',
      attempts: 1,
      lastStatusCode: 200,
      lastError: null,
      nextAttemptAt: null,
      deliveredAt: expect.any(String),
    });
  });

  it('records an event once, however often the kernel delivers it (at least once)', async () => {
    const eventId = await publishGreeting(2);
    await settled(eventId, 'the first delivery', (d) => d.status === 'delivered');
    // The kernel delivers the event to the plugin again, as it would after a lost answer.
    await sql(
      db.url,
      `update kernel.plugin_event_deliveries set delivered_at = null, next_attempt_at = now()
        where event_id = $1 and plugin_id = $2`,
      [eventId, PLUGIN],
    );
    await waitFor('the kernel to deliver it again', async () => {
      const [row] = await sql<{ delivered_at: Date | null }>(
        db.url,
        'select delivered_at from kernel.plugin_event_deliveries where event_id = $1 and plugin_id = $2',
        [eventId, PLUGIN],
      );
      return row?.delivered_at;
    });
    expect(receiver.of(eventId)).toHaveLength(1);
    expect(
      await sql(
        db.url,
        `select count(*)::integer as n from ${schemaOf(PLUGIN)}.deliveries where event_id = $1`,
        [eventId],
      ),
    ).toEqual([{ n: 1 }]);
  });

  it('retries a failing receiver with exponential backoff and jitter until it answers', async () => {
    receiver.answers.push(500, 500);
    const eventId = await publishGreeting(3);
    const first = await settled(eventId, 'the first attempt', (d) => d.attempts === 1);
    expect(first).toMatchObject({ status: 'pending', lastStatusCode: 500 });
    expect(first.lastError).toBe('HTTP 500: the receiver fell over');
    // base × 2^0 = 1 s, of which the second half is random (±1 ms: the API shows milliseconds).
    expect(seconds(first.lastAttemptAt, first.nextAttemptAt)).toBeGreaterThanOrEqual(0.499);
    expect(seconds(first.lastAttemptAt, first.nextAttemptAt)).toBeLessThanOrEqual(1.001);

    // Not due yet: the job leaves it alone. Checked only with time to spare: a job run makes host calls over
    // gRPC, which on a loaded 2-core machine can take a good part of a second.
    if (Date.parse(first.nextAttemptAt ?? '') - Date.now() > 800) {
      await runRetryJob();
      expect((await deliveryOf(eventId))?.attempts).toBe(1);
    }
    await untilDue(first);
    await runRetryJob();
    const second = await settled(eventId, 'the second attempt', (d) => d.attempts === 2);
    expect(second).toMatchObject({ status: 'pending', lastStatusCode: 500 });
    // base × 2^1 = 2 s, half of it random.
    expect(seconds(second.lastAttemptAt, second.nextAttemptAt)).toBeGreaterThanOrEqual(0.999);
    expect(seconds(second.lastAttemptAt, second.nextAttemptAt)).toBeLessThanOrEqual(2.001);

    await untilDue(second);
    await runRetryJob();
    const third = await settled(eventId, 'the third attempt', (d) => d.attempts === 3);
    expect(third).toMatchObject({
      status: 'delivered',
      lastStatusCode: 200,
      lastError: null,
      nextAttemptAt: null,
    });
    // The same request each time, so the receiver can tell a retry by its delivery id.
    const requests = receiver.of(eventId);
    expect(requests).toHaveLength(3);
    expect(new Set(requests.map((r) => r.raw)).size).toBe(1);
  });

  it('gives up after maxAttempts, and an admin can retry it by hand', async () => {
    await saveSettings({ maxAttempts: 2 });
    receiver.answers.push(503, 502);
    const eventId = await publishGreeting(4);
    const first = await settled(eventId, 'the first attempt', (d) => d.attempts === 1);
    await untilDue(first);
    await runRetryJob();
    const failed = await settled(eventId, 'the delivery failed', (d) => d.status === 'failed');
    expect(failed).toMatchObject({
      attempts: 2,
      lastStatusCode: 502,
      nextAttemptAt: null,
      deliveredAt: null,
    });
    // Failed is final: the job does not try again.
    await runRetryJob();
    expect(receiver.of(eventId)).toHaveLength(2);

    // Agents see the log but may not retry: the route is for admins (404 like any route a user may not see).
    expect((await agent.post(`${BASE}/deliveries/${failed.id}/retry`)).status).toBe(404);
    const retried = await admin.post(`${BASE}/deliveries/${failed.id}/retry`);
    expect(retried.status, JSON.stringify(retried.body)).toBe(200);
    expect(retried.body).toMatchObject({
      id: failed.id,
      status: 'delivered',
      attempts: 3,
      lastStatusCode: 200,
    });
    expect(receiver.of(eventId)).toHaveLength(3);
    const again = await admin.post(`${BASE}/deliveries/${failed.id}/retry`);
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('already_delivered');
    const missing = await admin.post(`${BASE}/deliveries/999999/retry`);
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('not_found');
    await saveSettings({ maxAttempts: 3 });
  });

  it('records events while paused (no target URL) and delivers them once one is set', async () => {
    await saveSettings({ targetUrl: '' });
    const eventId = await publishGreeting(5);
    const recorded = await settled(eventId, 'the event recorded', () => true);
    expect(recorded).toMatchObject({ status: 'pending', attempts: 0 });
    await runRetryJob();
    expect(receiver.of(eventId)).toHaveLength(0);
    const paused = await deliveries();
    expect(paused.paused).toBe(true);
    const refused = await admin.post(`${BASE}/deliveries/${recorded.id}/retry`);
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('paused');

    await saveSettings({ targetUrl });
    await runRetryJob();
    await settled(eventId, 'the paused event delivered', (d) => d.status === 'delivered');
    expect(receiver.of(eventId)).toHaveLength(1);
  });

  it('counts a host the operator has not granted as a failed attempt, and delivers once it is granted', async () => {
    await saveSettings({ targetUrl: `http://${strangerHost}/in` });
    const eventId = await publishGreeting(6);
    const refused = await settled(eventId, 'the refused attempt', (d) => d.attempts === 1);
    expect(refused).toMatchObject({ status: 'pending', lastStatusCode: null });
    expect(refused.lastError).toMatch(/^permission_denied: /);
    expect(stranger.received).toHaveLength(0);

    // Grants apply live: no restart.
    const status = (await admin.get(`/api/admin/plugins/${PLUGIN}`)).body;
    const grant = await admin.put(`/api/admin/plugins/${PLUGIN}/grants`, {
      ...status.granted,
      http: [...status.granted.http, strangerHost],
    });
    expect(grant.status, JSON.stringify(grant.body)).toBe(200);
    await untilDue(refused);
    await runRetryJob();
    await settled(eventId, 'delivered to the granted host', (d) => d.status === 'delivered');
    expect(stranger.of(eventId)).toHaveLength(1);
    await saveSettings({ targetUrl });
  });

  it('sends a test event when an admin asks for one', async () => {
    expect((await agent.post(`${BASE}/ping`)).status).toBe(404);
    const ping = await admin.post(`${BASE}/ping`);
    expect(ping.status, JSON.stringify(ping.body)).toBe(202);
    const { eventId } = ping.body;
    const request = await waitFor('the test event', () => receiver.of(eventId)[0]);
    expect(request.body).toMatchObject({
      event: 'webhook_notifier.ping',
      publisher: PLUGIN,
      payload: { requestedBy: 'admin' },
    });
    await settled(eventId, 'the test event delivered', (d) => d.status === 'delivered');
  });
});

describe('the delivery log', () => {
  it('lists deliveries newest first, paginated and filtered by status, for agents and admins', async () => {
    const all = await deliveries();
    expect(all.total).toBe(7);
    expect(all.counts).toEqual({ pending: 0, delivered: 7, failed: 0 });
    expect(all.items.map((d) => d.id)).toEqual([...all.items.map((d) => d.id)].sort((a, b) => b - a));
    expect(all).toMatchObject({ page: 1, pageSize: 20, paused: false, canRetry: true });
    // The event payload stays in the plugin's table; the log does not hand it out.
    expect(all.items[0]).not.toHaveProperty('payload');

    const page = await deliveries('?pageSize=2&page=2');
    expect(page.items.map((d) => d.id)).toEqual(all.items.slice(2, 4).map((d) => d.id));
    expect(page.total).toBe(7);
    const none = await deliveries('?status=failed');
    expect(none).toMatchObject({ items: [], total: 0 });

    const asAgent = await agent.get(`${BASE}/deliveries?status=delivered&pageSize=1`);
    expect(asAgent.status).toBe(200);
    expect(asAgent.body).toMatchObject({ total: 7, canRetry: false });
    expect(asAgent.body.items).toHaveLength(1);
  });

  it('answers 400 naming the field for a bad query or delivery id', async () => {
    const cases: [string, string][] = [
      ['?status=lost', 'query.status'],
      ['?pageSize=0', 'query.pageSize'],
      ['?pageSize=500', 'query.pageSize'],
      ['?page=first', 'query.page'],
    ];
    for (const [query, path] of cases) {
      const res = await agent.get(`${BASE}/deliveries${query}`);
      expect(res.status, query).toBe(400);
      expect(res.body.error.code).toBe('validation_failed');
      expect(res.body.error.details, query).toEqual([expect.objectContaining({ path })]);
    }
    const badId = await admin.post(`${BASE}/deliveries/seven/retry`);
    expect(badId.status).toBe(400);
    expect(badId.body.error.details).toEqual([expect.objectContaining({ path: 'params.id' })]);
  });

  it('is not there for customers (404) nor without a session (401)', async () => {
    expect((await customer.get(`${BASE}/deliveries`)).status).toBe(404);
    expect((await customer.post(`${BASE}/ping`)).status).toBe(404);
    expect((await new ApiClient(kernel.url).get(`${BASE}/deliveries`)).status).toBe(401);
  });

  it('shows its widget on the dashboard of agents, not customers, and serves its module', async () => {
    const forAgent = await agent.get('/api/ui/contributions');
    expect(forAgent.body.widgets).toContainEqual(
      expect.objectContaining({
        plugin: PLUGIN,
        id: 'deliveries',
        title: 'Webhook deliveries',
        element: 'gf-webhook-deliveries',
        module: `/plugins/${PLUGIN}/assets/webhook-deliveries.js`,
        refreshSeconds: 30,
      }),
    );
    const forCustomer = await customer.get('/api/ui/contributions');
    expect(forCustomer.body.widgets.map((w: { plugin: string }) => w.plugin)).not.toContain(PLUGIN);
    const module = await agent.get(`/plugins/${PLUGIN}/assets/webhook-deliveries.js`);
    expect(module.status).toBe(200);
    expect(String(module.body)).toMatch(/customElements\.define\(["']gf-webhook-deliveries["']/);
  });
});
