/**
 * The manifest a definition stands for. `goatflow-plugin build` writes it to `goatflow-plugin.json`;
 * {@link manifestDrift} tells how a file on disk differs, so the two cannot silently part ways.
 * @module
 */
import { z } from 'zod';
import type { PluginManifestInput } from '../manifest/schema.js';
import { validateManifest } from '../manifest/validate.js';
import { OPENAPI_FILE } from '../openapi/file.js';
import type { PluginDefinition } from './define-plugin.js';

/** A definition that cannot become a valid manifest; `issues` name each problem by its manifest path. */
export class PluginDefinitionError extends Error {
  /**
   * @param pluginId - the id in the definition
   * @param issues - what is wrong, by manifest JSON path
   */
  constructor(
    readonly pluginId: string,
    readonly issues: { path: string; message: string }[],
  ) {
    super(
      `the definition of plugin "${pluginId}" is not a valid manifest:\n${issues
        .map((i) => `  ${i.path}: ${i.message}`)
        .join('\n')}`,
    );
    this.name = 'PluginDefinitionError';
  }
}

/**
 * The settings schema as JSON Schema (draft 2020-12, what the kernel validates with and the admin form renders).
 * Titles and descriptions come from zod's `.meta({ title, description })`; mark secrets with
 * `.meta({ writeOnly: true })` so they are masked.
 * @param settings - the zod object of the definition
 */
export function settingsJsonSchema(settings: z.ZodObject): Record<string, unknown> {
  const schema = z.toJSONSchema(settings, { target: 'draft-2020-12', io: 'input', unrepresentable: 'throw' });
  const { $schema: _dialect, ...rest } = schema as Record<string, unknown>;
  return rest;
}

/** The defaults of the top-level settings, as the operator's form starts with them. */
function settingsDefaults(schema: Record<string, unknown>): Record<string, unknown> | undefined {
  const properties = (schema.properties ?? {}) as Record<string, { default?: unknown }>;
  const defaults = Object.fromEntries(
    Object.entries(properties)
      .filter(([, p]) => p.default !== undefined)
      .map(([k, p]) => [k, p.default]),
  );
  return Object.keys(defaults).length ? defaults : undefined;
}

function kebab(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .replace(/_/g, '-')
    .toLowerCase();
}

/** Drops keys whose value is undefined or an empty array/object, so the manifest holds only what is said. */
function compact<T extends Record<string, unknown>>(value: T): T {
  return Object.fromEntries(
    Object.entries(value).filter(
      ([, v]) =>
        v !== undefined &&
        !(Array.isArray(v) && v.length === 0) &&
        !(v && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 0),
    ),
  ) as T;
}

/**
 * The manifest of a definition, as `goatflow-plugin.json` holds it. Throws a {@link PluginDefinitionError}
 * listing every problem when the result would not be a valid manifest.
 * @param plugin - a definition (usually the default export of `src/plugin.ts`)
 */
export function buildManifest(plugin: PluginDefinition): PluginManifestInput {
  const settings = plugin.settings ? settingsJsonSchema(plugin.settings) : undefined;
  const entries = <T>(record: Record<string, T> | undefined) => Object.entries(record ?? {});
  const contributes = compact({
    routes: entries(plugin.routes).map(([handler, r]) =>
      compact({
        method: r.method,
        path: r.path,
        auth: r.auth,
        scope: r.scope,
        action: r.action,
        maxBodyBytes: r.maxBodyBytes,
        handler,
      }),
    ),
    apiPrefixes: plugin.apiPrefixes,
    // `goatflow-plugin build` writes the routes' document there; the kernel reads it, never running plugin code.
    openapi: entries(plugin.routes).length > 0 ? OPENAPI_FILE : undefined,
    widgets: plugin.widgets,
    menu: plugin.menu,
    pages: plugin.pages,
    jobs: entries(plugin.jobs).map(([handler, j]) => ({
      id: j.id ?? kebab(handler),
      schedule: j.schedule,
      handler,
    })),
    events: entries(plugin.events).map(([handler, e]) => ({ name: e.event, handler })),
    hooks: entries(plugin.hooks).map(([handler, h]) => ({ point: h.point, handler })),
    mcpTools: entries(plugin.mcpTools).map(([handler, t]) =>
      compact({
        name: t.name,
        description: t.description,
        scope: t.scope,
        handler,
        inputSchema: t.input ? settingsJsonSchema(t.input as z.ZodObject) : undefined,
      }),
    ),
    settings,
    i18n: plugin.i18n,
    migrations: plugin.migrations,
    exports: plugin.exports,
    assets: plugin.assets,
  });
  const manifest = compact({
    id: plugin.id,
    version: plugin.version,
    name: plugin.name,
    description: plugin.description,
    author: plugin.author,
    license: plugin.license,
    kernelApi: plugin.kernelApi,
    runtime: plugin.runtime,
    entry:
      plugin.runtime === 'grpc'
        ? { command: plugin.entry.command, args: plugin.entry.args ?? [] }
        : plugin.entry,
    permissions: plugin.permissions,
    contributes,
    settingsDefaults: settings ? settingsDefaults(settings) : undefined,
    limits: plugin.limits,
  }) as PluginManifestInput;
  const checked = validateManifest(manifest);
  if (!checked.ok) throw new PluginDefinitionError(plugin.id, checked.issues);
  return manifest;
}

/** Lists where two JSON values differ, as `pointer: the file has …, the definition has …`. */
export function differences(a: unknown, b: unknown, path: string, out: string[]): void {
  const bothObjects =
    a && b && typeof a === 'object' && typeof b === 'object' && Array.isArray(a) === Array.isArray(b);
  if (!bothObjects) {
    if (a !== b)
      out.push(`${path || '/'}: the file has ${JSON.stringify(a)}, the definition has ${JSON.stringify(b)}`);
    return;
  }
  const keys = new Set([...Object.keys(a as object), ...Object.keys(b as object)]);
  for (const key of [...keys].sort()) {
    differences(
      (a as Record<string, unknown>)[key],
      (b as Record<string, unknown>)[key],
      // JSON Pointer escapes, so an OpenAPI path such as `/items/{id}` stays one segment.
      `${path}/${key.replaceAll('~', '~0').replaceAll('/', '~1')}`,
      out,
    );
  }
}

/**
 * How a manifest file differs from what the definition generates; empty when they agree. Defaults the schema
 * fills in (a widget's `size`, a route's `args`) and `$schema` do not count.
 * @param plugin - the definition
 * @param manifestOnDisk - the parsed `goatflow-plugin.json`
 */
export function manifestDrift(plugin: PluginDefinition, manifestOnDisk: unknown): string[] {
  const generated = validateManifest(buildManifest(plugin));
  const onDisk = validateManifest(manifestOnDisk);
  if (!onDisk.ok) return onDisk.issues.map((i) => `${i.path}: ${i.message}`);
  if (!generated.ok) return generated.issues.map((i) => `${i.path}: ${i.message}`);
  const strip = ({ $schema: _s, ...rest }: Record<string, unknown>) => rest;
  const out: string[] = [];
  differences(strip(onDisk.manifest), strip(generated.manifest), '', out);
  return out;
}
