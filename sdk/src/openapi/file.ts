/**
 * Where a plugin's OpenAPI document lives. Kept apart from the generator so that `buildManifest` (in every
 * plugin bundle) can name the file without pulling in zod-to-openapi.
 * @module
 */

/** The OpenAPI document `goatflow-plugin build` writes next to `goatflow-plugin.json` for a plugin with routes. */
export const OPENAPI_FILE = 'openapi.json';
