/**
 * The embedded database: PGlite (PostgreSQL compiled to WASM) persisted in the data directory and served on a
 * loopback port through pglite-socket, so the kernel talks to it with the same driver, SQL and migrations as to
 * a real PostgreSQL.
 * @module
 */
import fs from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { freePort } from './free-port.js';

export interface EmbeddedDatabase {
  /** A postgres:// URL other processes (or a second kernel) can connect to while this one runs. */
  readonly url: string;
  /** Stops serving, then closes PGlite, which flushes everything to the data directory. */
  stop(): Promise<void>;
}

export interface EmbeddedDatabaseOptions {
  /** Directory for the database files; omit for an in-memory database (tests). */
  dataDir?: string;
  /** Must be at least the ORM pool size: pglite-socket refuses connections beyond it. */
  maxConnections: number;
}

export async function startEmbeddedDatabase(options: EmbeddedDatabaseOptions): Promise<EmbeddedDatabase> {
  let db: PGlite;
  if (options.dataDir) {
    const dir = `${options.dataDir}/pglite`;
    await fs.mkdir(dir, { recursive: true });
    db = await PGlite.create(dir);
  } else {
    db = await PGlite.create();
  }
  const host = '127.0.0.1';
  const port = await freePort(host);
  const server = new PGLiteSocketServer({ db, host, port, maxConnections: options.maxConnections });
  await server.start();
  let stopped = false;
  return {
    url: `postgres://postgres@${host}:${port}/postgres`,
    async stop() {
      if (stopped) return;
      stopped = true;
      await server.stop();
      await db.close();
    },
  };
}
