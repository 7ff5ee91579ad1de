/**
 * Plugin packages as files: the SHA-256 checksum an admin uploads beside a package, and the safe unpacking of the
 * package itself — a gzip-compressed tar (`npm pack` style, everything under one top folder such as `package/`;
 * a manifest at the archive's root is accepted too).
 *
 * Unpacking trusts nothing in the archive. Only regular files and folders are written; an absolute path, a `..`
 * segment, a link, a device file or any other kind of entry refuses the whole package. The compressed size, the
 * unpacked bytes and the number of entries are capped while reading, so a tar or gzip bomb stops early. Files are
 * created fresh (`wx`) inside an empty folder that holds no links, with plain modes (0644, or 0755 when the archive
 * marks a file executable) and the kernel's owner.
 * @module
 */
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { finished } from 'node:stream/promises';
import zlib from 'node:zlib';
import { Parser, type ReadEntry } from 'tar';
import {
  type FieldIssue,
  InvalidPackageError,
  PayloadTooLargeError,
  ValidationError,
} from '../errors/index.js';
import { MANIFEST_FILE } from './discovery.js';

const MiB = 1024 * 1024;

export interface ArchiveLimits {
  /** The package file as uploaded (compressed). */
  maxPackageBytes: number;
  /** The sum of the sizes of all files in the archive. */
  maxUnpackedBytes: number;
  /** Files and folders in the archive. */
  maxEntries: number;
  /** Characters of one entry's path. */
  maxPathLength: number;
  /** Folders deep. */
  maxDepth: number;
}

export const ARCHIVE_LIMITS: Readonly<ArchiveLimits> = {
  maxPackageBytes: 20 * MiB,
  maxUnpackedBytes: 100 * MiB,
  maxEntries: 5000,
  maxPathLength: 512,
  maxDepth: 32,
};

/** At most this many problems are reported for one archive. */
const MAX_REPORTED = 20;

const HEX64 = /^[0-9a-f]{64}$/i;

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * The expected SHA-256 (lower-case hex) from the text of a checksum file: just the 64 hex digits, or `sha256sum`
 * output (`<hex>  <file>` or `<hex> *<file>`, one line per file), or BSD style (`SHA256 (<file>) = <hex>`). With
 * several lines, the one naming `packageFilename` counts. Throws a {@link ValidationError} on the field `checksum`.
 */
export function parseChecksum(text: string, packageFilename?: string): string {
  const body = text.replace(/^\uFEFF/, '').trim();
  if (HEX64.test(body)) return body.toLowerCase();
  const lines = body
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  const parsed: { hex: string; file: string }[] = [];
  for (const line of lines) {
    const gnu = /^([0-9a-fA-F]{64}) [ *]?(.+)$/.exec(line);
    const bsd = /^SHA256 ?\((.+)\) ?= ?([0-9a-fA-F]{64})$/.exec(line);
    if (gnu) parsed.push({ hex: gnu[1]!.toLowerCase(), file: gnu[2]!.trim() });
    else if (bsd) parsed.push({ hex: bsd[2]!.toLowerCase(), file: bsd[1]!.trim() });
    else {
      throw new ValidationError([
        {
          path: 'checksum',
          code: 'invalid_format',
          message:
            'is not a SHA-256 checksum: give the 64 hex digits, or the line sha256sum prints ("<hex>  <file>")',
        },
      ]);
    }
  }
  if (parsed.length === 0) {
    throw new ValidationError([{ path: 'checksum', code: 'required', message: 'is empty' }]);
  }
  if (parsed.length === 1) return parsed[0]!.hex;
  const name = packageFilename ? path.posix.basename(packageFilename.replaceAll('\\', '/')) : undefined;
  const match = parsed.find((p) => name !== undefined && path.posix.basename(p.file) === name);
  if (!match) {
    throw new ValidationError([
      {
        path: 'checksum',
        code: 'invalid',
        message: `lists ${parsed.length} files but none named "${name ?? '(no file name given)'}"`,
      },
    ]);
  }
  return match.hex;
}

