/**
 * The plugin's settings, as a zod object: `goatflow-plugin build` turns it into the manifest's
 * `contributes.settings` (the JSON Schema the kernel checks saved settings against and the admin form is generated
 * from) and `settingsDefaults`. Handlers read them on every use, so a changed setting applies to the next call.
 * @module
 */
import { type HandlerContext, z } from '@goatflow/sdk';

/** The settings schema; `definePlugin` takes it as `settings`. */
export const settingsSchema = z.strictObject({
  notifyUrl: z
    .string()
    .max(2000)
    // http(s) or nothing: an empty string means no webhook, which `format: "uri"` could not allow.
    .regex(/^(https?:\/\/[^\s]+)?$/, 'must be an http:// or https:// URL, or empty')
    .default('')
    .meta({
      title: 'Webhook URL',
      description:
        "Each greeting is POSTed here as JSON; empty for none. Its host must be in the plugin's http grant.",
    }),
});

/** The settings in effect. */
export type HelloGrpcSettings = z.output<typeof settingsSchema>;

/**
 * Reads the settings in effect (the defaults overlaid with what the operator saved). The kernel checked them
 * against the schema when they were saved; parsing again fills in defaults and gives them their types.
 */
export async function readSettings(ctx: HandlerContext): Promise<HelloGrpcSettings> {
  return settingsSchema.parse(await ctx.settings());
}
