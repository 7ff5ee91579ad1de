/**
 * Plugin jobs (`contributes.jobs`) on their cron schedules, with a real gRPC plugin. The test moves the
 * scheduler's clock instead of waiting for the minute: a slot runs once, with its time and no user; a failing
 * run is recorded; a pause runs only the latest slot; disabling stops the timer; a bad schedule is an enable
 * error naming the job; and two kernels on one database run each slot once.
 */
import type { Kernel } from '@goatflow/kernel';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PluginFolder, schemaOf, waitFor } from '../fixtures/grpc/host-api-plugins.js';
import { freshDatabase, type TestDatabase } from '../support/database.js';
import { USER_PASSWORD } from '../support/helpers.js';
import { ApiClient } from '../support/http-client.js';
import { adminClient, startTestKernel, userClient } from '../support/kernel.js';
import { sql } from '../support/sql.js';

const folder = new PluginFolder();
const env = { GOATFLOW_PLUGIN_DIR: folder.dir, GOATFLOW_JOBS_TICK_MS: '50' };

const RUNNER = 'jobs-runner';
const BULK = 'jobs-bulk';
const runnerPermissions = { db: { own: true } };
const bulkPermissions = { cache: true };

let db: TestDatabase;
let kernel: Kernel;
let admin: ApiClient;
let agent: ApiClient;

/** The scheduler's time in the kernels under test; moved by the tests. */
let now = Date.parse('2031-01-01T00:00:30Z');
const at = (iso: string) => {
  now = Date.parse(iso);
};

const recorded = (job: string) =>
  sql<{ job_id: string; scheduled_for: string; context: Record<string, unknown> }>(
    db.url,
    `select job_id, scheduled_for, context from ${schemaOf(RUNNER)}.job_runs where job_id = $1 order by id`,
    [job],
  );

const runs = (plugin: string, job: string) =>
  sql<{ scheduled_for: Date; instance: string; finished_at: Date | null; error: string | null }>(
    db.url,
    `select scheduled_for, instance, finished_at, error from kernel.plugin_job_runs
      where plugin_id = $1 and job_id = $2 order by scheduled_for`,
    [plugin, job],
  );

const slotsOf = (rows: { scheduled_for: Date }[]) => rows.map((r) => new Date(r.scheduled_for).toISOString());

beforeAll(async () => {
  folder.grpc(RUNNER, {
    permissions: runnerPermissions,
    contributes: {
      jobs: [
        { id: 'every-minute', schedule: '* * * * *', handler: 'onJob' },
        { id: 'even-minutes', schedule: '*/2 * * * *', handler: 'failingJob' },
      ],
    },
  });
  folder.grpc(BULK, {
    permissions: bulkPermissions,
    contributes: {
      jobs: [{ id: 'tally', schedule: '* * * * *', handler: 'onBulk' }],
      routes: [{ method: 'GET', path: '/seen', auth: 'agent', handler: 'seen' }],
    },
  });
  folder.grpc('jobs-bad-range', {
    contributes: { jobs: [{ id: 'nightly', schedule: '61 * * * *', handler: 'onJob' }] },
  });
  folder.grpc('jobs-bad-fields', {
    contributes: { jobs: [{ id: 'with-seconds', schedule: '0 * * * * *', handler: 'onJob' }] },
  });
  db = await freshDatabase();
  kernel = await startTestKernel({ databaseUrl: db.url, env });
  kernel.plugins.jobs.setClock(() => now);
  admin = await adminClient(kernel);
  agent = (await userClient(kernel, admin, { login: 'jobs-agent' })).client;
  await admin.put(`/api/admin/plugins/${RUNNER}/grants`, runnerPermissions);
  const enabled = await admin.post(`/api/admin/plugins/${RUNNER}/enable`);
  expect(enabled.status, JSON.stringify(enabled.body)).toBe(200);
}, 120_000);

afterAll(async () => {
  await kernel?.stop();
  await db?.drop();
  folder.remove();
});

describe('schedules', () => {
  it('refuses to enable a plugin whose schedule is invalid, naming the job', async () => {
    const range = await admin.post('/api/admin/plugins/jobs-bad-range/enable');
    expect(range.status).toBe(409);
    expect(range.body.error.message).toMatch(/job "nightly" has an invalid schedule "61 \* \* \* \*"/);
    const fields = await admin.post('/api/admin/plugins/jobs-bad-fields/enable');
    expect(fields.status).toBe(409);
    expect(fields.body.error.message).toMatch(/job "with-seconds" has an invalid schedule .*5 fields/);
    expect((await admin.get('/api/admin/plugins/jobs-bad-range')).body).toMatchObject({
      state: 'failed',
      lastError: expect.stringContaining('job "nightly"'),
    });
  });
});

