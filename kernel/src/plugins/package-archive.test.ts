import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { Header } from 'tar';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InvalidPackageError, PayloadTooLargeError, ValidationError } from '../errors/index.js';
import {
  ARCHIVE_LIMITS,
  parseChecksum,
  safeEntryPath,
  sha256Hex,
  unpackPackage,
  verifyChecksum,
} from './package-archive.js';

interface Entry {
  path: string;
  type?: 'File' | 'Directory' | 'SymbolicLink' | 'Link' | 'CharacterDevice' | 'BlockDevice' | 'FIFO';
  data?: string | Buffer;
  mode?: number;
  linkpath?: string;
}

/** A tar archive written header by header, so a test can put in it what no well-behaved packer would. */
function tarball(entries: Entry[], gzip = true): Buffer {
  const blocks: Buffer[] = [];
  for (const e of entries) {
    const data = e.data === undefined ? Buffer.alloc(0) : Buffer.from(e.data);
    const type = e.type ?? 'File';
    const header = new Header({
      path: e.path,
      type,
      mode: e.mode ?? (type === 'Directory' ? 0o755 : 0o644),
      size: type === 'File' ? data.length : 0,
      mtime: new Date(0),
      uid: 0,
      gid: 0,
      ...(e.linkpath ? { linkpath: e.linkpath } : {}),
    });
    header.encode();
    blocks.push(header.block!);
    if (type === 'File' && data.length) {
      blocks.push(data, Buffer.alloc((512 - (data.length % 512)) % 512));
    }
  }
  blocks.push(Buffer.alloc(1024));
  const tar = Buffer.concat(blocks);
  return gzip ? zlib.gzipSync(tar) : tar;
}

const MANIFEST = JSON.stringify({ id: 'demo', version: '1.0.0' });

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gf-unpack-'));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

async function refusal(bytes: Buffer, limits = ARCHIVE_LIMITS): Promise<InvalidPackageError> {
  const err = await unpackPackage(bytes, dir, limits).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(InvalidPackageError);
  return err as InvalidPackageError;
}

describe('parseChecksum', () => {
  const hex = 'a'.repeat(64);

  it('accepts the bare digest, sha256sum lines and the BSD form', () => {
    expect(parseChecksum(`${hex.toUpperCase()}\n`)).toBe(hex);
    expect(parseChecksum(`${hex}  hello-1.0.0.tgz\n`)).toBe(hex);
    expect(parseChecksum(`${hex} *hello-1.0.0.tgz`)).toBe(hex);
    expect(parseChecksum(`SHA256 (hello-1.0.0.tgz) = ${hex}`)).toBe(hex);
    expect(parseChecksum(`\uFEFF${hex}\r\n`)).toBe(hex);
  });

  it('picks the line naming the package when the file lists several', () => {
    const other = 'b'.repeat(64);
    const text = `${other}  other.tgz\n${hex}  dist/hello-1.0.0.tgz\n`;
    expect(parseChecksum(text, 'hello-1.0.0.tgz')).toBe(hex);
    expect(() => parseChecksum(text, 'missing.tgz')).toThrow(ValidationError);
  });

  it('refuses anything that is not a SHA-256 on the field checksum', () => {
    for (const text of ['', 'abc', 'd'.repeat(40), `${'e'.repeat(128)}  x.tgz`, 'not a checksum at all']) {
      let err: unknown;
      try {
        parseChecksum(text);
      } catch (e) {
        err = e;
      }
      expect(err, text).toBeInstanceOf(ValidationError);
      expect((err as ValidationError).details?.[0]?.path).toBe('checksum');
    }
  });
});

describe('verifyChecksum', () => {
  it('returns the digest when it matches, and names the field checksum when not', () => {
    const bytes = Buffer.from('package bytes');
    const digest = sha256Hex(bytes);
    expect(verifyChecksum(bytes, digest.toUpperCase())).toBe(digest);
    let err: unknown;
    try {
      verifyChecksum(bytes, 'f'.repeat(64));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as ValidationError).status).toBe(400);
    expect((err as ValidationError).details).toMatchObject([{ path: 'checksum', code: 'invalid' }]);
  });
});

