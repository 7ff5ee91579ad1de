import { Migration } from '@mikro-orm/migrations';

/**
 * Uploaded plugin packages. The bytes live in the database, not on one server's disk, so every kernel instance on
 * the same database can unpack the same package into its own plugin folder (one row per plugin id: the version
 * installed now).
 */
export class M0004PluginPackages extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table kernel.plugin_packages (
      id text primary key,
      version text not null,
      sha256 text not null check (sha256 ~ '^[0-9a-f]{64}$'),
      size integer not null check (size > 0),
      bytes bytea not null,
      uploaded_by integer references kernel.users(id) on delete set null,
      uploaded_at timestamptz not null default now()
    )`);
  }
}