describe('runs', () => {
  it('runs a job once in its slot, with the slot time and no user', async () => {
    at('2031-01-01T00:01:05Z');
    const [row] = await waitFor('the 00:01 run', async () => {
      const r = await recorded('every-minute');
      return r.length ? r : undefined;
    });
    expect(row).toMatchObject({
      scheduled_for: '2031-01-01T00:01:00.000Z',
      context: {
        pluginId: RUNNER,
        handler: 'onJob',
        user: null,
        requestId: 'job-every-minute-2031-01-01T00:01:00.000Z',
      },
    });
    const [run] = await waitFor('the run to be finished', async () => {
      const r = await runs(RUNNER, 'every-minute');
      return r[0]?.finished_at ? r : undefined;
    });
    expect(run).toMatchObject({ error: null, instance: kernel.plugins.jobs.instanceId });
    // Ticks keep coming within the same minute: still one run.
    await kernel.plugins.jobs.tick();
    expect(await recorded('every-minute')).toHaveLength(1);
    // */2 has no slot between enabling (00:00:30) and now.
    expect(await runs(RUNNER, 'even-minutes')).toEqual([]);
  });

  it('records a failing run with its error, in the run table and the plugin log', async () => {
    at('2031-01-01T00:02:05Z');
    const [failed] = await waitFor('the failing 00:02 run', async () => {
      const r = await runs(RUNNER, 'even-minutes');
      return r[0]?.finished_at ? r : undefined;
    });
    expect(failed!.error).toMatch(/this job always fails/);
    const logs = await admin.get(`/api/admin/plugins/${RUNNER}/logs?level=error`);
    expect(logs.body.items.map((l: { message: string }) => l.message)).toContainEqual(
      expect.stringContaining('job even-minutes (2031-01-01T00:02:00.000Z) failed'),
    );
    await waitFor('the 00:02 run of every-minute', async () => (await recorded('every-minute')).length === 2);
  });

  it('runs only the latest slot after a pause', async () => {
    at('2031-01-01T00:05:05Z');
    await waitFor('the 00:05 run', async () =>
      (await recorded('every-minute')).some((r) => r.scheduled_for === '2031-01-01T00:05:00.000Z'),
    );
    expect((await recorded('every-minute')).map((r) => r.scheduled_for)).toEqual([
      '2031-01-01T00:01:00.000Z',
      '2031-01-01T00:02:00.000Z',
      '2031-01-01T00:05:00.000Z',
    ]);
  });

  it('stops with the plugin: nothing runs while it is disabled, and it resumes when enabled', async () => {
    expect((await admin.post(`/api/admin/plugins/${RUNNER}/disable`)).body.state).toBe('disabled');
    at('2031-01-01T00:06:05Z');
    await kernel.plugins.jobs.tick();
    expect(slotsOf(await runs(RUNNER, 'every-minute'))).not.toContain('2031-01-01T00:06:00.000Z');

    expect((await admin.post(`/api/admin/plugins/${RUNNER}/enable`)).status).toBe(200);
    at('2031-01-01T00:07:05Z');
    await waitFor('the 00:07 run after enabling again', async () =>
      slotsOf(await runs(RUNNER, 'every-minute')).includes('2031-01-01T00:07:00.000Z'),
    );
    expect(slotsOf(await runs(RUNNER, 'every-minute'))).toEqual([
      '2031-01-01T00:01:00.000Z',
      '2031-01-01T00:02:00.000Z',
      '2031-01-01T00:05:00.000Z',
      '2031-01-01T00:07:00.000Z',
    ]);
    // Stopped again for the next test, which runs two kernels.
    await admin.post(`/api/admin/plugins/${RUNNER}/disable`);
  });
});

describe('two kernels on one database', () => {
  let second: Kernel | undefined;
  afterAll(async () => {
    await second?.stop();
  });

  it('run each slot once', async () => {
    await admin.put(`/api/admin/plugins/${BULK}/grants`, bulkPermissions);
    expect((await admin.post(`/api/admin/plugins/${BULK}/enable`)).status).toBe(200);
    second = await startTestKernel({ databaseUrl: db.url, env });
    second.plugins.jobs.setClock(() => now);
    expect(second.plugins.activePlugin(BULK)).toBeDefined();
    const otherAgent = new ApiClient(second.url);
    expect((await otherAgent.login('jobs-agent', USER_PASSWORD)).status).toBe(200);

    const slots = ['2031-01-01T00:10:00.000Z', '2031-01-01T00:11:00.000Z', '2031-01-01T00:12:00.000Z'];
    for (const slot of slots) {
      at(new Date(Date.parse(slot) + 20_000).toISOString());
      // Both kernels tick at once (their timers tick too): they race for the slot.
      await Promise.all([kernel.plugins.jobs.tick(), second.plugins.jobs.tick()]);
      await waitFor(`the run of ${slot}`, async () =>
        (await runs(BULK, 'tally')).some(
          (r) => new Date(r.scheduled_for).toISOString() === slot && r.finished_at !== null,
        ),
      );
    }
    const keys = slots.map((s) => `job-tally-${s}`).join(',');
    const here = (await agent.get(`/api/plugins/${BULK}/seen?keys=${keys}`)).body;
    const there = (await otherAgent.get(`/api/plugins/${BULK}/seen?keys=${keys}`)).body;
    for (const slot of slots) {
      expect(here[`job-tally-${slot}`] + there[`job-tally-${slot}`], slot).toBe(1);
    }
    const claimed = (await runs(BULK, 'tally')).filter((r) =>
      slots.includes(new Date(r.scheduled_for).toISOString()),
    );
    expect(claimed).toHaveLength(3);
    expect(claimed.every((r) => r.error === null)).toBe(true);
  }, 60_000);
});
