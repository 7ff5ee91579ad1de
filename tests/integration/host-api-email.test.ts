/**
 * email.send with real plugins in both runtimes: recipients only in granted domains or, with `users`, active
 * GoatFlow users; header injection refused; mail kept in the outbox (GET /api/admin/outbox) when no SMTP server
 * is configured, and sent through a real SMTP server on loopback when one is, with the outcome recorded.
 */
import type { AddressInfo } from 'node:net';
import { ConfigError, type Kernel, loadConfig } from '@goatflow/kernel';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWasmFixtures, PluginFolder, waitFor } from '../fixtures/grpc/host-api-plugins.js';
import { freshDatabase, type TestDatabase } from '../support/database.js';
import { USER_PASSWORD } from '../support/helpers.js';
import { ApiClient } from '../support/http-client.js';
import { adminClient, startTestKernel, userClient } from '../support/kernel.js';

const folder = new PluginFolder();
let db: TestDatabase;
let kernel: Kernel;
let admin: ApiClient;
let agent: ApiClient;
let agentId: number;

interface Received {
  from: string;
  to: string[];
  raw: string;
}
const inbox: Received[] = [];
let smtp: SMTPServer;
let smtpPort: number;

const DOMAINS = 'mail-domains';
const USERS = 'mail-users';
const NONE = 'mail-none';
const WASM = 'mail-wasm';
const grants: Record<string, Record<string, unknown>> = {
  [DOMAINS]: { email: ['example.com', '*.example.org'] },
  [USERS]: { email: ['users'] },
  [NONE]: {},
  [WASM]: { email: ['example.com'] },
};

async function send(plugin: string, args: unknown, client = agent): Promise<any> {
  const fn = plugin === WASM ? 'email_send' : 'email.send';
  const res = await client.post(`/api/plugins/${plugin}/call`, { fn, args });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
}

async function outbox(query = ''): Promise<any> {
  const res = await admin.get(`/api/admin/outbox${query}`);
  expect(res.status).toBe(200);
  return res.body;
}

function startSmtp(): Promise<void> {
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onRcptTo(address, _session, callback) {
      if (address.address.startsWith('bounce@')) {
        callback(Object.assign(new Error('No such mailbox here'), { responseCode: 550 }));
      } else callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        inbox.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString('utf8'),
        });
        callback();
      });
    },
  });
  return new Promise((resolve) => {
    smtp.listen(0, '127.0.0.1', () => {
      smtpPort = (smtp.server.address() as AddressInfo).port;
      resolve();
    });
  });
}

