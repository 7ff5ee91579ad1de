/**
 * Permissions used vs declared. A plugin's Host API calls are known before it runs: a WASM module imports one
 * function per Host API call it makes (the SDK's AssemblyScript keeps it so), and a gRPC plugin's sources name
 * them as `host.<capability>.<function>(…)`. Each call needs a permission in the manifest; asking for one the
 * plugin never uses only makes the operator grant more than needed.
 * @module
 */
import { PERMISSION_RULES, permissionFor } from '../manifest/permission-rules.js';
import type { PluginManifest } from '../manifest/schema.js';

/** A finding of {@link checkPermissions}. */
export interface PermissionFinding {
  level: 'error' | 'warning';
  message: string;
  hint: string;
}

/**
 * Compares the Host API functions a plugin calls with the permissions its manifest asks for.
 * @param used - the Host API functions, dotted (`cache.get`), each with where it was seen
 * @param manifest - the valid manifest
 * @param fixIn - where permissions are written: `src/plugin.ts` or `goatflow-plugin.json`
 */
export function checkPermissions(
  used: ReadonlyMap<string, string>,
  manifest: PluginManifest,
  fixIn: string,
): PermissionFinding[] {
  const findings: PermissionFinding[] = [];
  const usedFields = new Set<string>();
  const afterFix = fixIn.endsWith('.ts') ? ', then run goatflow-plugin build' : '';
  for (const [fn, where] of [...used].sort(([a], [b]) => a.localeCompare(b))) {
    const rule = permissionFor(fn);
    if (!rule) continue;
    usedFields.add(rule.field);
    if (!rule.declared(manifest.permissions)) {
      findings.push({
        level: 'error',
        message: `the plugin calls ${fn} (${where}) but does not ask for the permission ${rule.field}; the kernel would refuse the call with permission_denied`,
        hint: `add \`${rule.example}\` to permissions in ${fixIn}${afterFix}`,
      });
    }
  }
  const c = manifest.contributes;
  for (const [name, rule] of Object.entries(PERMISSION_RULES)) {
    if (!rule.declared(manifest.permissions) || usedFields.has(rule.field)) continue;
    // The plugin's own schema is also what its migrations and exported views need.
    if (name === 'db' && (c.migrations || (c.exports?.length ?? 0) > 0)) continue;
    findings.push({
      level: 'warning',
      message: `${rule.field} is declared but the plugin never calls ${name}.* of the Host API`,
      hint: `remove it from permissions in ${fixIn} unless a call is coming: operators are asked to grant every permission listed`,
    });
  }
  return findings;
}

/**
 * The Host API functions a gRPC plugin's TypeScript calls, found by a regular expression over its sources:
 * `host.cache.get(`, `ctx.host.db.query(` and the like. This is a heuristic, not a type-checked analysis —
 * a host client stored under another name or reached through a helper is not seen — which is why an unused
 * permission is only a warning; a call it does see is certain enough for an error.
 * @param files - source path → text
 * @returns function → the first `file:line` it appears at
 */
export function scanSourcesForHostCalls(files: ReadonlyMap<string, string>): Map<string, string> {
  const found = new Map<string, string>();
  const pattern =
    /\bhost\s*\.\s*(db|cache|http|email|i18n|identity|audit|events|plugins|config)\s*\.\s*(\w+)/g;
  const logPattern = /\bhost\s*\.\s*log\s*[.(]/g;
  for (const [file, text] of files) {
    const lineOf = (index: number) => text.slice(0, index).split('\n').length;
    for (const m of text.matchAll(pattern)) {
      const fn = `${m[1]}.${m[2]}`;
      if (!found.has(fn)) found.set(fn, `${file}:${lineOf(m.index)}`);
    }
    for (const m of text.matchAll(logPattern)) {
      if (!found.has('log')) found.set('log', `${file}:${lineOf(m.index)}`);
    }
  }
  return found;
}

/**
 * Literal names a gRPC plugin passes to `host.events.publish('…'` and `host.plugins.call('…'`, which the
 * manifest must list by name (same heuristic as {@link scanSourcesForHostCalls}).
 */
export function scanSourcesForNamedTargets(files: ReadonlyMap<string, string>): {
  events: Map<string, string>;
  plugins: Map<string, string>;
} {
  const events = new Map<string, string>();
  const plugins = new Map<string, string>();
  const pattern = /\bhost\s*\.\s*(events\s*\.\s*publish|plugins\s*\.\s*call)\s*\(\s*(['"`])([^'"`$]+)\2/g;
  for (const [file, text] of files) {
    for (const m of text.matchAll(pattern)) {
      const target = m[1]!.startsWith('events') ? events : plugins;
      if (!target.has(m[3]!)) target.set(m[3]!, `${file}:${text.slice(0, m.index).split('\n').length}`);
    }
  }
  return { events, plugins };
}
