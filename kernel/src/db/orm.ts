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
    clientUrl: url,
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

/** Applies pending kernel migrations; returns the names applied. */
export async function migrate(orm: KernelOrm): Promise<string[]> {
  const applied = await orm.getMigrator().up();
  return applied.map((m) => m.name);
}
