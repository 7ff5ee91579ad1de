/**
 * Each plugin's own PostgreSQL schema and role. The role can use its schema and the views it was granted, and
 * nothing else: no kernel tables, no other plugin's schema. Plugin SQL runs under it (`SET LOCAL ROLE`).
 * @module
 */
import { createHash } from 'node:crypto';
import type pg from 'pg';
import { checkMigration } from './migration-guard.js';

/** `hello-wasm` → schema `hello_wasm`. */
export function schemaOf(pluginId: string): string {
  return pluginId.replaceAll('-', '_');
}

/** `hello-wasm` → role `plugin_hello_wasm`. Roles are cluster-wide in PostgreSQL; schemas are per database. */
export function roleOf(pluginId: string): string {
  return `plugin_${schemaOf(pluginId)}`;
}

export interface PluginMigration {
  name: string;
  sql: string;
}

export class PluginMigrationError extends Error {
  constructor(
    readonly migration: string,
    message: string,
  ) {
    super(message);
    this.name = 'PluginMigrationError';
  }
}

/**
 * Belt and braces behind the migration guard, run at every provision: in the plugin's schema, functions that are
 * not `LANGUAGE sql`, are SECURITY DEFINER or carry a SET clause; triggers, rules and policies (a migration may
 * create none); and any function, view, default, generated column, check or index whose definition calls
 * `set_config`. (pg_depend records no dependencies on built-in functions, so definitions are read as text.)
 */
const UNSAFE_OBJECTS = `
  with ns as (select $1::regnamespace as oid),
  definitions as (
    select format('function %s', p.oid::regprocedure) as what, pg_catalog.pg_get_functiondef(p.oid) as def
      from pg_catalog.pg_proc p join pg_catalog.pg_language l on l.oid = p.prolang
     where p.pronamespace = (select oid from ns) and p.prokind in ('f', 'p') and l.lanname = 'sql'
    union all
    select format('view %s', c.oid::regclass), pg_catalog.pg_get_viewdef(c.oid)
      from pg_catalog.pg_class c where c.relnamespace = (select oid from ns) and c.relkind in ('v', 'm')
    union all
    select format('default of %s.%s', a.adrelid::regclass, att.attname), pg_catalog.pg_get_expr(a.adbin, a.adrelid)
      from pg_catalog.pg_attrdef a join pg_catalog.pg_class c on c.oid = a.adrelid
      join pg_catalog.pg_attribute att on att.attrelid = a.adrelid and att.attnum = a.adnum
     where c.relnamespace = (select oid from ns)
    union all
    select format('constraint %s', k.conname), pg_catalog.pg_get_constraintdef(k.oid)
      from pg_catalog.pg_constraint k where k.connamespace = (select oid from ns)
    union all
    select format('index %s', i.indexrelid::regclass), pg_catalog.pg_get_indexdef(i.indexrelid)
      from pg_catalog.pg_index i join pg_catalog.pg_class c on c.oid = i.indexrelid
     where c.relnamespace = (select oid from ns)
  )
  select format('function %s (%s)', p.oid::regprocedure,
           concat_ws(', ', 'language ' || l.lanname, case when p.prosecdef then 'security definer' end,
                     'set ' || array_to_string(p.proconfig, ', '))) as what
    from pg_catalog.pg_proc p join pg_catalog.pg_language l on l.oid = p.prolang
   where p.pronamespace = (select oid from ns) and (l.lanname <> 'sql' or p.prosecdef or p.proconfig is not null)
  union all
  select format('trigger %s on %s', t.tgname, t.tgrelid::regclass)
    from pg_catalog.pg_trigger t join pg_catalog.pg_class c on c.oid = t.tgrelid
   where c.relnamespace = (select oid from ns) and not t.tgisinternal
  union all
  select format('rule %s on %s', r.rulename, r.ev_class::regclass)
    from pg_catalog.pg_rewrite r join pg_catalog.pg_class c on c.oid = r.ev_class
   where c.relnamespace = (select oid from ns) and r.rulename <> '_RETURN'
  union all
  select format('policy %s on %s', o.polname, o.polrelid::regclass)
    from pg_catalog.pg_policy o join pg_catalog.pg_class c on c.oid = o.polrelid
   where c.relnamespace = (select oid from ns)
  union all
  select what || ' (calls set_config)' from definitions where def ~* 'set_config'`;

/** An arbitrary constant naming the plugin-provisioning locks among the database's advisory locks. */
const PROVISION_LOCK = 4712;

function quoteIdent(name: string): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`refusing unsafe identifier ${name}`);
  return `"${name}"`;
}

/**
 * Creates the schema and role if missing, runs the migrations not yet applied — all in one transaction, so a
 * failing migration leaves nothing behind — and grants the role its schema and exactly its granted views.
 * Returns the names of the migrations applied now.
 */
