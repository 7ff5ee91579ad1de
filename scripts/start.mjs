#!/usr/bin/env node
// `npm start`: builds the web shell when it is missing or older than its sources, and the example WASM plugins
// likewise, then runs the kernel from its TypeScript sources in this same process (so SIGTERM/SIGINT reach the
// kernel's graceful shutdown directly).
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
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

function webIsStale() {
  if (!fs.existsSync(builtIndex)) return true;
  const built = fs.statSync(builtIndex).mtimeMs;
  const sources = [
    path.join(webDir, 'src'),
    path.join(webDir, 'index.html'),
    path.join(webDir, 'vite.config.ts'),
  ];
  return sources.some(
    (s) =>
      fs.existsSync(s) && (fs.statSync(s).isDirectory() ? newestMtime(s) : fs.statSync(s).mtimeMs) > built,
  );
}

if (!process.env.GOATFLOW_WEB_DIR && webIsStale()) {
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

// The example WASM plugins ship as source; build-wasm.mjs builds what is missing or stale and is quick when
// nothing is. Without a compiler (a production install without devDependencies) the server still starts: only
// those examples cannot be enabled until they are built.
const wasm = spawnSync(
  process.execPath,
  [path.join(root, 'scripts', 'build-wasm.mjs'), '--examples', '--quiet'],
  { cwd: root, stdio: 'inherit' },
);
if (wasm.status !== 0) {
  process.stderr.write('Building the example WASM plugins failed (see above); starting without them.\n');
}

const { register } = await import('tsx/esm/api');
register();
await import(path.join(root, 'kernel', 'src', 'main.ts'));
