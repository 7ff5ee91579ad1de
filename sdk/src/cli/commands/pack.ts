/**
 * `goatflow-plugin pack`: validates the plugin, then writes `<id>-<version>.tgz` in the layout the kernel's
 * upload takes (`POST /api/admin/plugins/upload`: everything under one top folder `package/`, as npm pack does,
 * only regular files) and `<id>-<version>.tgz.sha256` in `sha256sum` format beside it.
 *
 * The package holds what the kernel reads and nothing else: the manifest, README and LICENSE, `dist/` (the
 * built code), the assets folder, the migrations folder, the translation files and the OpenAPI document —
 * never node_modules, the sources or the tests. Entries are sorted and dated alike, so the same build packs to the same bytes.
 * @module
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { create } from 'tar';
import type { PluginManifest } from '../../manifest/index.js';
import { type CommandSpec, formatHelp, parseCommandArgs } from '../args.js';
import { countFindings, printFindings } from '../findings.js';
import { CliError, type CliIo } from '../io.js';
import { MANIFEST_FILE } from '../manifest-file.js';
import { openProject, type Project, UNPACKED_FOLDERS } from '../project.js';
import { validateProject } from './validate.js';

export const packSpec: CommandSpec = {
  name: 'pack',
  summary:
    'Validate the plugin and pack it as <id>-<version>.tgz with a SHA-256 checksum file, ready to upload.',
  options: {
    dir: { type: 'string', value: '<path>', description: 'The plugin project (default: the current folder)' },
    out: {
      type: 'string',
      value: '<path>',
      description: 'Folder to write the package to (default: the project)',
    },
  },
  details: [
    'Upload both files in the admin UI (Plugins → Upload), or with',
    '  POST /api/admin/plugins/upload  (multipart: package=<file>.tgz, checksum=<file>.tgz.sha256)',
    'Run goatflow-plugin build first: pack packs what is built.',
  ].join('\n'),
};

/** The date every entry carries (npm pack's), so packing is reproducible. */
const ENTRY_DATE = new Date('1985-10-26T08:15:00.000Z');

/** The files of the package, relative to the project with `/`, sorted. */
export function packageFiles(project: Project, manifest: PluginManifest): string[] {
  const files = new Set<string>();
  const isFile = (rel: string) => fs.existsSync(project.file(rel)) && fs.statSync(project.file(rel)).isFile();
  const addFile = (rel: string) => {
    const clean = path.posix.normalize(rel.replaceAll('\\', '/')).replace(/^\.\//, '');
    if (clean.startsWith('../') || UNPACKED_FOLDERS.has(clean.split('/')[0]!)) return;
    if (isFile(clean)) files.add(clean);
  };
  const addFolder = (rel: string) => {
    const clean = path.posix.normalize(rel.replaceAll('\\', '/')).replace(/^\.\/|\/+$/g, '');
    if (clean === '.' || clean.startsWith('../') || UNPACKED_FOLDERS.has(clean.split('/')[0]!)) return;
    const abs = project.file(clean);
    if (!fs.existsSync(abs) || !fs.statSync(abs).isDirectory()) return;
    for (const entry of fs.readdirSync(abs, { withFileTypes: true })) {
      // Dot files are editor and build leftovers (such as a half-written module), never plugin content.
      if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
      const child = `${clean}/${entry.name}`;
      const stat = fs.statSync(project.file(child));
      if (stat.isDirectory()) addFolder(child);
      else if (stat.isFile()) files.add(child);
    }
  };

  addFile(MANIFEST_FILE);
  for (const name of fs.readdirSync(project.dir)) {
    if (/^(readme|license|licence|notice|changelog)(\.(md|txt))?$/i.test(name)) addFile(name);
  }
  addFolder('dist');
  if (manifest.runtime === 'wasm') addFile(manifest.entry);
  else {
    for (const arg of manifest.entry.args) if (!arg.startsWith('-')) addFile(arg);
    if (/[\\/]/.test(manifest.entry.command)) addFile(manifest.entry.command);
  }
  const c = manifest.contributes;
  if (c.assets) addFolder(c.assets);
  for (const item of [...(c.widgets ?? []), ...(c.pages ?? [])]) addFile(item.module);
  if (c.migrations) addFolder(c.migrations);
  if (c.openapi) addFile(c.openapi);
  for (const file of Object.values(c.i18n ?? {})) addFile(file);
  return [...files].sort();
}

/** The checksum file's text: what `sha256sum <file>` prints. */
export function sha256sumLine(hex: string, fileName: string): string {
  return `${hex}  ${fileName}\n`;
}

/** What {@link packProject} wrote. */
export interface PackResult {
  packagePath: string;
  checksumPath: string;
  sha256: string;
  files: string[];
  bytes: number;
}

/** Writes the package and its checksum for a validated manifest. */
export async function packProject(
  project: Project,
  manifest: PluginManifest,
  outDir: string,
): Promise<PackResult> {
  const files = packageFiles(project, manifest);
  fs.mkdirSync(outDir, { recursive: true });
  const name = `${manifest.id}-${manifest.version}.tgz`;
  const packagePath = path.join(outDir, name);
  const tmp = path.join(outDir, `.${name}.${process.pid}.tmp`);
  try {
    await create(
      {
        file: tmp,
        cwd: project.dir,
        gzip: true,
        portable: true,
        prefix: 'package',
        mtime: ENTRY_DATE,
        // A linked file is packed as the file it points to: the kernel accepts only files and folders.
        follow: true,
      },
      files,
    );
    fs.renameSync(tmp, packagePath);
  } finally {
    fs.rmSync(tmp, { force: true });
  }
  const bytes = fs.readFileSync(packagePath);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const checksumPath = `${packagePath}.sha256`;
  fs.writeFileSync(checksumPath, sha256sumLine(sha256, name));
  return { packagePath, checksumPath, sha256, files, bytes: bytes.length };
}

/** Runs `goatflow-plugin pack`. */
export async function runPack(argv: string[], io: CliIo): Promise<number> {
  const args = parseCommandArgs(packSpec, argv);
  if (args.help) {
    io.out(formatHelp(packSpec));
    return 0;
  }
  const project = openProject(io, args.values.dir as string | undefined);
  const validation = await validateProject(project);
  printFindings(io, validation.findings);
  if (!validation.ok || !validation.manifest) {
    throw new CliError(
      `the plugin is not valid (${countFindings(validation.findings)}), nothing was packed`,
      'fix the errors above; goatflow-plugin build regenerates what is generated',
    );
  }
  const outDir = path.resolve(io.cwd, (args.values.out as string | undefined) ?? project.dir);
  const result = await packProject(project, validation.manifest, outDir);
  const m = validation.manifest;
  io.out(
    `✓ packed ${m.id} ${m.version}: ${result.files.length} files, ${result.bytes} bytes\n` +
      `  package:  ${result.packagePath}\n` +
      `  checksum: ${result.checksumPath}\n` +
      `  sha256:   ${result.sha256}\n`,
  );
  return 0;
}
