/**
 * The delivery log in the plugin's own table (`migrations/0001_deliveries.sql`, permission `db.own`): recording
 * an event, claiming deliveries for an attempt, recording how the attempt went, and reading the log.
 *
 * A claim (`claimed_until`) is what keeps the event handler, the retry job (possibly on another kernel instance)
 * and an admin's retry from sending the same delivery at once; it lapses on its own if the process dies
 * mid-attempt, and the job then picks the delivery up again.
 * @module
 */
import { type DeliveredEvent, type HostClient, z } from '@goatflow/sdk';

/** Where a delivery stands. */
export const DELIVERY_STATUSES = ['pending', 'delivered', 'failed'] as const;
/** One of {@link DELIVERY_STATUSES}. */
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/** How long a claim holds: longer than any attempt (the request times out after 10 s, the invocation at 30 s). */
export const CLAIM_SECONDS = 120;

/** A delivery as the API shows it. */
export const deliverySchema = z.object({
  id: z.number().int(),
  eventId: z.number().int(),
  event: z.string(),
  publisher: z.string(),
  status: z.enum(DELIVERY_STATUSES),
  attempts: z.number().int(),
  /** The HTTP status of the last attempt; `null` when it got no answer (or none was made yet). */
  lastStatusCode: z.number().int().nullable(),
  lastError: z.string().nullable(),
  lastAttemptAt: z.string().nullable(),
  /** When a pending delivery is tried next; `null` once delivered or failed. */
  nextAttemptAt: z.string().nullable(),
  deliveredAt: z.string().nullable(),
  createdAt: z.string(),
});
/** A delivery as the API shows it. */
export type Delivery = z.output<typeof deliverySchema>;

/** A delivery with what an attempt needs to send it. */
export interface ClaimedDelivery extends Delivery {
  payload: unknown;
  eventCreatedAt: string;
}

/** The columns every statement answers, named as {@link ClaimedDelivery} names them. */
const COLUMNS = `id, event_id as "eventId", event_name as "event", publisher, status, attempts,
  last_status_code as "lastStatusCode", last_error as "lastError", last_attempt_at as "lastAttemptAt",
  next_attempt_at as "nextAttemptAt", delivered_at as "deliveredAt", created_at as "createdAt",
  payload, event_created_at as "eventCreatedAt"`;

type Row = Record<string, unknown>;

const iso = (value: unknown): string | null => (value === null || value === undefined ? null : String(value));

function toClaimed(row: Row): ClaimedDelivery {
  return {
    id: Number(row.id),
    // bigint arrives as a string; event ids stay far below 2^53.
    eventId: Number(row.eventId),
    event: String(row.event),
    publisher: String(row.publisher),
    status: row.status as DeliveryStatus,
    attempts: Number(row.attempts),
    lastStatusCode: row.lastStatusCode === null ? null : Number(row.lastStatusCode),
    lastError: (row.lastError as string | null) ?? null,
    lastAttemptAt: iso(row.lastAttemptAt),
    nextAttemptAt: iso(row.nextAttemptAt),
    deliveredAt: iso(row.deliveredAt),
    createdAt: String(row.createdAt),
    payload: row.payload,
    eventCreatedAt: String(row.eventCreatedAt),
  };
}

/** A delivery without the payload, for the API. */
export function publicDelivery({ payload: _p, eventCreatedAt: _c, ...delivery }: ClaimedDelivery): Delivery {
  return delivery;
}

/**
 * Records an event to deliver, claimed for an attempt right away when `claim` is set. Answers `undefined` when
 * the event was recorded before (the kernel delivered it again): that row is the job's to retry.
 */
export async function recordEvent(
  host: HostClient,
  event: DeliveredEvent,
  claim: boolean,
): Promise<ClaimedDelivery | undefined> {
  const { rows } = await host.db.query(
    `insert into deliveries (event_id, event_name, publisher, payload, event_created_at, claimed_until)
     values ($1, $2, $3, $4::jsonb, $5::timestamptz,
             case when $6::boolean then now() + make_interval(secs => $7::integer) end)
     on conflict (event_id) do nothing
     returning ${COLUMNS}`,
    [
      event.id,
      event.name,
      event.publisher,
      JSON.stringify(event.payload ?? null),
      event.createdAt,
      claim,
      CLAIM_SECONDS,
    ],
  );
  return rows[0] ? toClaimed(rows[0]) : undefined;
}

