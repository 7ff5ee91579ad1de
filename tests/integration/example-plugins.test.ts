/**
 * The example plugins as they ship (plugins-examples/hello-wasm and hello-grpc, not copies, both written with
 * definePlugin and built with goatflow-plugin build), run the way an operator runs them: discovered as
 * third-party plugins with nothing granted, granted and enabled through the admin API, then used through HTTP. Between them they call every Host API capability: hello-wasm greets in the
 * user's language with a counter in the cache and visits in its own table, publishes `hello.greeted` and writes
 * an audit row; hello-grpc's subscriber mails the user through a real SMTP server and posts to a webhook, both
 * on loopback, its cron job runs when the scheduler's clock moves, and its route reads hello-wasm's count
 * through plugins.call. Last, the acceptance point of the examples: toggling hello-grpc 20 times while a client
 * keeps calling hello-wasm drops none of those calls.
 */
import { spawnSync } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Kernel } from '@goatflow/kernel';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot, schemaOf, waitFor } from '../fixtures/grpc/host-api-plugins.js';
import { freshDatabase, type TestDatabase } from '../support/database.js';
import { auditRows, createUser, USER_PASSWORD } from '../support/helpers.js';
import { ApiClient } from '../support/http-client.js';
import { adminClient, startTestKernel } from '../support/kernel.js';
import { sql } from '../support/sql.js';

const WASM = 'hello-wasm';
const GRPC = 'hello-grpc';
const USER = { login: 'anna', firstName: 'Anna', lastName: 'Grünwald', email: 'anna@example.com' };
const NAME = 'Anna Grünwald';

interface Mail {
  to: string[];
  raw: string;
  /** The message with quoted-printable undone, as a reader sees its text. */
  text: string;
}
interface Hook {
  method: string;
  url: string;
  body: Record<string, unknown>;
}
const inbox: Mail[] = [];
const hooks: Hook[] = [];
let smtp: SMTPServer;
let webhook: http.Server;

let db: TestDatabase;
let kernel: Kernel;
let admin: ApiClient;
let anna: ApiClient;
let annaId: number;
/** The job scheduler's clock in the kernel under test; moved by the cron test instead of waiting a minute. */
let now = Date.parse('2031-03-01T10:00:30Z');

/** Undoes nodemailer's quoted-printable (the raw message is 7-bit ASCII: non-ASCII text arrives as =XX bytes). */
function decodeQuotedPrintable(raw: string): string {
  const bytes = raw
    .replace(/=\r?\n/g, '')
    .replace(/=([0-9A-F]{2})/g, (_match, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
  return Buffer.from(bytes, 'latin1').toString('utf8');
}

function listen(server: { listen: (port: number, host: string, done: () => void) => unknown }) {
  return new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
}

async function startSmtp(): Promise<number> {
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        inbox.push({
          to: session.envelope.rcptTo.map((r) => r.address),
          raw,
          text: decodeQuotedPrintable(raw),
        });
        callback();
      });
    },
  });
  await listen(smtp);
  return (smtp.server.address() as AddressInfo).port;
}

async function startWebhook(): Promise<number> {
  webhook = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      hooks.push({
        method: req.method ?? '',
        url: req.url ?? '',
        body: JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}'),
      });
      res.writeHead(204);
      res.end();
    });
  });
  await listen(webhook);
  return (webhook.address() as AddressInfo).port;
}

/** Grants what the plugin asks for, with `extra` on top (replacing those keys), and returns the grant. */
async function grantRequested(
  id: string,
  extra: Record<string, unknown> = {},
): Promise<Record<string, unknown>> {
  const status = await admin.get(`/api/admin/plugins/${id}`);
  expect(status.status).toBe(200);
  const granted = { ...status.body.requested, ...extra };
  const res = await admin.put(`/api/admin/plugins/${id}/grants`, granted);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  expect(res.body.missingGrants).toEqual([]);
  return granted;
}