export async function provisionPlugin(
  pool: pg.Pool,
  pluginId: string,
  migrations: PluginMigration[],
  readableViews: string[],
): Promise<string[]> {
  const schema = quoteIdent(schemaOf(pluginId));
  const role = quoteIdent(roleOf(pluginId));
  const client = await pool.connect();
  try {
    await client.query('begin');
    // Kernel instances on one database may provision the same plugin at once (one reloads it, the others hear of
    // it and restart theirs): concurrent GRANTs on one object fail with "tuple concurrently updated", so they take
    // turns. The two-key form keeps this lock apart from the single-key start-up lock.
    await client.query('select pg_advisory_xact_lock($1, hashtext($2))', [PROVISION_LOCK, pluginId]);
    // Roles are shared by every database on the server, so another database may have created it already.
    await client.query(
      `do $$ begin create role ${role} nologin; exception when duplicate_object then null; end $$`,
    );
    // The kernel's user must be a member to `SET ROLE` to it when it is not a superuser.
    await client.query('savepoint membership');
    try {
      await client.query(`grant ${role} to current_user`);
      await client.query('release savepoint membership');
    } catch {
      // Already a member, or a superuser that needs no membership: carry on.
      await client.query('rollback to savepoint membership');
    }
    await client.query(`create schema if not exists ${schema}`);
    await client.query(`revoke all on schema ${schema} from public`);
    await client.query(`grant usage, create on schema ${schema} to ${role}`);
    const done = await client.query<{ name: string; checksum: string }>(
      'select name, checksum from kernel.plugin_migrations where plugin_id = $1',
      [pluginId],
    );
    const applied = new Map(done.rows.map((r) => [r.name, r.checksum]));
    const ran: string[] = [];
    for (const m of [...migrations].sort((a, b) => a.name.localeCompare(b.name))) {
      const checksum = createHash('sha256').update(m.sql).digest('hex');
      const before = applied.get(m.name);
      if (before) {
        if (before !== checksum) {
          throw new PluginMigrationError(
            m.name,
            `migration ${m.name} changed after it was applied; add a new migration instead`,
          );
        }
        continue;
      }
      // The migration guard first: nothing a migration leaves behind may forge the acting user (set_config,
      // SET clauses, triggers, plpgsql…) or name anything outside the plugin's schema and granted views.
      const verdict = await checkMigration(m.sql, { ownSchema: schemaOf(pluginId), readableViews });
      if (!verdict.ok) {
        throw new PluginMigrationError(m.name, `migration ${m.name} refused: ${verdict.reason}`);
      }
      // Migrations run as the plugin's role: they can create and change objects in its schema and nothing else.
      await client.query(`set local search_path = ${schema}`);
      await client.query(`set local role ${role}`);
      try {
        await client.query(m.sql);
      } catch (err) {
        throw new PluginMigrationError(m.name, `migration ${m.name} failed: ${(err as Error).message}`);
      }
      await client.query('reset role');
      await client.query(
        'insert into kernel.plugin_migrations (plugin_id, name, checksum) values ($1, $2, $3)',
        [pluginId, m.name, checksum],
      );
      ran.push(m.name);
    }
    const unsafe = await client.query<{ what: string }>(UNSAFE_OBJECTS, [schemaOf(pluginId)]);
    if (unsafe.rows.length > 0) {
      throw new PluginMigrationError(
        ran.at(-1) ?? '(schema)',
        `the schema of ${pluginId} holds objects that could forge the acting user: ` +
          `${unsafe.rows.map((r) => r.what).join('; ')} — drop them (only LANGUAGE sql functions without SET or ` +
          'SECURITY DEFINER, and nothing calling set_config, are allowed)',
      );
    }
    await client.query(`grant usage on schema ${schema} to ${role}`);
    await client.query(`grant select, insert, update, delete on all tables in schema ${schema} to ${role}`);
    await client.query(`grant usage, select, update on all sequences in schema ${schema} to ${role}`);
    for (const view of readableViews) {
      const [s, v] = view.split('.');
      await client.query(`grant usage on schema ${quoteIdent(s!)} to ${role}`);
      await client.query(`grant select on ${quoteIdent(s!)}.${quoteIdent(v!)} to ${role}`);
    }
    // A view no longer granted is revoked, so the database refuses it as well as the statement guard.
    const held = await client.query<{ schema: string; name: string }>(
      `select table_schema as schema, table_name as name from information_schema.table_privileges
        where grantee = $1 and privilege_type = 'SELECT' and table_schema <> $2`,
      [roleOf(pluginId), schemaOf(pluginId)],
    );
    for (const { schema: s, name } of held.rows) {
      if (!readableViews.includes(`${s}.${name}`)) {
        await client.query(`revoke select on ${quoteIdent(s)}.${quoteIdent(name)} from ${role}`);
      }
    }
    await client.query('commit');
    return ran;
  } catch (err) {
    await client.query('rollback').catch(() => {});
    throw err;
  } finally {
    client.release();
  }
}
