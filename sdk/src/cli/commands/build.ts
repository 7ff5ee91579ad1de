/**
 * `goatflow-plugin build`: the manifest from the definition, the plugin's code, its widgets.
 *
 * - `goatflow-plugin.json` ← `src/plugin.ts` (written only when it changes);
 * - `openapi.json` ← the routes of `src/plugin.ts`, when it has any (likewise; the kernel serves it merged);
 * - WASM: `assembly/index.ts` → the manifest's entry (`dist/plugin.wasm`) with the project's own AssemblyScript
 *   compiler, with the flags the kernel needs: `--runtime incremental`, `--maximumMemory` from
 *   `limits.maxMemoryMb` (64 MiB by default), the SDK's `abort` and `-O3`;
 * - gRPC: `src/main.ts` → `dist/main.js`, one ES module with every dependency inlined, so a packed plugin runs
 *   without node_modules (plus `dist/package.json` marking `.js` as ES modules);
 * - widgets: every `web/*.ts` → `<assets>/<name>.js`, a minified browser module with Lit inlined.
 *
 * A project without `src/plugin.ts` keeps its hand-written manifest; a step whose source is missing is skipped.
 * @module
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { type PluginManifest, validateManifest } from '../../manifest/index.js';
import { DEFAULT_WASM_MAX_MEMORY_MB } from '../../wasm/memory.js';
import { WASM_PAGE_BYTES } from '../../wasm/module-inspector.js';
import { type CommandSpec, formatHelp, parseCommandArgs } from '../args.js';
import { bundle, NODE_ESM_BANNER, NODE_ESM_DEFINE, nodeConditions } from '../bundle.js';
import { loadDefinition } from '../definition.js';
import { CliError, type CliIo } from '../io.js';
import { MANIFEST_FILE, readManifestFile, writeManifestFile } from '../manifest-file.js';
import { writeOpenApiFile } from '../openapi-file.js';
import {
  ASSEMBLY_ENTRY,
  DEFAULT_ASSETS_DIR,
  DEFINITION_FILE,
  GRPC_MAIN,
  GRPC_OUTPUT,
  openProject,
  type Project,
  relativeTo,
  WEB_DIR,
} from '../project.js';

export const buildSpec: CommandSpec = {
  name: 'build',
  summary:
    'Generate goatflow-plugin.json (and openapi.json) from src/plugin.ts, compile the plugin (WASM or gRPC) and bundle its widgets.',
  options: {
    dir: { type: 'string', value: '<path>', description: 'The plugin project (default: the current folder)' },
  },
  details: [
    "WASM: assembly/index.ts → dist/plugin.wasm with the project's assemblyscript (npm install it).",
    'gRPC: src/main.ts → dist/main.js, one file with all dependencies inlined.',
    'Widgets: web/*.ts → assets/<name>.js, bundled with Lit for the browser (modules in subfolders of web/',
    'are not bundled on their own: put code the widgets share there).',
  ].join('\n'),
};

/** What a build produced. */
export interface BuildResult {
  manifest: PluginManifest;
  /** Files written, relative to the project. */
  outputs: string[];
}

/** The `--maximumMemory` (64 KiB pages) for a manifest: its `limits.maxMemoryMb`, or the kernel's default cap. */
export function maximumMemoryPages(manifest: PluginManifest): number {
  const mb = manifest.limits?.maxMemoryMb ?? DEFAULT_WASM_MAX_MEMORY_MB;
  return Math.floor((mb * 1024 * 1024) / WASM_PAGE_BYTES);
}

/** The asc arguments for a project (the entry, unless asconfig.json names the entries itself). */
export function ascArguments(
  project: Project,
  manifest: PluginManifest & { runtime: 'wasm' },
  outFile: string,
) {
  const args: string[] = [];
  const config = project.file('asconfig.json');
  let configEntries = false;
  if (fs.existsSync(config)) {
    try {
      const entries = (JSON.parse(fs.readFileSync(config, 'utf8')) as { entries?: unknown }).entries;
      configEntries = Array.isArray(entries) && entries.length > 0;
    } catch {
      throw new CliError(
        'asconfig.json is not valid JSON',
        'fix it or delete it (build passes every option itself)',
      );
    }
  }
  // asc reads asconfig.json by itself and adds its entries; naming the entry again would compile it twice.
  if (!configEntries) args.push(ASSEMBLY_ENTRY);
  args.push(
    '--outFile',
    outFile,
    '--runtime',
    'incremental',
    '--maximumMemory',
    String(maximumMemoryPages(manifest)),
    '--use',
    'abort=~lib/@goatflow/sdk/assembly/abort/abort',
    '-O3',
  );
  return args;
}

/** The `asc` script of the `assemblyscript` package installed for the project (in it or a parent folder). */
function findAsc(project: Project): string {
  for (let dir = project.dir; ; dir = path.dirname(dir)) {
    const pkgFile = path.join(dir, 'node_modules', 'assemblyscript', 'package.json');
    if (fs.existsSync(pkgFile)) {
      const pkg = JSON.parse(fs.readFileSync(pkgFile, 'utf8')) as { bin?: Record<string, string> };
      const bin = pkg.bin?.asc;
      if (bin) return path.join(path.dirname(pkgFile), bin);
    }
    if (path.dirname(dir) === dir) break;
  }
  throw new CliError(
    'the AssemblyScript compiler (assemblyscript) is not installed in this project',
    'run npm install --save-dev assemblyscript@0.28.20 in the project',
  );
}

function run(command: string, args: string[], cwd: string): Promise<{ code: number; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? 1, output }));
  });
}

