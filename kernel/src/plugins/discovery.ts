/**
 * Finds plugins: every folder with a `goatflow-plugin.json` directly under the plugin roots. A manifest that does
 * not validate is still listed — with its problems — so the operator sees it at /admin/plugins instead of the
 * plugin silently missing.
 * @module
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { type ManifestIssue, type PluginManifest, validateManifest } from '@goatflow/sdk';
import { settingsManifestIssues } from './plugin-settings.js';

export const MANIFEST_FILE = 'goatflow-plugin.json';

export interface PluginRoot {
  dir: string;
  /** Plugins from this root are first-party: enabled by default with what they ask for granted. */
  firstParty: boolean;
  /** Only these sub-folders (paths relative to `dir`) hold plugins; when unset, every sub-folder is looked at. */
  folders?: string[];
}

export interface DiscoveredPlugin {
  /** The manifest id, or the folder name when the manifest could not be read. */
  id: string;
  dir: string;
  firstParty: boolean;
  manifest: PluginManifest | undefined;
  issues: ManifestIssue[];
}

export async function discoverPlugins(
  roots: PluginRoot[],
  kernelApiVersion: string,
): Promise<DiscoveredPlugin[]> {
  const found = new Map<string, DiscoveredPlugin>();
  for (const root of roots) {
    for (const folder of root.folders ?? (await subfolders(root.dir))) {
      const dir = path.join(root.dir, folder);
      const file = path.join(dir, MANIFEST_FILE);
      let text: string;
      try {
        text = await fs.readFile(file, 'utf8');
      } catch {
        continue; // not a plugin folder
      }
      const plugin = readManifest(text, dir, folder, root.firstParty, kernelApiVersion);
      const clash = found.get(plugin.id);
      // The same folder reached twice (a plugin dir that links to a bundled plugin) is one plugin, not a clash.
      if (clash && (await sameFolder(clash.dir, dir))) continue;
      if (clash) {
        plugin.issues.push({ path: '/id', message: `the id "${plugin.id}" is already used by ${clash.dir}` });
        plugin.manifest = undefined;
        plugin.id = `${plugin.id}@${path.basename(root.dir)}`;
      }
      found.set(plugin.id, plugin);
    }
  }
  return [...found.values()];
}

async function subfolders(dir: string): Promise<string[]> {
  const entries = await fs.readdir(dir, { withFileTypes: true }).catch(() => []);
  const folders: string[] = [];
  for (const e of entries) {
    // A linked folder counts too: startTestKernel and plugin development link a project in instead of copying it.
    if (e.isDirectory() || (e.isSymbolicLink() && (await isFolder(path.join(dir, e.name)))))
      folders.push(e.name);
  }
  return folders.sort((a, b) => a.localeCompare(b));
}

async function isFolder(p: string): Promise<boolean> {
  return fs.stat(p).then(
    (s) => s.isDirectory(),
    () => false,
  );
}

async function sameFolder(a: string, b: string): Promise<boolean> {
  const [ra, rb] = await Promise.all([fs.realpath(a).catch(() => a), fs.realpath(b).catch(() => b)]);
  return ra === rb;
}

/** Parses and validates a manifest's text; `folder` names the plugin when the text has no usable id. */
export function readManifest(
  text: string,
  dir: string,
  folder: string,
  firstParty: boolean,
  kernelApiVersion: string,
): DiscoveredPlugin {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    return {
      id: folder,
      dir,
      firstParty,
      manifest: undefined,
      issues: [{ path: '/', message: `${MANIFEST_FILE} is not valid JSON: ${(err as Error).message}` }],
    };
  }
  const id = typeof (json as { id?: unknown })?.id === 'string' ? (json as { id: string }).id : folder;
  const result = validateManifest(json, kernelApiVersion);
  if (!result.ok) return { id, dir, firstParty, manifest: undefined, issues: result.issues };
  const issues = settingsManifestIssues(result.manifest);
  return issues.length
    ? { id, dir, firstParty, manifest: undefined, issues }
    : { id, dir, firstParty, manifest: result.manifest, issues: [] };
}
