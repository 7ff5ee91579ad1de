/**
 * A plugin project on disk: its folder, and the conventional places in it (see the layout `goatflow-plugin new`
 * writes). Every command takes `--dir` and defaults to the working directory.
 * @module
 */
import fs from 'node:fs';
import path from 'node:path';
import { CliError, type CliIo } from './io.js';
import { MANIFEST_FILE } from './manifest-file.js';

/** The definition module: its default export is the plugin (`export default definePlugin({...})`). */
export const DEFINITION_FILE = 'src/plugin.ts';
/** A gRPC plugin's program, bundled to {@link GRPC_OUTPUT}. */
export const GRPC_MAIN = 'src/main.ts';
export const GRPC_OUTPUT = 'dist/main.js';
/** Folders `pack` never takes files from, whatever the manifest says: sources, tests, dependencies. */
export const UNPACKED_FOLDERS: ReadonlySet<string> = new Set([
  'node_modules',
  'src',
  'test',
  'tests',
  '.git',
]);
/** A WASM plugin's AssemblyScript entry; its exports are the handlers. */
export const ASSEMBLY_ENTRY = 'assembly/index.ts';
/** Widget and page sources: every `web/*.ts` is bundled to the assets folder. */
export const WEB_DIR = 'web';
/** The assets folder when the manifest names none. */
export const DEFAULT_ASSETS_DIR = 'assets';

/** Paths of a project. */
export interface Project {
  dir: string;
  /** Whether `src/plugin.ts` exists: then the manifest is generated from it. */
  hasDefinition: boolean;
  file(relative: string): string;
  exists(relative: string): boolean;
}

/**
 * The project in `--dir` (or the working directory). Throws a {@link CliError} when the folder does not exist or
 * holds neither `src/plugin.ts` nor `goatflow-plugin.json`.
 */
export function openProject(io: CliIo, dirOption: string | undefined): Project {
  const dir = path.resolve(io.cwd, dirOption ?? '.');
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
    throw new CliError(`${dir} is not a folder`, 'pass the plugin project with --dir <path>');
  }
  const exists = (relative: string) => fs.existsSync(path.join(dir, relative));
  const hasDefinition = exists(DEFINITION_FILE);
  if (!hasDefinition && !exists(MANIFEST_FILE)) {
    throw new CliError(
      `${dir} is not a plugin project: it has neither ${DEFINITION_FILE} nor ${MANIFEST_FILE}`,
      'run the command in the project folder or pass --dir <path>; goatflow-plugin new <name> creates a project',
    );
  }
  return { dir, hasDefinition, file: (relative) => path.join(dir, relative), exists };
}

/** `path` relative to the project, with `/`, for messages. */
export function relativeTo(project: Project, file: string): string {
  return path.relative(project.dir, file).split(path.sep).join('/') || '.';
}
