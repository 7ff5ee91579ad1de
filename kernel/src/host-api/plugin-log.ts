/**
 * Each plugin's log, kept in the database so every kernel instance and the admin page see the same lines, and
 * bounded per plugin: past the bound the oldest lines go.
 * @module
 */
import type { KernelOrm } from '../db/orm.js';
import type { PluginLogLine } from '../runtimes/contract.js';

export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error'] as const;

export interface StoredLogLine extends PluginLogLine {
  id: number;
  at: string;
}

export class PluginLog {
  private writesSinceTrim = new Map<string, number>();

  constructor(
    private readonly orm: KernelOrm,
    private readonly maxLinesPerPlugin = 1000,
  ) {}

  async write(pluginId: string, line: PluginLogLine): Promise<void> {
    const em = this.orm.em.fork();
    await em.execute('insert into kernel.plugin_logs (plugin_id, level, message) values (?, ?, ?)', [
      pluginId,
      line.level,
      line.message.slice(0, 4000),
    ]);
    // Trimming on every write would double the writes; every 50th keeps the table within 5 % of its bound.
    const n = (this.writesSinceTrim.get(pluginId) ?? 0) + 1;
    this.writesSinceTrim.set(pluginId, n % 50);
    if (n % 50 === 0) await this.trim(pluginId);
  }

  async trim(pluginId: string): Promise<void> {
    await this.orm.em.fork().execute(
      `delete from kernel.plugin_logs where plugin_id = ? and id <= (
         select id from kernel.plugin_logs where plugin_id = ? order by id desc offset ? limit 1)`,
      [pluginId, pluginId, this.maxLinesPerPlugin],
    );
  }

  /** Newest first; `minLevel` keeps that level and above. */
  async read(pluginId: string, minLevel: PluginLogLine['level'], limit: number): Promise<StoredLogLine[]> {
    const levels = LOG_LEVELS.slice(LOG_LEVELS.indexOf(minLevel));
    const rows = await this.orm.em.fork().execute<{ id: string; at: Date; level: string; message: string }[]>(
      `select id, at, level, message from kernel.plugin_logs
        where plugin_id = ? and level in (${levels.map(() => '?').join(', ')})
        order by id desc limit ?`,
      [pluginId, ...levels, limit],
    );
    return rows.map((r) => ({
      id: Number(r.id),
      at: new Date(r.at).toISOString(),
      level: r.level as PluginLogLine['level'],
      message: r.message,
    }));
  }
}
