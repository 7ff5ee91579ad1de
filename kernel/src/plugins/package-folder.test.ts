import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { Header } from 'tar';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../log/logger.js';
import { sha256Hex } from './package-archive.js';
import { PackageFolder } from './package-folder.js';
import type { PluginPackageStore, StoredPackage } from './package-store.js';

function tgz(files: Record<string, string>): Buffer {
  const blocks: Buffer[] = [];
  for (const [name, text] of Object.entries(files)) {
    const data = Buffer.from(text);
    const header = new Header({ path: `package/${name}`, type: 'File', mode: 0o644, size: data.length });
    header.encode();
    blocks.push(header.block!, data, Buffer.alloc((512 - (data.length % 512)) % 512));
  }
  blocks.push(Buffer.alloc(1024));
  return zlib.gzipSync(Buffer.concat(blocks));
}

/** The table, in memory. */
class FakeStore {
  rows = new Map<string, { pkg: StoredPackage; bytes: Buffer }>();
  put(id: string, version: string, bytes: Buffer, sha256 = sha256Hex(bytes)) {
    this.rows.set(id, {
      pkg: { id, version, sha256, size: bytes.length, uploadedBy: null, uploadedAt: new Date() },
      bytes,
    });
    return sha256;
  }
  /** Ids whose rows `list` does not show yet: an upload that stored its row after a sync read the table. */
  hiddenFromList = new Set<string>();
  async list() {
    return [...this.rows.values()].map((r) => r.pkg).filter((p) => !this.hiddenFromList.has(p.id));
  }
  async get(id: string) {
    return this.rows.get(id)?.pkg;
  }
  async bytes(id: string, sha256: string) {
    const row = this.rows.get(id);
    return row?.pkg.sha256 === sha256 ? row.bytes : undefined;
  }
}

let dir: string;
let store: FakeStore;
let folder: PackageFolder;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gf-packages-'));
  store = new FakeStore();
  folder = new PackageFolder({
    dir,
    store: store as unknown as PluginPackageStore,
    logger: createLogger('silent'),
  });
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

const manifest = (version: string) => ({ 'goatflow-plugin.json': JSON.stringify({ id: 'demo', version }) });

describe('PackageFolder.sync', () => {
  it('unpacks what the table holds into <id>/<sha256> and lists exactly those folders', async () => {
    const sha = store.put('demo', '1.0.0', tgz(manifest('1.0.0')));
    fs.mkdirSync(path.join(dir, 'hand-made'), { recursive: true });
    const root = await folder.sync();
    expect(root).toEqual({ dir, firstParty: false, folders: [path.join('demo', sha)] });
    expect(fs.readFileSync(path.join(dir, 'demo', sha, 'goatflow-plugin.json'), 'utf8')).toContain('1.0.0');
    // A second sync finds it in place and changes nothing.
    expect(await folder.sync()).toEqual(root);
  });

  it('replaces an older package and removes its folder, unless a running plugin uses it', async () => {
    const v1 = store.put('demo', '1.0.0', tgz(manifest('1.0.0')));
    await folder.sync();
    const v2 = store.put('demo', '2.0.0', tgz(manifest('2.0.0')));
    const inUse = new Set([path.join(dir, 'demo', v1)]);
    expect((await folder.sync(inUse)).folders).toEqual([path.join('demo', v2)]);
    expect(fs.existsSync(path.join(dir, 'demo', v1))).toBe(true);
    await folder.sync();
    expect(fs.existsSync(path.join(dir, 'demo', v1))).toBe(false);
    expect(fs.existsSync(path.join(dir, 'demo', v2))).toBe(true);
  });

  it('deletes the folders of a removed package once no running plugin uses them, nothing else', async () => {
    const sha = store.put('demo', '1.0.0', tgz(manifest('1.0.0')));
    await folder.sync();
    fs.mkdirSync(path.join(dir, 'hand-made', 'notes'), { recursive: true });
    store.rows.delete('demo');
    const inUse = new Set([path.join(dir, 'demo', sha)]);
    expect((await folder.sync(inUse)).folders).toEqual([]);
    expect(fs.existsSync(path.join(dir, 'demo', sha))).toBe(true);
    await folder.sync();
    expect(fs.existsSync(path.join(dir, 'demo'))).toBe(false);
    expect(fs.existsSync(path.join(dir, 'hand-made', 'notes'))).toBe(true);
  });

  it('keeps a folder another kernel placed after this sync read the table (its row is there by then)', async () => {
    const sha = store.put('demo', '1.0.0', tgz(manifest('1.0.0')));
    await folder.sync();
    store.hiddenFromList.add('demo');
    await folder.sync();
    expect(fs.existsSync(path.join(dir, 'demo', sha))).toBe(true);
  });

  it('leaves out a package whose bytes do not match their digest or do not unpack, keeping the others', async () => {
    store.put('demo', '1.0.0', tgz(manifest('1.0.0')), 'f'.repeat(64));
    store.put('broken', '1.0.0', Buffer.from('not an archive'));
    const good = store.put('fine', '1.0.0', tgz({ 'goatflow-plugin.json': '{"id":"fine"}' }));
    expect((await folder.sync()).folders).toEqual([path.join('fine', good)]);
    expect(fs.readdirSync(path.join(dir, '.incoming'))).toEqual([]);
  });

  it('keeps the first folder placed when two kernels sharing the folder unpack the same package', async () => {
    const bytes = tgz(manifest('1.0.0'));
    const sha = store.put('demo', '1.0.0', bytes);
    const other = new PackageFolder({
      dir,
      store: store as unknown as PluginPackageStore,
      logger: createLogger('silent'),
    });
    const [a, b] = await Promise.all([folder.sync(), other.sync()]);
    expect(a.folders).toEqual([path.join('demo', sha)]);
    expect(b.folders).toEqual(a.folders);
    expect(fs.readdirSync(path.join(dir, 'demo', sha))).toEqual(['goatflow-plugin.json']);
  });
});
