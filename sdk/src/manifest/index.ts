export { manifestJsonSchema } from './json-schema.js';
export {
  AUTH_LEVELS,
  type AuthLevel,
  HTTP_METHODS,
  manifestSchema,
  PLUGIN_ID_PATTERN,
  type PluginManifest,
  type PluginManifestInput,
  type PluginPermissions,
  type PluginRoute,
  permissionsSchema,
  WIDGET_SLOTS,
} from './schema.js';
export { type ManifestIssue, type ManifestResult, validateManifest } from './validate.js';
