#!/usr/bin/env node
// Builds the example plugins the way a plugin author builds theirs: `goatflow-plugin build` in each
// plugins-examples/<name>/ that has a src/plugin.ts — and the first-party plugins in plugins-core/<name>/ alike. That writes goatflow-plugin.json from the definition, compiles
// the WASM module (assembly/index.ts → dist/plugin.wasm) or bundles the gRPC program (src/main.ts → dist/main.js),
// and bundles the widgets (web/*.ts → assets/*.js, Lit included). dist/ and assets/ are not committed; the
// manifests and the routes' openapi.json are.
//
// The CLI runs from the SDK's sources (tsx, with the `@goatflow/source` condition), so no SDK build is needed
// first. An example is skipped when its last build is newer than its sources and the SDK's; `npm start` runs this
// with --quiet on every start.
//
// --check  fails, and leaves the committed goatflow-plugin.json and openapi.json as they were, when the build would
//          change them (the definition in src/plugin.ts and the files have drifted): what `npm test` runs.
// --force  builds even what is up to date.  --quiet  prints nothing when nothing was built.
// Usage: node scripts/build-examples.mjs [--check] [--force] [--quiet] [name ...]
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const examplesDir = path.join(root, 'plugins-examples');
/** The first-party plugins, built exactly like the examples (they use only the published SDK too). */
const coreDir = path.join(root, 'plugins-core');
const cli = path.join(root, 'sdk', 'src', 'cli', 'main.ts');
const args = process.argv.slice(2);
const check = args.includes('--check');
const force = args.includes('--force');
const quiet = args.includes('--quiet');
const only = args.filter((a) => !a.startsWith('--'));

const MANIFEST = 'goatflow-plugin.json';
/** The routes' OpenAPI document: generated and committed like the manifest, since the kernel reads it as is. */
const OPENAPI = 'openapi.json';
/** What a build generates that is committed; --check compares each. */
const COMMITTED = [MANIFEST, OPENAPI];
/** What an example's build reads besides its own folder: the SDK (CLI, widget base class, AssemblyScript). */
const SDK_SOURCES = [path.join(root, 'sdk', 'src'), path.join(root, 'sdk', 'assembly')];
/** What of an example a build reads (its translations, migrations and README it does not). */
const EXAMPLE_SOURCES = ['src', 'web', 'assembly', 'asconfig.json', 'package.json', ...COMMITTED];
/** A lock older than this was left by a build that died; builds take seconds. */
const STALE_LOCK_MS = 5 * 60_000;

function newestMtime(file) {
  if (!fs.existsSync(file)) return 0;
  const stat = fs.statSync(file);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = 0;
  for (const entry of fs.readdirSync(file, { withFileTypes: true })) {
    newest = Math.max(newest, newestMtime(path.join(file, entry.name)));
  }
  return newest;
}

/** Where a build leaves its stamp (and its lock): the CLI's own cache folder, ignored by git. */
function cacheDir(dir) {
  return path.join(dir, 'node_modules', '.cache', 'goatflow-plugin');
}

function isStale(dir) {
  if (force) return true;
  const stamp = path.join(cacheDir(dir), 'examples-build.stamp');
  if (!fs.existsSync(stamp)) return true;
  // The manifest counts as a source: an edit by hand is undone (or, with --check, reported) by the next build.
  const sources = Math.max(
    ...EXAMPLE_SOURCES.map((name) => newestMtime(path.join(dir, name))),
    ...SDK_SOURCES.map(newestMtime),
  );
  return fs.statSync(stamp).mtimeMs <= sources;
}

/**
 * Runs `fn` holding the example's build lock, so two test files (or a test and `npm start`) building the same
 * example at once do not write the same files together. The loser waits and then finds the build fresh.
 */
function withLock(dir, fn) {
  const lock = path.join(cacheDir(dir), 'build.lock');
  fs.mkdirSync(path.dirname(lock), { recursive: true });
  const deadline = Date.now() + STALE_LOCK_MS;
  for (;;) {
    try {
      fs.mkdirSync(lock);
      break;
    } catch (err) {
      if (err.code !== 'EEXIST') throw err;
      const age = Date.now() - fs.statSync(lock, { throwIfNoEntry: false })?.mtimeMs;
      if (age > STALE_LOCK_MS || Date.now() > deadline) fs.rmSync(lock, { recursive: true, force: true });
      else Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200);
    }
  }
  try {
    return fn();
  } finally {
    fs.rmSync(lock, { recursive: true, force: true });
  }
}

function build(name) {
  const dir = folderOf.get(name);
  const read = (file) => (fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined);
  const files = COMMITTED.map((committed) => path.join(dir, committed));
  const before = files.map(read);
  const result = spawnSync(
    process.execPath,
    ['--conditions=@goatflow/source', '--import', 'tsx', cli, 'build', '--dir', dir],
    { cwd: root, encoding: 'utf8' },
  );
  const output = `${result.stdout ?? ''}${result.stderr ?? ''}`;
  if (result.status !== 0) {
    process.stderr.write(`✗ ${name}: goatflow-plugin build failed\n${output}\n`);
    return false;
  }
  const changed = files.filter((file, i) => read(file) !== before[i]);
  for (const file of changed) {
    const where = path.relative(root, file);
    if (check) {
      const previous = before[files.indexOf(file)];
      if (previous === undefined) fs.rmSync(file);
      else fs.writeFileSync(file, previous);
      process.stderr.write(
        `✗ ${name}: ${where} is not what src/plugin.ts generates.\n` +
          `  Run node scripts/build-examples.mjs ${name} (or goatflow-plugin build in the folder) and commit it.\n`,
      );
    } else {
      process.stdout.write(`  ${where} was regenerated from src/plugin.ts: commit it\n`);
    }
  }
  if (check && changed.length > 0) return false;
  const stamp = path.join(cacheDir(dir), 'examples-build.stamp');
  fs.mkdirSync(path.dirname(stamp), { recursive: true });
  fs.writeFileSync(stamp, new Date().toISOString());
  if (!quiet) process.stdout.write(output);
  else process.stdout.write(`✓ example ${name} built\n`);
  return true;
}

/** Every plugin folder with a src/plugin.ts, by name: the examples and the first-party plugins. */
const folderOf = new Map(
  [examplesDir, coreDir].flatMap((parent) =>
    fs
      .readdirSync(parent, { withFileTypes: true })
      .filter((e) => e.isDirectory() && fs.existsSync(path.join(parent, e.name, 'src', 'plugin.ts')))
      .map((e) => [e.name, path.join(parent, e.name)]),
  ),
);
const examples = [...folderOf.keys()].filter((name) => only.length === 0 || only.includes(name)).sort();
const unknown = only.filter((name) => !examples.includes(name));
if (unknown.length) {
  process.stderr.write(`no example plugin with a src/plugin.ts named ${unknown.join(', ')}\n`);
  process.exit(1);
}

let built = 0;
let failed = 0;
for (const name of examples) {
  const dir = folderOf.get(name);
  withLock(dir, () => {
    if (!isStale(dir)) return;
    if (build(name)) built++;
    else failed++;
  });
}
if (!quiet || built + failed > 0) {
  process.stdout.write(
    `example plugins: ${built} built, ${examples.length - built - failed} up to date, ${failed} failed\n`,
  );
}
process.exit(failed ? 1 : 0);
