/**
 * Plugin endpoints: what enabled plugins contribute to the shell (`/api/ui/contributions`, for every signed-in
 * user) and plugin administration (`/api/admin/plugins`, admins only).
 * @module
 */
import type {
  ApiPluginHealth,
  ApiPluginLogLevel,
  ApiPluginLogLine,
  ApiPluginState,
  ApiPluginStatus,
  ApiPluginUploadResult,
  ApiUploadOutcome,
  PluginPermissions,
} from '@goatflow/sdk';
import { api, withQuery } from './client.js';
import type { ListResponse } from './types.js';

export { PLUGIN_STATES } from '@goatflow/sdk';
export type { PluginPermissions };
export type PluginState = ApiPluginState;
export type PluginHealth = ApiPluginHealth;
export type PluginStatus = ApiPluginStatus;
export type LogLevel = ApiPluginLogLevel;
export type PluginLogLine = ApiPluginLogLine;

export type WidgetSize = 'small' | 'medium' | 'large';

export interface WidgetContribution {
  plugin: string;
  id: string;
  slot: string;
  /** Already translated into the user's language by the kernel. */
  title: string;
  size: WidgetSize;
  /** The custom element the module defines. */
  element: string;
  /** URL of the ES module, e.g. `/plugins/echo/assets/widget.js`. */
  module: string;
  refreshSeconds: number | null;
}

export type MenuLocation = 'agent' | 'customer' | 'admin';

export interface MenuContribution {
  plugin: string;
  id: string;
  /** Already translated. */
  label: string;
  path: string;
  location: MenuLocation;
  order: number;
}

export interface PageContribution {
  plugin: string;
  id: string;
  /** May contain `:name` segments, which match any one path segment. */
  path: string;
  /** Already translated. */
  title: string;
  element: string;
  module: string;
}

export interface UiContributions {
  widgets: WidgetContribution[];
  menu: MenuContribution[];
  pages: PageContribution[];
}

/** What an admin can do to a plugin from /admin/plugins. */
export const PLUGIN_ACTIONS = ['enable', 'disable', 'grant', 'remove'] as const;
export type PluginAction = (typeof PLUGIN_ACTIONS)[number];

export const HEALTH_STATES: readonly PluginHealth['state'][] = [
  'starting',
  'running',
  'restarting',
  'quarantined',
  'stopped',
];

export const LOG_LEVELS: readonly LogLevel[] = ['trace', 'debug', 'info', 'warn', 'error'];

export function fetchContributions(signal?: AbortSignal): Promise<UiContributions> {
  return api.get('/api/ui/contributions', signal ? { signal } : {});
}

export function listPlugins(): Promise<ListResponse<PluginStatus>> {
  return api.get('/api/admin/plugins');
}

const pluginPath = (id: string) => `/api/admin/plugins/${encodeURIComponent(id)}`;

export function grantPlugin(id: string, permissions: PluginPermissions): Promise<PluginStatus> {
  return api.put(`${pluginPath(id)}/grants`, permissions);
}

/** Replaces the plugin's saved settings; the kernel checks them against the plugin's JSON Schema. */
export function savePluginSettings(id: string, settings: Record<string, unknown>): Promise<PluginStatus> {
  return api.put(`${pluginPath(id)}/settings`, settings);
}

export interface PluginUpload {
  /** The packed plugin, a gzip-compressed tar. */
  package: File | undefined;
  /** Its SHA-256: `sha256sum` output or the bare hex digits. */
  checksum: File | undefined;
}

export { UPLOAD_OUTCOMES } from '@goatflow/sdk';
/** What an upload did; the SDK's shape, shared with the kernel. */
export type UploadOutcome = ApiUploadOutcome;
/** The answer to an upload; the SDK's shape, shared with the kernel. */
export type PluginUploadResult = ApiPluginUploadResult;

/**
 * Installs a packed plugin, after the kernel checked it against its checksum; it arrives disabled. A file left
 * out is not sent, so the kernel's answer names the missing part.
 */
export function uploadPlugin(upload: PluginUpload): Promise<PluginUploadResult> {
  const form = new FormData();
  if (upload.package) form.append('package', upload.package, upload.package.name);
  if (upload.checksum) form.append('checksum', upload.checksum, upload.checksum.name);
  return api.postForm('/api/admin/plugins/upload', form);
}

export function enablePlugin(id: string): Promise<PluginStatus> {
  return api.post(`${pluginPath(id)}/enable`);
}

export function disablePlugin(id: string): Promise<PluginStatus> {
  return api.post(`${pluginPath(id)}/disable`);
}

/**
 * Removes an uploaded plugin that is not enabled (the kernel answers 409 otherwise, and for a plugin that came
 * with the installation). Its data, grant and settings are kept for a later upload.
 */
export function removePlugin(id: string): Promise<void> {
  return api.delete(pluginPath(id));
}

/** Newest first; `level` keeps that level and the more severe ones. */
export function pluginLogs(
  id: string,
  level: LogLevel,
  limit = 200,
  signal?: AbortSignal,
): Promise<ListResponse<PluginLogLine>> {
  return api.get(
    withQuery(`${pluginPath(id)}/logs`, { level, limit: String(limit) }),
    signal ? { signal } : {},
  );
}

/** The kinds of permission a plugin can ask for, in the order the admin page lists them. */
export const PERMISSION_KINDS = [
  'db.own',
  'db.read',
  'cache',
  'http',
  'httpPrivate',
  'email',
  'i18n',
  'events.publish',
  'auth.hooks',
  'identity.read',
  'plugins.call',
  'audit',
] as const;
export type PermissionKind = (typeof PERMISSION_KINDS)[number];

export interface PermissionName {
  /** e.g. `http:api.example.com`, the same name the kernel uses in `missingGrants`. */
  name: string;
  kind: PermissionKind;
}

/**
 * Flattens a permissions object into one name per permission, named the way the kernel names missing grants:
 * flags by their path (`db.own`, `cache`), list entries as `path:item` (`http:api.example.com`).
 */
export function permissionNames(permissions: PluginPermissions): PermissionName[] {
  const names: PermissionName[] = [];
  const flag = (kind: PermissionKind, value: boolean | undefined) => {
    if (value) names.push({ name: kind, kind });
  };
  const list = (kind: PermissionKind, values: readonly string[] | undefined) => {
    for (const value of values ?? []) names.push({ name: `${kind}:${value}`, kind });
  };
  flag('db.own', permissions.db?.own);
  list('db.read', permissions.db?.read);
  flag('cache', permissions.cache);
  list('http', permissions.http);
  flag('httpPrivate', permissions.httpPrivate);
  list('email', permissions.email);
  flag('i18n', permissions.i18n);
  list('events.publish', permissions.events?.publish);
  flag('auth.hooks', permissions.auth?.hooks);
  flag('identity.read', permissions.identity?.read);
  list('plugins.call', permissions.plugins?.call);
  flag('audit', permissions.audit);
  return names;
}
