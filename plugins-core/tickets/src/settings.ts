/**
 * The plugin's settings, as a zod object: `goatflow-plugin build` turns it into the manifest's
 * `contributes.settings` (the JSON Schema the kernel checks saved settings against, and the admin form) and
 * `settingsDefaults`. Handlers read them afresh, so a change applies to the next request.
 * @module
 */
import { type HandlerContext, z } from '@goatflow/sdk';

/** The hard cap of one attachment: the `attachments.size` check in migrations/0002_tickets.sql. */
export const ATTACHMENT_BYTES_CAP = 10 * 1024 * 1024;

/** The settings schema; `definePlugin` takes it as `settings`. */
export const settingsSchema = z.strictObject({
  maxAttachmentBytes: z
    .number()
    .int()
    .min(1024)
    .max(ATTACHMENT_BYTES_CAP)
    .default(5 * 1024 * 1024)
    .meta({
      title: 'Largest attachment (bytes)',
      description: 'An article attachment larger than this is refused. At most 10 MiB (10485760).',
    }),
});

/** The settings in effect. */
export type TicketsSettings = z.output<typeof settingsSchema>;

/**
 * The settings in effect: the defaults overlaid with what the operator saved (checked against the same schema
 * when saved; parsing again gives them their types).
 * @param ctx - the handler's context
 */
export async function readSettings(ctx: HandlerContext): Promise<TicketsSettings> {
  return settingsSchema.parse(await ctx.settings());
}