async function buildWasm(project: Project, manifest: PluginManifest & { runtime: 'wasm' }): Promise<string> {
  const asc = findAsc(project);
  const out = project.file(manifest.entry);
  fs.mkdirSync(path.dirname(out), { recursive: true });
  // Compile to a temporary file and rename: a kernel reloading meanwhile (goatflow-plugin dev) never reads half
  // a module.
  const tmp = path.join(path.dirname(out), `.${path.basename(out)}.${process.pid}.tmp.wasm`);
  const { code, output } = await run(
    process.execPath,
    [asc, ...ascArguments(project, manifest, relativeTo(project, tmp))],
    project.dir,
  );
  if (code !== 0 || !fs.existsSync(tmp)) {
    fs.rmSync(tmp, { force: true });
    throw new CliError(
      `compiling ${ASSEMBLY_ENTRY} failed:\n${output.trim()}`,
      'fix the errors above (file:line), then build again',
    );
  }
  fs.renameSync(tmp, out);
  return manifest.entry;
}

async function buildGrpc(project: Project): Promise<string[]> {
  const outfile = project.file(GRPC_OUTPUT);
  await bundle(`bundling ${GRPC_MAIN}`, {
    entryPoints: [project.file(GRPC_MAIN)],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    conditions: nodeConditions(),
    banner: { js: NODE_ESM_BANNER },
    define: NODE_ESM_DEFINE,
    // Named functions and classes keep their names, so stack traces in the plugin's log stay readable.
    keepNames: true,
    legalComments: 'none',
  });
  // dist/main.js is an ES module wherever the package is unpacked, whatever the project's package.json says.
  const marker = path.join(path.dirname(outfile), 'package.json');
  fs.writeFileSync(marker, `${JSON.stringify({ type: 'module' }, null, 2)}\n`);
  return [GRPC_OUTPUT, relativeTo(project, marker)];
}

/** The widget sources: `web/*.ts` (not tests, not declarations). */
export function widgetSources(project: Project): string[] {
  const dir = project.file(WEB_DIR);
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter(
      (e) =>
        e.isFile() &&
        e.name.endsWith('.ts') &&
        !e.name.endsWith('.d.ts') &&
        !/\.(test|spec)\.ts$/.test(e.name),
    )
    .map((e) => e.name)
    .sort();
}

async function buildWidgets(project: Project, manifest: PluginManifest): Promise<string[]> {
  const sources = widgetSources(project);
  if (sources.length === 0) return [];
  const assets = manifest.contributes.assets ?? DEFAULT_ASSETS_DIR;
  const outputs: string[] = [];
  for (const source of sources) {
    const out = `${assets.replace(/\/+$/, '')}/${source.replace(/\.ts$/, '.js')}`;
    await bundle(`bundling ${WEB_DIR}/${source}`, {
      entryPoints: [project.file(`${WEB_DIR}/${source}`)],
      outfile: project.file(out),
      bundle: true,
      platform: 'browser',
      format: 'esm',
      target: 'es2022',
      minify: true,
      conditions: nodeConditions(),
      legalComments: 'none',
    });
    outputs.push(out);
  }
  return outputs;
}

/** Builds a project; throws a {@link CliError} on the first step that fails. */
export async function buildProject(project: Project, io?: CliIo): Promise<BuildResult> {
  const outputs: string[] = [];
  let manifest: PluginManifest;
  if (project.hasDefinition) {
    const definition = await loadDefinition(project);
    if (writeManifestFile(project.dir, definition.manifest as Record<string, unknown>))
      outputs.push(MANIFEST_FILE);
    const checked = validateManifest(definition.manifest);
    // buildManifest validated it already; this only gives the defaults the schema fills in.
    if (!checked.ok) throw new CliError(`the generated manifest is invalid: ${checked.issues[0]!.message}`);
    manifest = checked.manifest;
    const openApiFile = manifest.contributes.openapi;
    if (openApiFile && definition.openApi && writeOpenApiFile(project.dir, openApiFile, definition.openApi)) {
      outputs.push(openApiFile);
    }
  } else {
    const file = readManifestFile(project.dir);
    if (!file) throw new CliError(`no ${DEFINITION_FILE} and no ${MANIFEST_FILE}`);
    const checked = validateManifest(file.json);
    if (!checked.ok) {
      throw new CliError(
        `${MANIFEST_FILE} is invalid:\n${checked.issues.map((i) => `  ${i.path}: ${i.message}`).join('\n')}`,
        `fix ${MANIFEST_FILE} (run goatflow-plugin validate for every problem with a hint)`,
      );
    }
    manifest = checked.manifest;
    io?.out(`  (no ${DEFINITION_FILE}: ${MANIFEST_FILE} is used as written)\n`);
  }

  if (manifest.runtime === 'wasm') {
    if (project.exists(ASSEMBLY_ENTRY)) outputs.push(await buildWasm(project, manifest));
  } else if (project.exists(GRPC_MAIN)) {
    outputs.push(...(await buildGrpc(project)));
  }
  outputs.push(...(await buildWidgets(project, manifest)));
  return { manifest, outputs };
}

/** Runs `goatflow-plugin build`. */
export async function runBuild(argv: string[], io: CliIo): Promise<number> {
  const args = parseCommandArgs(buildSpec, argv);
  if (args.help) {
    io.out(formatHelp(buildSpec));
    return 0;
  }
  const project = openProject(io, args.values.dir as string | undefined);
  const started = Date.now();
  const result = await buildProject(project, io);
  for (const file of result.outputs) {
    const size = fs.statSync(project.file(file)).size;
    io.out(`  ${file} (${size} bytes)\n`);
  }
  io.out(
    `✓ built ${result.manifest.id} ${result.manifest.version} (${result.manifest.runtime}) in ${Date.now() - started} ms\n`,
  );
  return 0;
}
