/**
 * Which manifest permission each Host API capability needs, and how to declare it. `goatflow-plugin validate`
 * compares a plugin's calls with its manifest by these rules, and the kernel compares a WASM module's imports
 * with the plugin's grants by the same ones when it loads it, so both say the same thing.
 * @module
 */
import type { PluginManifest } from './schema.js';

/** A permission of the manifest, as far as Host API calls are concerned. */
export interface PermissionRule {
  /** The manifest field, e.g. `permissions.http`. */
  field: string;
  /** What to write in `permissions: { … }` of the definition (and the manifest) to declare it. */
  example: string;
  /** Whether the manifest declares it. */
  declared(permissions: PluginManifest['permissions']): boolean;
}

/**
 * The rule of each Host API capability, by the first part of its functions' names (`cache` for `cache.get`,
 * `db` for `db.query`, `db.exec` and `db.transaction`). A transaction that publishes events also needs
 * `events.publish` for their names; that is checked per call, since the import alone does not say.
 */
export const PERMISSION_RULES: Readonly<Record<string, PermissionRule>> = {
  db: {
    field: 'permissions.db.own',
    example: 'db: { own: true }',
    declared: (p) => p.db?.own === true || (p.db?.read?.length ?? 0) > 0,
  },
  cache: { field: 'permissions.cache', example: 'cache: true', declared: (p) => p.cache === true },
  http: {
    field: 'permissions.http',
    example: "http: ['api.example.com']",
    declared: (p) => (p.http?.length ?? 0) > 0,
  },
  email: {
    field: 'permissions.email',
    example: "email: ['users']",
    declared: (p) => (p.email?.length ?? 0) > 0,
  },
  i18n: { field: 'permissions.i18n', example: 'i18n: true', declared: (p) => p.i18n === true },
  identity: {
    field: 'permissions.identity.read',
    example: 'identity: { read: true }',
    declared: (p) => p.identity?.read === true,
  },
  audit: { field: 'permissions.audit', example: 'audit: true', declared: (p) => p.audit === true },
  events: {
    field: 'permissions.events.publish',
    example: "events: { publish: ['my-plugin.something_happened'] }",
    declared: (p) => (p.events?.publish?.length ?? 0) > 0,
  },
  plugins: {
    field: 'permissions.plugins.call',
    example: "plugins: { call: ['other-plugin'] }",
    declared: (p) => (p.plugins?.call?.length ?? 0) > 0,
  },
};

/**
 * The permission a Host API function needs (`cache.get` → `permissions.cache`), or `undefined` for the ones
 * every plugin may call (`log`, `config.get`). Mirrors the kernel's dispatcher.
 * @param hostFunction - the dotted Host API function, e.g. `cache.get`
 */
export function permissionFor(hostFunction: string): PermissionRule | undefined {
  return PERMISSION_RULES[hostFunction.split('.')[0]!];
}
