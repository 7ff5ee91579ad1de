/**
 * Each plugin's own PostgreSQL schema and role. The role can use its schema and the views it was granted, and
 * nothing else: no kernel tables, no other plugin's schema. Plugin SQL runs under it (`SET LOCAL ROLE`).
 * @module
 */
import { createHash } from 'node:crypto';
import type pg from 'pg';

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
