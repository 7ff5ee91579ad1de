/**
 * Plugin endpoints: what enabled plugins contribute to the shell (`/api/ui/contributions`, for every signed-in
 * user) and plugin administration (`/api/admin/plugins`, admins only).
 * @module
 */
import type { PluginPermissions } from '@goatflow/sdk';
import { api, withQuery } from './client.js';
import type { ListResponse } from './types.js';

export type { PluginPermissions };

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

export const PLUGIN_STATES = [
  'installed',
  'enabled',
  'disabled',
  'degraded',
  'quarantined',
  'failed',
] as const;
export type PluginState = (typeof PLUGIN_STATES)[number];

export const HEALTH_STATES = ['starting', 'running', 'restarting', 'quarantined', 'stopped'] as const;
export type HealthState = (typeof HEALTH_STATES)[number];

export interface PluginHealth {
  state: HealthState;
  /** OS process id of a gRPC plugin. */
  pid?: number;
  restarts?: number;
  lastError?: string;
}

export interface PluginStatus {
  id: string;
  name: string;
  version: string | undefined;
  runtime: 'wasm' | 'grpc' | undefined;
  firstParty: boolean;
  state: PluginState;
  health: PluginHealth | undefined;
  requested: PluginPermissions;
  granted: PluginPermissions;
  /** Requested permissions the grant does not cover, named as {@link permissionNames} names them. */
  missingGrants: string[];
  /** Manifest problems, by JSON path. */
  issues: { path: string; message: string }[];
  lastError: string | undefined;
}

/** What an admin can do to a plugin from /admin/plugins. */
export const PLUGIN_ACTIONS = ['enable', 'disable', 'grant'] as const;
export type PluginAction = (typeof PLUGIN_ACTIONS)[number];

export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface PluginLogLine {
  id: number;
  /** ISO 8601. */
  at: string;
  level: LogLevel;
  message: string;
}

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

export function enablePlugin(id: string): Promise<PluginStatus> {
  return api.post(`${pluginPath(id)}/enable`);
}

export function disablePlugin(id: string): Promise<PluginStatus> {
  return api.post(`${pluginPath(id)}/disable`);
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
