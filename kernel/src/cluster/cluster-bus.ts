/**
 * How kernel instances sharing one database tell each other what changed: PostgreSQL LISTEN/NOTIFY on one
 * channel, with a dedicated connection per instance. A notification only says *what* changed (a plugin's
 * state, grant or settings; cache keys; uploaded packages; a reload from disk; identities or an ended session,
 * whose cached principals must go); receivers read the truth from
 * the database, so a lost or duplicated message cannot leave an instance wrong for long: after a lost
 * connection the instance reconnects and resynchronises everything.
 * @module
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import type { Logger } from '../log/logger.js';

export const CLUSTER_CHANNEL = 'goatflow_cluster';

/** PostgreSQL refuses payloads of 8000 bytes or more; batches of cache keys are cut below this. */
const MAX_PAYLOAD = 7000;

export type ClusterMessage =
  /** The plugin's stored state, grant or settings changed: reconcile it. */
  | { kind: 'plugin'; id: string }
  /** Cache keys of a plugin were written or deleted elsewhere; no keys means all of them. */
  | { kind: 'cache'; plugin: string; keys?: string[] }
  /** The uploaded plugin packages changed. */
  | { kind: 'packages' }
  /** An admin reloaded the plugin from its folder: re-read it from this instance's folder and restart it. */
  | { kind: 'reload'; id: string }
  /** Users, groups, memberships or a user's sessions changed: forget every cached principal. */
  | { kind: 'identity' }
  /** The session (by id, the digest of its secret) ended: forget its cached principal. */
  | { kind: 'session'; id: string }
  /** Only this user's own view changed (their preferences): forget their cached principals. */
  | { kind: 'user'; id: number };

type Envelope = ClusterMessage & { from: string };

export interface ClusterBusOptions {
  databaseUrl: string;
  logger: Logger;
  /** Called for every message from another instance. */
  onMessage: (message: ClusterMessage) => Promise<void> | void;
  /** Called after the listening connection was re-established: messages may have been missed. */
  onResync: () => Promise<void> | void;
}

export class ClusterBus {
  /** Identifies this instance's own messages, which it ignores. */
  readonly instanceId = randomUUID();
  private client: pg.Client | undefined;
  private stopped = false;
  private retryMs = 250;
  private retryTimer: NodeJS.Timeout | undefined;
  private readonly publisher: pg.Pool;
  private pendingCache = new Map<string, Set<string> | 'all'>();
  private flushScheduled = false;

  private constructor(private readonly o: ClusterBusOptions) {
    this.publisher = new pg.Pool({ connectionString: o.databaseUrl, max: 1 });
    this.publisher.on('error', (err) =>
      o.logger.warn({ err: err.message }, 'cluster publisher connection lost'),
    );
  }

  /** Connects and listens; resolves once this instance hears the channel. */
  static async start(options: ClusterBusOptions): Promise<ClusterBus> {
    const bus = new ClusterBus(options);
    await bus.connect();
    return bus;
  }

  /** Tells the other instances; failures are logged, never thrown: the change itself is already stored. */
  async publish(message: ClusterMessage): Promise<void> {
    await this.send({ ...message, from: this.instanceId });
  }

  /** Announces written or deleted cache keys, batched per event-loop turn so a burst costs one notification. */
  cacheChanged(plugin: string, key?: string): void {
    const keys = this.pendingCache.get(plugin);
    if (key === undefined) this.pendingCache.set(plugin, 'all');
    else if (keys !== 'all') this.pendingCache.set(plugin, (keys ?? new Set()).add(key));
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => {
      this.flushScheduled = false;
      void this.flushCache();
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    await this.flushCache();
    await this.client?.end().catch(() => {});
    await this.publisher.end().catch(() => {});
  }

  private async flushCache(): Promise<void> {
    const pending = this.pendingCache;
    this.pendingCache = new Map();
    for (const [plugin, keys] of pending) {
      if (keys === 'all') {
        await this.publish({ kind: 'cache', plugin });
        continue;
      }
      let batch: string[] = [];
      let size = 0;
      for (const key of keys) {
        const cost = JSON.stringify(key).length + 1;
        if (size + cost > MAX_PAYLOAD - 200 && batch.length) {
          await this.publish({ kind: 'cache', plugin, keys: batch });
          batch = [];
          size = 0;
        }
        batch.push(key);
        size += cost;
      }
      if (batch.length) await this.publish({ kind: 'cache', plugin, keys: batch });
    }
  }

  private async send(envelope: Envelope): Promise<void> {
    const payload = JSON.stringify(envelope);
    // A cache key too long to fit cannot be named: invalidate the plugin's whole cache instead.
    const fitted =
      payload.length < MAX_PAYLOAD
        ? payload
        : JSON.stringify({
            kind: 'cache',
            plugin: (envelope as { plugin: string }).plugin,
            from: this.instanceId,
          });
    try {
      await this.publisher.query('select pg_notify($1, $2)', [CLUSTER_CHANNEL, fitted]);
    } catch (err) {
      if (!this.stopped)
        this.o.logger.warn({ err: (err as Error).message }, 'could not notify other instances');
    }
  }

  private async connect(): Promise<void> {
    const client = new pg.Client({ connectionString: this.o.databaseUrl });
    client.on('notification', (n) => {
      if (n.channel === CLUSTER_CHANNEL && n.payload) void this.receive(n.payload);
    });
    client.on('error', (err) => this.lost(client, err));
    client.on('end', () => this.lost(client));
    try {
      await client.connect();
      await client.query(`listen ${CLUSTER_CHANNEL}`);
    } catch (err) {
      await client.end().catch(() => {});
      throw err;
    }
    this.client = client;
    this.retryMs = 250;
  }

  private async receive(payload: string): Promise<void> {
    let envelope: Envelope;
    try {
      envelope = JSON.parse(payload) as Envelope;
    } catch {
      return;
    }
    if (envelope.from === this.instanceId) return;
    try {
      await this.o.onMessage(envelope);
    } catch (err) {
      this.o.logger.warn({ err: (err as Error).message, kind: envelope.kind }, 'cluster message not applied');
    }
  }

  private lost(client: pg.Client, err?: Error): void {
    if (this.stopped || this.client !== client) return;
    this.client = undefined;
    client.end().catch(() => {});
    this.o.logger.warn({ err: err?.message }, 'lost the cluster notification connection; reconnecting');
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.stopped) return;
    this.retryTimer = setTimeout(async () => {
      try {
        await this.connect();
        this.o.logger.info('cluster notifications restored; resynchronising');
        await this.o.onResync();
      } catch (err) {
        this.o.logger.warn({ err: (err as Error).message }, 'cluster reconnect failed');
        this.retryMs = Math.min(this.retryMs * 2, 5000);
        this.scheduleReconnect();
      }
    }, this.retryMs);
    this.retryTimer.unref();
  }
}
