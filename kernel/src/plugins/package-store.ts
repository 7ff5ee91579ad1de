/**
 * Uploaded plugin packages in `kernel.plugin_packages`: one row per plugin id with the version installed now, its
 * SHA-256 and the package bytes. The database is the truth; each kernel's plugin folder is unpacked from it.
 * @module
 */

import type { KernelOrm } from '../db/orm.js';
import { conflictOnDuplicate } from '../db/unique-violation.js';
import { ConflictError } from '../errors/index.js';

export interface StoredPackage {
  id: string;
  version: string;
  /** Lower-case hex. */
  sha256: string;
  /** Bytes of the package file. */
  size: number;
  uploadedBy: number | null;
  uploadedAt: Date;
}

export interface NewPackage {
  id: string;
  version: string;
  sha256: string;
  bytes: Uint8Array;
  uploadedBy: number | null;
}

interface Row {
  id: string;
  version: string;
  sha256: string;
  size: number;
  uploaded_by: number | null;
  uploaded_at: Date | string;
}

const COLUMNS = 'id, version, sha256, size, uploaded_by, uploaded_at';

const fromRow = (r: Row): StoredPackage => ({
  id: r.id,
  version: r.version,
  sha256: r.sha256,
  size: Number(r.size),
  uploadedBy: r.uploaded_by,
  uploadedAt: new Date(r.uploaded_at),
});

export class PluginPackageStore {
  constructor(private readonly orm: KernelOrm) {}

  /** Every installed package, without the bytes. */
  async list(): Promise<StoredPackage[]> {
    const rows = await this.orm.em
      .fork()
      .execute<Row[]>(`select ${COLUMNS} from kernel.plugin_packages order by id`);
    return rows.map(fromRow);
  }

  async get(id: string): Promise<StoredPackage | undefined> {
    const [row] = await this.orm.em
      .fork()
      .execute<Row[]>(`select ${COLUMNS} from kernel.plugin_packages where id = ?`, [id]);
    return row ? fromRow(row) : undefined;
  }

  /** The package bytes, if the row still holds the package with this digest (it may have been replaced). */
  async bytes(id: string, sha256: string): Promise<Buffer | undefined> {
    const [row] = await this.orm.em
      .fork()
      .execute<{ bytes: Buffer }[]>('select bytes from kernel.plugin_packages where id = ? and sha256 = ?', [
        id,
        sha256,
      ]);
    return row?.bytes;
  }

  /**
   * Stores a package, replacing the previous one of the same id. `previousSha256` is the package the caller's
   * checks were made against (`undefined`: none); if another upload changed the row meanwhile, nothing is written
   * and a 409 says so.
   */
  async save(pkg: NewPackage, previousSha256: string | undefined): Promise<void> {
    const changedMeanwhile = () =>
      new ConflictError(
        `Another upload of ${pkg.id} was installed while this one was being checked. Reload and try again.`,
      );
    await conflictOnDuplicate(
      () =>
        this.orm.em.fork().transactional(async (em) => {
          const [row] = await em.execute<{ sha256: string }[]>(
            'select sha256 from kernel.plugin_packages where id = ? for update',
            [pkg.id],
          );
          if (row?.sha256 !== previousSha256) throw changedMeanwhile();
          const bytes = Buffer.from(pkg.bytes.buffer, pkg.bytes.byteOffset, pkg.bytes.byteLength);
          if (row) {
            await em.execute(
              `update kernel.plugin_packages
                 set version = ?, sha256 = ?, size = ?, bytes = ?, uploaded_by = ?, uploaded_at = now()
               where id = ?`,
              [pkg.version, pkg.sha256, bytes.length, bytes, pkg.uploadedBy, pkg.id],
            );
          } else {
            await em.execute(
              `insert into kernel.plugin_packages (id, version, sha256, size, bytes, uploaded_by)
               values (?, ?, ?, ?, ?, ?)`,
              [pkg.id, pkg.version, pkg.sha256, bytes.length, bytes, pkg.uploadedBy],
            );
          }
        }),
      `Another upload of ${pkg.id} was installed while this one was being checked. Reload and try again.`,
      { path: 'package', message: 'was installed by another upload meanwhile', code: 'taken' },
    );
  }

  /**
   * Deletes the package of `id` if it is still the one with this digest (the one the caller's checks were made
   * against). Answers whether a row was deleted; `false` means another upload or removal changed it meanwhile.
   */
  async remove(id: string, sha256: string): Promise<boolean> {
    const rows = await this.orm.em
      .fork()
      .execute<{ id: string }[]>(
        'delete from kernel.plugin_packages where id = ? and sha256 = ? returning id',
        [id, sha256],
      );
    return rows.length > 0;
  }
}
