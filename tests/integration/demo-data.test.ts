/**
 * GOATFLOW_DEMO_DATA: the kernel's half of the demo (groups, agents with mixed permission keys, twelve customers),
 * seeded once, and the event `kernel.demo_data.seeded` published on every start after the plugins have started,
 * so a subscriber enabled then receives it.
 */
import type { Kernel } from '@goatflow/kernel';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PluginFolder, waitFor } from '../fixtures/grpc/host-api-plugins.js';
import { freshDatabase, type TestDatabase } from '../support/database.js';
import { adminClient, startTestKernel } from '../support/kernel.js';
import { sql } from '../support/sql.js';

const LISTENER = 'demo-listener';
const EVENT = 'kernel.demo_data.seeded';
const permissions = { db: { own: true } };

const folder = new PluginFolder();
let db: TestDatabase;
let kernel: Kernel | undefined;
const env = {
  GOATFLOW_PLUGIN_DIR: folder.dir,
  GOATFLOW_DEMO_DATA: 'true',
  GOATFLOW_EVENTS_POLL_MS: '100',
};

type Published = { id: string; payload: Record<string, Record<string, number>>; publisher: string };

const published = () =>
  sql<Published>(
    db.url,
    'select id, payload, publisher from kernel.plugin_events where name = $1 order by id',
    [EVENT],
  );

const keysOf = async (login: string) =>
  (
    await sql<{ name: string; key: string }>(
      db.url,
      `select g.name, m.permission_key as key from kernel.group_memberships m
         join kernel.groups g on g.id = m.group_id join kernel.users u on u.id = m.user_id
        where u.login = $1 order by 1, 2`,
      [login],
    )
  ).map((r) => `${r.name}:${r.key}`);

/** The ids in the database of the given logins and group names, as the event reports them. */
async function idsOf(table: 'users' | 'groups', column: 'login' | 'name', where: string) {
  const rows = await sql<{ k: string; id: number }>(
    db.url,
    `select ${column} as k, id from kernel.${table} where ${where} order by 1`,
  );
  return Object.fromEntries(rows.map((r) => [r.k, r.id]));
}

beforeAll(async () => {
  folder.grpc(LISTENER, { permissions, contributes: { events: [{ name: EVENT, handler: 'onEvent' }] } });
  db = await freshDatabase();
}, 60_000);

afterAll(async () => {
  await kernel?.stop();
  await db?.drop();
  folder.remove();
});

describe('demo data', () => {
  it('seeds groups, agents with mixed keys and twelve customers in four domains, and announces them', async () => {
    kernel = await startTestKernel({ databaseUrl: db.url, env });
    expect(await keysOf('alice')).toEqual(['billing:ro', 'support:rw']);
    expect(await keysOf('bernd')).toEqual(['engineering:ro', 'engineering:rw', 'support:ro', 'support:rw']);
    expect(await keysOf('chloe')).toEqual(['billing:rw', 'support:note', 'support:ro']);
    expect(await keysOf('dmitri')).toEqual(['engineering:create', 'engineering:ro']);
    expect(await keysOf('emil')).toEqual(['support:move_into']);
    const customers = await sql<{ login: string; email: string }>(
      db.url,
      "select login, email from kernel.users where type = 'customer' order by login",
    );
    expect(customers).toHaveLength(12);
    const domains = customers.map((c) => c.email.split('@')[1]);
    expect([...new Set(domains)].sort()).toEqual([
      'acme.example',
      'globex.example',
      'initech.example',
      'umbrella.example',
    ]);
    for (const domain of new Set(domains)) expect(domains.filter((d) => d === domain)).toHaveLength(3);

    const [event, ...more] = await published();
    expect(more).toEqual([]);
    expect(event!.publisher).toBe('kernel');
    expect(event!.payload).toEqual({
      groups: await idsOf('groups', 'name', "name in ('support', 'billing', 'engineering', 'admin')"),
      agents: await idsOf('users', 'login', "login in ('alice', 'bernd', 'chloe', 'dmitri', 'emil')"),
      customers: await idsOf('users', 'login', "type = 'customer'"),
    });
    // The listener is a third-party plugin, not enabled yet: no delivery was made for it.
    expect(
      await sql(db.url, 'select 1 from kernel.plugin_event_deliveries where event_id = $1', [event!.id]),
    ).toEqual([]);

    const admin = await adminClient(kernel);
    expect((await admin.put(`/api/admin/plugins/${LISTENER}/grants`, permissions)).status).toBe(200);
    expect((await admin.post(`/api/admin/plugins/${LISTENER}/enable`)).status).toBe(200);
    // Removed behind the API's back (it only deactivates users), as an operator cleaning up might.
    await sql(db.url, "delete from kernel.users where login = 'paula@umbrella.example'");
    await kernel.stop();
    kernel = undefined;
  }, 120_000);

  it('on the next start seeds nothing again, and delivers the event to the plugins that now run', async () => {
    const users = await sql(db.url, 'select id, login from kernel.users order by id');
    const memberships = await sql(db.url, 'select * from kernel.group_memberships order by 1, 2, 3');
    kernel = await startTestKernel({ databaseUrl: db.url, env });
    expect(await sql(db.url, 'select id, login from kernel.users order by id')).toEqual(users);
    expect(await sql(db.url, 'select * from kernel.group_memberships order by 1, 2, 3')).toEqual(memberships);

    const events = await published();
    expect(events).toHaveLength(2);
    const latest = events[1]!;
    // The deleted customer is neither resurrected nor announced.
    expect(Object.keys(latest.payload.customers!)).toHaveLength(11);
    expect(latest.payload.customers).not.toHaveProperty(['paula@umbrella.example']);
    const [received] = await waitFor('the listener to receive the event', async () => {
      const rows = await sql<{ payload: unknown; publisher: string }>(
        db.url,
        'select payload, publisher from demo_listener.received where event_id = $1',
        [latest.id],
      );
      return rows.length ? rows : undefined;
    });
    expect(received).toEqual({ payload: latest.payload, publisher: 'kernel' });
  }, 120_000);
});
