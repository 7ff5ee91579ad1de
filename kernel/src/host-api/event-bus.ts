/**
 * Publishing events: one row in `kernel.plugin_events` and one delivery row per enabled plugin that subscribes
 * to the name, written by one statement (so in one transaction). Delivery is the
 * {@link ../plugins/event-dispatcher.ts | event dispatcher}'s business: at least once, retried with backoff.
 * @module
 */
import type { KernelOrm } from '../db/orm.js';
import { HostApiError } from './host-api-error.js';

/** The largest payload, as bytes of its JSON text. */
export const MAX_EVENT_PAYLOAD_BYTES = 64 * 1024;

/** Event names as the manifest allows them: dotted lower-case words, e.g. `ticket.created`. */
export const EVENT_NAME = /^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$/;

/** Who publishes: a plugin id, or `kernel` for the kernel's own events. */
export type Publisher = string;

export interface PublishedEvent {
  id: number;
  subscribers: string[];
}

export class EventBus {
  constructor(
    private readonly orm: KernelOrm,
    /** The enabled plugins whose manifests subscribe to `name`. */
    private readonly subscribersOf: (name: string) => Promise<string[]>,
    /** Called after a publish that has subscribers, to wake this kernel's dispatcher. */
    private readonly published: () => void = () => {},
  ) {}

  async publish(publisher: Publisher, name: unknown, payload: unknown): Promise<PublishedEvent> {
    if (typeof name !== 'string' || name.length > 200 || !EVENT_NAME.test(name)) {
      throw new HostApiError(
        'invalid_argument',
        '"name" must be a dotted event name such as "ticket.created" (lower-case words joined by ".")',
      );
    }
    let json: string;
    try {
      json = JSON.stringify(payload ?? null);
    } catch {
      throw new HostApiError('invalid_argument', '"payload" must be JSON');
    }
    if (Buffer.byteLength(json) > MAX_EVENT_PAYLOAD_BYTES) {
      throw new HostApiError(
        'invalid_argument',
        `"payload" may be at most ${MAX_EVENT_PAYLOAD_BYTES} bytes of JSON`,
      );
    }
    // PostgreSQL's jsonb cannot hold the NUL character.
    if (json.includes('\\u0000')) {
      throw new HostApiError('invalid_argument', '"payload" must not contain NUL characters');
    }
    const subscribers = await this.subscribersOf(name);
    const values = subscribers.map(() => '(?)').join(', ');
    const sql = subscribers.length
      ? `with e as (
           insert into kernel.plugin_events (name, payload, publisher) values (?, ?::jsonb, ?) returning id),
         d as (
           insert into kernel.plugin_event_deliveries (event_id, plugin_id)
           select e.id, s.plugin_id from e cross join (values ${values}) as s(plugin_id))
         select id from e`
      : `insert into kernel.plugin_events (name, payload, publisher) values (?, ?::jsonb, ?) returning id`;
    const [row] = await this.orm.em
      .fork()
      .execute<{ id: string }[]>(sql, [name, json, publisher, ...subscribers]);
    if (subscribers.length) this.published();
    return { id: Number(row!.id), subscribers };
  }
}
