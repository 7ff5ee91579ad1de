import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { list } from 'tar';
import { afterAll, describe, expect, it } from 'vitest';
import { buildWasmModule, I64 } from '../../testing/wasm-module.js';
import { runCli } from '../cli.js';
import { memoryIo, removeTempDirs, tempDir, tempProject } from '../project.test-util.js';
import { runPack } from './pack.js';

afterAll(removeTempDirs);

const manifest = {
  id: 'demo-pack',
  version: '1.2.3',
  name: 'Demo',
  kernelApi: '^1.0.0',
  runtime: 'wasm',
  entry: 'dist/plugin.wasm',
  permissions: { db: { own: true } },
  contributes: {
    routes: [{ method: 'GET', path: '/hello', auth: 'user', handler: 'hello' }],
    assets: 'assets',
    widgets: [
      {
        id: 'w',
        slot: 'dashboard.main',
        title: 'w.title',
        element: 'demo-widget',
        module: 'assets/demo-widget.js',
      },
    ],
    migrations: 'migrations',
    i18n: { en: 'i18n/en.json' },
  },
};

const wasm = buildWasmModule({
  imports: [
    { module: 'extism:host/user', name: 'db_query', kind: 'function', params: [I64], results: [I64] },
  ],
  memories: [{ min: 1, max: 16 }],
  functionExports: ['hello'],
});

/** A built project, with everything pack must leave out too (src/ is removed by the tests that validate). */
function builtProject(): string {
  return tempProject({
    'goatflow-plugin.json': manifest,
    'README.md': '# Demo\n',
    LICENSE: 'MIT\n',
    'package.json': { name: 'demo-pack' },
    'dist/plugin.wasm': wasm,
    'dist/.plugin.wasm.123.tmp.wasm': 'half a module',
    'assets/demo-widget.js': 'export {};\n',
    'assets/img/logo.svg': '<svg/>',
    'migrations/0001_init.sql': 'create table t (id int);\n',
    'i18n/en.json': '{"w.title": "W"}',
    'i18n/notes.txt': 'not referenced',
    'src/plugin.ts': '',
    'assembly/index.ts': '',
    'web/demo-widget.ts': '',
    'test/plugin.test.ts': '',
    'node_modules/x/index.js': '',
    'demo-pack-1.0.0.tgz': 'an older package',
  });
}

async function entries(file: string): Promise<string[]> {
  const names: string[] = [];
  await list({ file, onReadEntry: (entry) => names.push(`${entry.type} ${entry.path}`) });
  return names;
}

describe('goatflow-plugin pack', () => {
  it('packs what the kernel reads under package/, and writes the sha256sum line beside it', async () => {
    // Without src/plugin.ts the manifest counts as hand-written: validation loads no definition (the end-to-end
    // test in tests/integration/cli.test.ts packs generated ones).
    const dir = builtProject();
    fs.rmSync(path.join(dir, 'src'), { recursive: true });
    const io = memoryIo(dir);
    expect(await runPack([], io), io.stderr).toBe(0);

    const pkg = path.join(dir, 'demo-pack-1.2.3.tgz');
    expect(await entries(pkg)).toEqual([
      'File package/LICENSE',
      'File package/README.md',
      'File package/assets/demo-widget.js',
      'File package/assets/img/logo.svg',
      'File package/dist/plugin.wasm',
      'File package/goatflow-plugin.json',
      'File package/i18n/en.json',
      'File package/migrations/0001_init.sql',
    ]);
    const sha256 = createHash('sha256').update(fs.readFileSync(pkg)).digest('hex');
    expect(fs.readFileSync(`${pkg}.sha256`, 'utf8')).toBe(`${sha256}  demo-pack-1.2.3.tgz\n`);
    expect(io.stdout).toContain(`package:  ${pkg}\n`);
    expect(io.stdout).toContain(`checksum: ${pkg}.sha256\n`);
    expect(io.stdout).toContain(`sha256:   ${sha256}\n`);
  });

  it('packs the same files to the same bytes, into --out', async () => {
    const dir = builtProject();
    fs.rmSync(path.join(dir, 'src'), { recursive: true });
    const [a, b] = [tempDir(), tempDir()];
    expect(await runPack(['--out', a], memoryIo(dir))).toBe(0);
    expect(await runPack(['--dir', dir, '--out', b], memoryIo(tempDir()))).toBe(0);
    const read = (d: string) => fs.readFileSync(path.join(d, 'demo-pack-1.2.3.tgz'));
    expect(read(a).equals(read(b))).toBe(true);
  });

  it('packs nothing when validation fails, and says why', async () => {
    const dir = tempProject({ 'goatflow-plugin.json': manifest });
    const io = memoryIo(dir);
    expect(await runCli(['pack'], io)).toBe(1);
    expect(io.stderr).toContain('error: the entry dist/plugin.wasm does not exist');
    expect(io.stderr).toContain(
      'goatflow-plugin pack: the plugin is not valid (5 errors, 0 warnings), nothing was packed',
    );
    expect(fs.readdirSync(dir).filter((f) => f.endsWith('.tgz'))).toEqual([]);
  });
});