/** Compares the package's digest with the expected one; throws a {@link ValidationError} on `checksum`. */
export function verifyChecksum(bytes: Uint8Array, expectedHex: string): string {
  const actual = sha256Hex(bytes);
  if (actual !== expectedHex.toLowerCase()) {
    throw new ValidationError(
      [
        {
          path: 'checksum',
          code: 'invalid',
          message: `does not match the package: the package's SHA-256 is ${actual}, the checksum says ${expectedHex.toLowerCase()}`,
        },
      ],
      'The checksum does not match the package: it was changed or damaged on the way. Nothing was installed.',
    );
  }
  return actual;
}

export interface UnpackedPackage {
  /** The folder holding `goatflow-plugin.json`: `dest` itself or its one top folder. */
  root: string;
  files: number;
  bytes: number;
}

type Problem = FieldIssue;

const problem = (entry: string, message: string): Problem => ({
  path: 'package',
  code: 'invalid',
  message: `${JSON.stringify(entry)}: ${message}`,
  params: { entry },
});

/**
 * The entry's path relative to the archive root (`./` and empty segments dropped), or the reason it is refused.
 * An empty string is the archive root itself.
 */
export function safeEntryPath(
  raw: string,
  limits: Pick<ArchiveLimits, 'maxPathLength' | 'maxDepth'>,
): string | { refused: string } {
  if (raw.includes('\0')) return { refused: 'contains a NUL character' };
  if (raw.includes('\\')) return { refused: 'contains a backslash; use / between folders' };
  if (raw.startsWith('/') || /^[A-Za-z]:/.test(raw)) return { refused: 'is an absolute path' };
  const segments = raw.split('/').filter((s) => s !== '' && s !== '.');
  if (segments.includes('..'))
    return { refused: 'contains a ".." segment (it would reach outside the package)' };
  const rel = segments.join('/');
  if (rel.length > limits.maxPathLength)
    return { refused: `is longer than ${limits.maxPathLength} characters` };
  if (segments.length > limits.maxDepth) return { refused: `is deeper than ${limits.maxDepth} folders` };
  return rel;
}

const FILE_TYPES = new Set(['File', 'OldFile', 'ContiguousFile']);

function refusedType(type: string): string {
  if (type === 'SymbolicLink') return 'is a symbolic link; packages may hold only files and folders';
  if (type === 'Link') return 'is a hard link; packages may hold only files and folders';
  if (type === 'CharacterDevice' || type === 'BlockDevice')
    return 'is a device file; packages may hold only files and folders';
  if (type === 'FIFO') return 'is a named pipe; packages may hold only files and folders';
  return `is a tar entry of type ${type}; packages may hold only files and folders`;
}

/** Feeds the archive in pieces, so the streams below keep their backpressure. */
function* pieces(bytes: Uint8Array, size = 64 * 1024): Generator<Buffer> {
  for (let i = 0; i < bytes.length; i += size)
    yield Buffer.from(bytes.buffer, bytes.byteOffset + i, Math.min(size, bytes.length - i));
}

/**
 * Unpacks a package into `dest`, an empty folder. Throws {@link InvalidPackageError} (400) for anything unsafe or
 * unreadable and {@link PayloadTooLargeError} (413) past a cap; `dest` may then hold part of the package and is
 * the caller's to remove.
 */
