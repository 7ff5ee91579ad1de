import { describe, expect, it } from 'vitest';
import { checkSql } from './sql-guard.js';

const scope = { ownSchema: 'hello_wasm', readableViews: ['tickets.ticket_visible'] };

async function reason(sql: string) {
  const v = await checkSql(sql, scope);
  return v.ok ? 'ok' : v.reason;
}

describe('checkSql', () => {
  it('lets plain DML on the own schema and granted views through', async () => {
    for (const sql of [
      'select * from counters where id = $1',
      'select * from hello_wasm.counters',
      'insert into counters (name, n) values ($1, $2) on conflict (name) do update set n = counters.n + 1 returning n',
      'update counters set n = n + 1 where name = $1',
      'delete from counters where name = $1',
      'with recent as (select * from counters) select count(*) from recent',
      'select t.id from tickets.ticket_visible t join counters c on c.name = t.title',
      "select current_setting('goatflow.user_id')",
    ]) {
      expect(await reason(sql), sql).toBe('ok');
    }
  });

  it('refuses other schemas, kernel tables and system catalogs', async () => {
    expect(await reason('select * from kernel.users')).toMatch(/kernel\.users is outside/);
    expect(await reason('select * from other_plugin.secrets')).toMatch(/outside the plugin's schema/);
    expect(await reason('select (select login from kernel.users limit 1)')).toMatch(/kernel\.users/);
    expect(await reason('select * from pg_catalog.pg_authid')).toMatch(/system catalog/);
    expect(await reason('select rolname from pg_roles')).toMatch(/system catalog pg_roles/);
    expect(await reason('select * from tickets.ticket')).toMatch(/not among the views/);
    expect(await reason('insert into kernel.audit_log (action) values ($1)')).toMatch(/kernel\.audit_log/);
    expect(await reason("update kernel.users set login = 'x'")).toMatch(/kernel\.users/);
    expect(await reason('delete from other_plugin.secrets')).toMatch(/other_plugin\.secrets/);
  });

  it('refuses session changes, system functions, COPY, DO and two statements', async () => {
    expect(await reason("select set_config('role', 'postgres', true)")).toMatch(/set_config/);
    expect(await reason('set role postgres')).toMatch(/VARIABLE SET is not allowed/);
    expect(await reason('reset role')).toMatch(/not allowed/);
    expect(await reason('copy counters to stdout')).toMatch(/COPY is not allowed/);
    expect(await reason('do $$ begin end $$')).toMatch(/DO is not allowed/);
    expect(await reason('select 1; select 2')).toMatch(/exactly one statement/);
    expect(await reason('select pg_sleep(10)')).toMatch(/pg_sleep/);
    expect(await reason("select pg_read_file('/etc/passwd')")).toMatch(/pg_read_file/);
    expect(await reason('select pg_catalog.lower(name) from counters')).toMatch(/pg_catalog\.lower/);
    expect(await reason('select 1 into newtable')).toMatch(/INTO/);
    expect(await reason('create table x (a int)')).toMatch(/not allowed/);
    expect(await reason('selec 1')).toMatch(/not valid SQL/);
  });
});
