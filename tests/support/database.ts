/**
 * A fresh, empty database per test file: a new database on the PostgreSQL server named by DATABASE_URL, or an
 * in-memory embedded PGlite when DATABASE_URL is unset.
 * @module
 */
import { randomBytes } from 'node:crypto';
import { startEmbeddedDatabase } from '@goatflow/kernel';
import pg from 'pg';

export interface TestDatabase {
  url: string;
  kind: 'postgresql' | 'pglite';
  drop(): Promise<void>;
}

export async function freshDatabase(): Promise<TestDatabase> {
  const server = process.env.DATABASE_URL;
  if (!server) {
    const db = await startEmbeddedDatabase({ maxConnections: 40 });
    return { url: db.url, kind: 'pglite', drop: () => db.stop() };
  }
  const name = `gf_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: server });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(server);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    kind: 'postgresql',
    async drop() {
      const c = new pg.Client({ connectionString: server });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}