export async function unpackPackage(
  bytes: Uint8Array,
  dest: string,
  limits: Readonly<ArchiveLimits> = ARCHIVE_LIMITS,
): Promise<UnpackedPackage> {
  if (bytes.length > limits.maxPackageBytes) {
    throw tooLarge(`The package is larger than ${limits.maxPackageBytes} bytes.`, limits.maxPackageBytes);
  }
  const gzip = bytes[0] === 0x1f && bytes[1] === 0x8b;
  const tarMagic = Buffer.from(bytes.subarray(257, 262)).toString('latin1') === 'ustar';
  if (!gzip && !tarMagic) {
    throw new InvalidPackageError('The package is not a .tgz (gzip-compressed tar) file.', [
      { path: 'package', code: 'invalid_format', message: 'is not a gzip-compressed tar archive (.tgz)' },
    ]);
  }
  const base = path.resolve(dest);
  const problems: Problem[] = [];
  const seen = new Map<string, 'file' | 'dir'>();
  const writes: Promise<unknown>[] = [];
  let fatal: Error | undefined;
  let entries = 0;
  let fileBytes = 0;
  let files = 0;
  // Headers and padding take at most 1536 bytes per entry (a pax header, the entry's header, padding).
  const streamCap = limits.maxUnpackedBytes + (limits.maxEntries + 2) * 1536 + 2 * 10240;

  const refuse = (entry: string, message: string) => {
    if (problems.length < MAX_REPORTED) problems.push(problem(entry, message));
  };

  const parser = new Parser({
    strict: true,
    gzip: false,
    brotli: false,
    zstd: false,
    onReadEntry: (entry: ReadEntry) => {
      try {
        accept(entry);
      } catch (err) {
        fatal ??= err as Error;
        entry.resume();
      }
    },
  } as ConstructorParameters<typeof Parser>[0]);

  const accept = (entry: ReadEntry) => {
    entries++;
    if (entries > limits.maxEntries) {
      throw tooLarge(
        `The package holds more than ${limits.maxEntries} files and folders.`,
        limits.maxEntries,
        'entries',
      );
    }
    const raw = entry.path;
    const rel = safeEntryPath(raw, limits);
    const isFile = FILE_TYPES.has(entry.type);
    const isDir = entry.type === 'Directory';
    if (typeof rel !== 'string') refuse(raw, rel.refused);
    else if (!isFile && !isDir) refuse(raw, refusedType(entry.type));
    else if (rel === '' && isFile) refuse(raw, 'is a file without a name');
    if (isFile) {
      fileBytes += entry.size ?? 0;
      if (fileBytes > limits.maxUnpackedBytes) {
        throw tooLarge(
          `The package unpacks to more than ${limits.maxUnpackedBytes} bytes.`,
          limits.maxUnpackedBytes,
          'unpacked',
        );
      }
    }
    if (problems.length || typeof rel !== 'string' || rel === '') {
      entry.resume();
      return;
    }
    // A path must not run through a file, and a file must not come twice.
    const segments = rel.split('/');
    for (let i = 1; i < segments.length; i++) {
      const parent = segments.slice(0, i).join('/');
      if (seen.get(parent) === 'file') refuse(raw, `lies inside "${parent}", which is a file`);
      else seen.set(parent, 'dir');
    }
    const before = seen.get(rel);
    if (before === 'file' || (before === 'dir' && isFile)) refuse(raw, 'appears twice in the archive');
    if (problems.length) {
      entry.resume();
      return;
    }
    const target = path.join(base, rel);
    if (!target.startsWith(base + path.sep))
      throw new Error(`unpacking ${raw} would leave the package folder`);
    if (isDir) {
      seen.set(rel, 'dir');
      fs.mkdirSync(target, { recursive: true, mode: 0o755 });
      entry.resume();
      return;
    }
    seen.set(rel, 'file');
    files++;
    fs.mkdirSync(path.dirname(target), { recursive: true, mode: 0o755 });
    const out = fs.createWriteStream(target, {
      flags: 'wx',
      mode: (entry.mode ?? 0) & 0o111 ? 0o755 : 0o644,
    });
    entry.pipe(out);
    writes.push(
      finished(out).catch((err: NodeJS.ErrnoException) => {
        if (err.code === 'EEXIST') refuse(raw, 'appears twice in the archive');
        else fatal ??= err;
        // The rest of this entry is dropped, so the parser is not left waiting on a stream that is gone.
        entry.unpipe(out);
        entry.resume();
      }),
    );
  };

  let parseError: Error | undefined;
  const parsed = new Promise<void>((resolve, reject) => {
    parser.on('error', (err: Error) => {
      parseError ??= err;
      reject(err);
    });
    parser.on('end', () => resolve());
  });
  parsed.catch(() => {});
  const source = Readable.from(pieces(bytes));
  const stream: AsyncIterable<Buffer> = gzip ? source.pipe(zlib.createGunzip()) : source;
  let unpacked = 0;
  let first = true;
  try {
    for await (const chunk of stream) {
      if (first && chunk[0] === 0x1f && chunk[1] === 0x8b) {
        throw new InvalidPackageError('The package is compressed twice.', [
          {
            path: 'package',
            code: 'invalid_format',
            message: 'holds a compressed file where the tar archive should be',
          },
        ]);
      }
      first = false;
      unpacked += chunk.length;
      if (unpacked > streamCap) {
        throw tooLarge(
          `The package unpacks to more than ${limits.maxUnpackedBytes} bytes.`,
          limits.maxUnpackedBytes,
          'unpacked',
        );
      }
      if (fatal || parseError) break;
      if (!parser.write(chunk)) await Promise.race([once(parser, 'drain'), parsed]);
    }
    if (!fatal && !parseError) {
      parser.end();
      await parsed;
    }
  } catch (err) {
    if (err instanceof InvalidPackageError || err instanceof PayloadTooLargeError) throw err;
    if ((err as NodeJS.ErrnoException).code?.startsWith('Z_')) throw unreadable(err as Error);
    if (err !== parseError) throw err;
  } finally {
    source.destroy();
    await Promise.allSettled(writes);
  }
  if (fatal) throw fatal;
  if (parseError) throw unreadable(parseError);
  if (fatal) throw fatal;
  if (problems.length) {
    throw new InvalidPackageError(
      `The package holds entries that are not allowed: ${problems[0]!.message}${problems.length > 1 ? ` (and ${problems.length - 1} more)` : ''}. Nothing was installed.`,
      problems,
    );
  }
  await assertOnlyFilesAndFolders(base);
  return { root: await findRoot(base), files, bytes: fileBytes };
}

