/**
 * `@goatflow/sdk`: the contract between GoatFlow and its plugins and clients.
 * @packageDocumentation
 */
export { type ApiErrorBody, type ApiFieldIssue, isApiErrorBody, isApiFieldIssue } from './api-error.js';
export {
  type ApiAuditEntry,
  type ApiGroup,
  type ApiGroupMember,
  type ApiHealth,
  type ApiList,
  type ApiLoginResponse,
  type ApiPluginHealth,
  type ApiPluginLogLevel,
  type ApiPluginLogLine,
  type ApiPluginState,
  type ApiPluginStatus,
  type ApiSession,
  type ApiUser,
  type ApiUserGroup,
  LOCALES,
  type Locale,
  PERMISSION_KEYS,
  type PermissionKey,
  PLUGIN_STATES,
  USER_TYPES,
  type UserType,
} from './api-types.js';
export {
  AUTH_LEVELS,
  type AuthLevel,
  HTTP_METHODS,
  type ManifestIssue,
  type ManifestResult,
  manifestJsonSchema,
  manifestSchema,
  PLUGIN_ID_PATTERN,
  type PluginManifest,
  type PluginManifestInput,
  type PluginPermissions,
  type PluginRoute,
  permissionsSchema,
  validateManifest,
  WIDGET_SLOTS,
} from './manifest/index.js';
