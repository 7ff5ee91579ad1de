/**
 * The kernel's identity views (schema `goatflow`, migration m0005) and the `db.read` rule, attacked with real gRPC
 * plugins: an exporter whose views filter by the acting user's groups, and a consumer that runs any SQL a test asks
 * for as the signed-in user. Covers docs/plugins-core/tickets-design.md 1.5, items 1–7; the migration-time
 * forgeries of item 3 are in plugin-db-boundary.test.ts ("refuse whatever could forge the acting user" and "refuse
 * at every provision a schema that holds unsafe objects").
 */
import fs from 'node:fs';
import path from 'node:path';
import { type Kernel, PluginDatabase, SqlGuard } from '@goatflow/kernel';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PluginFolder, repoRoot } from '../fixtures/grpc/host-api-plugins.js';
import { freshDatabase, type TestDatabase } from '../support/database.js';
import { createUser, USER_PASSWORD } from '../support/helpers.js';
import { ApiClient } from '../support/http-client.js';
import { adminClient, startTestKernel } from '../support/kernel.js';
import { sql } from '../support/sql.js';

const EXPORTER = 'idv-notes';
const CONSUMER = 'idv-reader';
const TABLE_READER = 'idv-table-reader';
const SNEAKY = 'idv-sneaky';

const IDENTITY = [
  'goatflow.acting_user',
  'goatflow.my_group_permissions',
  'goatflow.users',
  'goatflow.groups',
];
const consumerRead = [...IDENTITY, 'idv_notes.notes_visible'];
const exporterRead = ['goatflow.my_group_permissions', 'goatflow.group_permissions'];
const exports = ['idv_notes.notes_visible', 'idv_notes.notes_leaky', 'idv_notes.notes'];

// notes_visible is the shape the tickets plugin exports: a security_barrier view filtered by the acting user's
// groups. notes_leaky is the same filter without the barrier: exported, yet never granted, and the control that
// shows the oracle test can fail.
const EXPORTER_MIGRATION = `
create table notes (id int primary key, group_id int not null, secret text not null);
create view notes_visible with (security_barrier) as
  select n.id, n.group_id, n.secret from notes n
   where n.group_id in (select p.group_id from goatflow.my_group_permissions p);
create view notes_leaky as
  select n.id, n.group_id, n.secret from notes n
   where n.group_id in (select p.group_id from goatflow.my_group_permissions p);
create view notes_all as select id, group_id from notes;
`;
// A function of the consumer's own: it runs in the caller's transaction, with the user the kernel bound.
const CONSUMER_MIGRATION = `
create function whoami() returns int language sql stable as $$ select id from goatflow.acting_user $$;
`;

const folder = new PluginFolder();
let db: TestDatabase;
let kernel: Kernel;
let admin: ApiClient;
let pool: pg.Pool;
let direct: PluginDatabase;
const groups: Record<string, number> = {};
const users: Record<string, number> = {};
const clients: Record<string, ApiClient> = {};

function writePlugin(
  id: string,
  read: string[],
  extra: { exports?: string[]; migration?: string; routes?: boolean } = {},
): void {
  folder.write(
    id,
    {
      id,
      version: '1.0.0',
      name: `Identity views test plugin ${id}`,
      kernelApi: '^1.0.0',
      runtime: 'grpc',
      entry: {
        command: 'node',
        args: ['--import', import.meta.resolve('tsx'), `${repoRoot}/tests/fixtures/grpc/host-api.ts`],
      },
      permissions: { db: { own: true, read } },
      contributes: {
        ...(extra.migration ? { migrations: 'migrations' } : {}),
        ...(extra.exports ? { exports: extra.exports } : {}),
        ...(extra.routes
          ? { routes: [{ method: 'POST', path: '/call', auth: 'user', handler: 'call' }] }
          : {}),
      },
    },
    extra.migration ? { 'migrations/001.sql': extra.migration } : {},
  );
}

async function grant(id: string, read: string[]) {
  return admin.put(`/api/admin/plugins/${id}/grants`, { db: { own: true, read } });
}

async function enable(id: string) {
  return admin.post(`/api/admin/plugins/${id}/enable`);
}

type Answer =
  | { ok: true; value: { rows: Record<string, unknown>[] } }
  | { ok: false; code: string; message: string };

