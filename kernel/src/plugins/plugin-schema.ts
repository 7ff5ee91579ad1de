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

/** The kernel schema whose views plugins may read (kernel migration m0005). */
export const IDENTITY_SCHEMA = 'goatflow';

/**
 * The views of {@link IDENTITY_SCHEMA}: the only kernel data a plugin can be granted (`permissions.db.read`). Each
 * is a `security_barrier` view filtered by the bound acting user, owned by the kernel.
 */
export const IDENTITY_VIEWS: readonly string[] = [
  'goatflow.acting_user',
  'goatflow.my_group_permissions',
  'goatflow.group_permissions',
  'goatflow.users',
  'goatflow.groups',
];

/** A view named in `db.read` that a plugin may not be granted; the message names it and says what would work. */
export class ReadableViewError extends Error {
  constructor(
    readonly view: string,
    message: string,
  ) {
    super(message);
    this.name = 'ReadableViewError';
  }
}

/**
 * Why `view` cannot be read by a plugin, judged from the manifests alone, or `undefined` when it can: a
 * `goatflow.*` name must be one of {@link IDENTITY_VIEWS}; any other must be listed in `contributes.exports` of the
 * plugin whose schema it names. `exportsOf` answers a schema's exports, or `undefined` when no plugin owns it.
 * (Whether the name is a `security_barrier` view in the database is checked at provision and at a grant change.)
 */
export function unreadableView(
  view: string,
  exportsOf: (schema: string) => readonly string[] | undefined,
): string | undefined {
  const schema = view.split('.')[0]!;
  if (schema === IDENTITY_SCHEMA) {
    return IDENTITY_VIEWS.includes(view)
      ? undefined
      : `${view} is not one of the kernel's identity views (${IDENTITY_VIEWS.join(', ')})`;
  }
  const exports = exportsOf(schema);
  if (!exports) return `${view} names the schema "${schema}", which no installed plugin owns`;
  return exports.includes(view)
    ? undefined
    : `${view} is not exported by the plugin that owns the schema "${schema}" (its contributes.exports)`;
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

/**
 * The database's half of the `db.read` rule: a `goatflow.*` name must be one of {@link IDENTITY_VIEWS}, and any
 * other must exist and be a `security_barrier` view (`relkind = 'v'`), never a table, which would bypass the
 * exporter's filters. Without the barrier, a consumer's cheap predicate (one that raises an error on the rows it
 * sees, say) runs before the view's filter and leaks the rows the filter drops.
 */
async function assertViews(client: pg.PoolClient, views: readonly string[]): Promise<void> {
  for (const view of views) {
    const [s, v] = view.split('.');
    if (s === IDENTITY_SCHEMA && !IDENTITY_VIEWS.includes(view)) {
      throw new ReadableViewError(view, `db.read: ${unreadableView(view, () => undefined)}`);
    }
    // The option is stored as written (`security_barrier=true`, `=on`, `=1`…): the boolean cast reads every form.
    const found = await client.query<{ relkind: string; barrier: boolean }>(
      `select c.relkind, coalesce((select o.option_value::boolean
                                     from pg_catalog.pg_options_to_table(c.reloptions) o
                                    where o.option_name = 'security_barrier'), false) as barrier
         from pg_catalog.pg_class c join pg_catalog.pg_namespace n on n.oid = c.relnamespace
        where n.nspname = $1 and c.relname = $2`,
      [s, v],
    );
    const kind = found.rows[0]?.relkind;
    if (kind === undefined) {
      throw new ReadableViewError(
        view,
        `db.read: ${view} does not exist: enable the plugin that exports it first, or remove it from db.read`,
      );
    }
    if (kind !== 'v') {
      throw new ReadableViewError(
        view,
        `db.read: ${view} is a ${RELATION_KINDS[kind] ?? `relation of kind '${kind}'`}, not a view: a plugin can read only views`,
      );
    }
    if (!found.rows[0]!.barrier) {
      throw new ReadableViewError(
        view,
        `db.read: ${view} is not a security_barrier view, so a reader's predicates could see the rows it filters ` +
          'out: its owner must create it "with (security_barrier)" before it can be granted',
      );
    }
  }
}

const RELATION_KINDS: Record<string, string> = {
  r: 'table',
  p: 'partitioned table',
  m: 'materialized view',
  f: 'foreign table',
  S: 'sequence',
  i: 'index',
  c: 'composite type',
  t: 'TOAST table',
};

/** An arbitrary constant naming the plugin-provisioning locks among the database's advisory locks. */
const PROVISION_LOCK = 4712;

/**
 * Kernel instances on one database may provision the same plugin at once (one reloads it, the others hear of it
 * and restart theirs): concurrent GRANTs on one object fail with "tuple concurrently updated", so they take turns.
 * The two-key form keeps this lock apart from the single-key start-up lock.
 */
async function lockPlugin(client: pg.PoolClient, pluginId: string): Promise<void> {
  await client.query('select pg_advisory_xact_lock($1, hashtext($2))', [PROVISION_LOCK, pluginId]);
}

function quoteIdent(name: string): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`refusing unsafe identifier ${name}`);
  return `"${name}"`;
}

