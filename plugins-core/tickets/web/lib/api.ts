/**
 * The client every tickets element calls the API with. The plugin's routes live under its own prefix,
 * `/api/v1`, so paths are absolute and the plugin id only matters for the SDK's relative-path form.
 * @module
 */
import { createWidgetApi, type WidgetApi } from '@goatflow/sdk/widget';

/** The plugin's id, as in its manifest. */
export const PLUGIN_ID = 'tickets';

/** The API prefix the plugin claims. */
export const V1 = '/api/v1';

/** One client for the whole bundle: it shares the page's CSRF token with every other widget. */
export const ticketsApi: WidgetApi = createWidgetApi({ pluginId: PLUGIN_ID });

/** The URL an attachment is downloaded from (the kernel sends it with `Content-Disposition`). */
export function attachmentUrl(id: number): string {
  return `${V1}/attachments/${id}`;
}
