/**
 * Delivers published events to the subscribers running in this kernel, at least once.
 *
 * Each poll claims, per subscribing plugin that is running here, a batch of due deliveries with
 * `FOR UPDATE SKIP LOCKED` and in the same statement counts the attempt and pushes `next_attempt_at` a lease
 * into the future. So while one kernel works on a delivery no other kernel can claim it, and if that kernel dies
 * the lease runs out and another kernel retries. Success sets `delivered_at`; failure sets `last_error` and
 * schedules the next attempt with exponential backoff, until `maxAttempts`, after which `failed_at` is set and
 * the error kept. A disabled plugin claims nothing: its pending deliveries wait until it is enabled again.
 * The dispatcher never holds a transaction while a handler runs.
 * @module
 */
import type { KernelOrm } from '../db/orm.js';
import type { PluginLog } from '../host-api/plugin-log.js';
import type { Logger } from '../log/logger.js';
import type { InvocationContext } from '../runtimes/contract.js';
import type { ActivePlugin } from './plugin-manager.js';

export interface EventDispatcherOptions {
  orm: KernelOrm;
  active: () => ActivePlugin[];
  log: PluginLog;
  logger: Logger;
  /** How often to look for due deliveries when nothing wakes the dispatcher. */
  pollMs: number;
  /** Attempts before a delivery is given up. */
  maxAttempts: number;
  /** Delay after the first failure; doubled after each further one, at most an hour. */
  retryBaseMs: number;
  /** Deliveries claimed per plugin and poll (they run concurrently). */
  batchSize?: number;
}

const MAX_BACKOFF_MS = 3600_000;
const RETENTION_CHECK_MS = 3600_000;

/** Delay before attempt `attempts + 1`, after `attempts` failed ones. */
export function backoffMs(attempts: number, baseMs: number): number {
  return Math.min(baseMs * 2 ** Math.max(0, attempts - 1), MAX_BACKOFF_MS);
}

interface Claimed {
  event_id: string;
  plugin_id: string;
  attempts: number;
  name: string;
  payload: unknown;
  publisher: string;
  created_at: Date | string;
}

export class EventDispatcher {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<number> = Promise.resolve(0);
  private stopped = true;
  private woken = false;
  private lastRetention = 0;

  constructor(private readonly o: EventDispatcherOptions) {}

  start(): void {
    this.stopped = false;
    this.schedule(0);
  }

