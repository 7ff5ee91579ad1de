/**
 * The `pending-auto-close` job, every minute, as the system: closes the `pending_auto` tickets whose time is up
 * (each to its state's closing state), with history rows by no one and a `ticket.updated` event per changed
 * field, all in one transaction. A run handles at most a batch; what is left is due again next minute.
 * @module
 */
import type { HandlerContext, JobDefinition, JobRun } from '@goatflow/sdk';
import { ticketUpdated } from '../events/ticket-events.js';
import { AUTO_CLOSE_BATCH, AUTO_CLOSE_DUE } from '../sql/tickets/pending-auto-close.js';

/** The job's handler; answers how many field changes it made (state and pending time per ticket). */
export async function closeDuePendingTickets(job: JobRun, { host }: HandlerContext): Promise<number> {
  const { results } = await host.db.transaction([{ sql: AUTO_CLOSE_DUE }], { events: [ticketUpdated(0)] });
  const changes = results[0]!.rowCount;
  if (changes > 0) {
    const tickets = new Set(results[0]!.rows.map((r) => r.ticketId)).size;
    const more = tickets >= AUTO_CLOSE_BATCH ? '; more are due next run' : '';
    await host.log('info', `pending-auto-close ${job.scheduledFor}: closed ${tickets} tickets${more}`);
  }
  return changes;
}

/** The jobs of the tickets plugin, by handler key: what `src/plugin.ts` spreads into the definition. */
export const ticketJobs: Record<string, JobDefinition> = {
  pendingAutoClose: { id: 'pending-auto-close', schedule: '* * * * *', handler: closeDuePendingTickets },
};
