/**
 * The `heartbeat` job (`contributes.jobs`, every minute, UTC): notes in the cache when it last ran and what it
 * saw, and writes a summary line to the plugin's log. Jobs act for no user, and each schedule slot runs once
 * across all kernel instances.
 * @module
 */
import type { Handler } from '@goatflow/sdk/grpc';
import { helloWasmCount } from './hello-wasm.js';
import { notifiedCount, saveHeartbeat } from './state.js';

/** What the kernel passes to a job handler. */
export interface JobInput {
  job: { id: string; scheduledFor: string };
}

/** The job's handler (`heartbeat` in the manifest); returns nothing the kernel keeps. */
export const heartbeat: Handler<JobInput, null> = async ({ job }, _ctx, host) => {
  const [notified, count] = await Promise.all([notifiedCount(host), helloWasmCount(host)]);
  await saveHeartbeat(host, { at: job.scheduledFor, notified, helloWasmCount: count });
  host.log(
    'info',
    `heartbeat ${job.scheduledFor}: ${notified} greeting(s) notified since enabled; ` +
      `hello-wasm count ${count ?? 'unavailable'}`,
  );
  return null;
};
