/**
 * The embedded database under concurrent clients: every client gets its own results, also when others run
 * transactions and parameterised (extended-protocol) queries at the same time. Embedded only.
 */
import { startEmbeddedDatabase } from '@goatflow/kernel';
import pg from 'pg';
import { describe, expect, it } from 'vitest';

describe.skipIf(process.env.DATABASE_URL)('embedded PGlite behind pglite-socket', () => {
  it('never hands one connection another connection’s results', async () => {
    const db = await startEmbeddedDatabase({ maxConnections: 8 });
    const clients = await Promise.all(
      Array.from({ length: 4 }, async () => {
        const c = new pg.Client({ connectionString: db.url });
        await c.connect();
        return c;
      }),
    );
    let wrong = 0;
    let errors = 0;
    try {
      await Promise.all(
        clients.map(async (client, n) => {
          for (let i = 0; i < 150; i++) {
            const tag = `${n}-${i}`;
            try {
              if (n % 2 === 0) await client.query('begin');
              const res = await client.query('select $1::text as tag, $2::int as n', [tag, n]);
              if (n % 2 === 0) await client.query('commit');
              if (res.rows[0]?.tag !== tag || res.rows[0]?.n !== n) wrong++;
            } catch {
              errors++;
            }
          }
        }),
      );
    } finally {
      await Promise.all(clients.map((c) => c.end().catch(() => {})));
      await db.stop();
    }
    expect({ wrong, errors }).toEqual({ wrong: 0, errors: 0 });
  }, 120_000);
});
