import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { formatManifest, SCHEMA_REFERENCE, writeManifestFile } from './manifest-file.js';
import { removeTempDirs, tempDir } from './project.test-util.js';

afterAll(removeTempDirs);

const manifest = {
  contributes: { assets: 'assets', routes: [{ method: 'GET', path: '/x', auth: 'user', handler: 'x' }] },
  runtime: 'wasm',
  entry: 'dist/plugin.wasm',
  name: 'X',
  version: '1.0.0',
  id: 'xyz',
  kernelApi: '^1.0.0',
};

describe('formatManifest', () => {
  it('puts $schema first and the fields in the reference order, with a final newline', () => {
    const text = formatManifest(manifest);
    const parsed = JSON.parse(text) as Record<string, Record<string, unknown>>;
    expect(Object.keys(parsed)).toEqual([
      '$schema',
      'id',
      'version',
      'name',
      'kernelApi',
      'runtime',
      'entry',
      'contributes',
    ]);
    expect(Object.keys(parsed.contributes!)).toEqual(['routes', 'assets']);
    expect(parsed.$schema).toBe(SCHEMA_REFERENCE);
    expect(text.endsWith('}\n')).toBe(true);
    expect(text).toContain('\n  "id": "xyz",\n');
  });
});

describe('writeManifestFile', () => {
  it('writes only when the content changes, and keeps a $schema the file has', () => {
    const dir = tempDir();
    const file = path.join(dir, 'goatflow-plugin.json');
    expect(writeManifestFile(dir, manifest)).toBe(true);
    expect(writeManifestFile(dir, manifest)).toBe(false);
    fs.writeFileSync(file, formatManifest(manifest, '../schema.json'));
    expect(writeManifestFile(dir, { ...manifest, version: '1.0.1' })).toBe(true);
    const written = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
    expect(written).toMatchObject({ $schema: '../schema.json', version: '1.0.1' });
  });
});
