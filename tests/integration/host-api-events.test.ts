/**
 * events.publish and event delivery, with real plugins in both runtimes: a publisher, a subscriber that records
 * what it receives in its own schema (and fails or blocks on request), a WASM plugin that publishes and
 * subscribes, and a subscriber that stays disabled. Deliveries are at least once, retried with backoff, given up
 * with the error kept, held back while the subscriber is disabled, and never made twice at once by two kernels.
 */
import { HostApiError, type Kernel, publishEvent } from '@goatflow/kernel';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWasmFixtures, PluginFolder, schemaOf, waitFor } from '../fixtures/grpc/host-api-plugins.js';
import { freshDatabase, type TestDatabase } from '../support/database.js';
import { USER_PASSWORD } from '../support/helpers.js';
import { ApiClient } from '../support/http-client.js';
import { adminClient, startTestKernel, userClient } from '../support/kernel.js';
import { sql } from '../support/sql.js';

const folder = new PluginFolder();
const env = {
  GOATFLOW_PLUGIN_DIR: folder.dir,
  GOATFLOW_EVENTS_POLL_MS: '100',
  GOATFLOW_EVENTS_RETRY_BASE_MS: '100',
  GOATFLOW_EVENTS_MAX_ATTEMPTS: '4',
};

let db: TestDatabase;
let kernel: Kernel;
let admin: ApiClient;
let agent: ApiClient;

const PUBLISHER = 'ev-publisher';
const SUBSCRIBER = 'ev-subscriber';
const WASM = 'ev-wasm';
const QUIET = 'ev-quiet';

const subscriberPermissions = { db: { own: true }, cache: true };
const publisherPermissions = { events: { publish: ['hapi.ping', 'hapi.held', 'hapi.bulk'] } };
const wasmPermissions = { cache: true, events: { publish: ['hapi.ping'] } };

type Received = {
  event_id: string;
  name: string;
  payload: unknown;
  publisher: string;
  created_at: string;
  handler: string;
  context: { pluginId: string; handler: string; user: unknown; requestId: string; pid: number };
};

type Delivery = {
  plugin_id: string;
  attempts: number;
  delivered_at: Date | null;
  failed_at: Date | null;
  last_error: string | null;
  due: boolean;
};

const received = (eventId: number, handler = 'onEvent') =>
  sql<Received>(
    db.url,
    `select * from ${schemaOf(SUBSCRIBER)}.received where event_id = $1 and handler = $2 order by id`,
    [eventId, handler],
  );

const deliveries = (eventId: number) =>
  sql<Delivery>(
    db.url,
    `select plugin_id, attempts, delivered_at, failed_at, last_error, next_attempt_at <= now() as due
       from kernel.plugin_event_deliveries where event_id = $1 order by plugin_id`,
    [eventId],
  );

const delivery = async (eventId: number, plugin = SUBSCRIBER) =>
  (await deliveries(eventId)).find((d) => d.plugin_id === plugin);

async function publish(name: string, payload: unknown): Promise<number> {
  const res = await agent.post(`/api/plugins/${PUBLISHER}/call`, {
    fn: 'events.publish',
    args: { name, payload },
  });
  expect(res.status).toBe(200);
  expect(res.body, JSON.stringify(res.body)).toMatchObject({ ok: true, value: { id: expect.any(Number) } });
  return res.body.value.id;
}

async function logLines(plugin: string, level = 'warn'): Promise<string[]> {
  const res = await admin.get(`/api/admin/plugins/${plugin}/logs?level=${level}`);
  return res.body.items.map((l: { message: string }) => l.message);
}

