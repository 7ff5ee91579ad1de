/**
 * The `heartbeat` job (every minute, UTC): notes in the cache when it last ran and what it saw, and writes a
 * summary line to the plugin's log. Jobs act for no user, and each schedule slot runs once across all kernel
 * instances.
 * @module
 */
import type { HandlerContext, JobRun } from '@goatflow/sdk';
import { helloWasmCount } from './hello-wasm.js';
import { notifiedCount, saveHeartbeat } from './state.js';

/** The job's handler (`heartbeat` in the manifest); what it returns is not kept. */
export async function heartbeat(job: JobRun, { host }: HandlerContext): Promise<void> {
  const [notified, count] = await Promise.all([notifiedCount(host), helloWasmCount(host)]);
  await saveHeartbeat(host, { at: job.scheduledFor, notified, helloWasmCount: count });
  await host.log(
    'info',
    `heartbeat ${job.scheduledFor}: ${notified} greeting(s) notified since enabled; ` +
      `hello-wasm count ${count ?? 'unavailable'}`,
  );
}
