/**
 * The `retry-deliveries` job, every minute: attempts the pending deliveries that are due (retries after a failure,
 * and everything recorded while delivery was paused), and prunes the log. Each schedule slot runs on one kernel
 * instance; the claims keep it from sending what the event handler or an admin is sending right now.
 * @module
 */
import type { HandlerContext, JobRun } from '@goatflow/sdk';
import { attemptDelivery } from './deliver.js';
import { claimDue, pruneDeliveries } from './deliveries.js';
import { readSettings } from './settings.js';

/**
 * At most this many attempts per run, made together: each waits up to 10 s for its receiver, and the whole run
 * must end within the invocation deadline (30 s). What is left is due again next minute.
 */
const BATCH = 20;
/** Delivered and failed deliveries are kept this long. */
export const RETENTION_DAYS = 30;

/** The job's handler. */
export async function retryDeliveries(job: JobRun, ctx: HandlerContext): Promise<void> {
  const { host } = ctx;
  const pruned = await pruneDeliveries(host, RETENTION_DAYS);
  if (pruned > 0) await host.log('info', `pruned ${pruned} deliveries older than ${RETENTION_DAYS} days`);
  const settings = await readSettings(ctx);
  if (!settings.targetUrl) return; // paused: pending deliveries wait for a target URL
  const due = await claimDue(host, BATCH);
  if (due.length === 0) return;
  const results = await Promise.allSettled(due.map((delivery) => attemptDelivery(host, delivery, settings)));
  const broken = results.filter((r) => r.status === 'rejected');
  if (broken.length > 0) {
    // Their claims lapse and the next run tries them again; the first reason says why.
    throw new Error(
      `${broken.length} of ${due.length} attempts in ${job.scheduledFor} could not be recorded: ${String(
        (broken[0] as PromiseRejectedResult).reason,
      )}`,
    );
  }
}
