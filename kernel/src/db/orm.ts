/**
 * MikroORM on PostgreSQL (or the embedded PGlite behind pglite-socket), with the kernel's entities and
 * migrations. Migrations run on every start and are a no-op when the schema is current.
 * @module
 */
import { MikroORM } from '@mikro-orm/core';
import { Migrator } from '@mikro-orm/migrations';
import { PostgreSqlDriver } from '@mikro-orm/postgresql';
import { kernelEntities } from './entities/index.js';
import { kernelMigrations } from './migrations/index.js';

export type KernelOrm = MikroORM<PostgreSqlDriver>;

export async function openOrm(url: string, poolSize: number): Promise<KernelOrm> {
  return MikroORM.init<PostgreSqlDriver>({
    driver: PostgreSqlDriver,
    ...connectionOptions(url),
    entities: kernelEntities,
    extensions: [Migrator],
    discovery: { warnWhenNoEntities: false },
    pool: { min: 0, max: poolSize },
    debug: false,
    allowGlobalContext: false,
    forceUtcTimezone: true,
    migrations: {
      migrationsList: kernelMigrations,
      tableName: 'kernel_migrations',
      transactional: true,
      allOrNothing: true,
      snapshot: false,
      silent: true,
    },
  });
}

/**
 * MikroORM reads host, port, user, password and database from a URL but not a `?host=` socket directory (which
 * the embedded database uses), so such URLs are taken apart here.
 */
export function connectionOptions(url: string): Record<string, string | number> {
  const u = new URL(url);
  const socketDir = u.searchParams.get('host');
  if (!socketDir) return { clientUrl: url };
  return {
    host: socketDir,
    port: Number(u.port || 5432),
    user: decodeURIComponent(u.username || 'postgres'),
    ...(u.password ? { password: decodeURIComponent(u.password) } : {}),
    dbName: decodeURIComponent(u.pathname.slice(1) || 'postgres'),
  };
}

/** Applies pending kernel migrations; returns the names applied. */
export async function migrate(orm: KernelOrm): Promise<string[]> {
  const applied = await orm.getMigrator().up();
  return applied.map((m) => m.name);
}
