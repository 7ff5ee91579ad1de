#!/usr/bin/env node
// Builds the WASM test plugins: every tests/fixtures/wasm/<name>/index.ts (AssemblyScript with @extism/as-pdk)
// into tests/fixtures/wasm/<name>/dist/plugin.wasm. A fixture is skipped when its output is newer than its
// sources and the shared lib/. A fixture may have a build.json overriding the defaults:
//   { "maximumMemory": <pages> | null }   null builds without a declared maximum (which the runtime refuses)
//   { "args": ["--flag", ...] }           extra compiler arguments
// Usage: node scripts/build-wasm.mjs [--force] [name ...]
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const fixturesDir = path.join(root, 'tests', 'fixtures', 'wasm');
const libDir = path.join(fixturesDir, 'lib');
const args = process.argv.slice(2);
const force = args.includes('--force');
const only = args.filter((a) => !a.startsWith('--'));

// 1024 pages of 64 KiB = 64 MiB, the runtime's default cap. The abort replacement keeps AssemblyScript from
// importing env::abort, which the runtime refuses.
const DEFAULT_MAXIMUM_MEMORY = 1024;
const BASE_ARGS = ['--runtime', 'incremental', '--optimize', '--use', 'abort=lib/abort/abort'];

function newestMtime(dir) {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'dist' || entry.name === 'node_modules') continue;
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : fs.statSync(full).mtimeMs);
  }
  return newest;
}

function readBuildConfig(dir) {
  const file = path.join(dir, 'build.json');
  return fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : {};
}

const fixtures = fs
  .readdirSync(fixturesDir, { withFileTypes: true })
  .filter(
    (e) => e.isDirectory() && e.name !== 'lib' && fs.existsSync(path.join(fixturesDir, e.name, 'index.ts')),
  )
  .map((e) => e.name)
  .filter((name) => only.length === 0 || only.includes(name))
  .sort();

const { default: asc } = await import('assemblyscript/asc');
const libMtime = newestMtime(libDir);
let failed = 0;
let built = 0;
for (const name of fixtures) {
  const dir = path.join(fixturesDir, name);
  const outFile = path.join(dir, 'dist', 'plugin.wasm');
  const sourcesMtime = Math.max(newestMtime(dir), libMtime);
  if (!force && fs.existsSync(outFile) && fs.statSync(outFile).mtimeMs > sourcesMtime) continue;

  const config = readBuildConfig(dir);
  const maximumMemory = config.maximumMemory === undefined ? DEFAULT_MAXIMUM_MEMORY : config.maximumMemory;
  // Write to a temporary file and rename, so that a test running meanwhile never reads half a module.
  const tmpFile = path.join(dir, 'dist', `plugin.${process.pid}.tmp.wasm`);
  fs.mkdirSync(path.dirname(outFile), { recursive: true });
  const ascArgs = [
    `${name}/index.ts`,
    '--baseDir',
    fixturesDir,
    '--outFile',
    path.relative(fixturesDir, tmpFile),
    ...BASE_ARGS,
    ...(maximumMemory === null ? [] : ['--maximumMemory', String(maximumMemory)]),
    ...(config.args ?? []),
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
    process.stderr.write(`✗ ${name}: ${result.error?.message ?? 'no output'}\n${output}\n`);
    continue;
  }
  fs.renameSync(tmpFile, outFile);
  built++;
  process.stdout.write(`✓ ${name} → ${path.relative(root, outFile)} (${fs.statSync(outFile).size} bytes)\n`);
}
process.stdout.write(
  `wasm fixtures: ${built} built, ${fixtures.length - built - failed} up to date, ${failed} failed\n`,
);
process.exit(failed ? 1 : 0);
