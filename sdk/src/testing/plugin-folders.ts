/**
 * The plugin folder a test kernel reads (`GOATFLOW_PLUGIN_DIR`): a temporary folder with a link to each plugin
 * under test, so the kernel runs the project's own files — nothing is copied, and a rebuilt plugin is what a
 * reload picks up.
 * @module
 */
import fs from 'node:fs/promises';
import path from 'node:path';

/** The file the kernel reads a plugin's manifest from. */
const MANIFEST_FILE = 'goatflow-plugin.json';

/** A plugin under test: its id (from its manifest) and its folder. */
export interface PluginUnderTest {
  id: string;
  dir: string;
}

/** Reads the id of the plugin in `dir`; throws an error that says what is wrong (and how to fix it). */
export async function readPluginId(dir: string): Promise<string> {
  const stat = await fs.stat(dir).catch(() => undefined);
  if (!stat?.isDirectory()) throw new Error(`the plugin folder ${dir} does not exist`);
  let text: string;
  try {
    text = await fs.readFile(path.join(dir, MANIFEST_FILE), 'utf8');
  } catch {
    throw new Error(`${dir} has no ${MANIFEST_FILE}: build the plugin first (goatflow-plugin build)`);
  }
  let id: unknown;
  try {
    id = (JSON.parse(text) as { id?: unknown }).id;
  } catch (err) {
    throw new Error(`${path.join(dir, MANIFEST_FILE)} is not valid JSON: ${(err as Error).message}`);
  }
  if (typeof id !== 'string' || !id) throw new Error(`${path.join(dir, MANIFEST_FILE)} has no "id"`);
  return id;
}

/**
 * Links each plugin folder into `into`, under the folder's own name (`-2`, `-3`… when two share one), and
 * answers the plugins with their ids.
 */
export async function linkPlugins(dirs: readonly string[], into: string): Promise<PluginUnderTest[]> {
  const plugins: PluginUnderTest[] = [];
  const names = new Set<string>();
  for (const given of dirs) {
    const dir = path.resolve(given);
    const id = await readPluginId(dir);
    if (plugins.some((p) => p.id === id)) throw new Error(`two plugins under test have the id "${id}"`);
    let name = path.basename(dir);
    for (let n = 2; names.has(name); n++) name = `${path.basename(dir)}-${n}`;
    names.add(name);
    // 'junction' lets this work on Windows without extra rights; elsewhere the type is ignored.
    await fs.symlink(dir, path.join(into, name), 'junction');
    plugins.push({ id, dir });
  }
  return plugins;
}