  /**
   * Stops polling at once; the promise settles when the deliveries in progress have been recorded (stop the
   * plugins meanwhile, and their deliveries fail fast and are retried later).
   */
  stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    return this.running.then(
      () => {},
      () => {},
    );
  }

  /** Asks for a poll soon (after a publish, or when a subscriber is enabled). */
  wake(): void {
    if (this.stopped) return;
    this.woken = true;
    this.schedule(0);
  }

  /**
   * Runs one poll after the one in progress, and resolves with the number of deliveries it attempted. Polls never
   * overlap within a kernel.
   */
  poll(): Promise<number> {
    const next = this.running.catch(() => 0).then(() => this.pollOnce());
    this.running = next;
    return next;
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.woken = false;
      this.poll().then(
        (n) => this.schedule(n > 0 || this.woken ? 0 : this.o.pollMs),
        (err: unknown) => {
          this.o.logger.warn({ err: (err as Error).message }, 'event delivery poll failed');
          this.schedule(this.o.pollMs);
        },
      );
    }, delayMs);
    this.timer.unref();
  }

  private async pollOnce(): Promise<number> {
    if (Date.now() - this.lastRetention > RETENTION_CHECK_MS) {
      this.lastRetention = Date.now();
      await this.dropOldEvents().catch((err: unknown) => {
        this.o.logger.warn({ err: (err as Error).message }, 'dropping old events failed');
      });
    }
    const subscribers = this.o
      .active()
      .filter((p) => (p.manifest.contributes.events?.length ?? 0) > 0)
      .filter((p) => p.instance.health().state === 'running');
    const counts = await Promise.all(subscribers.map((p) => this.deliverFor(p)));
    return counts.reduce((a, b) => a + b, 0);
  }

  private async deliverFor(plugin: ActivePlugin): Promise<number> {
    const handlersPerEvent = Math.max(
      1,
      ...Object.values(
        (plugin.manifest.contributes.events ?? []).reduce<Record<string, number>>((acc, e) => {
          acc[e.name] = (acc[e.name] ?? 0) + 1;
          return acc;
        }, {}),
      ),
    );
    // Long enough for every handler of one event to run to its deadline; after that another kernel may retry.
    const leaseMs = handlersPerEvent * (plugin.manifest.limits?.deadlineMs ?? 5000) + 30_000;
    const claimed = await this.o.orm.em.fork().execute<Claimed[]>(
      `with due as (
         select event_id, plugin_id from kernel.plugin_event_deliveries
          where plugin_id = ? and delivered_at is null and failed_at is null and next_attempt_at <= now()
          order by event_id
          limit ?
          for update skip locked)
       update kernel.plugin_event_deliveries d
          set attempts = d.attempts + 1, next_attempt_at = now() + ?::float8 * interval '1 millisecond'
         from due, kernel.plugin_events e
        where d.event_id = due.event_id and d.plugin_id = due.plugin_id and e.id = d.event_id
       returning d.event_id, d.plugin_id, d.attempts, e.name, e.payload, e.publisher, e.created_at`,
      [plugin.id, this.o.batchSize ?? 10, leaseMs],
    );
    await Promise.all(claimed.map((row) => this.deliver(plugin, row)));
    return claimed.length;
  }

  private async deliver(plugin: ActivePlugin, row: Claimed): Promise<void> {
    const key = [row.event_id, row.plugin_id];
    const handlers = (plugin.manifest.contributes.events ?? [])
      .filter((e) => e.name === row.name)
      .map((e) => e.handler);
    if (handlers.length === 0) {
      await this.record(
        `update kernel.plugin_event_deliveries set failed_at = now(), last_error = ?
          where event_id = ? and plugin_id = ?`,
        [`the plugin no longer subscribes to ${row.name}`, ...key],
      );
      return;
    }
    const event = {
      id: Number(row.event_id),
      name: row.name,
      payload: typeof row.payload === 'string' ? JSON.parse(row.payload) : row.payload,
      publisher: row.publisher,
      createdAt: new Date(row.created_at).toISOString(),
    };
    let failure: string | undefined;
    try {
      for (const handler of handlers) {
        const context: InvocationContext = {
          pluginId: plugin.id,
          handler,
          user: null,
          scopes: [],
          locale: 'en',
          requestId: `event-${event.id}`,
        };
        await plugin.instance.invoke(handler, { event }, context);
      }
    } catch (err) {
      failure = (err instanceof Error ? err.message : String(err)).slice(0, 2000);
    }
    // A failed write here is not the handler's failure: it is retried, and if it never lands the lease runs out
    // and the delivery is made again (at least once).
    if (failure === undefined) {
      await this.record(
        `update kernel.plugin_event_deliveries set delivered_at = now(), last_error = null
          where event_id = ? and plugin_id = ?`,
        key,
      );
    } else if (row.attempts >= this.o.maxAttempts) {
      await this.record(
        `update kernel.plugin_event_deliveries set failed_at = now(), last_error = ?
          where event_id = ? and plugin_id = ?`,
        [failure, ...key],
      );
      await this.o.log
        .write(plugin.id, {
          level: 'error',
          message: `event ${row.name} #${event.id} given up after ${row.attempts} attempts: ${failure}`,
        })
        .catch(() => {});
    } else {
      const delay = backoffMs(row.attempts, this.o.retryBaseMs);
      await this.record(
        `update kernel.plugin_event_deliveries
            set next_attempt_at = now() + ?::float8 * interval '1 millisecond', last_error = ?
          where event_id = ? and plugin_id = ?`,
        [delay, failure, ...key],
      );
      await this.o.log
        .write(plugin.id, {
          level: 'warn',
          message: `event ${row.name} #${event.id} failed (attempt ${row.attempts} of ${this.o.maxAttempts}, next in ${delay} ms): ${failure}`,
        })
        .catch(() => {});
    }
  }

  /** Writes a delivery's outcome, trying three times before leaving it to the lease. */
  private async record(sql: string, params: unknown[]): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.o.orm.em.fork().execute(sql, params);
        return;
      } catch (err) {
        if (attempt >= 3) {
          this.o.logger.warn({ err: (err as Error).message }, 'recording an event delivery failed');
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, 50 * attempt));
      }
    }
  }

  /** Events older than a week whose deliveries are all settled go, with their deliveries. */
  private async dropOldEvents(): Promise<void> {
    await this.o.orm.em.fork().execute(
      `delete from kernel.plugin_events e
        where e.created_at < now() - interval '7 days'
          and not exists (select 1 from kernel.plugin_event_deliveries d
                           where d.event_id = e.id and d.delivered_at is null and d.failed_at is null)`,
    );
  }
}