describe('safeEntryPath', () => {
  const limits = { maxPathLength: 50, maxDepth: 3 };
  it('normalises harmless paths', () => {
    expect(safeEntryPath('./package/a.txt', limits)).toBe('package/a.txt');
    expect(safeEntryPath('package//web/', limits)).toBe('package/web');
    expect(safeEntryPath('./', limits)).toBe('');
  });
  it('refuses paths that leave the folder or are not portable', () => {
    for (const p of ['/etc/passwd', 'C:/x', '../x', 'package/../../x', 'a\\b', 'a/b/c/d', 'x'.repeat(51)]) {
      expect(safeEntryPath(p, limits), p).toHaveProperty('refused');
    }
  });
});

describe('unpackPackage', () => {
  it('unpacks an npm-pack style archive and finds the manifest in its top folder', async () => {
    const bytes = tarball([
      { path: 'package/', type: 'Directory' },
      { path: 'package/goatflow-plugin.json', data: MANIFEST },
      { path: 'package/dist/plugin.wasm', data: Buffer.from([0, 97, 115, 109]) },
      { path: 'package/bin/run.sh', data: '#!/bin/sh\n', mode: 0o4777 },
    ]);
    const out = await unpackPackage(bytes, dir);
    expect(out.root).toBe(path.join(dir, 'package'));
    expect(out.files).toBe(3);
    expect(fs.readFileSync(path.join(out.root, 'goatflow-plugin.json'), 'utf8')).toBe(MANIFEST);
    expect(fs.statSync(path.join(out.root, 'dist/plugin.wasm')).size).toBe(4);
    // Modes are plain: no setuid, nothing writable by others.
    expect(fs.statSync(path.join(out.root, 'bin/run.sh')).mode & 0o7022).toBe(0);
    expect(fs.statSync(path.join(out.root, 'dist/plugin.wasm')).mode & 0o111).toBe(0);
  });

  it('accepts the manifest at the archive root, "./" prefixes and an uncompressed tar', async () => {
    const bytes = tarball(
      [
        { path: './', type: 'Directory' },
        { path: './goatflow-plugin.json', data: MANIFEST },
      ],
      false,
    );
    expect((await unpackPackage(bytes, dir)).root).toBe(dir);
  });

  it.each([
    ['an absolute path', { path: '/tmp/evil.txt', data: 'x' }, 'absolute path'],
    ['a ".." segment', { path: 'package/../../evil.txt', data: 'x' }, '".." segment'],
    ['a leading ".."', { path: '../evil.txt', data: 'x' }, '".." segment'],
    [
      'a symbolic link',
      { path: 'package/link', type: 'SymbolicLink', linkpath: '/etc/passwd' },
      'symbolic link',
    ],
    [
      'a hard link',
      { path: 'package/hard', type: 'Link', linkpath: 'package/goatflow-plugin.json' },
      'hard link',
    ],
    ['a character device', { path: 'package/tty', type: 'CharacterDevice' }, 'device file'],
    ['a block device', { path: 'package/sda', type: 'BlockDevice' }, 'device file'],
    ['a named pipe', { path: 'package/pipe', type: 'FIFO' }, 'named pipe'],
    ['a backslash', { path: 'package\\..\\evil.txt', data: 'x' }, 'backslash'],
  ] as [string, Entry, string][])('refuses %s and writes nothing outside', async (_name, bad, words) => {
    const bytes = tarball([{ path: 'package/goatflow-plugin.json', data: MANIFEST }, bad]);
    const err = await refusal(bytes);
    expect(err.status).toBe(400);
    expect(err.code).toBe('invalid_package');
    expect(err.details?.[0]?.message).toContain(words);
    expect(err.details?.[0]?.params?.entry).toBe(bad.path);
    expect(fs.existsSync(path.join(path.dirname(dir), 'evil.txt'))).toBe(false);
    expect(fs.existsSync('/tmp/evil.txt')).toBe(false);
  });

  it('refuses a file that appears twice, and a path through a file', async () => {
    const twice = await refusal(
      tarball([
        { path: 'package/goatflow-plugin.json', data: MANIFEST },
        { path: 'package/a', data: '1' },
        { path: 'package/a', data: '2' },
      ]),
    );
    expect(twice.details?.[0]?.message).toContain('twice');
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir);
    const through = await refusal(
      tarball([
        { path: 'package/goatflow-plugin.json', data: MANIFEST },
        { path: 'package/a', data: '1' },
        { path: 'package/a/b', data: '2' },
      ]),
    );
    expect(through.details?.[0]?.message).toContain('is a file');
  });

  it('fails instead of hanging when a large file cannot be written', async () => {
    fs.mkdirSync(path.join(dir, 'package', 'big'), { recursive: true });
    const bytes = tarball([
      { path: 'package/goatflow-plugin.json', data: MANIFEST },
      { path: 'package/big', data: Buffer.alloc(8 * 1024 * 1024, 7) },
      { path: 'package/after', data: 'x' },
    ]);
    const err = await refusal(bytes);
    expect(err.details?.[0]?.params?.entry).toBe('package/big');
  });

  it('reports every refused entry, not just the first', async () => {
    const err = await refusal(
      tarball([
        { path: 'package/goatflow-plugin.json', data: MANIFEST },
        { path: '../a', data: 'x' },
        { path: 'package/l', type: 'SymbolicLink', linkpath: '../../x' },
      ]),
    );
    expect(err.details).toHaveLength(2);
  });

  it('refuses a package without a manifest, or with it outside the one top folder', async () => {
    const none = await refusal(tarball([{ path: 'package/readme.md', data: 'hi' }]));
    expect(none.details?.[0]).toMatchObject({ path: 'package', code: 'required' });
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir);
    await refusal(
      tarball([
        { path: 'a/goatflow-plugin.json', data: MANIFEST },
        { path: 'b/goatflow-plugin.json', data: MANIFEST },
      ]),
    );
  });

  it('refuses bytes that are not a tar, and a damaged or truncated archive', async () => {
    expect((await refusal(Buffer.from('just some text, not an archive'))).details?.[0]?.code).toBe(
      'invalid_format',
    );
    const good = tarball([{ path: 'package/goatflow-plugin.json', data: MANIFEST.repeat(100) }], false);
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir);
    await refusal(zlib.gzipSync(good.subarray(0, 700)));
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir);
    const gz = zlib.gzipSync(good);
    await refusal(Buffer.concat([gz.subarray(0, 20), Buffer.alloc(40, 7), gz.subarray(60)]));
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir);
    const doubled = zlib.gzipSync(zlib.gzipSync(good));
    await refusal(doubled);
  });

  it('answers 413 past the size caps, before unpacking all of a bomb', async () => {
    const limits = { ...ARCHIVE_LIMITS, maxPackageBytes: 1000 };
    const big = tarball([{ path: 'package/goatflow-plugin.json', data: Buffer.alloc(100_000, 1) }]);
    const tooBig = await unpackPackage(Buffer.concat([big, Buffer.alloc(1000)]), dir, limits).catch((e) => e);
    expect(tooBig).toBeInstanceOf(PayloadTooLargeError);
    expect(tooBig.status).toBe(413);

    // 64 MiB of zeros compresses to ~64 KiB: refused after reading past the unpacked cap, not at the end.
    const bomb = tarball([
      { path: 'package/goatflow-plugin.json', data: MANIFEST },
      { path: 'package/zeros', data: Buffer.alloc(64 * 1024 * 1024) },
    ]);
    const started = Date.now();
    const err = await unpackPackage(bomb, dir, { ...ARCHIVE_LIMITS, maxUnpackedBytes: 1024 * 1024 }).catch(
      (e) => e,
    );
    expect(err).toBeInstanceOf(PayloadTooLargeError);
    expect(err.details[0]).toMatchObject({
      path: 'package',
      code: 'too_large',
      params: { maximum: 1048576 },
    });
    expect(Date.now() - started).toBeLessThan(5000);

    const many = tarball([
      { path: 'package/goatflow-plugin.json', data: MANIFEST },
      ...Array.from({ length: 20 }, (_, i) => ({ path: `package/f${i}`, data: 'x' })),
    ]);
    const count = await unpackPackage(many, fs.mkdtempSync(path.join(dir, 'm-')), {
      ...ARCHIVE_LIMITS,
      maxEntries: 10,
    }).catch((e) => e);
    expect(count).toBeInstanceOf(PayloadTooLargeError);
  });
});
