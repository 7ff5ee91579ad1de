/**
 * `goatflow-plugin validate`: everything the kernel would refuse, found before the plugin is shipped — the
 * manifest (schema and rules), the manifest and `openapi.json` against the definition they are generated from,
 * the files it names, a WASM module's imports, memory and exports, and the permissions the code uses against
 * those it asks for.
 * @module
 */
import fs from 'node:fs';
import path from 'node:path';
import { type PluginManifest, validateManifest } from '../../manifest/index.js';
import { checkImport, HOST_API_FUNCTIONS, HOST_API_MODULE } from '../../wasm/allow-list.js';
import { checkMemories, DEFAULT_WASM_MAX_MEMORY_MB } from '../../wasm/memory.js';
import { inspectModule, type ModuleInfo } from '../../wasm/module-inspector.js';
import { type CommandSpec, formatHelp, parseCommandArgs } from '../args.js';
import { type LoadedDefinition, loadDefinition } from '../definition.js';
import { countFindings, type Finding, printFindings } from '../findings.js';
import { CliError, type CliIo } from '../io.js';
import { MANIFEST_FILE, readManifestFile } from '../manifest-file.js';
import { openApiDrift, readOpenApiFile } from '../openapi-file.js';
import { checkPermissions, scanSourcesForHostCalls, scanSourcesForNamedTargets } from '../permissions.js';
import {
  ASSEMBLY_ENTRY,
  DEFINITION_FILE,
  GRPC_MAIN,
  GRPC_OUTPUT,
  openProject,
  type Project,
  UNPACKED_FOLDERS,
  WEB_DIR,
} from '../project.js';

export const validateSpec: CommandSpec = {
  name: 'validate',
  summary:
    'Check the plugin as the kernel will: manifest, manifest vs src/plugin.ts, referenced files, WASM imports, memory and exports, permissions used vs declared.',
  options: {
    dir: { type: 'string', value: '<path>', description: 'The plugin project (default: the current folder)' },
  },
  details:
    'Exits with 1 when there is an error; warnings (such as a permission that is declared but never used) do not fail.',
};

/** What {@link validateProject} found. */
export interface ValidationResult {
  findings: Finding[];
  /** The manifest, when it is valid. */
  manifest?: PluginManifest;
  ok: boolean;
}

/** Options of {@link validateProject}. */
export interface ValidateOptions {
  /**
   * The definition to compare the manifest with; by default `src/plugin.ts` is loaded when it exists.
   * `null` skips the comparison.
   */
  definition?: LoadedDefinition | null;
}

/** The engine's `WebAssembly.compile`, typed here because the SDK compiles without the DOM library. */
const webAssembly = (
  globalThis as unknown as { WebAssembly: { compile(bytes: Uint8Array): Promise<unknown> } }
).WebAssembly;

/** The handlers a manifest names, each with where (for messages). */
export function manifestHandlers(manifest: PluginManifest): Map<string, string> {
  const c = manifest.contributes;
  const handlers = new Map<string, string>();
  const add = (name: string, where: string) => {
    if (!handlers.has(name)) handlers.set(name, where);
  };
  for (const r of c.routes ?? []) add(r.handler, `route ${r.method} ${r.path}`);
  for (const e of c.events ?? []) add(e.handler, `the subscription to ${e.name}`);
  for (const j of c.jobs ?? []) add(j.handler, `job ${j.id}`);
  for (const h of c.hooks ?? []) add(h.handler, `hook ${h.point}`);
  for (const t of c.mcpTools ?? []) add(t.handler, `MCP tool ${t.name}`);
  return handlers;
}

/** Every `*.ts` under `dir` except tests and declarations, relative path → text. */
function readSources(project: Project, dir: string): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (rel: string) => {
    const abs = project.file(rel);
    if (!fs.existsSync(abs)) return;
    for (const entry of fs.readdirSync(abs, { withFileTypes: true })) {
      const child = `${rel}/${entry.name}`;
      if (entry.isDirectory() && entry.name !== 'node_modules') walk(child);
      else if (
        entry.isFile() &&
        /\.[cm]?tsx?$/.test(entry.name) &&
        !/\.(test|spec)\.[cm]?tsx?$/.test(entry.name) &&
        !entry.name.endsWith('.d.ts')
      ) {
        files.set(child, fs.readFileSync(project.file(child), 'utf8'));
      }
    }
  };
  walk(dir);
  return files;
}

