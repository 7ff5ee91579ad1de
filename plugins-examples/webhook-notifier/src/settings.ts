/**
 * The plugin's settings, as a zod object: `goatflow-plugin build` turns it into the manifest's
 * `contributes.settings` (the JSON Schema the kernel checks saved settings against, and the admin form) and
 * `settingsDefaults`. Every handler reads them afresh, so a change applies to the next delivery without a restart.
 * @module
 */
import { type HandlerContext, z } from '@goatflow/sdk';

/**
 * The events an operator may choose to forward (each is also subscribed to in `src/plugin.ts`). The kernel
 * publishes no events of its own yet; when it does (say `ticket.created`), one line here and one subscription
 * forward it.
 */
export const FORWARDABLE_EVENTS = ['hello.greeted'] as const;

/** The test event the plugin publishes itself (`POST /ping`); always forwarded. */
export const PING_EVENT = 'webhook_notifier.ping';

/**
 * An http(s) URL, or empty. JSON Schema's `format: "uri"` cannot say "or empty" without `anyOf` (which the admin
 * form can only edit as raw JSON), so the pattern says it; delivery parses the URL again before using it.
 */
const HTTP_URL_OR_EMPTY = /^(https?:\/\/[^\s/?#]+[^\s]*)?$/;

/** The settings schema; `definePlugin` takes it as `settings`. */
export const settingsSchema = z.strictObject({
  targetUrl: z
    .string()
    .max(2000)
    .regex(HTTP_URL_OR_EMPTY, 'must be an http:// or https:// URL, or empty')
    .default('')
    .meta({
      title: 'Target URL',
      description:
        "Where each event is POSTed as JSON. Empty pauses delivery: events are recorded and sent once a URL is set. Its host must be in the plugin's http grant.",
    }),
  secret: z.string().max(200).default('').meta({
    title: 'Signing secret',
    description:
      'When set, every request carries X-GoatFlow-Signature: sha256=<hex HMAC-SHA256 of the body with this secret>.',
    // Masked by the admin API and form: it is sent back as ******** and never shown again.
    writeOnly: true,
  }),
  events: z
    .array(z.enum(FORWARDABLE_EVENTS))
    .max(FORWARDABLE_EVENTS.length)
    .default([...FORWARDABLE_EVENTS])
    .meta({ title: 'Events to forward', description: 'The test event (Send test event) is always sent.' }),
  maxAttempts: z.number().int().min(1).max(20).default(8).meta({
    title: 'Attempts per event',
    description: 'After this many failed attempts a delivery is marked failed; an admin can retry it.',
  }),
  retryBaseSeconds: z.number().int().min(1).max(3600).default(30).meta({
    title: 'First retry after (seconds)',
    description:
      'Each further retry waits twice as long (with random jitter), at most an hour. Retries run every minute.',
  }),
});

/** The settings in effect. */
export type NotifierSettings = z.output<typeof settingsSchema>;

/**
 * The settings in effect: the defaults overlaid with what the operator saved (the kernel checked those against
 * the same schema when they were saved; parsing again gives them their types).
 */
export async function readSettings(ctx: HandlerContext): Promise<NotifierSettings> {
  return settingsSchema.parse(await ctx.settings());
}
