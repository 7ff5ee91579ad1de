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
