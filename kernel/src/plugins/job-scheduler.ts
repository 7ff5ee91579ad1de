/**
 * Runs the jobs plugins contribute (`contributes.jobs`) on their cron schedules: five fields, UTC.
 *
 * Every kernel ticks every enabled plugin's jobs; when a tick finds that a schedule slot has come since the last
 * tick, it claims the slot by inserting `(plugin_id, job_id, scheduled_for)` into `kernel.plugin_job_runs`,
 * whose primary key lets exactly one insert win across all kernels (`on conflict do nothing`). The winner runs
 * the handler and records when it finished and how it failed. Only the latest slot is run after a pause (no
 * catch-up of every missed slot), and a slot is skipped by a kernel whose previous run of that job is still
 * going (another kernel may take it). Each plugin's timer lives in the plugin's scope: disabling stops it.
 *
 * The clock can be replaced (tests move time instead of waiting for the minute).
 * @module
 */
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { CronExpressionParser } from 'cron-parser';
import type { KernelOrm } from '../db/orm.js';
import type { PluginLog } from '../host-api/plugin-log.js';
import type { Logger } from '../log/logger.js';
import type { InvocationContext, PluginInstance } from '../runtimes/contract.js';

/** A job as the manifest declares it (`contributes.jobs`). */
export interface Job {
  id: string;
  schedule: string;
  handler: string;
}

/** Checks every job's schedule; throws an Error naming the first bad job (an enable error). */
export function validateJobs(jobs: readonly Job[]): void {
  const seen = new Set<string>();
  for (const job of jobs) {
    if (seen.has(job.id)) throw new Error(`job "${job.id}" is declared twice`);
    seen.add(job.id);
    const fields = job.schedule.trim().split(/\s+/);
    if (fields.length !== 5) {
      throw new Error(
        `job "${job.id}" has an invalid schedule "${job.schedule}": a schedule has 5 fields ` +
          `(minute hour day-of-month month day-of-week, UTC), this one has ${fields.length}`,
      );
    }
    try {
      CronExpressionParser.parse(fields.join(' '), { tz: 'UTC' });
    } catch (err) {
      throw new Error(`job "${job.id}" has an invalid schedule "${job.schedule}": ${(err as Error).message}`);
    }
  }
}

/** The latest slot of `schedule` at or before `now` (ms since the epoch). */
export function latestSlot(schedule: string, now: number): number {
  const expr = CronExpressionParser.parse(schedule.trim().split(/\s+/).join(' '), {
    tz: 'UTC',
    currentDate: new Date(now + 1),
  });
  return expr.prev().getTime();
}

interface ScheduledJob extends Job {
  lastChecked: number;
  running: Promise<void> | undefined;
}

interface Registration {
  pluginId: string;
  instance: PluginInstance;
  jobs: ScheduledJob[];
  timer: NodeJS.Timeout;
  stopped: boolean;
}

export interface JobSchedulerOptions {
  orm: KernelOrm;
  log: PluginLog;
  logger: Logger;
  /** How often each plugin's schedules are looked at. */
  tickMs: number;
}

export class JobScheduler {
  private readonly registrations = new Map<string, Registration>();
  private readonly inFlight = new Set<Promise<void>>();
  private clock: () => number = Date.now;
  /** Names this kernel in the runs it claims, for the operator. */
  readonly instanceId = `${os.hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;

  constructor(private readonly o: JobSchedulerOptions) {}

  /** Replaces the clock (milliseconds since the epoch); for tests. */
  setClock(clock: () => number): void {
    this.clock = clock;
  }

  /**
   * Starts ticking a plugin's jobs; returns the function that stops it (register it in the plugin's scope).
   * Slots from now on are run; earlier ones are not.
   */
  register(pluginId: string, jobs: readonly Job[], instance: PluginInstance): () => void {
    validateJobs(jobs);
    const now = this.clock();
    const registration: Registration = {
      pluginId,
      instance,
      jobs: jobs.map((j) => ({ ...j, lastChecked: now, running: undefined })),
      timer: setInterval(() => {
        void this.tickPlugin(registration);
      }, this.o.tickMs),
      stopped: false,
    };
    registration.timer.unref();
    this.registrations.set(pluginId, registration);
    return () => {
      registration.stopped = true;
      clearInterval(registration.timer);
      if (this.registrations.get(pluginId) === registration) this.registrations.delete(pluginId);
    };
  }

  /** Ticks every plugin now and resolves when the runs this started have finished. */
  async tick(): Promise<void> {
    await Promise.all([...this.registrations.values()].map((r) => this.tickPlugin(r)));
  }

  /** Resolves when every run in progress has been recorded (at shutdown, after the plugins were stopped). */
  async drain(): Promise<void> {
    await Promise.all([...this.inFlight]);
  }

  private async tickPlugin(r: Registration): Promise<void> {
    if (r.stopped) return;
    const now = this.clock();
    const runs: Promise<void>[] = [];
    for (const job of r.jobs) {
      let slot: number;
      try {
        slot = latestSlot(job.schedule, now);
      } catch {
        continue; // validated at registration; unreachable
      }
      const due = slot > job.lastChecked;
      job.lastChecked = Math.max(job.lastChecked, now);
      if (!due) continue;
      if (job.running) {
        this.o.log
          .write(r.pluginId, {
            level: 'warn',
            message: `job ${job.id}: slot ${new Date(slot).toISOString()} skipped here, the previous run is still going`,
          })
          .catch(() => {});
        continue;
      }
      const run = this.run(r, job, slot).finally(() => {
        job.running = undefined;
        this.inFlight.delete(run);
      });
      job.running = run;
      this.inFlight.add(run);
      runs.push(run);
    }
    await Promise.all(runs);
  }

  private async run(r: Registration, job: ScheduledJob, slot: number): Promise<void> {
    const scheduledFor = new Date(slot).toISOString();
    const em = this.o.orm.em.fork();
    try {
      const won = await em.execute<{ job_id: string }[]>(
        `insert into kernel.plugin_job_runs (plugin_id, job_id, scheduled_for, instance)
         values (?, ?, ?, ?) on conflict do nothing returning job_id`,
        [r.pluginId, job.id, scheduledFor, this.instanceId],
      );
      if (won.length === 0) return; // another kernel runs this slot
      await em.execute(
        `delete from kernel.plugin_job_runs
          where plugin_id = ? and job_id = ? and scheduled_for < ?::timestamptz - interval '30 days'`,
        [r.pluginId, job.id, scheduledFor],
      );
      const context: InvocationContext = {
        pluginId: r.pluginId,
        handler: job.handler,
        user: null,
        scopes: [],
        locale: 'en',
        requestId: `job-${job.id}-${scheduledFor}`,
      };
      let error: string | null = null;
      try {
        await r.instance.invoke(job.handler, { job: { id: job.id, scheduledFor } }, context);
      } catch (err) {
        error = (err instanceof Error ? err.message : String(err)).slice(0, 2000);
      }
      await em.execute(
        `update kernel.plugin_job_runs set finished_at = now(), error = ?
          where plugin_id = ? and job_id = ? and scheduled_for = ?`,
        [error, r.pluginId, job.id, scheduledFor],
      );
      if (error) {
        await this.o.log.write(r.pluginId, {
          level: 'error',
          message: `job ${job.id} (${scheduledFor}) failed: ${error}`,
        });
      }
    } catch (err) {
      this.o.logger.warn(
        { plugin: r.pluginId, job: job.id, err: (err as Error).message },
        'recording a job run failed',
      );
    }
  }
}
