/**
 * Installing an uploaded plugin package: the checksum is verified before anything is unpacked, the archive is
 * unpacked safely and its manifest validated, the id checked against the bundled plugins and what is installed
 * (an upgrade only while the plugin is not enabled, never a downgrade), then the bytes are stored in
 * `kernel.plugin_packages` — the truth every kernel instance unpacks from — and the unpacked folder is moved into
 * this kernel's folder of uploaded plugins. The plugin is third-party: installed, disabled, nothing granted.
 * @module
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import type { ApiPluginUploadResult, ApiUploadOutcome, PluginManifest } from '@goatflow/sdk';
import semver from 'semver';
import type { AuditLog } from '../audit/audit-log.js';
import { ConflictError, InvalidPackageError, KernelError } from '../errors/index.js';
import { MANIFEST_FILE, readManifest } from './discovery.js';
import {
  ARCHIVE_LIMITS,
  type ArchiveLimits,
  parseChecksum,
  unpackPackage,
  verifyChecksum,
} from './package-archive.js';
import type { PackageFolder } from './package-folder.js';
import type { PluginPackageStore, StoredPackage } from './package-store.js';
import { KERNEL_API_VERSION, type PluginManager } from './plugin-manager.js';
import type { PluginStateStore } from './plugin-state-store.js';

/** The largest manifest read from a package. */
const MAX_MANIFEST_BYTES = 1024 * 1024;

export interface PackageUpload {
  /** The package file as uploaded. */
  bytes: Uint8Array;
  /** Its file name as the client gave it, to pick the right line of a checksum file listing several. */
  filename: string | undefined;
  /** The text of the checksum file (or the hex digest). */
  checksum: string;
  actorId: number | undefined;
}

/** The answer to an upload; the shape is the SDK's, shared with the web client. */
export type InstallResult = ApiPluginUploadResult;
type InstallOutcome = ApiUploadOutcome;

export interface PluginInstallerOptions {
  manager: PluginManager;
  folder: PackageFolder;
  store: PluginPackageStore;
  states: PluginStateStore;
  audit: AuditLog;
  limits?: Readonly<ArchiveLimits>;
}