/** Runs one statement through the consumer plugin's Host API, as the user signed in to `client`. */
async function query(client: ApiClient, text: string, params: unknown[] = []): Promise<Answer> {
  const res = await client.post(`/api/plugins/${CONSUMER}/call`, {
    fn: 'db.query',
    args: { sql: text, params },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body as Answer;
}

async function rows(client: ApiClient, text: string, params: unknown[] = []) {
  const answer = await query(client, text, params);
  if (!answer.ok) throw new Error(`${text}: ${answer.code} ${answer.message}`);
  return answer.value.rows;
}

async function refused(client: ApiClient, text: string, code = 'sql_denied'): Promise<string> {
  const answer = await query(client, text);
  expect(answer, text).toMatchObject({ ok: false, code });
  return (answer as { message: string }).message;
}

/** Runs `text` under a plugin's role with `userId` bound, behind the statement guard's back. */
async function asRole(role: string, userId: number | '', text: string) {
  const client = await pool.connect();
  try {
    await client.query('begin');
    await client.query(`select set_config('role', $1, true), set_config('goatflow.user_id', $2, true)`, [
      role,
      String(userId),
    ]);
    return await client.query(text);
  } finally {
    await client.query('rollback');
    client.release();
  }
}

/** The plugin's SQL as kernel-initiated work (events, jobs) or an arbitrary user id runs it. */
function directQuery(plugin: string, readableViews: string[], userId: number | null, text: string) {
  return direct.query({ pluginId: plugin, readableViews }, userId, text, []);
}

const myKeys = (client: ApiClient) =>
  rows(client, 'select group_name, permission_key from goatflow.my_group_permissions order by 1, 2');

beforeAll(async () => {
  writePlugin(EXPORTER, exporterRead, { exports, migration: EXPORTER_MIGRATION });
  writePlugin(CONSUMER, consumerRead, { migration: CONSUMER_MIGRATION, routes: true });
  writePlugin(TABLE_READER, ['idv_notes.notes']);
  writePlugin(SNEAKY, ['idv_notes.notes_all']);
  db = await freshDatabase();
  kernel = await startTestKernel({ databaseUrl: db.url, env: { GOATFLOW_PLUGIN_DIR: folder.dir } });
  admin = await adminClient(kernel);
  pool = new pg.Pool({ connectionString: db.url, max: 2 });
  direct = new PluginDatabase(pool, new SqlGuard(), 5000);

  for (const name of ['idv-a', 'idv-b', 'idv-c', 'idv-off']) {
    groups[name] = (await admin.post('/api/admin/groups', { name })).body.id;
  }
  for (const login of ['ann', 'ben', 'old']) users[login] = (await createUser(admin, { login })).id;
  users.cy = (await createUser(admin, { login: 'cy@idv.example', type: 'customer' })).id;
  const member = async (group: string, login: string, permissions: string[]) => {
    const res = await admin.put(`/api/admin/groups/${groups[group]}/members/${users[login]}`, {
      permissions,
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
  };
  await member('idv-a', 'ann', ['ro', 'note']);
  await member('idv-b', 'ann', ['rw']);
  await member('idv-off', 'ann', ['ro']);
  await member('idv-b', 'ben', ['ro']);
  await member('idv-c', 'ben', ['owner', 'move_into']);
  await member('idv-a', 'old', ['rw']);
  expect((await admin.patch(`/api/admin/groups/${groups['idv-off']}`, { active: false })).status).toBe(200);
  for (const [login, as] of [
    ['ann', 'ann'],
    ['ben', 'ben'],
    ['cy', 'cy@idv.example'],
  ] as const) {
    clients[login] = new ApiClient(kernel.url);
    expect((await clients[login]!.login(as, USER_PASSWORD)).status).toBe(200);
  }
  clients.admin = admin;
  expect((await admin.patch(`/api/admin/users/${users.old}`, { active: false })).status).toBe(200);

  for (const [id, read] of [
    [EXPORTER, exporterRead],
    [CONSUMER, consumerRead],
  ] as const) {
    expect((await grant(id, read)).status).toBe(200);
    const res = await enable(id);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
  }
  await sql(
    db.url,
    `insert into idv_notes.notes (id, group_id, secret) values
       (1, $1, 'visible-a'), (2, $2, 'visible-b'), (3, $3, 'x-secret-c'), (4, $3, 'x-secret-d')`,
    [groups['idv-a'], groups['idv-b'], groups['idv-c']],
  );
}, 180_000);

afterAll(async () => {
  await pool?.end();
  await kernel?.stop();
  await db?.drop();
  folder.remove();
});

describe('1. the acting user and their permissions', () => {
  it("my_group_permissions holds exactly the bound user's keys in active groups", async () => {
    expect(await myKeys(clients.ann!)).toEqual([
      { group_name: 'idv-a', permission_key: 'note' },
      { group_name: 'idv-a', permission_key: 'ro' },
      { group_name: 'idv-b', permission_key: 'rw' },
    ]);
    expect(await myKeys(clients.ben!)).toEqual([
      { group_name: 'idv-b', permission_key: 'ro' },
      { group_name: 'idv-c', permission_key: 'move_into' },
      { group_name: 'idv-c', permission_key: 'owner' },
    ]);
    expect(await myKeys(clients.cy!)).toEqual([]);
  });

  it('acting_user is the bound user, an administrator only with rw in the group admin', async () => {
    const me = 'select id, login, type, is_admin from goatflow.acting_user';
    expect(await rows(clients.ann!, me)).toEqual([
      { id: users.ann, login: 'ann', type: 'agent', is_admin: false },
    ]);
    expect(await rows(clients.cy!, me)).toEqual([
      { id: users.cy, login: 'cy@idv.example', type: 'customer', is_admin: false },
    ]);
    expect(await rows(admin, me)).toMatchObject([{ login: 'admin', type: 'agent', is_admin: true }]);
  });

  it("no user bound (the kernel's own work) or an inactive user sees nothing in any view", async () => {
    for (const view of IDENTITY) {
      for (const userId of [null, users.old!]) {
        const result = await directQuery(CONSUMER, consumerRead, userId, `select * from ${view}`);
        expect(result.rows, `${view} for ${userId}`).toEqual([]);
      }
    }
    const all = await directQuery(EXPORTER, exporterRead, null, 'select * from goatflow.group_permissions');
    expect(all.rows).toEqual([]);
    // The same views for an active user: not empty, so the emptiness above is the filter's doing.
    expect(
      (await rows(clients.ann!, 'select login from goatflow.users where login = $1', ['old'])).length,
    ).toBe(1);
  });

  it('users and groups show who exists, never a password hash; group_permissions only active memberships', async () => {
    const columns = await rows(clients.ann!, 'select * from goatflow.users where id = $1', [users.ben]);
    expect(Object.keys(columns[0]!).sort()).toEqual(
      ['active', 'email', 'first_name', 'id', 'last_name', 'locale', 'login', 'type'].sort(),
    );
    expect(
      await rows(clients.ann!, 'select name, active from goatflow.groups where name like $1 order by 1', [
        'idv-%',
      ]),
    ).toEqual([
      { name: 'idv-a', active: true },
      { name: 'idv-b', active: true },
      { name: 'idv-c', active: true },
      { name: 'idv-off', active: false },
    ]);
    expect(await refused(clients.ann!, 'select password_hash from goatflow.users', 'sql_error')).toMatch(
      /password_hash/,
    );
    const held = await directQuery(
      EXPORTER,
      exporterRead,
      users.ben!,
      `select group_id, user_id, permission_key from goatflow.group_permissions
        where group_id = any(array[${Object.values(groups).join(',')}]) order by 1, 2, 3`,
    );
    // idv-off is inactive and old is deactivated: neither shows.
    expect(held.rows).toEqual(
      [
        [groups['idv-a'], users.ann, 'note'],
        [groups['idv-a'], users.ann, 'ro'],
        [groups['idv-b'], users.ann, 'rw'],
        [groups['idv-b'], users.ben, 'ro'],
        [groups['idv-c'], users.ben, 'move_into'],
        [groups['idv-c'], users.ben, 'owner'],
      ].map(([group_id, user_id, permission_key]) => ({ group_id, user_id, permission_key })),
    );
  });
});

describe("2. no way to another user's rows", () => {
  it('filtering by another group or user finds nothing', async () => {
    expect(
      await rows(clients.ann!, 'select * from goatflow.my_group_permissions where group_id = $1', [
        groups['idv-c'],
      ]),
    ).toEqual([]);
    // There is no user column to aim at.
    expect(
      await refused(
        clients.ann!,
        `select * from goatflow.my_group_permissions where user_id = ${users.ben}`,
        'sql_error',
      ),
    ).toMatch(/user_id/);
  });

  it('group_permissions without a grant: refused by the guard and by the role', async () => {
    expect(await refused(clients.ann!, 'select * from goatflow.group_permissions')).toMatch(
      /goatflow\.group_permissions is outside the plugin's schema/,
    );
    await expect(
      asRole('plugin_idv_reader', users.ann!, 'select * from goatflow.group_permissions'),
    ).rejects.toMatchObject({ code: '42501' });
    // The exporter was granted it: the role is what differs.
    expect(
      (await asRole('plugin_idv_notes', users.ann!, 'select * from goatflow.group_permissions')).rowCount,
    ).toBeGreaterThan(0);
  });
});

describe('3. the acting user cannot be forged at run time', () => {
  it('refuses set_config, SET and functions that would set it, and the binding holds', async () => {
    for (const attempt of [
      `select set_config('goatflow.user_id', '${users.ben}', true)`,
      `select pg_catalog.set_config('goatflow.user_id', '${users.ben}', false)`,
      `with forged as (select set_config('goatflow.user_id', '${users.ben}', true) as x)
       select p.* from forged, goatflow.my_group_permissions p`,
      `select query_to_xml('select set_config(''goatflow.user_id'', ''${users.ben}'', true)', true, true, '')`,
      `set goatflow.user_id = ${users.ben}`,
      `set local goatflow.user_id to '${users.ben}'`,
      `reset goatflow.user_id`,
      `create or replace function whoami() returns int language sql as $$ select ${users.ben} $$`,
    ]) {
      expect(await refused(clients.ann!, attempt), attempt).toMatch(/not allowed/);
    }
    // The plugin's own function runs with the user the kernel bound, and was not replaced.
    expect(await rows(clients.ann!, 'select whoami() as id')).toEqual([{ id: users.ann }]);
    expect(await rows(clients.ben!, 'select whoami() as id')).toEqual([{ id: users.ben }]);
  });
});

describe('4. the kernel schema stays out of reach', () => {
  it('even for a plugin granted every identity view it may have', async () => {
    for (const table of ['kernel.group_memberships', 'kernel.users', 'kernel.sessions']) {
      expect(await refused(clients.ann!, `select * from ${table}`)).toMatch(
        new RegExp(table.replace('.', '\\.')),
      );
      await expect(
        asRole('plugin_idv_reader', users.ann!, `select * from ${table}`),
        table,
      ).rejects.toMatchObject({
        code: '42501',
      });
    }
    // The views read the kernel's tables with the kernel's rights; the role itself has none, and cannot add objects.
    expect(
      (await asRole('plugin_idv_reader', users.ann!, 'select id from goatflow.users')).rowCount,
    ).toBeGreaterThan(0);
    await expect(
      asRole('plugin_idv_reader', users.ann!, 'create view goatflow.mine as select 1 as one'),
    ).rejects.toMatchObject({ code: '42501' });
  });
});

describe('5. db.read names only views plugins may read', () => {
  it('refuses a grant of a view the owner does not export, or of a goatflow or kernel name that is no identity view', async () => {
    for (const [name, reason] of [
      [
        'idv_notes.notes_all',
        /idv_notes\.notes_all is not exported by the plugin that owns the schema "idv_notes"/,
      ],
      ['goatflow.sessions', /goatflow\.sessions is not one of the kernel's identity views/],
      ['kernel.users', /kernel\.users names the schema "kernel", which no installed plugin owns/],
    ] as const) {
      const res = await grant(SNEAKY, ['goatflow.users', name]);
      expect(res.status, name).toBe(400);
      expect(res.body.error.details, name).toEqual([
        { path: 'db.read.1', message: expect.stringMatching(reason), code: 'not_readable' },
      ]);
    }
  });

  it('refuses at enable an exported base table, naming it', async () => {
    expect((await grant(TABLE_READER, ['idv_notes.notes'])).status).toBe(200);
    const res = await enable(TABLE_READER);
    expect(res.status).toBe(409);
    expect(res.body.error.message).toMatch(/idv_notes\.notes is a table, not a view/);
    expect((await admin.get(`/api/admin/plugins/${TABLE_READER}`)).body).toMatchObject({ state: 'failed' });
    // Nothing was granted: the provisioning transaction was rolled back whole.
    const granted = await sql(
      db.url,
      "select 1 from information_schema.table_privileges where grantee = 'plugin_idv_table_reader'",
    );
    expect(granted).toEqual([]);
  });
});

describe('6. a consumer plugin reading an exported security_barrier view', () => {
  it("sees only the bound user's rows", async () => {
    const visible = 'select id, secret from idv_notes.notes_visible order by id';
    expect(await rows(clients.ann!, visible)).toEqual([
      { id: 1, secret: 'visible-a' },
      { id: 2, secret: 'visible-b' },
    ]);
    expect((await rows(clients.ben!, visible)).map((r) => r.id)).toEqual([2, 3, 4]);
    expect(await rows(clients.cy!, visible)).toEqual([]);
  });

  it('never evaluates a leaky predicate on rows the filter drops', async () => {
    // Raises division by zero for any row it sees whose secret starts with x: only ben's group has such rows.
    const leaky = (view: string) =>
      `select id from idv_notes.${view} where case when secret like 'x%' then 1 / (id - id) end = 1`;
    expect(await rows(clients.ann!, leaky('notes_visible'))).toEqual([]);
    // Without the barrier, the planner runs the cheap predicate on every row first: the secret leaks as an error.
    // (Shown under the exporter's role: no other plugin can be granted notes_leaky, see below.)
    await expect(asRole('plugin_idv_notes', users.ann!, leaky('notes_leaky'))).rejects.toThrow(
      /division by zero/,
    );
    expect(await refused(clients.ben!, leaky('notes_visible'), 'sql_error')).toMatch(/division by zero/);
  });
});

describe('7. live permissions', () => {
  it('a membership change applies to the very next statement', async () => {
    const inC = () =>
      rows(clients.ann!, 'select permission_key from goatflow.my_group_permissions where group_id = $1', [
        groups['idv-c'],
      ]);
    const notes = async () =>
      (await rows(clients.ann!, 'select id from idv_notes.notes_visible order by id')).map((r) => r.id);
    expect(await inC()).toEqual([]);
    await admin.put(`/api/admin/groups/${groups['idv-c']}/members/${users.ann}`, { permissions: ['note'] });
    expect(await inC()).toEqual([{ permission_key: 'note' }]);
    expect(await notes()).toEqual([1, 2, 3, 4]);
    await admin.delete(`/api/admin/groups/${groups['idv-c']}/members/${users.ann}`);
    expect(await inC()).toEqual([]);
    expect(await notes()).toEqual([1, 2]);
    await admin.patch(`/api/admin/groups/${groups['idv-a']}`, { active: false });
    expect(await notes()).toEqual([2]);
    await admin.patch(`/api/admin/groups/${groups['idv-a']}`, { active: true });
    expect(await notes()).toEqual([1, 2]);
  });
});

/** Whether a plugin's role holds `privilege` on the schema or relation `name`, as the database says. */
async function holds(plugin: string, name: string, privilege: 'usage' | 'select'): Promise<boolean> {
  const check = privilege === 'usage' ? 'has_schema_privilege' : 'has_table_privilege';
  const [row] = await sql(db.url, `select ${check}($1, $2, $3) as ok`, [`plugin_${plugin}`, name, privilege]);
  return (row as { ok: boolean }).ok;
}

describe('a view that is not a security_barrier', () => {
  it('is refused with 409, naming it, and the grant stays as it was', async () => {
    const res = await grant(CONSUMER, [...consumerRead, 'idv_notes.notes_leaky']);
    expect(res.status, JSON.stringify(res.body)).toBe(409);
    expect(res.body.error.message).toMatch(/idv_notes\.notes_leaky is not a security_barrier view/);
    expect((await admin.get(`/api/admin/plugins/${CONSUMER}`)).body).toMatchObject({
      state: 'enabled',
      granted: { db: { read: consumerRead } },
    });
    expect(await holds('idv_reader', 'idv_notes.notes_leaky', 'select')).toBe(false);
    expect((await rows(clients.ann!, 'select id from idv_notes.notes_visible order by id')).length).toBe(2);
  });
});

describe('a db.read grant taken back', () => {
  it('from a running plugin: its role loses the view at once, and the plugin keeps running', async () => {
    const wider = [...consumerRead, 'goatflow.group_permissions'];
    expect((await grant(CONSUMER, wider)).status).toBe(200);
    expect(await holds('idv_reader', 'goatflow.group_permissions', 'select')).toBe(true);
    expect((await grant(CONSUMER, consumerRead)).status).toBe(200);
    expect(await holds('idv_reader', 'goatflow.group_permissions', 'select')).toBe(false);
    await expect(
      asRole('plugin_idv_reader', users.ann!, 'select 1 from goatflow.group_permissions'),
    ).rejects.toMatchObject({ code: '42501' });
    expect((await admin.get(`/api/admin/plugins/${CONSUMER}`)).body).toMatchObject({ state: 'enabled' });
  });

  it("below what it asks for: it is disabled, and its role loses the view and the other plugin's schema", async () => {
    expect((await grant(CONSUMER, IDENTITY)).body).toMatchObject({ state: 'disabled' });
    expect(await holds('idv_reader', 'idv_notes.notes_visible', 'select')).toBe(false);
    expect(await holds('idv_reader', 'idv_notes', 'usage')).toBe(false);
    expect(await holds('idv_reader', 'goatflow', 'usage')).toBe(true);
    await expect(
      asRole('plugin_idv_reader', users.ann!, 'select id from idv_notes.notes_visible'),
    ).rejects.toMatchObject({ code: '42501' });
    expect((await grant(CONSUMER, consumerRead)).status).toBe(200);
    // Not running, so nothing is granted until it is enabled again.
    expect(await holds('idv_reader', 'idv_notes', 'usage')).toBe(false);
    expect((await enable(CONSUMER)).status).toBe(200);
    expect(await holds('idv_reader', 'idv_notes', 'usage')).toBe(true);
    expect((await rows(clients.ann!, 'select id from idv_notes.notes_visible order by id')).length).toBe(2);
  });

  it('from a disabled exporter: its views stop reading what it lost, for every consumer', async () => {
    expect((await admin.post(`/api/admin/plugins/${EXPORTER}/disable`)).status).toBe(200);
    expect((await grant(EXPORTER, ['goatflow.group_permissions'])).status).toBe(200);
    expect(await holds('idv_notes', 'goatflow.my_group_permissions', 'select')).toBe(false);
    // notes_visible runs with its owner's rights, which no longer reach my_group_permissions.
    expect(await refused(clients.ann!, 'select id from idv_notes.notes_visible')).toMatch(
      /permission denied.*my_group_permissions/,
    );
    expect((await grant(EXPORTER, [])).status).toBe(200);
    expect(await holds('idv_notes', 'goatflow', 'usage')).toBe(false);
    expect((await grant(EXPORTER, exporterRead)).status).toBe(200);
    expect((await enable(EXPORTER)).status).toBe(200);
    expect((await rows(clients.ann!, 'select id from idv_notes.notes_visible order by id')).length).toBe(2);
  });

  it('runs no migration: a broken one waiting in the folder changes nothing', async () => {
    const waiting = path.join(folder.dir, CONSUMER, 'migrations', '002.sql');
    fs.writeFileSync(waiting, 'this is not sql');
    try {
      expect((await grant(CONSUMER, [...consumerRead, 'goatflow.group_permissions'])).status).toBe(200);
      expect((await grant(CONSUMER, consumerRead)).status).toBe(200);
      const ran = await sql(db.url, 'select name from kernel.plugin_migrations where plugin_id = $1', [
        CONSUMER,
      ]);
      expect(ran).toEqual([{ name: '001.sql' }]);
    } finally {
      fs.rmSync(waiting);
    }
  });
});

describe('at start', () => {
  it('a plugin that does not run gives up a view left over from before', async () => {
    expect((await admin.post(`/api/admin/plugins/${CONSUMER}/disable`)).status).toBe(200);
    // What a kernel without this rule left behind: a view taken back while the plugin was stopped.
    await sql(db.url, 'grant select on goatflow.group_permissions to plugin_idv_reader');
    const second = await startTestKernel({ databaseUrl: db.url, env: { GOATFLOW_PLUGIN_DIR: folder.dir } });
    try {
      expect(await holds('idv_reader', 'goatflow.group_permissions', 'select')).toBe(false);
      expect(await holds('idv_reader', 'idv_notes.notes_visible', 'select')).toBe(true);
    } finally {
      await second.stop();
    }
    expect((await enable(CONSUMER)).status).toBe(200);
  });
});

describe('an export withdrawn later', () => {
  it('refuses to enable a consumer whose grant names it, and says which', async () => {
    writePlugin(EXPORTER, exporterRead, {
      exports: exports.filter((v) => v !== 'idv_notes.notes_visible'),
      migration: EXPORTER_MIGRATION,
    });
    expect((await admin.post(`/api/admin/plugins/${EXPORTER}/reload`)).body).toMatchObject({
      state: 'enabled',
    });
    expect((await admin.post(`/api/admin/plugins/${CONSUMER}/disable`)).status).toBe(200);
    const res = await enable(CONSUMER);
    expect(res.status).toBe(409);
    expect(res.body.error.message).toMatch(
      /idv_notes\.notes_visible is not exported by the plugin that owns the schema "idv_notes"/,
    );
  });
});
