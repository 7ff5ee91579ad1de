/**
 * Installing an uploaded plugin package: the checksum is verified before anything is unpacked, the archive is
 * unpacked safely and its manifest validated, the id checked against the bundled plugins and what is installed
 * (an upgrade only while the plugin is not enabled, never a downgrade), then the bytes are stored in
 * `kernel.plugin_packages` — the truth every kernel instance unpacks from — and the unpacked folder is moved into
 * this kernel's folder of uploaded plugins. The plugin is third-party: installed, disabled, nothing granted.
 *
 * Removing an uploaded package deletes only the package: the plugin's schema, role, grant, settings and state are
 * kept, so uploading it again (the same or a newer version) picks them up like an upgrade.
 * @module
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import type { ApiPluginUploadResult, ApiUploadOutcome, PluginManifest } from '@goatflow/sdk';
import semver from 'semver';
import type { AuditLog } from '../audit/audit-log.js';
import { ConflictError, InvalidPackageError, KernelError, NotFoundError } from '../errors/index.js';
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
import type { PluginStateStore, StoredPlugin } from './plugin-state-store.js';

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
  /**
   * One install or removal at a time in this kernel: bounds the disk and memory an admin's uploads take at once,
   * and a removal never interleaves with an upload of the same plugin.
   */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly o: PluginInstallerOptions) {}

  get limits(): Readonly<ArchiveLimits> {
    return this.o.limits ?? ARCHIVE_LIMITS;
  }

  install(upload: PackageUpload): Promise<InstallResult> {
    return this.serialised(() => this.doInstall(upload));
  }

  /**
   * Removes an uploaded package: refused (409) for a plugin that came with the installation and for one that is
   * enabled or running. The package row is deleted, this kernel rescans (the plugin leaves the list) and the other
   * instances are told; each kernel's folder sync deletes the unpacked folder once nothing runs from it. The
   * plugin's data, grant, settings and state are kept.
   */
  remove(id: string): Promise<void> {
    return this.serialised(() => this.doRemove(id));
  }

  private serialised<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.catch(() => {}).then(work);
    this.queue = run;
    return run;
  }

  private async doRemove(id: string): Promise<void> {
    const removed = await this.o.manager.whileIdle(id, async () => {
      const pkg = await this.o.store.get(id);
      if (!pkg && this.o.manager.sourceOf(id) === 'installation') {
        throw new ConflictError(
          `${id} comes with this installation (${this.o.manager.discoveredDir(id)}); it was not uploaded, so it cannot be removed here. Disable it, or delete its folder and restart GoatFlow.`,
        );
      }
      if (!pkg) throw new NotFoundError(`There is no plugin "${id}".`);
      if (await this.isEnabled(id)) {
        throw new ConflictError(`${id} ${pkg.version} is enabled: disable it first, then remove it.`);
      }
      if (!(await this.o.store.remove(id, pkg.sha256))) {
        throw new ConflictError(
          `${id} was changed by another upload or removal meanwhile. Reload and try again.`,
        );
      }
      return pkg;
    });
    await this.o.manager.packagesChanged({ announce: true });
    await this.o.audit.record({
      action: 'plugin.removed',
      targetType: 'plugin',
      targetId: id,
      details: { id, version: removed.version, sha256: removed.sha256 },
    });
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

  /** Enabled (also when it failed to start, or runs in another instance) or running in this kernel. */
  private async isEnabled(id: string, stored?: StoredPlugin): Promise<boolean> {
    const state = (stored ?? (await this.o.states.get(id)))?.state;
    return state === 'enabled' || this.o.manager.activePlugin(id) !== undefined;
  }

  /** Refuses an id that a bundled or folder plugin uses, an upgrade of an enabled plugin, and a downgrade. */
  private async checkAgainstInstalled(
    manifest: PluginManifest,
    sha256: string,
    previous: StoredPackage | undefined,
  ): Promise<void> {
    const id = manifest.id;
    if (this.o.manager.sourceOf(id) === 'installation') {
      throw new ConflictError(
        `The id "${id}" belongs to a plugin that comes with this installation (${this.o.manager.discoveredDir(id)}); an upload cannot replace it. Give your plugin another id.`,
        [{ path: '/id', code: 'taken', message: `"${id}" is the id of a bundled plugin` }],
      );
    }
    if (previous?.sha256 === sha256) return;
    const kept = await this.o.states.get(id);
    if (!previous) {
      // A removed package's data stays: the version that last ran is what its data may have been migrated to.
      if (kept?.version && semver.lt(manifest.version, kept.version)) {
        throw downgrade(
          `${id} ${kept.version} ran here before it was removed (its data is kept)`,
          kept.version,
          manifest.version,
        );
      }
      return;
    }
    if (await this.isEnabled(id, kept)) {
      throw new ConflictError(
        `${id} ${previous.version} is enabled: disable it first, then upload version ${manifest.version}.`,
      );
    }
    if (semver.lt(manifest.version, previous.version)) {
      throw downgrade(`${id} ${previous.version} is installed`, previous.version, manifest.version);
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

/** A downgrade is refused: the plugin's data may already have been migrated by the newer version. */
function downgrade(what: string, installed: string, version: string): ConflictError {
  return new ConflictError(
    `${what}; ${version} is older, and downgrades are refused (its data may already have been migrated).`,
    [
      {
        path: '/version',
        code: 'too_small',
        message: `must be newer than the installed ${installed}`,
        params: { minimum: installed },
      },
    ],
  );
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