export class PluginInstaller {
  /** One install at a time in this kernel: bounds the disk and memory an admin's uploads take at once. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly o: PluginInstallerOptions) {}

  get limits(): Readonly<ArchiveLimits> {
    return this.o.limits ?? ARCHIVE_LIMITS;
  }

  install(upload: PackageUpload): Promise<InstallResult> {
    const run = this.queue.catch(() => {}).then(() => this.doInstall(upload));
    this.queue = run;
    return run;
  }

  private async doInstall(upload: PackageUpload): Promise<InstallResult> {
    const expected = parseChecksum(upload.checksum, upload.filename);
    const sha256 = verifyChecksum(upload.bytes, expected);
    const work = await this.o.folder.incoming().catch((err: NodeJS.ErrnoException) => {
      // A read-only or full data directory is the operator's to fix; the upload is refused, nothing is stored.
      throw new KernelError(
        'service_unavailable',
        `Uploaded plugins are unpacked into ${this.o.folder.dir}, which cannot be written (${err.code ?? err.message}). Make GOATFLOW_DATA_DIR writable, then upload again.`,
      );
    });
    let manifest: PluginManifest;
    let previous: StoredPackage | undefined;
    try {
      const { root } = await unpackPackage(upload.bytes, work, this.limits);
      manifest = await readPackageManifest(root);
      previous = await this.o.store.get(manifest.id);
      await this.checkAgainstInstalled(manifest, sha256, previous);
      if (previous?.sha256 !== sha256) {
        await this.o.store.save(
          {
            id: manifest.id,
            version: manifest.version,
            sha256,
            bytes: upload.bytes,
            uploadedBy: upload.actorId ?? null,
          },
          previous?.sha256,
        );
        await this.o.folder.place(root, manifest.id, sha256);
      }
    } finally {
      await fs.rm(work, { recursive: true, force: true });
    }
    const outcome: InstallOutcome =
      previous?.sha256 === sha256 ? 'unchanged' : previous ? 'upgraded' : 'installed';
    if (outcome !== 'unchanged') await this.o.manager.packagesChanged({ announce: true });
    await this.o.audit.record({
      action: 'plugin.uploaded',
      targetType: 'plugin',
      targetId: manifest.id,
      details: {
        id: manifest.id,
        version: manifest.version,
        sha256,
        size: upload.bytes.length,
        previousVersion: previous?.version ?? null,
        outcome,
      },
    });
    return {
      plugin: await this.o.manager.get(manifest.id),
      package: {
        id: manifest.id,
        version: manifest.version,
        sha256,
        size: upload.bytes.length,
        previousVersion: previous?.version ?? null,
        outcome,
      },
    };
  }

  /** Refuses an id that a bundled or folder plugin uses, an upgrade of an enabled plugin, and a downgrade. */
  private async checkAgainstInstalled(
    manifest: PluginManifest,
    sha256: string,
    previous: StoredPackage | undefined,
  ): Promise<void> {
    const id = manifest.id;
    const dir = this.o.manager.discoveredDir(id);
    const uploadsDir = path.resolve(this.o.folder.dir) + path.sep;
    if (dir && !path.resolve(dir).startsWith(uploadsDir)) {
      throw new ConflictError(
        `The id "${id}" belongs to a plugin that comes with this installation (${dir}); an upload cannot replace it. Give your plugin another id.`,
        [{ path: '/id', code: 'taken', message: `"${id}" is the id of a bundled plugin` }],
      );
    }
    if (!previous || previous.sha256 === sha256) return;
    const state = (await this.o.states.get(id))?.state;
    if (state === 'enabled' || this.o.manager.activePlugin(id)) {
      throw new ConflictError(
        `${id} ${previous.version} is enabled: disable it first, then upload version ${manifest.version}.`,
      );
    }
    if (semver.lt(manifest.version, previous.version)) {
      throw new ConflictError(
        `${id} ${previous.version} is installed; ${manifest.version} is older, and downgrades are refused (its data may already have been migrated).`,
        [
          {
            path: '/version',
            code: 'too_small',
            message: `must be newer than the installed ${previous.version}`,
            params: { minimum: previous.version },
          },
        ],
      );
    }
    if (semver.eq(manifest.version, previous.version)) {
      throw new ConflictError(
        `${id} ${previous.version} is installed with different contents. Give the changed package a new version.`,
        [
          {
            path: '/version',
            code: 'taken',
            message: `${previous.version} is installed with different contents`,
          },
        ],
      );
    }
  }
}

/** Reads and validates the package's manifest as discovery will; throws {@link InvalidPackageError} with its issues. */
async function readPackageManifest(root: string): Promise<PluginManifest> {
  const file = path.join(root, MANIFEST_FILE);
  const stat = await fs.stat(file);
  if (stat.size > MAX_MANIFEST_BYTES) {
    throw new InvalidPackageError(`${MANIFEST_FILE} is larger than ${MAX_MANIFEST_BYTES} bytes.`, [
      {
        path: '/',
        code: 'too_large',
        message: 'the manifest is too large',
        params: { maximum: MAX_MANIFEST_BYTES },
      },
    ]);
  }
  const checked = readManifest(await fs.readFile(file, 'utf8'), root, 'package', false, KERNEL_API_VERSION);
  const manifest = checked.manifest;
  const issues = checked.issues.map((i) => ({ path: i.path, code: 'invalid', message: i.message }));
  if (manifest?.runtime === 'wasm') {
    const entry = path.resolve(root, manifest.entry);
    const isFile =
      entry.startsWith(root + path.sep) &&
      (await fs.stat(entry).then(
        (s) => s.isFile(),
        () => false,
      ));
    if (!isFile) {
      issues.push({
        path: '/entry',
        code: 'invalid',
        message: `"${manifest.entry}" is not a file in the package`,
      });
    }
  }
  if (!manifest || issues.length) {
    throw new InvalidPackageError(
      `The package's ${MANIFEST_FILE} is invalid: ${issues.map((i) => `${i.path} ${i.message}`).join('; ')}`,
      issues,
    );
  }
  return manifest;
}
