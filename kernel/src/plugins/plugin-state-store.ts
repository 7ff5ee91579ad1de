/**
 * What the kernel remembers about each plugin, in the sysconfig table (one row `plugin:<id>`): its state, the
 * operator's grant, its settings, the installed version and the last error. Nothing about plugins lives in files.
 * @module
 */
import type { PluginPermissions } from '@goatflow/sdk';
import { SysconfigEntity } from '../db/entities/index.js';
import type { KernelOrm } from '../db/orm.js';

/** `enabled` / `disabled` are the operator's choice; `failed` means enabling it did not work (see lastError). */
export type StoredPluginState = 'installed' | 'enabled' | 'disabled' | 'failed';

export interface StoredPlugin {
  state: StoredPluginState;
  granted: PluginPermissions;
  settings: Record<string, unknown>;
  version: string | undefined;
  lastError: string | undefined;
}

const key = (id: string) => `plugin:${id}`;

export class PluginStateStore {
  constructor(private readonly orm: KernelOrm) {}

  async get(id: string): Promise<StoredPlugin | undefined> {
    const row = await this.orm.em.fork().findOne(SysconfigEntity, { key: key(id) });
    return row ? (row.value as StoredPlugin) : undefined;
  }

  async all(): Promise<Map<string, StoredPlugin>> {
    const rows = await this.orm.em.fork().find(SysconfigEntity, { key: { $like: 'plugin:%' } });
    return new Map(rows.map((r) => [r.key.slice('plugin:'.length), r.value as StoredPlugin]));
  }

  async put(id: string, value: StoredPlugin, actorId?: number): Promise<void> {
    const em = this.orm.em.fork();
    await em.upsert(SysconfigEntity, {
      key: key(id),
      value,
      updatedBy: actorId ?? null,
      updatedAt: new Date(),
    });
  }
}