function unreadable(err: Error): InvalidPackageError {
  return new InvalidPackageError('The package is not a readable .tgz file (damaged or truncated).', [
    { path: 'package', code: 'invalid_format', message: `cannot be read: ${err.message}` },
  ]);
}

function tooLarge(message: string, maximum: number, what = 'package'): PayloadTooLargeError {
  return new PayloadTooLargeError(message, [
    { path: 'package', code: 'too_large', message: `${what}: ${message}`, params: { maximum } },
  ]);
}

/** The manifest lies at the archive's root or in its one top folder (`package/` for npm pack). */
async function findRoot(base: string): Promise<string> {
  const isFile = (p: string) =>
    fsp.lstat(p).then(
      (s) => s.isFile(),
      () => false,
    );
  if (await isFile(path.join(base, MANIFEST_FILE))) return base;
  const top = await fsp.readdir(base, { withFileTypes: true });
  if (top.length === 1 && top[0]!.isDirectory()) {
    const root = path.join(base, top[0]!.name);
    if (await isFile(path.join(root, MANIFEST_FILE))) return root;
  }
  throw new InvalidPackageError(
    `The package has no ${MANIFEST_FILE}: put it in the archive's one top folder (such as package/, as npm pack does).`,
    [
      {
        path: 'package',
        code: 'required',
        message: `has no ${MANIFEST_FILE} at the root of its one top folder`,
      },
    ],
  );
}

/** A second look at what was written: nothing but files and folders (the unpacking never creates anything else). */
async function assertOnlyFilesAndFolders(dir: string): Promise<void> {
  for (const entry of await fsp.readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) await assertOnlyFilesAndFolders(full);
    else if (!entry.isFile()) throw new Error(`unpacking left something that is not a file: ${full}`);
  }
}
