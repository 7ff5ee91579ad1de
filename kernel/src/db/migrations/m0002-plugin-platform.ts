import { Migration } from '@mikro-orm/migrations';

/** Bookkeeping of the plugin platform: which plugin migrations ran, and each plugin's (bounded) log. */
export class M0002PluginPlatform extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table kernel.plugin_migrations (
      plugin_id text not null,
      name text not null,
      checksum text not null,
      applied_at timestamptz not null default now(),
      primary key (plugin_id, name)
    )`);
    this.addSql(`create table kernel.plugin_logs (
      id bigserial primary key,
      plugin_id text not null,
      at timestamptz not null default now(),
      level text not null check (level in ('trace', 'debug', 'info', 'warn', 'error')),
      message text not null
    )`);
    this.addSql(`create index plugin_logs_plugin_idx on kernel.plugin_logs (plugin_id, id desc)`);
  }
}