/** Claims up to `limit` pending deliveries that are due, oldest due first, skipping any claimed elsewhere. */
export async function claimDue(host: HostClient, limit: number): Promise<ClaimedDelivery[]> {
  const { rows } = await host.db.query(
    `update deliveries set claimed_until = now() + make_interval(secs => $2::integer)
     where id in (
       select id from deliveries
       where status = 'pending' and next_attempt_at <= now()
         and (claimed_until is null or claimed_until < now())
       order by next_attempt_at, id
       limit $1
       for update skip locked)
     returning ${COLUMNS}`,
    [limit, CLAIM_SECONDS],
  );
  return rows.map(toClaimed);
}

/** Why {@link claimForRetry} could not claim a delivery. */
export type RetryRefusal = 'not_found' | 'already_delivered' | 'in_progress';

/**
 * Claims one delivery for an attempt now, whatever its schedule: pending or failed, not delivered, not being
 * attempted elsewhere.
 */
export async function claimForRetry(host: HostClient, id: number): Promise<ClaimedDelivery | RetryRefusal> {
  const { rows } = await host.db.query(
    `update deliveries
     set status = 'pending', next_attempt_at = now(), updated_at = now(),
         claimed_until = now() + make_interval(secs => $2::integer)
     where id = $1 and status <> 'delivered' and (claimed_until is null or claimed_until < now())
     returning ${COLUMNS}`,
    [id, CLAIM_SECONDS],
  );
  if (rows[0]) return toClaimed(rows[0]);
  const { rows: found } = await host.db.query<{ status: DeliveryStatus }>(
    'select status from deliveries where id = $1',
    [id],
  );
  if (!found[0]) return 'not_found';
  return found[0].status === 'delivered' ? 'already_delivered' : 'in_progress';
}

/** How an attempt went, as {@link recordAttempt} stores it. */
export interface AttemptResult {
  status: DeliveryStatus;
  statusCode: number | null;
  error: string | null;
  /** For `pending`: seconds until the next attempt. */
  retryInSeconds?: number;
}

/** Stores the outcome of an attempt and releases the claim; answers the delivery as it now stands. */
export async function recordAttempt(
  host: HostClient,
  id: number,
  result: AttemptResult,
): Promise<ClaimedDelivery> {
  const { rows } = await host.db.query(
    `update deliveries set
       attempts = attempts + 1,
       status = $2::text,
       last_status_code = $3::integer,
       last_error = $4::text,
       last_attempt_at = now(),
       next_attempt_at = case when $2::text = 'pending' then now() + make_interval(secs => $5::double precision) end,
       delivered_at = case when $2::text = 'delivered' then now() else delivered_at end,
       claimed_until = null,
       updated_at = now()
     where id = $1
     returning ${COLUMNS}`,
    [id, result.status, result.statusCode, result.error, result.retryInSeconds ?? 0],
  );
  if (!rows[0]) throw new Error(`delivery ${id} disappeared during its attempt`);
  return toClaimed(rows[0]);
}

/** Counts by status. */
export type StatusCounts = Record<DeliveryStatus, number>;

/** A page of the log, newest first, optionally of one status, with the counts by status. */
export async function listDeliveries(
  host: HostClient,
  filter: { status?: DeliveryStatus | undefined; page: number; pageSize: number },
): Promise<{ items: Delivery[]; counts: StatusCounts }> {
  const status = filter.status ?? null;
  const [page, counts] = await Promise.all([
    host.db.query(
      `select ${COLUMNS} from deliveries where ($1::text is null or status = $1::text)
       order by id desc limit $2 offset $3`,
      [status, filter.pageSize, (filter.page - 1) * filter.pageSize],
    ),
    host.db.query<{ status: DeliveryStatus; n: number }>(
      'select status, count(*)::integer as n from deliveries group by status',
    ),
  ]);
  const byStatus: StatusCounts = { pending: 0, delivered: 0, failed: 0 };
  for (const row of counts.rows) byStatus[row.status] = Number(row.n);
  return { items: page.rows.map((row) => publicDelivery(toClaimed(row))), counts: byStatus };
}

/** Deletes delivered and failed deliveries last touched more than `days` ago; answers how many. */
export async function pruneDeliveries(host: HostClient, days: number): Promise<number> {
  const { rowCount } = await host.db.exec(
    `delete from deliveries where status <> 'pending' and updated_at < now() - make_interval(days => $1::integer)`,
    [days],
  );
  return rowCount;
}
