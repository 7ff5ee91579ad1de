/**
 * The routes under `/api/plugins/webhook-notifier`: the delivery log for agents, and for admins a retry of one
 * delivery and a test event. Parameters, query and body are checked against the schemas in `src/plugin.ts`
 * before these run (a 400 naming the field otherwise).
 * @module
 */
import { type HandlerContext, notFound, RouteError, type RouteRequest, reply, z } from '@goatflow/sdk';
import { attemptDelivery } from './deliver.js';
import {
  claimForRetry,
  DELIVERY_STATUSES,
  type Delivery,
  deliverySchema,
  listDeliveries,
  publicDelivery,
} from './deliveries.js';
import { PING_EVENT, readSettings } from './settings.js';

/** `GET /deliveries` query: `?status=failed&page=2&pageSize=20`. */
export const listQuery = z.object({
  status: z.enum(DELIVERY_STATUSES).optional(),
  page: z.coerce.number().int().min(1).max(10_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
});

/** What `GET /deliveries` answers. */
export const deliveryPage = z.object({
  items: z.array(deliverySchema),
  /** How many deliveries match the filter. */
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
  counts: z.object({ pending: z.number().int(), delivered: z.number().int(), failed: z.number().int() }),
  /** No target URL is set: events are recorded but not sent. */
  paused: z.boolean(),
  /** Whether the caller may retry deliveries and send a test event (admins). */
  canRetry: z.boolean(),
});
/** What `GET /deliveries` answers. */
export type DeliveryPage = z.output<typeof deliveryPage>;

/** `GET /deliveries` (agents): the latest deliveries, newest first. */
export async function listHandler(
  { query }: RouteRequest<unknown, z.output<typeof listQuery>>,
  ctx: HandlerContext,
): Promise<DeliveryPage> {
  const [{ items, counts }, settings] = await Promise.all([
    listDeliveries(ctx.host, query),
    readSettings(ctx),
  ]);
  return {
    items,
    total: query.status ? counts[query.status] : counts.pending + counts.delivered + counts.failed,
    page: query.page,
    pageSize: query.pageSize,
    counts,
    paused: !settings.targetUrl,
    canRetry: ctx.user?.isAdmin === true,
  };
}

/** `POST /deliveries/:id/retry` path parameters. */
export const retryParams = z.object({ id: z.coerce.number().int().positive() });

/**
 * `POST /deliveries/:id/retry` (admins): one attempt now at a pending or failed delivery. Answers the delivery
 * as the attempt left it (delivered, pending with a new schedule, or failed again).
 */
export async function retryHandler(
  { params }: RouteRequest<z.output<typeof retryParams>>,
  ctx: HandlerContext,
): Promise<Delivery> {
  const settings = await readSettings(ctx);
  if (!settings.targetUrl) {
    throw new RouteError(409, 'paused', 'No target URL is set: set targetUrl in the plugin settings first.');
  }
  const claimed = await claimForRetry(ctx.host, params.id);
  if (claimed === 'not_found') throw notFound(`delivery ${params.id} does not exist`);
  if (claimed === 'already_delivered') {
    throw new RouteError(409, 'already_delivered', `delivery ${params.id} was delivered already`);
  }
  if (claimed === 'in_progress') {
    throw new RouteError(
      409,
      'in_progress',
      `delivery ${params.id} is being attempted right now; try again shortly`,
    );
  }
  await ctx.host.log('info', `delivery ${params.id} retried by ${ctx.user?.login ?? 'an admin'}`);
  return publicDelivery(await attemptDelivery(ctx.host, claimed, settings));
}

/** What `POST /ping` answers. */
export const pingAnswer = z.object({ eventId: z.number().int() });

/**
 * `POST /ping` (admins): publishes a test event, which this plugin forwards like any other, so an admin can check
 * the target URL, the grant and the receiver's signature check. Answers 202: the delivery follows.
 */
export async function pingHandler(_request: RouteRequest, ctx: HandlerContext) {
  const { id } = await ctx.host.events.publish(PING_EVENT, {
    requestedBy: ctx.user?.login ?? null,
    at: new Date().toISOString(),
  });
  return reply(202, { eventId: id });
}
