/**
 * The plugin's settings through `config.get`: the manifest's `settingsDefaults` overlaid with what the operator
 * saved. Read on every use, so a changed setting applies to the next call without a restart.
 * @module
 */
import type { Host } from '@goatflow/sdk/grpc';

/** The settings this plugin understands (`contributes.settings` in goatflow-plugin.json). */
export interface HelloGrpcSettings {
  /** Where each greeting is POSTed as JSON; empty for no webhook. Its host must be in the plugin's http grant. */
  notifyUrl: string;
}

/** Reads the settings in effect now. */
export async function readSettings(host: Host): Promise<HelloGrpcSettings> {
  const settings = await host.call<Record<string, unknown>>('config.get', {});
  return { notifyUrl: typeof settings.notifyUrl === 'string' ? settings.notifyUrl : '' };
}
