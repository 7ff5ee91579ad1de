#!/usr/bin/env node
// `npm test`: lint and format check, the SDK's build (sdk/dist), typecheck, the SDK's API report, web build, WASM
// test plugins, then the unit, integration and browser suites.
// Every step runs even when an earlier one failed, so one run shows everything that is wrong; the exit code is
// non-zero when anything failed. With DATABASE_URL set the integration suite runs against that PostgreSQL.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureChromium } from './chromium.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = (name) => path.join(root, 'node_modules', '.bin', name);
const only = process.argv.slice(2);
const results = [];
const totals = { passed: 0, failed: 0, skipped: 0 };

function step(name, cmd, args, env = {}) {
  if (only.length && !only.includes(name)) return;
  process.stdout.write(`\n▶ ${name}: ${[path.basename(cmd), ...args].join(' ')}\n`);
  const started = Date.now();
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  const ok = r.status === 0;
  results.push({ name, ok, seconds: ((Date.now() - started) / 1000).toFixed(1) });
  return ok;
}

function vitestStep(project, env = {}) {
  const report = path.join(os.tmpdir(), `goatflow-vitest-${project}-${process.pid}.json`);
  step(
    project,
    bin('vitest'),
    ['run', '--project', project, '--reporter=default', '--reporter=json', `--outputFile.json=${report}`],
    env,
  );
  if (fs.existsSync(report)) {
    const json = JSON.parse(fs.readFileSync(report, 'utf8'));
    totals.passed += json.numPassedTests ?? 0;
    totals.failed += json.numFailedTests ?? 0;
    totals.skipped += (json.numPendingTests ?? 0) + (json.numTodoTests ?? 0);
    fs.rmSync(report);
  }
}

step('lint', bin('biome'), ['check', '.']);
// The tests run the SDK from its sources (the `@goatflow/source` export condition), but the gRPC plugin processes
// they start are plain node (or tsx) and import its build. Built from clean, so nothing removed from src/ lingers.
if (!only.length || only.includes('sdk')) {
  fs.rmSync(path.join(root, 'sdk', 'dist'), { recursive: true, force: true });
}
step('sdk', bin('tsc'), ['-p', 'sdk/tsconfig.build.json']);
step('typecheck', bin('tsc'), ['-b']);
step('api', process.execPath, [path.join(root, 'scripts', 'api-report.mjs'), '--check']);
step('docs', process.execPath, [path.join(root, 'scripts', 'manifest-reference.mjs'), '--check']);
step('build', process.execPath, [
  path.join(root, 'node_modules', 'vite', 'bin', 'vite.js'),
  'build',
  '--logLevel',
  'warn',
  'web',
]);
step('wasm', process.execPath, [path.join(root, 'scripts', 'build-wasm.mjs'), '--fixtures']);
// The example plugins are built with the SDK's CLI, exactly as a plugin developer would; --check fails when a
// committed manifest has drifted from its src/plugin.ts.
step('examples', process.execPath, [path.join(root, 'scripts', 'build-examples.mjs'), '--check']);
vitestStep('unit');
vitestStep('integration');
if (!only.length || only.includes('browser')) {
  let chromium;
  try {
    chromium = ensureChromium();
  } catch (err) {
    process.stderr.write(`\n${err.message}\n`);
    results.push({ name: 'browser', ok: false, seconds: '0.0' });
  }
  if (chromium) vitestStep('browser', { GOATFLOW_CHROMIUM: chromium });
}

process.stdout.write('\nSummary\n');
for (const r of results) process.stdout.write(`  ${r.ok ? 'ok  ' : 'FAIL'}  ${r.name} (${r.seconds} s)\n`);
const failedSteps = results.filter((r) => !r.ok).length;
process.stdout.write(`Tests: ${totals.passed} passed, ${totals.failed + failedSteps} failed\n`);
process.exit(failedSteps ? 1 : 0);
