#!/usr/bin/env node
// `npm start`: builds the web shell when it is missing or older than its sources, the SDK (sdk/dist) and the
// example WASM plugins likewise, then runs the kernel from its TypeScript sources in this same process (so
// SIGTERM/SIGINT reach the kernel's graceful shutdown directly).
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { register } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const webDir = path.join(root, 'web');
const builtIndex = path.join(webDir, 'dist', 'index.html');

function newestMtime(dir) {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : fs.statSync(p).mtimeMs);
  }
  return newest;
}

/** Whether `output` is missing or older than any of `sources` (files or folders). */
function isStale(output, sources) {
  if (!fs.existsSync(output)) return true;
  const built = fs.statSync(output).mtimeMs;
  return sources.some(
    (s) =>
      fs.existsSync(s) && (fs.statSync(s).isDirectory() ? newestMtime(s) : fs.statSync(s).mtimeMs) > built,
  );
}

const webSources = [
  path.join(webDir, 'src'),
  path.join(webDir, 'index.html'),
  path.join(webDir, 'vite.config.ts'),
];
if (!process.env.GOATFLOW_WEB_DIR && isStale(builtIndex, webSources)) {
  process.stdout.write('Building the web UI…\n');
  execFileSync(
    process.execPath,
    [path.join(root, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--logLevel', 'warn'],
    {
      cwd: webDir,
      stdio: 'inherit',
    },
  );
}

// The kernel below runs @goatflow/sdk from its sources (the `@goatflow/source` condition), but the gRPC plugins it
// spawns are plain node (or tsx) processes that import the SDK's build, sdk/dist. tsc only runs when the build is
// missing or older than the sources; it writes over the old files in place, so plugins already running elsewhere
// never find the folder empty. Without a compiler (a production install) the kernel still starts.
const sdkDir = path.join(root, 'sdk');
const sdkSources = [
  path.join(sdkDir, 'src'),
  path.join(sdkDir, 'package.json'),
  path.join(sdkDir, 'tsconfig.json'),
  path.join(sdkDir, 'tsconfig.build.json'),
  path.join(root, 'tsconfig.base.json'),
];
if (isStale(path.join(sdkDir, 'dist', 'index.js'), sdkSources)) {
  process.stdout.write('Building the SDK…\n');
  const tsc = spawnSync(
    process.execPath,
    [
      path.join(root, 'node_modules', 'typescript', 'bin', 'tsc'),
      '-p',
      path.join(sdkDir, 'tsconfig.build.json'),
    ],
    { cwd: root, stdio: 'inherit' },
  );
  if (tsc.status !== 0) {
    process.stderr.write('Building the SDK failed (see above); gRPC plugins may not start.\n');
  }
}

// The example plugins ship as source; build-examples.mjs builds them with the SDK's CLI (WASM modules, widget
// bundles) when missing or stale and is quick when nothing is. Without a compiler (a production install without
// devDependencies) the server still starts: only those examples cannot be enabled until they are built.
const examples = spawnSync(process.execPath, [path.join(root, 'scripts', 'build-examples.mjs'), '--quiet'], {
  cwd: root,
  stdio: 'inherit',
});
if (examples.status !== 0) {
  process.stderr.write('Building the example plugins failed (see above); their widgets may be missing.\n');
}

const tsx = await import('tsx/esm/api');
tsx.register();
// Registered after tsx so that it runs first: every import resolves with the `@goatflow/source` condition too, which
// @goatflow/sdk's exports map to its TypeScript sources (the same as the tests and `tsc -b`).
register(
  `data:text/javascript,${encodeURIComponent(
    "export function resolve(specifier, context, next) { return next(specifier, { ...context, conditions: [...context.conditions, '@goatflow/source'] }); }",
  )}`,
);
await import(path.join(root, 'kernel', 'src', 'main.ts'));
