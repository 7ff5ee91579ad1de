#!/usr/bin/env node
// Builds the repository's WASM plugins (AssemblyScript 0.28 with @goatflow/sdk/assembly):
//
// - Test fixtures: every tests/fixtures/wasm/<name>/index.ts into tests/fixtures/wasm/<name>/dist/plugin.wasm,
//   with the defaults below. Its sources are its folder, the shared lib/ and the SDK's AssemblyScript
//   (sdk/assembly, imported as @goatflow/sdk/assembly). A fixture may have a build.json overriding the defaults:
//     { "maximumMemory": <pages> | null }   null builds without a declared maximum (which the runtime refuses)
//     { "args": ["--flag", ...] }           extra compiler arguments
// - Example plugins: every plugins-examples/<name>/ with an asconfig.json, compiled with that file exactly as
//   `npx asc --config asconfig.json` in that folder would (its entries and options, no defaults from here) into
//   its `options.outFile`, which the plugin's manifest names as its entry. Its sources are asconfig.json, the
//   assembly/ folder and sdk/assembly; its web assets, translations and migrations need no build.
//
// A plugin is skipped when its output is newer than its sources, and the compiler is only loaded when
// something is to be built: `npm start` runs this with --examples --quiet (no summary when nothing was built) on
// every start.
// Usage: node scripts/build-wasm.mjs [--force] [--quiet] [--fixtures | --examples] [name ...]
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const fixturesDir = path.join(root, 'tests', 'fixtures', 'wasm');
const examplesDir = path.join(root, 'plugins-examples');
const libDir = path.join(fixturesDir, 'lib');
const sdkAssemblyDir = path.join(root, 'sdk', 'assembly');
const args = process.argv.slice(2);
const force = args.includes('--force');
const quiet = args.includes('--quiet');
const kinds = args.includes('--fixtures') ? ['fixture'] : args.includes('--examples') ? ['example'] : null;
const only = args.filter((a) => !a.startsWith('--'));

// 1024 pages of 64 KiB = 64 MiB, the runtime's default cap. The SDK's abort replacement keeps AssemblyScript
// from importing env::abort, which the runtime refuses; every fixture imports the SDK (or its abort module).
const DEFAULT_MAXIMUM_MEMORY = 1024;
const FIXTURE_ARGS = [
  '--runtime',
  'incremental',
  '--optimize',
  '--use',
  'abort=~lib/@goatflow/sdk/assembly/abort/abort',
];

function newestMtime(file) {
  if (!fs.existsSync(file)) return 0;
  const stat = fs.statSync(file);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = 0;
  for (const entry of fs.readdirSync(file, { withFileTypes: true })) {
    if (entry.name === 'dist' || entry.name === 'node_modules') continue;
    newest = Math.max(newest, newestMtime(path.join(file, entry.name)));
  }
  return newest;
}

function readJson(file) {
  return fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : {};
}

/**
 * What to build: `baseDir` is the compiler's base directory, `args` the compiler arguments (paths relative to
 * `baseDir`) except the output, which goes to `outFile`; `sources` decide whether the output is stale.
 */
function fixtureTargets() {
  return fs
    .readdirSync(fixturesDir, { withFileTypes: true })
    .filter(
      (e) => e.isDirectory() && e.name !== 'lib' && fs.existsSync(path.join(fixturesDir, e.name, 'index.ts')),
    )
    .map((e) => {
      const dir = path.join(fixturesDir, e.name);
      const config = readJson(path.join(dir, 'build.json'));
      const maximumMemory =
        config.maximumMemory === undefined ? DEFAULT_MAXIMUM_MEMORY : config.maximumMemory;
      return {
        kind: 'fixture',
        name: e.name,
        baseDir: fixturesDir,
        args: [
          `${e.name}/index.ts`,
          ...FIXTURE_ARGS,
          ...(maximumMemory === null ? [] : ['--maximumMemory', String(maximumMemory)]),
          ...(config.args ?? []),
        ],
        outFile: path.join(dir, 'dist', 'plugin.wasm'),
        sources: [dir, libDir, sdkAssemblyDir],
      };
    });
}

function exampleTargets() {
  if (!fs.existsSync(examplesDir)) return [];
  return fs
    .readdirSync(examplesDir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && fs.existsSync(path.join(examplesDir, e.name, 'asconfig.json')))
    .map((e) => {
      const dir = path.join(examplesDir, e.name);
      const outFile = readJson(path.join(dir, 'asconfig.json')).options?.outFile;
      if (typeof outFile !== 'string') {
        throw new Error(`${path.relative(root, dir)}/asconfig.json has no options.outFile`);
      }
      return {
        kind: 'example',
        name: e.name,
        baseDir: dir,
        args: ['--config', 'asconfig.json'],
        outFile: path.join(dir, outFile),
        sources: [path.join(dir, 'asconfig.json'), path.join(dir, 'assembly'), sdkAssemblyDir],
      };
    });
}

const targets = [
  ...(!kinds || kinds.includes('fixture') ? fixtureTargets() : []),
  ...(!kinds || kinds.includes('example') ? exampleTargets() : []),
]
  .filter((t) => only.length === 0 || only.includes(t.name))
  .sort((a, b) => a.kind.localeCompare(b.kind) || a.name.localeCompare(b.name));

const stale = targets.filter(
  (t) =>
    force ||
    !fs.existsSync(t.outFile) ||
    fs.statSync(t.outFile).mtimeMs <= Math.max(...t.sources.map(newestMtime)),
);

let failed = 0;
let built = 0;
if (stale.length > 0) {
  const { default: asc } = await import('assemblyscript/asc');
  for (const target of stale) {
    // Write to a temporary file and rename, so that a test or kernel running meanwhile never reads half a module.
    const tmpFile = path.join(path.dirname(target.outFile), `plugin.${process.pid}.tmp.wasm`);
    fs.mkdirSync(path.dirname(target.outFile), { recursive: true });
    const ascArgs = [
      ...target.args,
      '--baseDir',
      target.baseDir,
      '--outFile',
      path.relative(target.baseDir, tmpFile),
    ];
    let output = '';
    const stream = {
      write(chunk) {
        output += String(chunk);
        return true;
      },
    };
    const result = await asc.main(ascArgs, { stdout: stream, stderr: stream });
    if (result.error || !fs.existsSync(tmpFile)) {
      failed++;
      fs.rmSync(tmpFile, { force: true });
      process.stderr.write(
        `✗ ${target.kind} ${target.name}: ${result.error?.message ?? 'no output'}\n${output}\n`,
      );
      continue;
    }
    fs.renameSync(tmpFile, target.outFile);
    built++;
    process.stdout.write(
      `✓ ${target.kind} ${target.name} → ${path.relative(root, target.outFile)} (${fs.statSync(target.outFile).size} bytes)\n`,
    );
  }
}
if (!quiet || stale.length > 0) {
  process.stdout.write(
    `wasm plugins: ${built} built, ${targets.length - stale.length} up to date, ${failed} failed\n`,
  );
}
process.exit(failed ? 1 : 0);
