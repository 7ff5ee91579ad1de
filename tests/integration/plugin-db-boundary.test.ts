/**
 * The database boundary for plugin SQL, attacked on the real database (PGlite by default, PostgreSQL in CI):
 * the statement guard and, behind it, the plugin's role.
 */
import {
  HostApiError,
  PluginDatabase,
  PluginMigrationError,
  provisionPlugin,
  SqlGuard,
} from '@goatflow/kernel';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase, type TestDatabase } from '../support/database.js';
import { startTestKernel } from '../support/kernel.js';

let db: TestDatabase;
const dbKind = () => (process.env.DATABASE_URL ? 'postgresql' : 'pglite');
let pool: pg.Pool;
let plugins: PluginDatabase;
let stopKernel: () => Promise<void>;
const alpha = { pluginId: 'alpha', readableViews: ['beta.public_notes'] };

beforeAll(async () => {
  db = await freshDatabase();
  const kernel = await startTestKernel({ databaseUrl: db.url }); // applies the kernel migrations
  stopKernel = () => kernel.stop();
  pool = new pg.Pool({ connectionString: db.url, max: 3 });
  await provisionPlugin(
    pool,
    'beta',
    [
      { name: '001-secrets.sql', sql: 'create table secrets (id serial primary key, value text not null)' },
      {
        name: '002-notes.sql',
        sql: "create view public_notes with (security_barrier) as select 'hello'::text as note",
      },
    ],
    [],
  );
  await provisionPlugin(
    pool,
    'alpha',
    [
      {
        name: '001-counters.sql',
        sql: 'create table counters (name text primary key, n int not null default 0)',
      },
    ],
    ['beta.public_notes'],
  );
  plugins = new PluginDatabase(pool, new SqlGuard(), 300);
});

afterAll(async () => {
  await pool?.end();
  await stopKernel?.();
  await db?.drop();
});

async function denied(sql: string, code = 'sql_denied'): Promise<string> {
  const err = await plugins.query(alpha, 1, sql, []).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err, sql).toBeInstanceOf(HostApiError);
  expect((err as HostApiError).code, sql).toBe(code);
  return (err as HostApiError).message;
}

describe('plugin SQL through the Host API', () => {
  it('reads and writes its own schema, with parameters, bound to the acting user', async () => {
    await plugins.query(alpha, 7, 'insert into counters (name, n) values ($1, $2)', ['visits', 1]);
    await plugins.query(alpha, 7, 'update counters set n = n + 1 where name = $1', ['visits']);
    const { rows } = await plugins.query(alpha, 7, 'select n from counters where name = $1', ['visits']);
    expect(rows).toEqual([{ n: 2 }]);
    const who = await plugins.query(alpha, 42, "select current_setting('goatflow.user_id') as uid", []);
    expect(who.rows).toEqual([{ uid: '42' }]);
    const view = await plugins.query(alpha, 7, 'select note from beta.public_notes', []);
    expect(view.rows).toEqual([{ note: 'hello' }]);
  });

  it("refuses another plugin's schema and the kernel's tables", async () => {
    expect(await denied('select * from beta.secrets')).toMatch(/beta\.secrets/);
    expect(await denied('select login, password_hash from kernel.users')).toMatch(/kernel\.users/);
    expect(await denied('select * from kernel.sessions')).toMatch(/kernel\.sessions/);
    expect(await denied('insert into kernel.audit_log (action) values ($1)')).toMatch(/kernel\.audit_log/);
  });

  it('refuses set_config, SET ROLE, RESET ROLE, COPY and two statements', async () => {
    expect(await denied("select set_config('role', 'postgres', false)")).toMatch(/set_config/);
    expect(await denied('set role postgres')).toMatch(/not allowed/);
    expect(await denied('reset role')).toMatch(/not allowed/);
    expect(await denied('copy counters to stdout')).toMatch(/COPY/);
    expect(await denied('select 1; select 2')).toMatch(/exactly one statement/);
  });

  // PGlite runs PostgreSQL single-threaded in WASM with no timer signals, so statement_timeout never fires
  // there (measured: a 21 s query with a 200 ms timeout ran to the end). Enforced on PostgreSQL; the embedded
  // database's gap is recorded in docs/plugins/host-api.md.
  it.skipIf(dbKind() === 'pglite')('cancels a statement that runs past its timeout', async () => {
    await denied(
      'with recursive spin(i) as (select 1 union all select i + 1 from spin) select count(*) from spin',
      'sql_timeout',
    );
    // The connection is healthy afterwards.
    expect((await plugins.query(alpha, 1, 'select 1 as one', [])).rows).toEqual([{ one: 1 }]);
  });

  it('is held by the role even where the guard would not look', async () => {
    // Simulate a statement that slipped past the parser: run it directly under the plugin's role.
    const client = await pool.connect();
    try {
      for (const sql of ['select * from kernel.users', 'select * from beta.secrets']) {
        await client.query('begin');
        await client.query("select set_config('role', 'plugin_alpha', true)");
        await expect(client.query(sql), sql).rejects.toMatchObject({ code: '42501' });
        await client.query('rollback');
      }
    } finally {
      client.release();
    }
  });
});