async function enable(id: string): Promise<void> {
  const res = await admin.post(`/api/admin/plugins/${id}/enable`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  expect(res.body.state).toBe('enabled');
}

async function logLines(id: string, level = 'info'): Promise<string[]> {
  const res = await admin.get(`/api/admin/plugins/${id}/logs?level=${level}`);
  expect(res.status).toBe(200);
  return res.body.items.map((l: { message: string }) => l.message);
}

const greetingOf = async (id: string) => {
  const res = await anna.get(`/api/plugins/${id}/greeting`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
};

let notifyUrl: string;

beforeAll(async () => {
  // The examples are built from source with goatflow-plugin build (the WASM module, the widget bundle), as npm
  // test and npm start do too; a no-op when up to date.
  const script = path.join(repoRoot, 'scripts', 'build-examples.mjs');
  const build = spawnSync(process.execPath, [script, '--quiet', WASM, GRPC], { encoding: 'utf8' });
  if (build.status !== 0) {
    throw new Error(`building the example plugins failed:\n${build.stdout}${build.stderr}`);
  }
  const smtpPort = await startSmtp();
  notifyUrl = `http://127.0.0.1:${await startWebhook()}/hooks/greeted`;
  db = await freshDatabase();
  // No GOATFLOW_PLUGIN_DIR: the examples are found where every installation finds them, in plugins-examples/.
  kernel = await startTestKernel({
    databaseUrl: db.url,
    env: {
      GOATFLOW_SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
      GOATFLOW_EMAIL_FROM: 'GoatFlow Examples <goatflow@examples.test>',
      GOATFLOW_EVENTS_POLL_MS: '100',
    },
  });
  kernel.plugins.jobs.setClock(() => now);
  admin = await adminClient(kernel);
  annaId = (await createUser(admin, USER)).id;
  anna = new ApiClient(kernel.url);
  expect((await anna.login(USER.login, USER_PASSWORD)).status).toBe(200);
}, 120_000);

afterAll(async () => {
  await kernel?.stop();
  await db?.drop();
  await new Promise((resolve) => smtp?.close(() => resolve(undefined)));
  webhook?.closeAllConnections();
  await new Promise((resolve) => webhook?.close(resolve));
});

/** hello-wasm's `visitsShown` setting as the admin API shows it, from the list or the plugin's own status. */
async function visitsShownField(path: string): Promise<{ title: string; description: string }> {
  const res = await admin.get(path);
  expect(res.status).toBe(200);
  const body = res.body as { items?: { id: string; settingsSchema: unknown }[]; settingsSchema?: unknown };
  const schema = body.items ? body.items.find((p) => p.id === WASM)?.settingsSchema : body.settingsSchema;
  return (schema as { properties: Record<string, { title: string; description: string }> }).properties
    .visitsShown!;
}

/** English for an English admin; German from the plugin's bundle once the admin switches to German. */
async function expectSettingsInAdminsLanguage(): Promise<void> {
  expect(await visitsShownField(`/api/admin/plugins/${WASM}`)).toMatchObject({ title: 'Visits shown' });
  expect((await admin.patch('/api/auth/me', { locale: 'de' })).status).toBe(200);
  try {
    const german = {
      title: 'Angezeigte Besuche',
      description: 'Wie viele der letzten Besuche GET /visits liefert.',
    };
    expect(await visitsShownField(`/api/admin/plugins/${WASM}`)).toMatchObject(german);
    expect(await visitsShownField('/api/admin/plugins')).toMatchObject(german);
  } finally {
    expect((await admin.patch('/api/auth/me', { locale: 'en' })).status).toBe(200);
  }
}

describe('an operator enables the examples', () => {
  it('finds both installed, with nothing granted, and refuses to enable them before the grant', async () => {
    for (const id of [WASM, GRPC]) {
      const status = await admin.get(`/api/admin/plugins/${id}`);
      expect(status.body).toMatchObject({ id, state: 'installed', firstParty: false, granted: {} });
      expect(status.body.missingGrants.length).toBeGreaterThan(0);
      const refused = await admin.post(`/api/admin/plugins/${id}/enable`);
      expect(refused.status).toBe(409);
      expect(refused.body.error.message).toMatch(/asks for permissions it was not granted/);
    }
    expect((await anna.get(`/api/plugins/${WASM}/greeting`)).status).toBe(404);
  });

  it("shows a settings form in the admin's language, from the bundles in the folder of a plugin not running", async () => {
    await expectSettingsInAdminsLanguage();
  });

  it('grants what each asks for (and hello-grpc the loopback webhook), sets its webhook and enables both', async () => {
    const wasmGrant = await grantRequested(WASM);
    expect(wasmGrant).toMatchObject({
      db: { own: true },
      cache: true,
      i18n: true,
      identity: { read: true },
      events: { publish: ['hello.greeted'] },
      audit: true,
    });
    await enable(WASM);

    const webhookHost = new URL(notifyUrl).host;
    // The manifest asks for hooks.example.com; this installation's receiver is on loopback, which needs the
    // host (with its port) in the grant and httpPrivate besides.
    const grpcGrant = await grantRequested(GRPC, {
      http: ['hooks.example.com', webhookHost],
      httpPrivate: true,
    });
    expect(grpcGrant).toMatchObject({
      cache: true,
      i18n: true,
      identity: { read: true },
      email: ['users'],
      plugins: { call: [WASM] },
    });
    const settings = await admin.put(`/api/admin/plugins/${GRPC}/settings`, { notifyUrl });
    expect(settings.status, JSON.stringify(settings.body)).toBe(200);
    // The settings are checked against the schema in the manifest.
    const refused = await admin.put(`/api/admin/plugins/${GRPC}/settings`, { notifyUrl: 'ftp://x' });
    expect(refused.status).toBe(400);
    await enable(GRPC);
    const health = (await admin.get(`/api/admin/plugins/${GRPC}`)).body.health;
    expect(health.state).toBe('running');
  });
});

describe('hello-wasm', () => {
  it("shows its settings form in the admin's language from the running plugin's bundles", async () => {
    expect((await admin.get(`/api/admin/plugins/${WASM}`)).body.state).toBe('enabled');
    await expectSettingsInAdminsLanguage();
  });

  it('greets the signed-in user by name, in English, with the count from the cache', async () => {
    expect(await greetingOf(WASM)).toEqual({
      greeting: `Hello, ${NAME}! 👋`,
      count: 0,
      countText: 'Greetings so far: 0',
      action: 'Say hello',
      locale: 'en',
    });
  });

  it('keeps a name with quotes, a backslash and a character beyond the BMP intact through its JSON', async () => {
    const zoe = { login: 'zoe', firstName: 'Zoë "Z"', lastName: "O'Brien \\ 𝄞" };
    await createUser(admin, zoe);
    const client = new ApiClient(kernel.url);
    expect((await client.login(zoe.login, USER_PASSWORD)).status).toBe(200);
    const res = await client.get(`/api/plugins/${WASM}/greeting`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.greeting).toBe(`Hello, ${zoe.firstName} ${zoe.lastName}! 👋`);
  });

  it('counts greetings in the cache, records each visit in its own table, and audits it', async () => {
    const first = await anna.post(`/api/plugins/${WASM}/count`);
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expect(first.body).toEqual({ count: 1, visitId: expect.any(Number) });
    const second = await anna.post(`/api/plugins/${WASM}/count`);
    expect(second.body).toEqual({ count: 2, visitId: first.body.visitId + 1 });
    expect((await greetingOf(WASM)).count).toBe(2);

    const visits = await anna.get(`/api/plugins/${WASM}/visits`);
    expect(visits.status, JSON.stringify(visits.body)).toBe(200);
    expect(visits.body.total).toBe(2);
    expect(visits.body.items).toEqual([
      expect.objectContaining({
        id: second.body.visitId,
        userId: annaId,
        login: 'anna',
        count: 2,
        locale: 'en',
      }),
      expect.objectContaining({
        id: first.body.visitId,
        userId: annaId,
        login: 'anna',
        count: 1,
        locale: 'en',
      }),
    ]);
    expect(Number.isNaN(Date.parse(visits.body.items[0].visitedAt))).toBe(false);
    // The table is the plugin's own, in its own schema, created by its migration.
    const rows = await sql(db.url, `select login, greeting_count from ${schemaOf(WASM)}.visits order by id`);
    expect(rows).toEqual([
      { login: 'anna', greeting_count: 1 },
      { login: 'anna', greeting_count: 2 },
    ]);

    const audit = await auditRows(admin, `plugin.${WASM}.greeted`);
    expect(audit.map((r) => r.details)).toEqual([
      { count: 2, visitId: second.body.visitId },
      { count: 1, visitId: first.body.visitId },
    ]);
    expect(audit[0]).toMatchObject({
      actorUserId: annaId,
      actorLogin: 'anna',
      targetType: 'user',
      targetId: String(annaId),
    });
    expect(await logLines(WASM)).toContainEqual(`greeted anna (greeting #2, visit ${second.body.visitId})`);
  });

  it('greets in German once the user switches their language', async () => {
    expect((await anna.patch('/api/auth/me', { locale: 'de' })).status).toBe(200);
    expect(await greetingOf(WASM)).toEqual({
      greeting: `Hallo, ${NAME}! 👋`,
      count: 2,
      countText: 'Bisherige Grüße: 2',
      action: 'Hallo sagen',
      locale: 'de',
    });
  });

  it('serves its widget to the dashboard, and its module (bundled with Lit by goatflow-plugin build)', async () => {
    const contributions = await anna.get('/api/ui/contributions');
    expect(contributions.body.widgets).toContainEqual(
      expect.objectContaining({
        plugin: WASM,
        id: 'greeting',
        title: 'Hallo aus WASM',
        element: 'gf-hello-wasm-greeting',
        module: `/plugins/${WASM}/assets/hello-wasm-greeting.js`,
      }),
    );
    const module = await anna.get(`/plugins/${WASM}/assets/hello-wasm-greeting.js`);
    expect(module.status).toBe(200);
    expect(module.headers.get('content-type')).toMatch(/javascript/);
    // One self-contained module: the GoatflowWidget subclass with Lit inlined, no bare imports left.
    expect(String(module.body)).toMatch(/customElements\.define\(["']gf-hello-wasm-greeting["']/);
    expect(String(module.body)).not.toMatch(/from\s*["'](lit|@goatflow\/sdk)/);
  });
});

describe('hello-grpc', () => {
  it('answers a greeting of its own with hello-wasm’s count, read through plugins.call', async () => {
    expect(await greetingOf(GRPC)).toMatchObject({
      greeting: `Hallo aus gRPC, ${NAME}!`,
      helloWasm: { count: 2, text: 'hello-wasm hat 2 Grüße gezählt.' },
    });
  });

  it('on hello.greeted, mails the greeted user in their language and posts to the webhook', async () => {
    const greeted = await anna.post(`/api/plugins/${WASM}/count`);
    expect(greeted.body.count).toBe(3);
    const mail = await waitFor('the mail about greeting #3', () =>
      inbox.find((m) => m.text.includes('Gruß Nummer 3')),
    );
    expect(mail.text).toContain(`Hallo ${NAME},`);
    expect(mail.to).toEqual([USER.email]);
    expect(mail.raw).toMatch(/^Subject: Du hast auf GoatFlow Hallo gesagt\r?$/m);
    expect(mail.raw).toMatch(/^X-GoatFlow-Plugin: hello-grpc\r?$/im);
    const hook = await waitFor('the webhook call about greeting #3', () =>
      hooks.find((h) => h.body.count === 3),
    );
    expect(hook).toMatchObject({
      method: 'POST',
      url: '/hooks/greeted',
      body: { event: 'hello.greeted', login: 'anna', count: 3, eventId: expect.any(Number) },
    });
    // The two greetings before were published while hello-grpc was already enabled: they were notified too.
    await waitFor('every greeting notified', async () => (await greetingOf(GRPC)).notified >= 3);
    expect(inbox.filter((m) => m.to.includes(USER.email)).length).toBe(3);
    const outbox = await admin.get(`/api/admin/outbox?plugin=${GRPC}`);
    expect(outbox.body.items.map((i: { status: string }) => i.status)).toEqual(['sent', 'sent', 'sent']);
    expect(await logLines(GRPC)).toContainEqual(
      expect.stringMatching(/^notified anna of greeting #3 \(event \d+\)$/),
    );
  });

  it('runs its heartbeat job when the minute comes', async () => {
    now = Date.parse('2031-03-01T10:01:02Z');
    await kernel.plugins.jobs.tick();
    const heartbeat = await waitFor('the 10:01 heartbeat', async () => (await greetingOf(GRPC)).heartbeat);
    expect(heartbeat).toEqual({ at: '2031-03-01T10:01:00.000Z', notified: 3, helloWasmCount: 3 });
    const runs = await sql<{ finished_at: Date | null; error: string | null }>(
      db.url,
      `select finished_at, error from kernel.plugin_job_runs where plugin_id = $1 and job_id = 'heartbeat'`,
      [GRPC],
    );
    expect(runs).toEqual([{ finished_at: expect.any(Date), error: null }]);
    expect(await logLines(GRPC)).toContainEqual(
      'heartbeat 2031-03-01T10:01:00.000Z: 3 greeting(s) notified since enabled; hello-wasm count 3',
    );
  });
});

describe('enabling and disabling never drops another plugin’s requests', () => {
  it('toggles hello-grpc 20 times while a client keeps calling hello-wasm: zero failures', async () => {
    let stop = false;
    const failures: string[] = [];
    let calls = 0;
    const client = (async () => {
      while (!stop) {
        const res = await anna.get(`/api/plugins/${WASM}/greeting`);
        calls++;
        if (res.status !== 200 || res.body.greeting !== `Hallo, ${NAME}! 👋`) {
          failures.push(`${res.status} ${JSON.stringify(res.body)}`);
        }
      }
    })();
    try {
      for (let i = 0; i < 20; i++) {
        expect((await admin.post(`/api/admin/plugins/${GRPC}/disable`)).status).toBe(200);
        expect((await anna.get(`/api/plugins/${GRPC}/greeting`)).status).toBe(404);
        expect((await admin.post(`/api/admin/plugins/${GRPC}/enable`)).status).toBe(200);
        const back = await anna.get(`/api/plugins/${GRPC}/greeting`);
        expect(back.status, JSON.stringify(back.body)).toBe(200);
        expect(back.body.helloWasm.count).toBe(3);
      }
    } finally {
      stop = true;
      await client;
    }
    expect(failures).toEqual([]);
    expect(calls).toBeGreaterThan(20);
  }, 240_000);

  it('hello-grpc keeps answering while hello-wasm is disabled, without its count', async () => {
    expect((await admin.post(`/api/admin/plugins/${WASM}/disable`)).status).toBe(200);
    expect((await anna.get(`/api/plugins/${WASM}/greeting`)).status).toBe(404);
    expect(await greetingOf(GRPC)).toMatchObject({
      helloWasm: { count: null, text: 'hello-wasm ist nicht aktiviert.' },
    });
    await enable(WASM);
    // Disabling emptied hello-wasm's cache; its table kept every visit.
    expect((await greetingOf(WASM)).count).toBe(0);
    expect((await anna.get(`/api/plugins/${WASM}/visits`)).body.total).toBe(3);
  });
});

describe('hello-wasm housekeeping', () => {
  it('keeps the latest 1000 visits in its table, deleting older ones as new ones come', async () => {
    await sql(
      db.url,
      `insert into ${schemaOf(WASM)}.visits (user_id, login, greeting_count, locale)
       select $1, 'filler', n, 'en' from generate_series(1, 1000) as n`,
      [annaId],
    );
    const greeted = await anna.post(`/api/plugins/${WASM}/count`);
    expect(greeted.status, JSON.stringify(greeted.body)).toBe(200);
    const visits = await anna.get(`/api/plugins/${WASM}/visits`);
    expect(visits.body.total).toBe(1000);
    expect(visits.body.items).toHaveLength(10); // the visitsShown default
    expect(visits.body.items[0]).toMatchObject({ id: greeted.body.visitId, login: 'anna' });
  });

  it('lets an admin reset the counter (and no one else), audited', async () => {
    expect((await anna.delete(`/api/plugins/${WASM}/count`)).status).toBe(404);
    expect((await greetingOf(WASM)).count).toBe(1);
    const reset = await admin.delete(`/api/plugins/${WASM}/count`);
    expect(reset.status, JSON.stringify(reset.body)).toBe(200);
    expect(reset.body).toEqual({ reset: true });
    expect((await greetingOf(WASM)).count).toBe(0);
    expect((await admin.delete(`/api/plugins/${WASM}/count`)).body).toEqual({ reset: false });
    const audit = await auditRows(admin, `plugin.${WASM}.counter_reset`);
    expect(audit.map((r) => r.details)).toEqual([{ existed: false }, { existed: true }]);
    expect(audit[1]).toMatchObject({ actorLogin: 'admin' });
  });
});