async function grantAndEnable(id: string, permissions: unknown): Promise<void> {
  expect((await admin.put(`/api/admin/plugins/${id}/grants`, permissions)).status).toBe(200);
  const res = await admin.post(`/api/admin/plugins/${id}/enable`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
}

beforeAll(async () => {
  buildWasmFixtures();
  folder.grpc(PUBLISHER, {
    permissions: publisherPermissions,
    contributes: { routes: [{ method: 'POST', path: '/call', auth: 'agent', handler: 'call' }] },
  });
  folder.grpc(SUBSCRIBER, {
    permissions: subscriberPermissions,
    // Long enough that a held delivery is still running when the test disables the plugin.
    limits: { deadlineMs: 30_000 },
    contributes: {
      routes: [{ method: 'GET', path: '/seen', auth: 'agent', handler: 'seen' }],
      events: [
        { name: 'hapi.ping', handler: 'onEvent' },
        { name: 'hapi.ping', handler: 'alsoOnEvent' },
        { name: 'hapi.held', handler: 'onEvent' },
        { name: 'hapi.bulk', handler: 'onBulk' },
        { name: 'kernel.hello', handler: 'onEvent' },
      ],
    },
  });
  folder.wasm(WASM, {
    permissions: wasmPermissions,
    contributes: {
      events: [{ name: 'hapi.ping', handler: 'remember' }],
      routes: [
        { method: 'POST', path: '/call', auth: 'agent', handler: 'call' },
        { method: 'GET', path: '/recall', auth: 'agent', handler: 'recall' },
      ],
    },
  });
  folder.grpc(QUIET, { contributes: { events: [{ name: 'hapi.ping', handler: 'onEvent' }] } });
  db = await freshDatabase();
  kernel = await startTestKernel({ databaseUrl: db.url, env });
  admin = await adminClient(kernel);
  agent = (await userClient(kernel, admin, { login: 'events-agent' })).client;
  await grantAndEnable(PUBLISHER, publisherPermissions);
  await grantAndEnable(SUBSCRIBER, subscriberPermissions);
  await grantAndEnable(WASM, wasmPermissions);
}, 120_000);

afterAll(async () => {
  await kernel?.stop();
  await db?.drop();
  folder.remove();
});

describe('events.publish', () => {
  it('delivers an event to every enabled subscriber, gRPC and WASM, with no user, and to no disabled one', async () => {
    const id = await publish('hapi.ping', { n: 1, text: 'Grüße ✓' });
    const rows = await waitFor('both handlers of the subscriber', async () => {
      const [first] = await received(id);
      const [also] = await received(id, 'alsoOnEvent');
      return first && also ? { first, also } : undefined;
    });
    expect(rows.first).toMatchObject({
      name: 'hapi.ping',
      payload: { n: 1, text: 'Grüße ✓' },
      publisher: PUBLISHER,
      context: { pluginId: SUBSCRIBER, handler: 'onEvent', user: null, requestId: `event-${id}` },
    });
    expect(new Date(rows.first.created_at).toISOString()).toBe(rows.first.created_at);

    const remembered = await waitFor('the WASM subscriber to remember the event', async () => {
      const res = await agent.get(`/api/plugins/${WASM}/recall`);
      return res.body?.value?.input?.event?.id === id ? res.body.value : undefined;
    });
    expect(remembered.input.event).toMatchObject({ name: 'hapi.ping', publisher: PUBLISHER });
    expect(remembered.context).toMatchObject({ pluginId: WASM, handler: 'remember', user: null });

    await waitFor('both deliveries marked delivered', async () =>
      (await deliveries(id)).every((d) => d.delivered_at !== null),
    );
    const rowsOf = await deliveries(id);
    expect(rowsOf.map((d) => [d.plugin_id, d.attempts, d.last_error])).toEqual([
      [SUBSCRIBER, 1, null],
      [WASM, 1, null],
    ]);
    // ev-quiet subscribes too but was never enabled: it has no delivery at all.
    expect(rowsOf.some((d) => d.plugin_id === QUIET)).toBe(false);
  });

  it('publishes from WASM too, under the WASM plugin grant', async () => {
    const ok = await agent.post(`/api/plugins/${WASM}/call`, {
      fn: 'events_publish',
      args: { name: 'hapi.ping', payload: { from: 'wasm' } },
    });
    expect(ok.body).toMatchObject({ ok: true, value: { id: expect.any(Number) } });
    const [row] = await waitFor('the event from WASM', async () => {
      const r = await received(ok.body.value.id);
      return r.length ? r : undefined;
    });
    expect(row).toMatchObject({ publisher: WASM, payload: { from: 'wasm' } });

    const refused = await agent.post(`/api/plugins/${WASM}/call`, {
      fn: 'events_publish',
      args: { name: 'hapi.held', payload: null },
    });
    expect(refused.body).toMatchObject({ ok: false, error: { code: 'permission_denied' } });
  });

  it('refuses a name the plugin was not granted, telling the plugin and the operator', async () => {
    const res = await agent.post(`/api/plugins/${PUBLISHER}/call`, {
      fn: 'events.publish',
      args: { name: 'hapi.other', payload: {} },
    });
    expect(res.body).toEqual({
      ok: false,
      code: 'permission_denied',
      message: `events.publish may not publish "hapi.other": it is not in this plugin's events.publish grant`,
    });
    expect(await logLines(PUBLISHER)).toContainEqual(
      expect.stringContaining(
        'host call events.publish refused: events.publish may not publish "hapi.other"',
      ),
    );
    const events = await sql<{ n: number }>(
      db.url,
      `select count(*)::int as n from kernel.plugin_events where name = 'hapi.other'`,
    );
    expect(events[0]!.n).toBe(0);

    // A plugin with no events.publish grant at all.
    const subscriberRes = await agent.post(`/api/plugins/${WASM}/call`, {
      fn: 'events_publish',
      args: { name: 'kernel.hello', payload: {} },
    });
    expect(subscriberRes.body.error.message).toMatch(/may not publish "kernel.hello"/);
  });

  it('refuses a payload over 64 KiB or with NUL characters', async () => {
    const big = await agent.post(`/api/plugins/${PUBLISHER}/call`, {
      fn: 'events.publish',
      args: { name: 'hapi.ping', payload: { text: 'x'.repeat(64 * 1024) } },
    });
    expect(big.body).toMatchObject({ ok: false, code: 'invalid_argument' });
    expect(big.body.message).toMatch(/at most 65536 bytes/);
    const nul = await agent.post(`/api/plugins/${PUBLISHER}/call`, {
      fn: 'events.publish',
      args: { name: 'hapi.ping', payload: { text: 'a\u0000b' } },
    });
    expect(nul.body).toMatchObject({ ok: false, code: 'invalid_argument' });
  });
});

describe('delivery', () => {
  it('retries a failing delivery with backoff until it succeeds (at least once)', async () => {
    const id = await publish('hapi.ping', { failTimes: 2 });
    await waitFor('the delivery to succeed', async () => (await delivery(id))?.delivered_at ?? undefined);
    expect(await delivery(id)).toMatchObject({ attempts: 3, last_error: null, failed_at: null });
    expect(await received(id)).toHaveLength(3);
    // The second handler runs only once the first succeeded.
    expect(await received(id, 'alsoOnEvent')).toHaveLength(1);
    expect(await logLines(SUBSCRIBER)).toContainEqual(
      expect.stringMatching(new RegExp(`event hapi.ping #${id} failed \\(attempt 1 of 4, next in 100 ms\\)`)),
    );
  });

  it('gives up after the configured number of attempts and keeps the error', async () => {
    const id = await publish('hapi.ping', { failTimes: 100 });
    const given = await waitFor('the delivery to be given up', async () => {
      const d = await delivery(id);
      return d?.failed_at ? d : undefined;
    });
    expect(given).toMatchObject({ attempts: 4, delivered_at: null });
    expect(given.last_error).toMatch(/failing on purpose \(receipt 4\)/);
    expect(await received(id)).toHaveLength(4);
    expect(await logLines(SUBSCRIBER, 'error')).toContainEqual(
      expect.stringContaining(`event hapi.ping #${id} given up after 4 attempts`),
    );
  });

  it('holds back deliveries while the subscriber is disabled, and delivers them once it is enabled', async () => {
    const id = await publish('hapi.held', { hold: true });
    // The subscriber has the event and blocks on it; disabling it fails the delivery in flight.
    await waitFor('the subscriber to hold the event', async () => (await received(id)).length === 1);
    expect((await admin.post(`/api/admin/plugins/${SUBSCRIBER}/disable`)).body.state).toBe('disabled');
    const failed = await waitFor('the failed attempt to be recorded', async () => {
      const d = await delivery(id);
      return d?.last_error ? d : undefined;
    });
    expect(failed).toMatchObject({ attempts: 1, delivered_at: null, failed_at: null });

    // Published while it is disabled: it receives nothing (no delivery row at all)…
    const whileDisabled = await publish('hapi.ping', { n: 2 });
    expect(await delivery(whileDisabled)).toBeUndefined();
    // …and its pending delivery, due now, is not attempted by a full delivery round.
    await waitFor('the retry to be due', async () => (await delivery(id))?.due);
    await kernel.plugins.eventDelivery.poll();
    expect(await delivery(id)).toMatchObject({ attempts: 1, delivered_at: null });

    expect((await admin.post(`/api/admin/plugins/${SUBSCRIBER}/enable`)).status).toBe(200);
    await waitFor('the held delivery after enabling', async () => (await delivery(id))?.delivered_at);
    expect(await delivery(id)).toMatchObject({ attempts: 2, last_error: null });
    expect(await received(id)).toHaveLength(2);
    expect(await received(whileDisabled)).toHaveLength(0);
  });

  it('takes events the kernel publishes with publishEvent', async () => {
    const { id, subscribers } = await publishEvent(kernel, 'kernel.hello', { greeting: 'hi' });
    expect(subscribers).toEqual([SUBSCRIBER]);
    const [row] = await waitFor('the kernel event', async () => {
      const r = await received(id);
      return r.length ? r : undefined;
    });
    expect(row).toMatchObject({ publisher: 'kernel', payload: { greeting: 'hi' } });
    await expect(publishEvent(kernel, 'Not An Event', {})).rejects.toBeInstanceOf(HostApiError);
  });
});

describe('two kernels on one database', () => {
  let second: Kernel | undefined;
  afterAll(async () => {
    await second?.stop();
  });

  it('deliver every event once, never the same one twice', async () => {
    // The second kernel starts the plugins that are enabled in the shared state.
    second = await startTestKernel({ databaseUrl: db.url, env });
    expect(second.plugins.activePlugin(SUBSCRIBER)).toBeDefined();
    const ids: number[] = [];
    for (let i = 0; i < 30; i++) {
      const k = i % 2 === 0 ? kernel : second;
      ids.push((await publishEvent(k, 'hapi.bulk', { i })).id);
    }
    await waitFor(
      'all 30 deliveries',
      async () => {
        const done = await sql<{ n: number }>(
          db.url,
          `select count(*)::int as n from kernel.plugin_event_deliveries
            where event_id = any($1::bigint[]) and delivered_at is not null`,
          [ids],
        );
        return done[0]!.n === ids.length;
      },
      40_000,
    );
    // Each kernel's subscriber counts what it handled; together they saw every event exactly once.
    const keys = ids.map((id) => `event-${id}`).join(',');
    const seenHere = (await agent.get(`/api/plugins/${SUBSCRIBER}/seen?keys=${keys}`)).body;
    const otherAgent = new ApiClient(second.url);
    expect((await otherAgent.login('events-agent', USER_PASSWORD)).status).toBe(200);
    const seenThere = (await otherAgent.get(`/api/plugins/${SUBSCRIBER}/seen?keys=${keys}`)).body;
    for (const id of ids) {
      expect(seenHere[`event-${id}`] + seenThere[`event-${id}`], `event ${id}`).toBe(1);
    }
    // And each delivery was claimed once: a second claim would have counted a second attempt.
    const attempts = await sql<{ n: number }>(
      db.url,
      `select count(*)::int as n from kernel.plugin_event_deliveries
        where event_id = any($1::bigint[]) and attempts <> 1`,
      [ids],
    );
    expect(attempts[0]!.n).toBe(0);
  }, 60_000);
});