function checkFiles(project: Project, manifest: PluginManifest, fixIn: string): Finding[] {
  const findings: Finding[] = [];
  const isFile = (rel: string) => fs.existsSync(project.file(rel)) && fs.statSync(project.file(rel)).isFile();
  const isDir = (rel: string) =>
    fs.existsSync(project.file(rel)) && fs.statSync(project.file(rel)).isDirectory();
  const missing = (what: string, rel: string, hint: string) =>
    findings.push({ level: 'error', message: `${what} ${rel} does not exist`, hint });

  if (manifest.runtime === 'wasm') {
    if (!isFile(manifest.entry)) {
      missing(
        'the entry',
        manifest.entry,
        project.exists(ASSEMBLY_ENTRY)
          ? 'run goatflow-plugin build, which compiles assembly/index.ts to it'
          : `build the module to ${manifest.entry}, or fix entry in ${fixIn}`,
      );
    }
  } else {
    const { command, args } = manifest.entry;
    const script = command === 'node' ? nodeScript(args) : undefined;
    if (script && !isFile(script)) {
      missing(
        'the entry script',
        script,
        project.exists(GRPC_MAIN)
          ? `run goatflow-plugin build, which bundles ${GRPC_MAIN} to it`
          : `fix entry in ${fixIn}`,
      );
    }
    if (script && UNPACKED_FOLDERS.has(path.posix.normalize(script).split('/')[0]!)) {
      findings.push({
        level: 'error',
        message: `the entry script ${script} is not in the package: pack leaves out ${path.posix.normalize(script).split('/')[0]}/`,
        hint: `point entry at the build output (args: ['${GRPC_OUTPUT}']) in ${fixIn}; goatflow-plugin build bundles ${GRPC_MAIN} to it`,
      });
    }
    if (
      command === 'node' &&
      args.some(
        (a, i) =>
          /^--(import|loader|experimental-loader)(=|$)|^-r$|^--require(=|$)/.test(a) &&
          /tsx|ts-node/.test(a.includes('=') ? a : (args[i + 1] ?? '')),
      )
    ) {
      findings.push({
        level: 'warning',
        message: 'the entry loads a TypeScript runner (tsx or ts-node), which a packed plugin does not have',
        hint: `run the bundle instead: args: ['${GRPC_OUTPUT}'] in ${fixIn}`,
      });
    }
    if (command !== 'node' && /[\\/]/.test(command) && !path.isAbsolute(command) && !isFile(command)) {
      missing('the entry command', command, `fix entry.command in ${fixIn}`);
    }
  }

  const c = manifest.contributes;
  if (c.assets !== undefined && !isDir(c.assets)) {
    missing('the assets folder', c.assets, 'run goatflow-plugin build, which bundles web/*.ts into it');
  }
  for (const [kind, list] of [
    ['widget', c.widgets],
    ['page', c.pages],
  ] as const) {
    for (const item of list ?? []) {
      if (isFile(item.module)) continue;
      const source = `${WEB_DIR}/${path.posix.basename(item.module).replace(/\.js$/, '.ts')}`;
      missing(
        `the module of ${kind} ${item.id},`,
        item.module,
        project.exists(source)
          ? `run goatflow-plugin build, which bundles ${source} to it`
          : `write ${source} (goatflow-plugin build bundles it to ${item.module}), or fix module in ${fixIn}`,
      );
    }
  }
  if (c.migrations !== undefined) {
    if (!isDir(c.migrations)) {
      missing('the migrations folder', c.migrations, `create it, or remove migrations from ${fixIn}`);
    } else if (!fs.readdirSync(project.file(c.migrations)).some((f) => f.endsWith('.sql'))) {
      findings.push({
        level: 'warning',
        message: `the migrations folder ${c.migrations} holds no .sql file`,
        hint: 'add numbered files such as 0001_init.sql, or remove migrations from the definition',
      });
    }
  }
  if (c.openapi !== undefined) {
    try {
      if (!readOpenApiFile(project.dir, c.openapi)) {
        missing(
          'the OpenAPI document',
          c.openapi,
          project.hasDefinition
            ? 'run goatflow-plugin build, which generates it from the routes'
            : `write it, or remove openapi from ${fixIn}`,
        );
      }
    } catch (err) {
      if (!(err instanceof CliError)) throw err;
      findings.push({ level: 'error', message: err.message, ...(err.hint ? { hint: err.hint } : {}) });
    }
  }
  for (const [locale, file] of Object.entries(c.i18n ?? {})) {
    if (!isFile(file)) {
      missing(
        `the ${locale} translations`,
        file,
        `create it (a JSON object of keys to texts), or fix i18n in ${fixIn}`,
      );
      continue;
    }
    try {
      const json = JSON.parse(fs.readFileSync(project.file(file), 'utf8')) as unknown;
      if (!json || typeof json !== 'object' || Array.isArray(json))
        throw new Error('it is not a JSON object');
    } catch (err) {
      findings.push({
        level: 'error',
        message: `the ${locale} translations ${file} are not a JSON object of keys to texts: ${(err as Error).message}`,
        hint: 'fix the file',
      });
    }
  }
  return findings;
}

