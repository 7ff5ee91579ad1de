/**
 * Translations from the plugin's own bundles (`contributes.i18n`, permission `i18n`).
 * @module
 */
import type { Host } from '@goatflow/sdk/grpc';

/**
 * Translates `key`, filling `{{name}}` placeholders from `params`. Without `locale` the kernel uses the
 * invocation's: the signed-in user's language for a route, English for events and jobs, which act for no user.
 */
export function t(
  host: Host,
  key: string,
  params: Record<string, unknown> = {},
  locale?: string,
): Promise<string> {
  return host.call<string>('i18n.t', { key, params, ...(locale ? { locale } : {}) });
}
