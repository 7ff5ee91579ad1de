/**
 * Direct SQL against a test database, for arranging what the API cannot (moving timestamps back instead of
 * sleeping) and for checking rows the API does not show. One short-lived connection per call.
 * @module
 */
import { createHash } from 'node:crypto';
import pg from 'pg';

export async function sql<R extends Record<string, unknown> = Record<string, unknown>>(
  databaseUrl: string,
  text: string,
  params: unknown[] = [],
): Promise<R[]> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const res = await client.query<R>(text, params);
    return res.rows;
  } finally {
    await client.end();
  }
}

/** The `kernel.sessions.id` of a `gf_session=...` cookie: the SHA-256 hex of the secret. */
export function sessionIdOfCookie(cookie: string | undefined): string {
  const secret = cookie?.replace(/^gf_session=/, '');
  if (!secret) throw new Error('the client has no session cookie');
  return createHash('sha256').update(secret).digest('hex');
}

/**
 * Runs `start` while a SHARE lock on `table` lets reads through but makes writes wait, releases the lock once
 * `waiters` backends are waiting for it, and returns what `start` resolves to. This lines up concurrent requests
 * exactly between their read and their write, so a check-then-insert race happens every time, not by luck.
 * PostgreSQL only: PGlite runs one transaction at a time, so the lock would stall everything.
 */
export async function withWritesHeld<T>(
  databaseUrl: string,
  table: string,
  waiters: number,
  start: () => Promise<T>,
  timeoutMs = 15_000,
): Promise<T> {
  const holder = new pg.Client({ connectionString: databaseUrl });
  await holder.connect();
  try {
    await holder.query('begin');
    await holder.query(`lock table ${table} in share mode`);
    const pending = start();
    pending.catch(() => {}); // awaited below; keep an early rejection from being reported as unhandled
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const { rows } = await holder.query<{ n: number }>(
        'select count(*)::int as n from pg_locks where relation = $1::regclass and not granted',
        [table],
      );
      if (rows[0]!.n >= waiters) break;
      if (Date.now() > deadline) throw new Error(`only ${rows[0]!.n} of ${waiters} writers reached ${table}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    await holder.query('commit');
    return await pending;
  } finally {
    await holder.end();
  }
}