beforeAll(async () => {
  buildWasmFixtures();
  await startSmtp();
  const contributes = { routes: [{ method: 'POST', path: '/call', auth: 'agent', handler: 'call' }] };
  for (const id of [DOMAINS, USERS, NONE]) folder.grpc(id, { permissions: grants[id], contributes });
  folder.wasm(WASM, { permissions: grants[WASM], contributes });
  db = await freshDatabase();
  kernel = await startTestKernel({ databaseUrl: db.url, env: { GOATFLOW_PLUGIN_DIR: folder.dir } });
  admin = await adminClient(kernel);
  const created = await userClient(kernel, admin, { login: 'mail-agent' });
  agent = created.client;
  agentId = created.id;
  for (const id of [DOMAINS, USERS, NONE, WASM]) {
    await admin.put(`/api/admin/plugins/${id}/grants`, grants[id]);
    const res = await admin.post(`/api/admin/plugins/${id}/enable`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
  }
}, 120_000);

afterAll(async () => {
  await kernel?.stop();
  await db?.drop();
  await new Promise((resolve) => smtp?.close(() => resolve(undefined)));
  folder.remove();
});

describe('without an SMTP server: the outbox', () => {
  it('keeps the mail unsent in the outbox, which only admins read', async () => {
    const res = await send(DOMAINS, {
      to: ['Ann@example.com', 'bob@sub.example.org'],
      subject: 'Grüße ✓',
      text: 'plain text',
      html: '<p>html</p>',
    });
    expect(res).toMatchObject({ ok: true, value: { id: expect.any(Number) } });
    const body = await outbox();
    expect(body.items[0]).toMatchObject({
      id: res.value.id,
      plugin: DOMAINS,
      userId: agentId,
      to: ['Ann@example.com', 'bob@sub.example.org'],
      subject: 'Grüße ✓',
      text: 'plain text',
      html: '<p>html</p>',
      status: 'unsent',
      error: null,
      messageId: null,
      sentAt: null,
    });
    expect(body.total).toBeGreaterThanOrEqual(1);
    expect((await agent.get('/api/admin/outbox')).status).toBe(404);
    expect(
      (await admin.get(`/api/admin/outbox?plugin=${DOMAINS}&status=unsent&limit=1`)).body.items,
    ).toHaveLength(1);
    expect((await admin.get('/api/admin/outbox?status=bogus')).status).toBe(400);
  });

  it('works from WASM too', async () => {
    const res = await send(WASM, { to: 'wasm@example.com', subject: 'from wasm', text: 'hi' });
    expect(res).toMatchObject({ ok: true, value: { id: expect.any(Number) } });
    expect((await outbox(`?plugin=${WASM}`)).items[0]).toMatchObject({
      to: ['wasm@example.com'],
      status: 'unsent',
    });
    const refused = await send(WASM, { to: 'x@example.org', subject: 's', text: 't' });
    expect(refused).toMatchObject({ ok: false, error: { code: 'permission_denied' } });
  });
});

describe('recipients', () => {
  it('refuses recipients outside the granted domains, naming them, storing nothing, logging it', async () => {
    const before = (await outbox()).total;
    const cases: [string, unknown, RegExp][] = [
      [
        DOMAINS,
        'eve@evil.com',
        /may not write to eve@evil\.com: its domain is not in this plugin's email grant$/,
      ],
      [DOMAINS, 'x@example.org', /may not write to x@example\.org/], // *.example.org is below it only
      [DOMAINS, 'x@example.com.evil.com', /may not write to x@example\.com\.evil\.com/],
      [DOMAINS, ['ok@example.com', 'eve@evil.com'], /may not write to eve@evil\.com/],
      [NONE, 'ok@example.com', /needs the permission "email"/],
    ];
    for (const [plugin, to, message] of cases) {
      const res = await send(plugin, { to, subject: 's', text: 't' });
      expect(res, JSON.stringify(to)).toMatchObject({ ok: false, code: 'permission_denied' });
      expect(res.message).toMatch(message);
    }
    expect((await outbox()).total).toBe(before);
    const logs = await admin.get(`/api/admin/plugins/${DOMAINS}/logs?level=warn`);
    expect(logs.body.items.map((l: { message: string }) => l.message)).toContainEqual(
      expect.stringContaining('host call email.send refused: email.send may not write to eve@evil.com'),
    );
  });

  it('with "users", writes to active GoatFlow users only, whatever the case of the address', async () => {
    expect(await send(USERS, { to: 'mail-agent@example.com', subject: 's', text: 't' })).toMatchObject({
      ok: true,
    });
    expect(await send(USERS, { to: 'MAIL-Agent@Example.com', subject: 's', text: 't' })).toMatchObject({
      ok: true,
    });
    const stranger = await send(USERS, { to: 'stranger@example.com', subject: 's', text: 't' });
    expect(stranger).toMatchObject({ ok: false, code: 'permission_denied' });
    expect(stranger.message).toMatch(/not an active GoatFlow user's address/);

    const gone = await admin.post('/api/admin/users', {
      login: 'gone-user',
      type: 'customer',
      firstName: 'Gone',
      lastName: 'User',
      email: 'gone@example.net',
      password: USER_PASSWORD,
    });
    expect(await send(USERS, { to: 'gone@example.net', subject: 's', text: 't' })).toMatchObject({
      ok: true,
    });
    await admin.patch(`/api/admin/users/${gone.body.id}`, { active: false });
    expect(await send(USERS, { to: 'gone@example.net', subject: 's', text: 't' })).toMatchObject({
      ok: false,
      code: 'permission_denied',
    });
  });

  it('refuses header injection and anything but plain addresses', async () => {
    const before = (await outbox()).total;
    const cases: [Record<string, unknown>, RegExp][] = [
      [
        { to: 'a@example.com', subject: 'Hi\r\nBcc: eve@evil.com', text: 't' },
        /"subject" contains a line break: header injection/,
      ],
      [{ to: 'a@example.com', subject: 'Hi\nBcc: eve@evil.com', text: 't' }, /header injection/],
      [
        { to: 'a@example.com\r\nBcc: eve@evil.com', subject: 's', text: 't' },
        /"to" contains a line break: header injection/,
      ],
      [{ to: 'Ann <a@example.com>', subject: 's', text: 't' }, /not a plain e-mail address/],
      [{ to: 'a@example.com, eve@evil.com', subject: 's', text: 't' }, /not a plain e-mail address/],
      [{ to: [], subject: 's', text: 't' }, /list of 1 to 50 addresses/],
      [{ to: Array.from({ length: 51 }, (_, i) => `u${i}@example.com`), subject: 's', text: 't' }, /1 to 50/],
      [{ to: 'a@example.com', subject: 's' }, /"text" must be a string/],
      [{ to: 'a@example.com', subject: 'a\u0007b', text: 't' }, /control characters/],
      [{ to: 'a@example.com', subject: 's', text: 't', html: 7 }, /"html" must be a string/],
    ];
    for (const [args, message] of cases) {
      const res = await send(DOMAINS, args);
      expect(res, JSON.stringify(args).slice(0, 120)).toMatchObject({ ok: false, code: 'invalid_argument' });
      expect(res.message).toMatch(message);
    }
    expect((await outbox()).total).toBe(before);
  });
});

describe('with an SMTP server', () => {
  let smtpKernel: Kernel | undefined;
  let smtpAgent: ApiClient;
  afterAll(async () => {
    await smtpKernel?.stop();
  });

  it('refuses a GOATFLOW_SMTP_URL that is not smtp:// or smtps://', () => {
    expect(() => loadConfig({ GOATFLOW_SMTP_URL: 'http://mail.example.com' })).toThrow(ConfigError);
    expect(() => loadConfig({ GOATFLOW_SMTP_URL: 'smtp://' })).toThrow(/GOATFLOW_SMTP_URL/);
    expect(loadConfig({ GOATFLOW_SMTP_URL: 'smtps://u:p@mail.example.com' }).smtpUrl).toBe(
      'smtps://u:p@mail.example.com',
    );
  });

  it('sends through it and records the mail as sent', async () => {
    // A second kernel on the same database, configured with the SMTP server; it runs the enabled plugins too.
    smtpKernel = await startTestKernel({
      databaseUrl: db.url,
      env: {
        GOATFLOW_PLUGIN_DIR: folder.dir,
        GOATFLOW_SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
        GOATFLOW_EMAIL_FROM: 'GoatFlow Tests <goatflow@tests.example>',
      },
    });
    smtpAgent = new ApiClient(smtpKernel.url);
    expect((await smtpAgent.login('mail-agent', USER_PASSWORD)).status).toBe(200);
    const res = await send(
      DOMAINS,
      {
        to: ['ann@example.com', 'bob@sub.example.org'],
        subject: 'Hello ✓',
        text: 'the text',
        html: '<b>the html</b>',
      },
      smtpAgent,
    );
    expect(res, JSON.stringify(res)).toMatchObject({ ok: true, value: { id: expect.any(Number) } });
    const mail = await waitFor('the mail at the SMTP server', () => inbox.at(-1));
    expect(mail.from).toBe('goatflow@tests.example');
    expect(mail.to).toEqual(['ann@example.com', 'bob@sub.example.org']);
    expect(mail.raw).toMatch(/^Subject: =\?UTF-8\?/m);
    expect(mail.raw).toMatch(/^X-GoatFlow-Plugin: mail-domains\r?$/im);
    expect(mail.raw).toContain('the text');
    expect(mail.raw).toContain('<b>the html</b>');
    const row = (await outbox()).items.find((i: { id: number }) => i.id === res.value.id);
    expect(row).toMatchObject({
      status: 'sent',
      error: null,
      messageId: expect.any(String),
      sentAt: expect.any(String),
    });
  });

  it('tells the plugin when the server refuses, and records the failure with the SMTP error', async () => {
    const res = await send(DOMAINS, { to: 'bounce@example.com', subject: 's', text: 't' }, smtpAgent);
    expect(res).toMatchObject({ ok: false, code: 'send_failed' });
    expect(res.message).toMatch(/550/);
    const id = Number(/outbox id (\d+)/.exec(res.message)?.[1]);
    const row = (await outbox()).items.find((i: { id: number }) => i.id === id);
    expect(row).toMatchObject({ status: 'failed', to: ['bounce@example.com'], sentAt: null });
    expect(row.error).toMatch(/550/);
  });
});