async function checkWasm(project: Project, manifest: PluginManifest & { runtime: 'wasm' }, fixIn: string) {
  const findings: Finding[] = [];
  const bytes = new Uint8Array(fs.readFileSync(project.file(manifest.entry)));
  let info: ModuleInfo;
  try {
    await webAssembly.compile(bytes);
    info = inspectModule(bytes);
  } catch (err) {
    findings.push({
      level: 'error',
      message: `${manifest.entry} is not a valid WebAssembly module: ${(err as Error).message}`,
      hint: 'build it again (goatflow-plugin build)',
    });
    return findings;
  }
  const rebuild = project.exists(ASSEMBLY_ENTRY) ? ', then run goatflow-plugin build' : '';
  for (const imp of info.imports) {
    const verdict = checkImport(imp);
    if (!verdict.allowed) {
      findings.push({
        level: 'error',
        message: `${manifest.entry}: ${verdict.reason}`,
        hint: `remove what makes the module import ${imp.module}::${imp.name}${rebuild}; the kernel refuses to load a module with it`,
      });
    }
  }
  const capMb = manifest.limits?.maxMemoryMb ?? DEFAULT_WASM_MAX_MEMORY_MB;
  for (const problem of checkMemories(info.memories, capMb * 1024 * 1024)) {
    findings.push({
      level: 'error',
      message: `${manifest.entry}: ${problem}`,
      hint: project.exists(ASSEMBLY_ENTRY)
        ? `goatflow-plugin build sets --maximumMemory from limits.maxMemoryMb (${capMb} MiB); build again`
        : `the cap comes from limits.maxMemoryMb in ${fixIn} (${capMb} MiB)`,
    });
  }
  const exported = new Set(info.functionExports);
  for (const [handler, where] of manifestHandlers(manifest)) {
    if (!exported.has(handler)) {
      findings.push({
        level: 'error',
        message: `${where} names the handler "${handler}", which ${manifest.entry} does not export`,
        hint: project.exists(ASSEMBLY_ENTRY)
          ? `add \`export function ${handler}(): i32 { … }\` to ${ASSEMBLY_ENTRY}${rebuild}`
          : `export a function "${handler}" from the module, or fix the handler in ${fixIn}`,
      });
    }
  }
  const used = new Map<string, string>();
  for (const imp of info.imports) {
    const fn = imp.module === HOST_API_MODULE ? HOST_API_FUNCTIONS.get(imp.name) : undefined;
    if (fn) used.set(fn, `${manifest.entry} imports ${HOST_API_MODULE}::${imp.name}`);
  }
  findings.push(...checkPermissions(used, manifest, fixIn));
  return findings;
}

function checkGrpcPermissions(project: Project, manifest: PluginManifest, fixIn: string): Finding[] {
  const sources = readSources(project, 'src');
  const findings: Finding[] = checkPermissions(scanSourcesForHostCalls(sources), manifest, fixIn);
  const afterFix = fixIn.endsWith('.ts') ? ', then run goatflow-plugin build' : '';
  const { events, plugins } = scanSourcesForNamedTargets(sources);
  const publishable = manifest.permissions.events?.publish ?? [];
  for (const [name, where] of events) {
    if ((manifest.permissions.events?.publish?.length ?? 0) > 0 && !publishable.includes(name)) {
      findings.push({
        level: 'error',
        message: `the plugin publishes "${name}" (${where}), which permissions.events.publish does not list`,
        hint: `add "${name}" to permissions.events.publish in ${fixIn}${afterFix}`,
      });
    }
  }
  const callable = manifest.permissions.plugins?.call ?? [];
  for (const [id, where] of plugins) {
    if (callable.length > 0 && !callable.includes(id)) {
      findings.push({
        level: 'error',
        message: `the plugin calls plugin "${id}" (${where}), which permissions.plugins.call does not list`,
        hint: `add "${id}" to permissions.plugins.call in ${fixIn}${afterFix}`,
      });
    }
  }
  return findings;
}

