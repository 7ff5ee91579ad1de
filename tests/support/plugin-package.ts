/**
 * Plugin packages for upload tests: a plain ustar writer (so a test can also write what no well-behaved packer
 * would: `..` paths, absolute paths, links, device files), packing a folder npm-pack style under `package/`, the
 * sha256sum line, and the multipart form `POST /api/admin/plugins/upload` takes.
 * @module
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

export interface TarEntry {
  path: string;
  type?: 'file' | 'dir' | 'symlink' | 'hardlink' | 'chardev' | 'fifo';
  data?: string | Buffer;
  mode?: number;
  linkpath?: string;
}

const TYPEFLAG = { file: '0', hardlink: '1', symlink: '2', chardev: '3', dir: '5', fifo: '6' } as const;

function octal(block: Buffer, offset: number, length: number, value: number): void {
  block.write(`${value.toString(8).padStart(length - 1, '0')}\0`, offset, length, 'latin1');
}

function header(entry: TarEntry, size: number): Buffer {
  const block = Buffer.alloc(512);
  let name = entry.path;
  let prefix = '';
  if (Buffer.byteLength(name) > 100) {
    const cut = name.lastIndexOf('/', 155);
    prefix = name.slice(0, cut);
    name = name.slice(cut + 1);
    if (cut < 0 || Buffer.byteLength(name) > 100) throw new Error(`path too long for ustar: ${entry.path}`);
  }
  const type = entry.type ?? 'file';
  block.write(name, 0, 100, 'utf8');
  octal(block, 100, 8, entry.mode ?? (type === 'dir' ? 0o755 : 0o644));
  octal(block, 108, 8, 0);
  octal(block, 116, 8, 0);
  octal(block, 124, 12, size);
  octal(block, 136, 12, 0);
  block.fill(' ', 148, 156);
  block.write(TYPEFLAG[type], 156, 1, 'latin1');
  if (entry.linkpath) block.write(entry.linkpath, 157, 100, 'utf8');
  block.write('ustar\0', 257, 6, 'latin1');
  block.write('00', 263, 2, 'latin1');
  block.write(prefix, 345, 155, 'utf8');
  let sum = 0;
  for (const byte of block) sum += byte;
  block.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 8, 'latin1');
  return block;
}

/** A .tgz (or, with `gzip: false`, a .tar) holding exactly these entries, in this order. */
export function tarball(entries: TarEntry[], options: { gzip?: boolean } = {}): Buffer {
  const blocks: Buffer[] = [];
  for (const entry of entries) {
    const data = entry.data === undefined ? Buffer.alloc(0) : Buffer.from(entry.data);
    const size = (entry.type ?? 'file') === 'file' ? data.length : 0;
    blocks.push(header(entry, size));
    if (size) blocks.push(data, Buffer.alloc((512 - (size % 512)) % 512));
  }
  blocks.push(Buffer.alloc(1024));
  const tar = Buffer.concat(blocks);
  return options.gzip === false ? tar : zlib.gzipSync(tar);
}

/**
 * Packs a plugin folder as `npm pack` does: every file under `package/`. `extra` adds or replaces files
 * (path inside the package → content), e.g. a built .wasm or a changed manifest.
 */
export function packPlugin(dir: string, extra: Record<string, string | Buffer> = {}): Buffer {
  const files = new Map<string, Buffer>();
  const walk = (rel: string) => {
    for (const entry of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const child = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(child);
      else if (entry.isFile()) files.set(child, fs.readFileSync(path.join(dir, child)));
    }
  };
  walk('');
  for (const [name, content] of Object.entries(extra)) files.set(name, Buffer.from(content));
  const entries: TarEntry[] = [{ path: 'package/', type: 'dir' }];
  for (const name of [...files.keys()].sort())
    entries.push({ path: `package/${name}`, data: files.get(name)! });
  return tarball(entries);
}

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** The line `sha256sum <file>` prints. */
export function sha256sumLine(bytes: Uint8Array, filename: string): string {
  return `${sha256(bytes)}  ${filename}\n`;
}

/**
 * The upload form: `package` as a file, `checksum` as a file (the sha256sum line, by default) or, with
 * `checksumAsText`, as a plain form field.
 */
export function uploadForm(
  pkg: Uint8Array | undefined,
  options: { filename?: string; checksum?: string; checksumAsText?: boolean } = {},
): FormData {
  const filename = options.filename ?? 'plugin-1.0.0.tgz';
  const form = new FormData();
  if (pkg) form.append('package', new Blob([new Uint8Array(pkg)], { type: 'application/gzip' }), filename);
  const checksum = options.checksum ?? (pkg ? sha256sumLine(pkg, filename) : undefined);
  if (checksum !== undefined) {
    if (options.checksumAsText) form.append('checksum', checksum);
    else form.append('checksum', new Blob([checksum], { type: 'text/plain' }), `${filename}.sha256`);
  }
  return form;
}
