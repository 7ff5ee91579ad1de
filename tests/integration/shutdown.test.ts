import { TOKENS } from '@goatflow/kernel';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase, type TestDatabase } from '../support/database.js';
import { ADMIN_PASSWORD, startTestKernel } from '../support/kernel.js';

let db: TestDatabase;

beforeAll(async () => {
  db = await freshDatabase();
});

afterAll(async () => {
  await db?.drop();
});

describe('graceful shutdown', () => {
  it('finishes the requests in flight, then refuses new connections', async () => {
    const kernel = await startTestKernel({ databaseUrl: db.url });
    // A login hook that holds each sign-in until released makes "in flight" deterministic.
    let entered = 0;
    let release!: () => void;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    kernel.container.resolve(TOKENS.LoginPipeline).addSecondFactor({
      id: 'hold',
      afterPassword: async () => {
        entered++;
        await gate;
        return null;
      },
    });
    const inFlight = Array.from({ length: 3 }, () =>
      fetch(`${kernel.url}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ login: 'admin', password: ADMIN_PASSWORD }),
      }),
    );
    while (entered < 3) await new Promise((r) => setTimeout(r, 10));
    const stopped = kernel.stop();
    let stopFinished = false;
    void stopped.then(() => {
      stopFinished = true;
    });
    await new Promise((r) => setTimeout(r, 100));
    await expect(fetch(`${kernel.url}/api/health`)).rejects.toThrow();
    expect(stopFinished).toBe(false);
    release();
    const responses = await Promise.all(inFlight);
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200]);
    expect((await responses[0]!.json()).status).toBe('authenticated');
    await stopped;
  });

  it('can be started again on the same database after a stop', async () => {
    const kernel = await startTestKernel({ databaseUrl: db.url });
    expect((await fetch(`${kernel.url}/api/health`)).status).toBe(200);
    await kernel.stop();
  });
});