/** Runs every check on a project. */
export async function validateProject(
  project: Project,
  options: ValidateOptions = {},
): Promise<ValidationResult> {
  const findings: Finding[] = [];
  const fixIn = project.hasDefinition ? DEFINITION_FILE : MANIFEST_FILE;
  const done = (manifest?: PluginManifest): ValidationResult => ({
    findings,
    ok: !findings.some((f) => f.level === 'error'),
    ...(manifest ? { manifest } : {}),
  });

  let definition: LoadedDefinition | null = null;
  if (options.definition !== undefined) definition = options.definition;
  else if (project.hasDefinition) {
    try {
      definition = await loadDefinition(project);
    } catch (err) {
      if (!(err instanceof CliError)) throw err;
      findings.push({ level: 'error', message: err.message, ...(err.hint ? { hint: err.hint } : {}) });
    }
  }

  let file: ReturnType<typeof readManifestFile>;
  try {
    file = readManifestFile(project.dir);
  } catch (err) {
    if (!(err instanceof CliError)) throw err;
    findings.push({ level: 'error', message: err.message, ...(err.hint ? { hint: err.hint } : {}) });
    return done();
  }
  if (!file) {
    findings.push({
      level: 'error',
      message: `${MANIFEST_FILE} does not exist`,
      hint: project.hasDefinition
        ? `run goatflow-plugin build, which generates it from ${DEFINITION_FILE}`
        : 'write it (see the SDK README), or start from goatflow-plugin new',
    });
    return done();
  }
  const checked = validateManifest(file.json);
  if (!checked.ok) {
    for (const issue of checked.issues) {
      findings.push({
        level: 'error',
        message: `${MANIFEST_FILE} ${issue.path}: ${issue.message}`,
        hint: project.hasDefinition
          ? `${MANIFEST_FILE} is generated: fix the field in ${DEFINITION_FILE}, then run goatflow-plugin build`
          : `fix the field in ${MANIFEST_FILE}`,
      });
    }
    return done();
  }
  const manifest = checked.manifest;

  if (definition) {
    const drift = definition.drift(file.json);
    if (drift.length > 0) {
      findings.push({
        level: 'error',
        message: `${MANIFEST_FILE} does not match ${DEFINITION_FILE}:\n${drift.map((d) => `- ${d}`).join('\n')}`,
        hint: `run goatflow-plugin build (${MANIFEST_FILE} is generated from ${DEFINITION_FILE}; change the definition, not the file)`,
      });
    }
  }

  const openApiFile = manifest.contributes.openapi;
  if (definition?.openApi && openApiFile) {
    let onDisk: unknown;
    try {
      onDisk = readOpenApiFile(project.dir, openApiFile);
    } catch {
      onDisk = undefined; // checkFiles reports it
    }
    const drift = onDisk === undefined ? [] : openApiDrift(definition.openApi, onDisk);
    if (drift.length > 0) {
      findings.push({
        level: 'error',
        message: `${openApiFile} does not match the routes of ${DEFINITION_FILE}:\n${drift.map((d) => `- ${d}`).join('\n')}`,
        hint: `run goatflow-plugin build (${openApiFile} is generated from ${DEFINITION_FILE}; change the routes, not the file)`,
      });
    }
  }

  findings.push(...checkFiles(project, manifest, fixIn));
  if (manifest.runtime === 'wasm') {
    if (fs.existsSync(project.file(manifest.entry)))
      findings.push(...(await checkWasm(project, manifest, fixIn)));
  } else {
    findings.push(...checkGrpcPermissions(project, manifest, fixIn));
  }
  return done(manifest);
}

/** Runs `goatflow-plugin validate`. */
export async function runValidate(argv: string[], io: CliIo): Promise<number> {
  const args = parseCommandArgs(validateSpec, argv);
  if (args.help) {
    io.out(formatHelp(validateSpec));
    return 0;
  }
  const project = openProject(io, args.values.dir as string | undefined);
  const result = await validateProject(project);
  printFindings(io, result.findings);
  if (!result.ok) {
    io.err(`✗ ${path.basename(project.dir)}: ${countFindings(result.findings)}\n`);
    return 1;
  }
  const m = result.manifest!;
  const routes = m.contributes.routes?.length ?? 0;
  const widgets = m.contributes.widgets?.length ?? 0;
  io.out(
    `✓ ${m.id} ${m.version} (${m.runtime}) is valid: ${routes} route${routes === 1 ? '' : 's'}, ` +
      `${widgets} widget${widgets === 1 ? '' : 's'}${result.findings.length ? `; ${countFindings(result.findings)}` : ''}\n`,
  );
  return 0;
}

/** Node options whose value is the next argument, so that value is not taken for the script. */
const NODE_OPTIONS_WITH_VALUE = new Set([
  '--import',
  '-r',
  '--require',
  '--loader',
  '--experimental-loader',
  '-C',
  '--conditions',
]);

/** The script a `node …` command line runs: the first argument that is neither an option nor an option's value. */
export function nodeScript(args: readonly string[]): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (NODE_OPTIONS_WITH_VALUE.has(arg)) i++;
    else if (!arg.startsWith('-')) return arg;
  }
  return undefined;
}
