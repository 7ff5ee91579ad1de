/**
 * Publishing events: one row in `kernel.plugin_events` and one delivery row per enabled plugin that subscribes
 * to the name, written by one statement (so in one transaction) — on its own, or with the client of a larger
 * transaction (`db.transaction`), so the events exist only if that commits. Delivery is the
 * {@link ../plugins/event-dispatcher.ts | event dispatcher}'s business: at least once, retried with backoff.
 * @module
 */
import type pg from 'pg';
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

/** An event as a plugin sent it, checked by {@link checkEvent} before it is written. */
export interface EventToPublish {
  name: unknown;
  payload: unknown;
}

/** The enabled subscribers of each event name. */
export type Subscriptions = ReadonlyMap<string, readonly string[]>;

/** A checked event: its name and the JSON text of its payload. */
interface CheckedEvent {
  name: string;
  json: string;
}

/**
 * Checks an event's name and payload and returns the payload as JSON text.
 * @param at - where the event sits in the caller's arguments (`events[2].`), so an error names the field
 * @throws HostApiError `invalid_argument` naming the field
 */
export function checkEvent(name: unknown, payload: unknown, at = ''): string {
  if (typeof name !== 'string' || name.length > 200 || !EVENT_NAME.test(name)) {
    throw new HostApiError(
      'invalid_argument',
      `"${at}name" must be a dotted event name such as "ticket.created" (lower-case words joined by ".")`,
    );
  }
  let json: string;
  try {
    json = JSON.stringify(payload ?? null);
  } catch {
    throw new HostApiError('invalid_argument', `"${at}payload" must be JSON`);
  }
  if (Buffer.byteLength(json) > MAX_EVENT_PAYLOAD_BYTES) {
    throw new HostApiError(
      'invalid_argument',
      `"${at}payload" may be at most ${MAX_EVENT_PAYLOAD_BYTES} bytes of JSON`,
    );
  }
  // PostgreSQL's jsonb cannot hold the NUL character.
  if (json.includes('\\u0000')) {
    throw new HostApiError('invalid_argument', `"${at}payload" must not contain NUL characters`);
  }
  return json;
}

/**
 * Every event and its deliveries in one statement. The events come as one JSON array, so a hundred events cost
 * one round trip; they are inserted in their order, so ordering the ids gives them back in it.
 */
const INSERT_EVENTS = `
  with input as (
    select e.ord, e.value->>'name' as name, e.value->'payload' as payload
      from jsonb_array_elements(?::jsonb) with ordinality as e(value, ord)),
  ev as (
    insert into kernel.plugin_events (name, payload, publisher)
    select name, payload, ? from input order by ord
    returning id, name),
  d as (
    insert into kernel.plugin_event_deliveries (event_id, plugin_id)
    select ev.id, s.value->>1 from ev
      join jsonb_array_elements(?::jsonb) as s(value) on s.value->>0 = ev.name)
  select id from ev order by id`;

/** The same statement with the numbered placeholders node-postgres takes instead of the ORM's `?`. */
const INSERT_EVENTS_PG = (() => {
  let n = 0;
  return INSERT_EVENTS.replace(/\?/g, () => `$${++n}`);
})();

export class EventBus {
  constructor(
    private readonly orm: KernelOrm,
    /** The enabled plugins whose manifests subscribe to `name`. */
    private readonly subscribersOf: (name: string) => Promise<string[]>,
    /** Called after a publish that has subscribers, to wake this kernel's dispatcher. */
    private readonly published: () => void = () => {},
  ) {}

  /** Publishes one event in its own transaction. */
  async publish(publisher: Publisher, name: unknown, payload: unknown): Promise<PublishedEvent> {
    const json = checkEvent(name, payload);
    const subscriptions = await this.subscriptions([name as string]);
    const { params, subscribers } = this.statement(
      publisher,
      [{ name: name as string, json }],
      subscriptions,
    );
    const [row] = await this.orm.em.fork().execute<{ id: string }[]>(INSERT_EVENTS, params);
    if (subscribers[0]!.length) this.published();
    return { id: Number(row!.id), subscribers: subscribers[0]! };
  }

  /**
   * The enabled subscribers of `names`, for {@link publishWith}. Look them up before the transaction opens: they
   * are read through the kernel's own connections, and on the embedded database, whose connections share one
   * session, a query from another connection waits until an open transaction ends — it would wait forever.
   */
  async subscriptions(names: Iterable<string>): Promise<Subscriptions> {
    const found = new Map<string, readonly string[]>();
    for (const name of names) {
      if (!found.has(name)) found.set(name, await this.subscribersOf(name));
    }
    return found;
  }

  /**
   * Writes events with `client`, inside the transaction it has open: they exist, and are delivered, only once
   * that commits. The client must act as the kernel (not as a plugin's role). Call {@link wake} after the
   * commit when any event has subscribers; waking before it would let the dispatcher look too early.
   * @param events - checked here; an error names `events[i]`
   * @param subscriptions - from {@link subscriptions}, for every name in `events`
   */
  async publishWith(
    client: pg.ClientBase,
    publisher: Publisher,
    events: readonly EventToPublish[],
    subscriptions: Subscriptions,
  ): Promise<PublishedEvent[]> {
    if (events.length === 0) return [];
    const checked = events.map((e, i) => ({
      name: e.name as string,
      json: checkEvent(e.name, e.payload, `events[${i}].`),
    }));
    const { params, subscribers } = this.statement(publisher, checked, subscriptions);
    const { rows } = await client.query<{ id: string }>(INSERT_EVENTS_PG, params);
    return rows.map((row, i) => ({ id: Number(row.id), subscribers: subscribers[i]! }));
  }

  /** Wakes this kernel's dispatcher, after the commit of events written by {@link publishWith}. */
  wake(): void {
    this.published();
  }

  /** The parameters of {@link INSERT_EVENTS}, and each event's subscribers. */
  private statement(
    publisher: Publisher,
    events: readonly CheckedEvent[],
    subscriptions: Subscriptions,
  ): { params: unknown[]; subscribers: string[][] } {
    const subscribers = events.map((e) => [...(subscriptions.get(e.name) ?? [])]);
    const names = new Set(events.map((e) => e.name));
    const pairs = [...names].flatMap((name) =>
      (subscriptions.get(name) ?? []).map((plugin) => [name, plugin]),
    );
    const input = `[${events.map((e) => `{"name":${JSON.stringify(e.name)},"payload":${e.json}}`).join(',')}]`;
    return { params: [input, publisher, JSON.stringify(pairs)], subscribers };
  }
}
