/**
 * Serialises start-up work (migrations, the first admin account, demo data) across kernel processes that start
 * together on one database: the second waits for the first instead of racing it into duplicate-key errors.
 * @module
 */
import pg from 'pg';

/** An arbitrary constant naming GoatFlow's start-up lock among the database's advisory locks. */
const STARTUP_LOCK = 4_711_2024;

export async function withStartupLock<T>(databaseUrl: string, work: () => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query('select pg_advisory_lock($1)', [STARTUP_LOCK]);
    return await work();
  } finally {
    await client.query('select pg_advisory_unlock($1)', [STARTUP_LOCK]).catch(() => {});
    await client.end().catch(() => {});
  }
}
