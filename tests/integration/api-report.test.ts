/**
 * The SDK's API record is a real gate: `api-report --check` (a step of `npm test`) fails when the public API and
 * the record disagree, and names the entry and the fix. Run against a copy of the record, so the repository's
 * files are never touched.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const record = fs.mkdtempSync(path.join(os.tmpdir(), 'goatflow-api-record-'));
fs.cpSync(path.join(root, 'sdk', 'api'), record, { recursive: true });

function check() {
  const run = spawnSync(
    process.execPath,
    [path.join(root, 'scripts', 'api-report.mjs'), '--check', `--record-dir=${record}`],
    { encoding: 'utf8', timeout: 120_000 },
  );
  return { code: run.status, output: `${run.stdout}${run.stderr}` };
}

afterAll(() => fs.rmSync(record, { recursive: true, force: true }));

describe('api-report --check', () => {
  it('passes when the record matches the API', () => {
    const result = check();
    expect(result.code, result.output).toBe(0);
  }, 120_000);

  it('fails when the API and the record differ, naming the entry, the difference and the fix', () => {
    const file = path.join(record, 'sdk.api.md');
    const text = fs.readFileSync(file, 'utf8');
    // As if `reply` had been added to the API without recording it: the record lacks its line.
    const line = text.split('\n').find((l) => l.includes('function reply'));
    expect(line).toBeDefined();
    fs.writeFileSync(file, text.replace(`${line}\n`, ''));
    const result = check();
    expect(result.code).toBe(1);
    expect(result.output).toContain('is out of date');
    expect(result.output).toContain('function reply');
    expect(result.output).toContain('npm run api-report');
  }, 120_000);
});
