/**
 * The JSON shapes of the kernel's identity and plugin administration APIs, shared by the kernel (which produces them), the web shell and
 * any API client (which read them), so the three cannot drift apart.
 * @module
 */
import type { PluginPermissions } from './manifest/index.js';

/** Languages the UI and the kernel's messages are available in. */
export type Locale = 'en' | 'de';
/** The locales in the order a language picker lists them. */
export const LOCALES: readonly Locale[] = ['en', 'de'];

/** Agents work tickets; customers use the customer portal. */
export type UserType = 'agent' | 'customer';
/** Both user types. */
export const USER_TYPES: readonly UserType[] = ['agent', 'customer'];

/**
 * Permission keys a group membership carries, for what the group owns (e.g. the tickets of its queues): `ro`
 * read, `rw` read and write (it implies all the others), `create` create in it, `move_into` move into it, `note`
 * add internal notes, `owner` may be made the owner. Plugins read them through the view
 * `goatflow.my_group_permissions`.
 */
export type PermissionKey = 'ro' | 'rw' | 'create' | 'move_into' | 'note' | 'owner';
/** Every permission key, in display order. */
export const PERMISSION_KEYS: readonly PermissionKey[] = ['ro', 'rw', 'create', 'move_into', 'note', 'owner'];

/** A group the user belongs to, with the keys they hold in it. */
export interface ApiUserGroup {
  id: number;
  name: string;
  permissions: PermissionKey[];
}

/** A user as the API shows it. The password (or its hash) is never part of it. */
export interface ApiUser {
  id: number;
  login: string;
  type: UserType;
  firstName: string;
  lastName: string;
  email: string;
  /** The user's language preference. */
  locale: Locale;
  /** Deactivated users cannot sign in and lose their sessions. */
  active: boolean;
  /** An active agent holding `rw` in the `admin` group. */
  isAdmin: boolean;
  /** Active groups only, sorted by name. */
  groups: ApiUserGroup[];
  /** ISO 8601 timestamps. */
  createdAt: string;
  updatedAt: string;
}

/** A member of a group, with the keys they hold in it. */
export interface ApiGroupMember {
  userId: number;
  login: string;
  firstName: string;
  lastName: string;
  permissions: PermissionKey[];
}

/** A group as the admin API shows it. */
export interface ApiGroup {
  id: number;
  name: string;
  comment: string;
  active: boolean;
  /** Sorted by login. */
  members: ApiGroupMember[];
  createdAt: string;
  updatedAt: string;
}

/** A page of a list endpoint. */
export interface ApiList<T> {
  items: T[];
  /** All matching rows, not just this page. */
  total: number;
}

/** `GET /api/auth/me`. */
export interface ApiSession {
  user: ApiUser;
  /** Send as `X-CSRF-Token` on cookie-authenticated writes; `null` for non-cookie credentials, which need none. */
  csrfToken: string | null;
}

/** `POST /api/auth/login`: signed in, or a second factor must be answered first. */
export type ApiLoginResponse =
  | { status: 'authenticated'; user: ApiUser; csrfToken: string }
  | { status: 'second_factor_required'; factor: string; data: Record<string, unknown> };

/** One row of `GET /api/admin/audit`. */
export interface ApiAuditEntry {
  id: number;
  at: string;
  actorUserId: number | null;
  actorLogin: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  ip: string | null;
  requestId: string | null;
  details: Record<string, unknown>;
}

/** `GET /api/health`. */
export interface ApiHealth {
  status: 'ok' | 'degraded';
  database: 'ok' | 'unavailable';
  version: string;
}

/** Where a plugin is in its lifecycle, as `/api/admin/plugins` reports it. */
export type ApiPluginState = 'installed' | 'enabled' | 'disabled' | 'degraded' | 'quarantined' | 'failed';

/** Every {@link ApiPluginState}, in lifecycle order. */
export const PLUGIN_STATES: readonly ApiPluginState[] = [
  'installed',
  'enabled',
  'disabled',
  'degraded',
  'quarantined',
  'failed',
];

/** What the runtime says about a running plugin. */
export interface ApiPluginHealth {
  state: 'starting' | 'running' | 'restarting' | 'quarantined' | 'stopped';
  /** OS process id of a gRPC plugin process. */
  pid?: number;
  restarts?: number;
  lastError?: string;
}

/**
 * Where a plugin came from: `installation` — a plugin folder of the installation (plugins-core, plugins-examples,
 * `GOATFLOW_PLUGIN_DIR`), removed by deleting its folder; `upload` — a package an admin uploaded, removed with
 * `DELETE /api/admin/plugins/:id`.
 */
export type ApiPluginSource = 'installation' | 'upload';

/** One plugin at `GET /api/admin/plugins` and `GET /api/admin/plugins/:id`. */
export interface ApiPluginStatus {
  id: string;
  name: string;
  version: string | undefined;
  runtime: 'wasm' | 'grpc' | undefined;
  /** Bundled in plugins-core: enabled by default with what it asks for granted. */
  firstParty: boolean;
  /** Where it came from; only an uploaded plugin can be removed through the API. */
  source: ApiPluginSource;
  state: ApiPluginState;
  health: ApiPluginHealth | undefined;
  requested: PluginPermissions;
  granted: PluginPermissions;
  /** Requested permissions the grant does not cover, e.g. `http:api.example.com` or `cache`. */
  missingGrants: string[];
  /** Manifest problems, by JSON path. */
  issues: { path: string; message: string }[];
  lastError: string | undefined;
  /** The JSON Schema of the plugin's settings (`contributes.settings`), or null when it has none. */
  settingsSchema: Record<string, unknown> | null;
  /** The settings in effect: the manifest's `settingsDefaults` overlaid with what an admin saved. */
  settings: Record<string, unknown>;
}

/** The severities of a plugin's log, least severe first. */
export type ApiPluginLogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error';

/** One line of `GET /api/admin/plugins/:id/logs`. */
export interface ApiPluginLogLine {
  id: number;
  /** ISO 8601. */
  at: string;
  level: ApiPluginLogLevel;
  message: string;
}

/** What an upload did: a new plugin, a newer version of an uploaded one, or the very package already there. */
export const UPLOAD_OUTCOMES = ['installed', 'upgraded', 'unchanged'] as const;
/** One of {@link UPLOAD_OUTCOMES}. */
export type ApiUploadOutcome = (typeof UPLOAD_OUTCOMES)[number];

/** The answer to `POST /api/admin/plugins/upload`: 201 when `installed`, 200 otherwise. */
export interface ApiPluginUploadResult {
  plugin: ApiPluginStatus;
  package: {
    id: string;
    version: string;
    /** Lower-case hex. */
    sha256: string;
    /** Bytes of the package as uploaded. */
    size: number;
    /** The version installed before an upgrade or an unchanged re-upload. */
    previousVersion: string | null;
    outcome: ApiUploadOutcome;
  };
}