/**
 * Creates the schema and role if missing, runs the migrations not yet applied — all in one transaction, so a
 * failing migration leaves nothing behind — and grants the role its schema and exactly its granted views, each of
 * which must be a `security_barrier` view ({@link ReadableViewError} otherwise; see also {@link unreadableView}
 * for the manifests' half of the rule). Returns the names of the migrations applied now.
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
    await lockPlugin(client, pluginId);
    // Roles are shared by every database on the server, so another database may have created it already, or be
    // creating it right now (the advisory lock is per database): that race surfaces as a unique violation.
    await client.query(
      `do $$ begin create role ${role} nologin; exception when duplicate_object or unique_violation then null; end $$`,
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
    // Granted before the migrations run: a migration may build the plugin's own views on the views it reads.
    await applyReadableViews(client, pluginId, readableViews, 'grant');
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
    await client.query('commit');
    return ran;
  } catch (err) {
    await client.query('rollback').catch(() => {});
    throw err;
  } finally {
    client.release();
  }
}

/**
 * Brings the role's rights outside its own schema in line with `views`. `'grant'` checks every view
 * ({@link ReadableViewError}) and grants it with its schema's usage; `'revoke'` only takes away, and is what a
 * plugin that is not running gets: its views are granted when it is next provisioned, so a grant naming a view
 * whose exporter is not enabled yet can still be saved. Both revoke SELECT on every view no longer granted and
 * usage on every other schema with no granted view left: the role must lose them even while the plugin is
 * stopped, since views it owns run with its rights and other plugins may read those.
 */
async function applyReadableViews(
  client: pg.PoolClient,
  pluginId: string,
  views: readonly string[],
  mode: 'grant' | 'revoke',
): Promise<void> {
  const role = quoteIdent(roleOf(pluginId));
  const own = schemaOf(pluginId);
  if (mode === 'grant') {
    await assertViews(client, views);
    for (const view of views) {
      const [s, v] = view.split('.');
      await client.query(`grant usage on schema ${quoteIdent(s!)} to ${role}`);
      await client.query(`grant select on ${quoteIdent(s!)}.${quoteIdent(v!)} to ${role}`);
    }
  }
  const held = await client.query<{ schema: string; name: string }>(
    `select n.nspname as schema, c.relname as name
       from pg_catalog.pg_class c join pg_catalog.pg_namespace n on n.oid = c.relnamespace,
            pg_catalog.aclexplode(c.relacl) a
      where a.grantee = $1::regrole and a.privilege_type = 'SELECT' and n.nspname <> $2`,
    [roleOf(pluginId), own],
  );
  for (const { schema: s, name } of held.rows) {
    if (!views.includes(`${s}.${name}`)) {
      await client.query(`revoke select on ${quoteIdent(s)}.${quoteIdent(name)} from ${role}`);
    }
  }
  const schemas = await client.query<{ schema: string }>(
    `select n.nspname as schema from pg_catalog.pg_namespace n, pg_catalog.aclexplode(n.nspacl) a
      where a.grantee = $1::regrole and a.privilege_type = 'USAGE' and n.nspname <> $2`,
    [roleOf(pluginId), own],
  );
  for (const { schema: s } of schemas.rows) {
    if (!views.some((v) => v.startsWith(`${s}.`))) {
      await client.query(`revoke usage on schema ${quoteIdent(s)} from ${role}`);
    }
  }
}

/**
 * Applies a changed `db.read` grant to the plugin's role, in its own transaction, without provisioning anything
 * else (no migrations): `'grant'` for a running plugin, `'revoke'` for one that is not (see
 * {@link applyReadableViews}). A plugin whose role does not exist yet holds nothing, so nothing is done.
 */
export async function syncReadableViews(
  pool: pg.Pool,
  pluginId: string,
  views: readonly string[],
  mode: 'grant' | 'revoke',
): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('begin');
    await lockPlugin(client, pluginId);
    const role = await client.query('select 1 from pg_catalog.pg_roles where rolname = $1', [
      roleOf(pluginId),
    ]);
    if (role.rowCount) await applyReadableViews(client, pluginId, views, mode);
    await client.query('commit');
  } catch (err) {
    await client.query('rollback').catch(() => {});
    throw err;
  } finally {
    client.release();
  }
}
