/**
 * This kernel's folder of uploaded plugins (`<GOATFLOW_DATA_DIR>/uploaded-plugins`): a local copy of
 * `kernel.plugin_packages`, which is the truth. Each package is unpacked into `<id>/<sha256>/`; a folder is
 * unpacked in `.incoming/` and renamed into place when complete, so a half-written folder is never seen (nor
 * found by discovery), and kernels that share the folder cannot trip over each other: the first rename wins and
 * the contents are the same by construction.
 *
 * {@link PackageFolder.sync} makes the folder match the table: missing or stale packages are unpacked, older
 * folders of a plugin — and all folders of a plugin whose package was removed — are removed once no running
 * plugin uses them. It answers the discovery root listing exactly
 * the folders of the packages installed now; anything else in the folder is ignored.
 * @module
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { PLUGIN_ID_PATTERN } from '@goatflow/sdk';
import type { Logger } from '../log/logger.js';
import type { PluginRoot } from './discovery.js';
import { ARCHIVE_LIMITS, type ArchiveLimits, sha256Hex, unpackPackage } from './package-archive.js';
import type { PluginPackageStore } from './package-store.js';

const INCOMING = '.incoming';
/** Temporary folders older than this were left by a crash and are removed. */
const STALE_INCOMING_MS = 60 * 60 * 1000;
const SHA256 = /^[0-9a-f]{64}$/;

export interface PackageFolderOptions {
  dir: string;
  store: PluginPackageStore;
  logger: Logger;
  limits?: Readonly<ArchiveLimits>;
}

export class PackageFolder {
  private syncing: Promise<unknown> = Promise.resolve();

  constructor(private readonly o: PackageFolderOptions) {}

  get dir(): string {
    return this.o.dir;
  }

  /** Where a package's files are, relative to {@link dir}. */
  folderOf(id: string, sha256: string): string {
    if (!PLUGIN_ID_PATTERN.test(id) || !SHA256.test(sha256)) throw new Error(`bad package ${id}@${sha256}`);
    return path.join(id, sha256);
  }

  /** A new empty folder on the same file system as the plugin folders, for unpacking into. */
  async incoming(): Promise<string> {
    const dir = path.join(this.o.dir, INCOMING, `${Date.now()}-${randomBytes(6).toString('hex')}`);
    await fs.mkdir(dir, { recursive: true, mode: 0o700 });
    return dir;
  }

  /**
   * Moves an unpacked package (`root`, inside a folder from {@link incoming}) into place. When the folder for that
   * digest already exists (another kernel on the same folder was faster), that one stays. Returns its path.
   */
  async place(root: string, id: string, sha256: string): Promise<string> {
    const target = path.join(this.o.dir, this.folderOf(id, sha256));
    await fs.mkdir(path.dirname(target), { recursive: true });
    await fs.chmod(root, 0o755);
    try {
      await fs.rename(root, target);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== 'ENOTEMPTY' && code !== 'EEXIST') throw err;
    }
    return target;
  }

  /**
   * Makes the folder match the table and answers the discovery root of the uploaded plugins. A package that
   * cannot be unpacked is logged and left out (the others are not held up). `inUse` are folders of plugins
   * running in this kernel: they are never removed.
   */
  sync(inUse: ReadonlySet<string> = new Set()): Promise<PluginRoot> {
    const run = this.syncing.catch(() => {}).then(() => this.doSync(inUse));
    this.syncing = run;
    return run;
  }

  private async doSync(inUse: ReadonlySet<string>): Promise<PluginRoot> {
    const packages = await this.o.store.list();
    const folders: string[] = [];
    if (packages.length) await this.removeStaleIncoming();
    for (const pkg of packages) {
      let folder: string;
      try {
        folder = this.folderOf(pkg.id, pkg.sha256);
      } catch {
        this.o.logger.error(
          { plugin: pkg.id },
          'uploaded plugin package has an invalid id or digest; skipped',
        );
        continue;
      }
      const target = path.join(this.o.dir, folder);
      if (!(await exists(target))) {
        try {
          if (!(await this.unpackFromStore(pkg.id, pkg.sha256))) continue; // replaced meanwhile: next sync
        } catch (err) {
          this.o.logger.error(
            { plugin: pkg.id, version: pkg.version, err: (err as Error).message },
            'uploaded plugin package could not be unpacked',
          );
          continue;
        }
      }
      folders.push(folder);
      await this.removeOlder(pkg.id, pkg.sha256, inUse);
    }
    await this.removeDropped(new Set(packages.map((p) => p.id)), inUse);
    return { dir: this.o.dir, firstParty: false, folders };
  }

  private async unpackFromStore(id: string, sha256: string): Promise<boolean> {
    const bytes = await this.o.store.bytes(id, sha256);
    if (!bytes) return false;
    if (sha256Hex(bytes) !== sha256) throw new Error('the stored package does not match its SHA-256');
    const work = await this.incoming();
    try {
      const { root } = await unpackPackage(bytes, work, this.o.limits ?? ARCHIVE_LIMITS);
      await this.place(root, id, sha256);
    } finally {
      await fs.rm(work, { recursive: true, force: true });
    }
    this.o.logger.info({ plugin: id, sha256 }, 'uploaded plugin package unpacked');
    return true;
  }

  /** Removes the folders of `id` other than `current` (its package now) that no plugin of this kernel runs from. */
  private async removeOlder(id: string, current: string, inUse: ReadonlySet<string>): Promise<void> {
    const dir = path.join(this.o.dir, id);
    for (const name of await fs.readdir(dir).catch(() => [] as string[])) {
      const full = path.join(dir, name);
      if (name === current || !SHA256.test(name) || inUse.has(full)) continue;
      await fs.rm(full, { recursive: true, force: true }).catch((err: Error) => {
        this.o.logger.warn({ plugin: id, err: err.message }, 'old plugin package folder not removed');
      });
    }
  }

  /** Removes the folders of plugins whose package is no longer in the table, except those a plugin runs from. */
  private async removeDropped(installed: ReadonlySet<string>, inUse: ReadonlySet<string>): Promise<void> {
    for (const id of await fs.readdir(this.o.dir).catch(() => [] as string[])) {
      if (installed.has(id) || !PLUGIN_ID_PATTERN.test(id)) continue;
      const dir = path.join(this.o.dir, id);
      // Only folders of packages (`<id>/<sha256>/`) are this folder's own; anything else is left alone.
      if (!(await fs.readdir(dir).catch(() => [] as string[])).some((name) => SHA256.test(name))) continue;
      // Read the table again now that the folder was seen: kernels may share this folder, and an upload stores its
      // row before it places its folder, so a folder placed after `installed` was read has its row by now.
      if (await this.o.store.get(id)) continue;
      await this.removeOlder(id, '', inUse);
      // Empty now unless a running plugin still uses a folder in it; a later sync removes that one.
      await fs.rmdir(dir).catch(() => {});
    }
  }

  private async removeStaleIncoming(): Promise<void> {
    const dir = path.join(this.o.dir, INCOMING);
    for (const name of await fs.readdir(dir).catch(() => [] as string[])) {
      const started = Number(name.split('-')[0]);
      if (Number.isFinite(started) && Date.now() - started > STALE_INCOMING_MS) {
        await fs.rm(path.join(dir, name), { recursive: true, force: true }).catch(() => {});
      }
    }
  }
}

function exists(p: string): Promise<boolean> {
  return fs.stat(p).then(
    () => true,
    () => false,
  );
}
