/**
 * The subscriber: every event the plugin subscribes to (see `events` in `src/plugin.ts`) lands here. It records
 * the event in the delivery log and, unless delivery is paused (no target URL), makes the first attempt at once.
 *
 * The kernel delivers events at least once and retries a handler that throws. Recording is idempotent (one row
 * per event id), and what happens to the request afterwards is the delivery log's business, not the kernel's:
 * the handler throws only when the event could not be recorded at all.
 * @module
 */
import type { DeliveredEvent, HandlerContext } from '@goatflow/sdk';
import { attemptDelivery } from './deliver.js';
import { recordEvent } from './deliveries.js';
import { type NotifierSettings, PING_EVENT, readSettings } from './settings.js';

function isForwarded(name: string, settings: NotifierSettings): boolean {
  return name === PING_EVENT || (settings.events as readonly string[]).includes(name);
}

/** The handler of every subscription. */
export async function forwardEvent(event: DeliveredEvent, ctx: HandlerContext): Promise<void> {
  const { host } = ctx;
  const settings = await readSettings(ctx);
  if (!isForwarded(event.name, settings)) {
    await host.log('debug', `not forwarding ${event.name} ${event.id}: not among the events setting`);
    return;
  }
  const paused = !settings.targetUrl;
  const delivery = await recordEvent(host, event, !paused);
  if (!delivery) return; // a redelivery of an event already in the log
  if (paused) {
    await host.log(
      'info',
      `recorded ${event.name} ${event.id}; delivery is paused until a target URL is set`,
    );
    return;
  }
  await attemptDelivery(host, delivery, settings);
}
