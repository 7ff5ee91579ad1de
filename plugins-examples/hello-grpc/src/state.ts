/**
 * What the plugin remembers between calls, in its Host API cache (namespaced to the plugin, emptied when it is
 * disabled): how many greetings it has notified, the last heartbeat, and which events it has already mailed.
 * Process memory would do for a single kernel, but the cache is what every handler invocation can share however
 * the process is restarted.
 * @module
 */
import type { HostClient } from '@goatflow/sdk';

/** The longest a cache entry may live. */
const WEEK_SECONDS = 7 * 24 * 3600;
/** A redelivered event comes within the events retry window (at most an hour apart, a few attempts). */
const MAILED_MEMORY_SECONDS = 24 * 3600;

/** What the heartbeat job wrote last. */
export interface Heartbeat {
  /** The schedule slot of the run, ISO 8601. */
  at: string;
  notified: number;
  helloWasmCount: number | null;
}

/** How many greetings the subscriber has notified since the plugin was enabled. */
export async function notifiedCount(host: HostClient): Promise<number> {
  return Number((await host.cache.get<number>('notified')) ?? 0);
}

/**
 * Counts one more notified greeting. Not atomic (the cache has get and set only), so two deliveries at the same
 * moment may count once: a number to show, not to bill by.
 */
export async function countNotified(host: HostClient): Promise<void> {
  await host.cache.set('notified', (await notifiedCount(host)) + 1, WEEK_SECONDS);
}

/** What the heartbeat job wrote last, or `null` before its first run since the plugin was enabled. */
export function lastHeartbeat(host: HostClient): Promise<Heartbeat | null> {
  return host.cache.get<Heartbeat>('heartbeat');
}

/** Keeps `beat` as the last heartbeat. */
export async function saveHeartbeat(host: HostClient, beat: Heartbeat): Promise<void> {
  await host.cache.set('heartbeat', beat, WEEK_SECONDS);
}

/** Whether the mail for event `eventId` went out already (deliveries are at least once). */
export async function wasMailed(host: HostClient, eventId: number): Promise<boolean> {
  return (await host.cache.get(`mailed:${eventId}`)) !== null;
}

/** Remembers that the mail for event `eventId` went out. */
export async function markMailed(host: HostClient, eventId: number): Promise<void> {
  await host.cache.set(`mailed:${eventId}`, true, MAILED_MEMORY_SECONDS);
}