describe('plugin migrations', () => {
  it('run in one transaction: a failure leaves no schema, no table and no record', async () => {
    const err = await provisionPlugin(
      pool,
      'gamma',
      [
        { name: '001-ok.sql', sql: 'create table fine (id int)' },
        { name: '002-broken.sql', sql: 'create tabel oops (id int)' },
      ],
      [],
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PluginMigrationError);
    expect((err as PluginMigrationError).migration).toBe('002-broken.sql');
    const schema = await pool.query("select 1 from information_schema.schemata where schema_name = 'gamma'");
    expect(schema.rowCount).toBe(0);
    const recorded = await pool.query("select 1 from kernel.plugin_migrations where plugin_id = 'gamma'");
    expect(recorded.rowCount).toBe(0);
  });

  it("cannot reach the kernel's tables or another plugin's schema (the migration guard, then the role)", async () => {
    for (const sql of [
      'create table kernel.sneaky (id int)',
      'create view peek as select * from kernel.users',
    ]) {
      const err = await provisionPlugin(pool, 'epsilon', [{ name: '001.sql', sql }], []).catch(
        (e: unknown) => e,
      );
      expect(err, sql).toBeInstanceOf(PluginMigrationError);
      expect((err as Error).message, sql).toMatch(/is outside the plugin's schema|permission denied/);
    }
    const spill = await provisionPlugin(
      pool,
      'zeta',
      [{ name: '001.sql', sql: 'create table beta.spill (id int)' }],
      [],
    ).catch((e: unknown) => e);
    expect((spill as Error).message).toMatch(/beta\.spill is outside the plugin's schema|permission denied/);
  });

  it('grant exactly the views in the grant: a withdrawn view is revoked from the role', async () => {
    const asRole = async (role: string, sql: string) => {
      const client = await pool.connect();
      try {
        await client.query('begin');
        await client.query(`select set_config('role', '${role}', true)`);
        return await client.query(sql);
      } finally {
        await client.query('rollback');
        client.release();
      }
    };
    await provisionPlugin(pool, 'epsilon', [], ['beta.public_notes']);
    expect((await asRole('plugin_epsilon', 'select note from beta.public_notes')).rows).toEqual([
      { note: 'hello' },
    ]);
    await provisionPlugin(pool, 'epsilon', [], []);
    await expect(asRole('plugin_epsilon', 'select note from beta.public_notes')).rejects.toMatchObject({
      code: '42501',
    });
  });

  it('apply only what is new on upgrade and refuse an edited migration', async () => {
    const first = [{ name: '001-a.sql', sql: 'create table a (id int)' }];
    expect(await provisionPlugin(pool, 'delta', first, [])).toEqual(['001-a.sql']);
    const upgrade = [...first, { name: '002-b.sql', sql: 'create table b (id int)' }];
    expect(await provisionPlugin(pool, 'delta', upgrade, [])).toEqual(['002-b.sql']);
    const edited = [{ name: '001-a.sql', sql: 'create table a (id bigint)' }];
    await expect(provisionPlugin(pool, 'delta', edited, [])).rejects.toThrow(/changed after it was applied/);
  });

  it('refuse whatever could forge the acting user, applying nothing of the migration', async () => {
    const attacks: [string, string, RegExp][] = [
      [
        'fn_set_config',
        "create function fn_set_config() returns text language sql as $$ select set_config('goatflow.user_id', '1', true) $$",
        /statement 1 \(CREATE FUNCTION\): in the function body: function set_config\(\) is not allowed/,
      ],
      [
        'default_set_config',
        "create table default_set_config (id int, u text default set_config('goatflow.user_id', '1', true))",
        /statement 1 \(CREATE\): function set_config\(\) is not allowed/,
      ],
      [
        'view_set_config',
        "create view view_set_config as select set_config('goatflow.user_id', '1', true) as u",
        /statement 1 \(VIEW\): function set_config\(\) is not allowed/,
      ],
      [
        'fn_set_clause',
        "create function fn_set_clause() returns int language sql set goatflow.user_id = '1' as $$ select 1 $$",
        /a function may not SET configuration/,
      ],
      [
        'fn_plpgsql',
        "create function fn_plpgsql() returns int language plpgsql as $$ begin execute 'select 1'; return 1; end $$",
        /LANGUAGE plpgsql functions are not allowed/,
      ],
      [
        'trg_table',
        'create table trg_table (id int); ' +
          'create trigger trg before insert on trg_table for each row execute function suppress_redundant_updates_trigger()',
        /statement 2 \(CREATE TRIG\): not allowed in a migration/,
      ],
      [
        'do_table',
        "do $$ begin create table do_table (id int); perform set_config('goatflow.user_id', '1', true); end $$",
        /statement 1 \(DO\): not allowed in a migration/,
      ],
      [
        'grant_table',
        'create table grant_table (id int); grant select on grant_table to public',
        /\(GRANT\): not allowed/,
      ],
    ];
    for (const [object, sql, expected] of attacks) {
      const err = await provisionPlugin(
        pool,
        'eta',
        [
          { name: '001-ok.sql', sql: 'create table fine (id int)' },
          { name: '002-attack.sql', sql },
        ],
        [],
      ).catch((e: unknown) => e);
      expect(err, sql).toBeInstanceOf(PluginMigrationError);
      expect((err as PluginMigrationError).migration, sql).toBe('002-attack.sql');
      expect((err as Error).message, sql).toMatch(/migration 002-attack\.sql refused: /);
      expect((err as Error).message, sql).toMatch(expected);
      const left = await pool.query(
        `select 1 from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname = 'eta'
         union all select 1 from pg_proc p join pg_namespace n on n.oid = p.pronamespace where n.nspname = 'eta'
         union all select 1 from kernel.plugin_migrations where plugin_id = 'eta'`,
      );
      expect(left.rowCount, `${object} left something behind`).toBe(0);
    }
  });

  it('refuse at every provision a schema that holds unsafe objects made behind the guard', async () => {
    await provisionPlugin(pool, 'theta', [{ name: '001.sql', sql: 'create table fine (id int)' }], []);
    // As if an older kernel had applied them, before the migration guard existed.
    await pool.query(
      'create function theta.sneaky() returns int language plpgsql as $$ begin return 1; end $$',
    );
    await expect(provisionPlugin(pool, 'theta', [], [])).rejects.toThrow(
      /function theta\.sneaky\(\) \(language plpgsql\)/,
    );
    await pool.query('drop function theta.sneaky()');
    await pool.query("create view theta.peek as select set_config('goatflow.user_id', '1', true) as u");
    await pool.query(
      "create function theta.definer() returns int language sql security definer set search_path = theta as 'select 1'",
    );
    const err = await provisionPlugin(pool, 'theta', [], []).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PluginMigrationError);
    expect((err as Error).message).toMatch(
      /function theta\.definer\(\) \(language sql, security definer, set search_path=theta\)/,
    );
    expect((err as Error).message).toMatch(/view theta\.peek \(calls set_config\)/);
    await pool.query('drop view theta.peek; drop function theta.definer()');
    await pool.query(
      "alter table theta.fine add column u text default set_config('goatflow.user_id', '1', true); " +
        'create trigger t before update on theta.fine for each row execute function suppress_redundant_updates_trigger()',
    );
    const again = await provisionPlugin(pool, 'theta', [], []).catch((e: unknown) => e);
    expect((again as Error).message).toMatch(/trigger t on theta\.fine/);
    expect((again as Error).message).toMatch(/default of theta\.fine\.u \(calls set_config\)/);
    await pool.query('drop trigger t on theta.fine; alter table theta.fine drop column u');
    expect(await provisionPlugin(pool, 'theta', [], [])).toEqual([]);
  });

  it('still apply the legitimate migrations: tables, views, indexes, enums and LANGUAGE sql functions', async () => {
    const applied = await provisionPlugin(
      pool,
      'iota',
      [
        {
          name: '001.sql',
          sql: `create type mood as enum ('ok', 'sad');
                create table items (id int generated by default as identity primary key, name text not null,
                  mood mood not null default 'ok', at timestamptz not null default now(), check (length(name) > 0));
                create index items_name on items (lower(name));
                create view named with (security_barrier) as select i.id, i.name from items i;
                create function item_count() returns bigint language sql stable as $$ select count(*) from iota.items $$;
                insert into items (name) values ('first');`,
        },
      ],
      [],
    );
    expect(applied).toEqual(['001.sql']);
    expect((await pool.query('select iota.item_count() as n')).rows).toEqual([{ n: '1' }]);
  });
});
