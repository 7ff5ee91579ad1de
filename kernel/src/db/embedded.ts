/**
 * The embedded database: PGlite (PostgreSQL compiled to WASM) persisted in the data directory and served
 * through pglite-socket, so the kernel talks to it with the same driver, SQL and migrations as to a real
 * PostgreSQL. It listens on a Unix socket in a directory only this user can enter (0700): PGlite has no
 * passwords, so a TCP port would let any local process read the database.
 * @module
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { type DataDirLock, lockDataDir } from './data-dir-lock.js';
import { fixQueryQueue } from './pglite-queue.js';

export interface EmbeddedDatabase {
  /** A postgres:// URL (socket directory in `?host=`) other connections in this machine's user can use. */
  readonly url: string;
  /** Stops serving, then closes PGlite, which flushes everything to the data directory. */
  stop(): Promise<void>;
}

export interface EmbeddedDatabaseOptions {
  /** Directory for the database files; omit for an in-memory database (tests). */
  dataDir?: string;
  /** Must be at least the total pool size of its clients: pglite-socket refuses connections beyond it. */
  maxConnections: number;
}

export async function startEmbeddedDatabase(options: EmbeddedDatabaseOptions): Promise<EmbeddedDatabase> {
  let lock: DataDirLock | undefined;
  let db: PGlite;
  if (options.dataDir) {
    await fs.mkdir(options.dataDir, { recursive: true });
    lock = await lockDataDir(options.dataDir);
    db = await PGlite.create(path.join(options.dataDir, 'pglite')).catch(async (err: unknown) => {
      await lock?.release();
      throw err;
    });
  } else {
    db = await PGlite.create();
  }
  // Short path under the temp dir: a Unix socket path must fit in 107 bytes, a data dir may not.
  const socketDir = await fs.mkdtemp(path.join(os.tmpdir(), 'goatflow-db-'));
  await fs.chmod(socketDir, 0o700);
  const server = new PGLiteSocketServer({
    db,
    path: path.join(socketDir, '.s.PGSQL.5432'),
    maxConnections: options.maxConnections,
  });
  fixQueryQueue(server, db);
  await server.start();
  let stopped = false;
  return {
    url: `postgres://postgres@localhost:5432/postgres?host=${encodeURIComponent(socketDir)}`,
    async stop() {
      if (stopped) return;
      stopped = true;
      await server.stop();
      await db.close();
      await fs.rm(socketDir, { recursive: true, force: true });
      await lock?.release();
    },
  };
}
