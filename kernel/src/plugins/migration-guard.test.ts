import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkMigration } from './migration-guard.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const scope = { ownSchema: 'hello_wasm', readableViews: ['goatflow.acting_user', 'beta.public_notes'] };

async function reason(sql: string) {
  const v = await checkMigration(sql, scope);
  return v.ok ? 'ok' : v.reason;
}

/** The fixture tables of tests/fixtures/grpc/host-api-plugins.ts (FIXTURE_TABLES), not exported from there. */
const FIXTURE_TABLES = `
create table received (id serial primary key, event_id bigint not null, name text not null, payload jsonb,
  publisher text, created_at text, handler text not null, context jsonb, at timestamptz not null default now());
create table job_runs (id serial primary key, job_id text not null, scheduled_for text not null, context jsonb,
  at timestamptz not null default now());
`;

describe('checkMigration', () => {
  it("passes every migration the repository's plugins, templates and tests ship", async () => {
    const files = [
      'plugins-examples/hello-wasm/migrations/0001_visits.sql',
      'plugins-examples/webhook-notifier/migrations/0001_deliveries.sql',
      'sdk/templates/common/migrations/0001_init.sql.tmpl',
    ];
    for (const dir of fs.readdirSync(path.join(root, 'plugins-examples'))) {
      const migrations = path.join(root, 'plugins-examples', dir, 'migrations');
      if (!fs.existsSync(migrations)) continue;
      for (const f of fs.readdirSync(migrations)) files.push(`plugins-examples/${dir}/migrations/${f}`);
    }
    for (const file of new Set(files)) {
      const sql = fs.readFileSync(path.join(root, file), 'utf8').replaceAll('{{schema}}', 'hello_wasm');
      expect(await reason(sql), file).toBe('ok');
    }
    for (const sql of [
      FIXTURE_TABLES,
      'create table secrets (id serial primary key, value text not null)',
      "create view public_notes as select 'hello'::text as note",
      'create table counters (name text primary key, n int not null default 0)',
      'create table fine (id int)',
      'create table a (id int)',
      'create table greetings (id serial primary key, login text not null);\n',
      'create table more (id serial primary key, note text);\n',
    ]) {
      expect(await reason(sql), sql).toBe('ok');
    }
  });

  it('passes the statement kinds a schema needs, with safe expressions', async () => {
    for (const sql of [
      `create table t (id bigint generated always as identity primary key, n int check (n > 0),
         twice int generated always as (n * 2) stored, at timestamptz default now(), label text default lower('X'),
         parent bigint references t (id));
       create sequence s; alter sequence s restart with 10;
       create index t_n on t (lower(label)) where n > 1;
       alter table t add column note text default '', alter column n set default 1;
       comment on table t is 'things'; comment on column hello_wasm.t.n is 'count';
       alter table t rename column note to remark; alter table t rename to things;
       create type mood as enum ('ok', 'sad'); alter type mood add value 'glad';
       create type pair as (a int, b text);
       create view v with (security_barrier) as select t.id, a.login from things t cross join goatflow.acting_user a;
       create function twice(x int) returns int language sql immutable strict as $$ select x * 2 $$;
       create or replace function latest() returns setof things language sql stable
         as $$ select * from things order by id desc limit 10 $$;
       create function three() returns int return 1 + 2;
       insert into things (n) values (1); update things set n = 2; delete from things where n = 3;
       select twice(2);
       drop view v; drop function twice(int); drop index t_n; drop table things; drop type mood; drop sequence s;`,
    ]) {
      expect(await reason(sql)).toBe('ok');
    }
  });

  it('refuses everything that could forge the acting user, naming the statement and the fix', async () => {
    const cases: [string, RegExp][] = [
      [
        "create function f() returns text language sql as $$ select set_config('goatflow.user_id', '1', true) $$",
        /statement 1 \(CREATE FUNCTION\): in the function body: function set_config\(\) is not allowed/,
      ],
      [
        "create function f() returns text begin atomic select set_config('goatflow.user_id', '1', true); end",
        /statement 1 \(CREATE FUNCTION\): function set_config\(\) is not allowed/,
      ],
      [
        "create table t (id int, u text default set_config('goatflow.user_id', '1', true))",
        /statement 1 \(CREATE\): function set_config\(\) is not allowed/,
      ],
      [
        "create table t (id int); alter table t alter column id set default set_config('a', '1', true)::int",
        /statement 2 \(ALTER TABLE\): function set_config\(\) is not allowed/,
      ],
      [
        "create table t (id int, u text generated always as (set_config('a', 'b', true)) stored)",
        /set_config\(\) is not allowed/,
      ],
      [
        "create table t (id int check (set_config('a', 'b', true) is not null))",
        /set_config\(\) is not allowed/,
      ],
      [
        "create view v as select set_config('goatflow.user_id', '1', true)",
        /statement 1 \(VIEW\): .*set_config/,
      ],
      ["create index i on t ((set_config('a', n, true)))", /statement 1 \(INDEX\): .*set_config/],
      [
        "create function f() returns int language sql set goatflow.user_id = '1' as $$ select 1 $$",
        /statement 1 \(CREATE FUNCTION\): a function may not SET configuration/,
      ],
      [
        'create function f() returns int language sql security definer as $$ select 1 $$',
        /SECURITY DEFINER functions are not allowed/,
      ],
      [
        "create function f() returns int language plpgsql as $$ begin execute 'select 1'; return 1; end $$",
        /LANGUAGE plpgsql functions are not allowed: write the function in LANGUAGE sql/,
      ],
      [
        "create function f(text, text, boolean) returns text language internal as 'set_config_by_name'",
        /LANGUAGE internal functions are not allowed/,
      ],
      [
        "create function f() returns int language c as 'evil.so', 'f'",
        /LANGUAGE c functions are not allowed/,
      ],
      [
        'create function f() returns int language sql as $$ select pg_sleep(1); select 1 $$',
        /function pg_sleep\(\) is not allowed/,
      ],
      [
        "create function f() returns int language sql as $$ set goatflow.user_id = '1'; select 1 $$",
        /the function body may hold only SELECT, INSERT, UPDATE and DELETE, not VARIABLE SET/,
      ],
      [
        'create table t (id int); create trigger t before insert on t for each row execute function f()',
        /statement 2 \(CREATE TRIG\): not allowed in a migration; a migration may hold only tables/,
      ],
      [
        "do $$ begin perform set_config('goatflow.user_id', '1', true); end $$",
        /statement 1 \(DO\): not allowed/,
      ],
      ['grant select on t to public', /statement 1 \(GRANT\): not allowed/],
      ['create rule r as on insert to t do instead nothing', /\(RULE\): not allowed/],
      ['create policy p on t using (true)', /\(CREATE POLICY\): not allowed/],
      ['alter role current_user set goatflow.user_id = 1', /\(ALTER ROLE SET\): not allowed/],
      ['create extension dblink', /\(CREATE EXTENSION\): not allowed/],
      ["set goatflow.user_id = '1'", /\(VARIABLE SET\): not allowed/],
      ['create procedure p() language sql as $$ select 1 $$', /procedures are not allowed/],
      ['create table kernel.sneaky (id int)', /kernel\.sneaky is outside the plugin's schema/],
      ['create view peek as select * from kernel.users', /kernel\.users is outside the plugin's schema/],
      ['create table t (id int references kernel.users (id))', /kernel\.users is outside/],
      ['create function other.f() returns int language sql as $$ select 1 $$', /other\.f is outside/],
      ['drop table beta.secrets', /beta\.secrets is outside/],
      ['drop schema hello_wasm cascade', /dropping schema objects is not allowed/],
      ["comment on table kernel.users is 'x'", /kernel\.users is outside/],
      ['alter table t owner to postgres', /changing the owner is not allowed/],
      ['select * from pg_roles', /system catalog pg_roles/],
      ['create tabel oops (id int)', /not valid SQL/],
    ];
    for (const [sql, expected] of cases) {
      expect(await reason(sql), sql).toMatch(expected);
    }
  });
});
