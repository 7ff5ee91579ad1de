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

  it('delivers a notification to the connections listening on its channel, not to the notifier', async () => {
    const db = await startEmbeddedDatabase({ maxConnections: 8 });
    const connect = async () => {
      const c = new pg.Client({ connectionString: db.url });
      await c.connect();
      return c;
    };
    const [listener, quoted, notifier] = [await connect(), await connect(), await connect()];
    const heard: Record<string, string[]> = { listener: [], quoted: [], notifier: [] };
    listener.on('notification', (m) => heard.listener!.push(`${m.channel}:${m.payload}`));
    quoted.on('notification', (m) => heard.quoted!.push(`${m.channel}:${m.payload}`));
    notifier.on('notification', (m) => heard.notifier!.push(`${m.channel}:${m.payload}`));
    try {
      await listener.query('LISTEN changes');
      await quoted.query('listen "Mixed Case"');
      await notifier.query(`notify changes, 'one'`);
      await notifier.query(`select pg_notify('Mixed Case', 'two')`);
      // A notification sent inside a transaction arrives at commit, in the same answer as other rows.
      await notifier.query('begin');
      await notifier.query(`select pg_notify('changes', repeat('x', 7000))`);
      await notifier.query('commit');
      // Large answers around a notification stay intact.
      const big = await notifier.query(
        `select g, repeat('y', 200) as pad, pg_notify('changes', 'row' || g) from generate_series(1, 3) g`,
      );
      const many = await listener.query('select g from generate_series(1, 20000) g');
      await listener.query('unlisten changes');
      await notifier.query(`notify changes, 'after unlisten'`);
      await new Promise((r) => setTimeout(r, 200));
      await Promise.all([listener.query('select 1'), quoted.query('select 1')]);
      expect(big.rows.map((r) => r.g)).toEqual([1, 2, 3]);
      expect(many.rows).toHaveLength(20000);
      expect(heard.listener).toEqual([
        'changes:one',
        `changes:${'x'.repeat(7000)}`,
        'changes:row1',
        'changes:row2',
        'changes:row3',
      ]);
      expect(heard.quoted).toEqual(['Mixed Case:two']);
      expect(heard.notifier).toEqual([]);
    } finally {
      await Promise.all([listener, quoted, notifier].map((c) => c.end().catch(() => {})));
      await db.stop();
    }
  }, 60_000);
});
