/**
 * `goatflow-plugin.json` on disk: reading it with errors that say where the file is wrong, and writing it in a
 * stable form (fixed key order, two-space indent, final newline) so a rebuild that changes nothing changes no
 * byte, and a change shows as a small diff in review.
 * @module
 */
import fs from 'node:fs';
import path from 'node:path';
import { CliError } from './io.js';

/** The manifest's file name, at the root of a plugin folder. */
export const MANIFEST_FILE = 'goatflow-plugin.json';

/** Where editors find the manifest's JSON Schema in a plugin project: the installed SDK ships it. */
export const SCHEMA_REFERENCE = './node_modules/@goatflow/sdk/schema/goatflow-plugin.schema.json';

const TOP_LEVEL_ORDER = [
  '$schema',
  'id',
  'version',
  'name',
  'description',
  'author',
  'license',
  'kernelApi',
  'runtime',
  'entry',
  'permissions',
  'contributes',
  'settingsDefaults',
  'limits',
];

const CONTRIBUTES_ORDER = [
  'routes',
  'apiPrefixes',
  'openapi',
  'widgets',
  'menu',
  'pages',
  'jobs',
  'events',
  'hooks',
  'mcpTools',
  'settings',
  'i18n',
  'migrations',
  'exports',
  'assets',
];

function ordered(value: Record<string, unknown>, order: string[]): Record<string, unknown> {
  const rank = (key: string) => {
    const i = order.indexOf(key);
    return i === -1 ? order.length : i;
  };
  // Array.prototype.sort is stable: keys the order does not know keep their relative order, at the end.
  return Object.fromEntries(Object.entries(value).sort(([a], [b]) => rank(a) - rank(b)));
}

/**
 * The manifest as the file holds it: `$schema` first, then the fields in the order of the reference, the
 * sections of `contributes` likewise; what lies deeper keeps the order it was generated in (which is stable).
 * @param manifest - the manifest object (from `buildManifest`)
 * @param schemaReference - the `$schema` to write
 */
export function formatManifest(
  manifest: Record<string, unknown>,
  schemaReference = SCHEMA_REFERENCE,
): string {
  const top = ordered({ ...manifest, $schema: schemaReference }, TOP_LEVEL_ORDER);
  if (top.contributes && typeof top.contributes === 'object' && !Array.isArray(top.contributes)) {
    top.contributes = ordered(top.contributes as Record<string, unknown>, CONTRIBUTES_ORDER);
  }
  return `${JSON.stringify(top, null, 2)}\n`;
}

/** The manifest file of a project, read and parsed. */
export interface ManifestFile {
  path: string;
  text: string;
  json: unknown;
}

/** Reads `goatflow-plugin.json` from `dir`; `undefined` when there is none. Throws a {@link CliError} on bad JSON. */
export function readManifestFile(dir: string): ManifestFile | undefined {
  const file = path.join(dir, MANIFEST_FILE);
  if (!fs.existsSync(file)) return undefined;
  const text = fs.readFileSync(file, 'utf8');
  try {
    return { path: file, text, json: JSON.parse(text) };
  } catch (err) {
    throw new CliError(
      `${MANIFEST_FILE} is not valid JSON: ${(err as Error).message}`,
      'fix the syntax, or delete the file and run goatflow-plugin build to generate it from src/plugin.ts',
    );
  }
}

/**
 * Writes the manifest unless the file already says exactly that (so watchers and the kernel see no change when
 * there is none). Keeps a `$schema` the file already has. Returns whether it wrote.
 */
export function writeManifestFile(dir: string, manifest: Record<string, unknown>): boolean {
  const file = path.join(dir, MANIFEST_FILE);
  let schemaReference = SCHEMA_REFERENCE;
  if (fs.existsSync(file)) {
    try {
      const existing = JSON.parse(fs.readFileSync(file, 'utf8')) as { $schema?: unknown };
      if (typeof existing.$schema === 'string') schemaReference = existing.$schema;
    } catch {
      // A broken file is replaced as a whole.
    }
  }
  const text = formatManifest(manifest, schemaReference);
  if (fs.existsSync(file) && fs.readFileSync(file, 'utf8') === text) return false;
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, text);
  fs.renameSync(tmp, file);
  return true;
}
