/**
 * `cache.get / set / delete`: a key/value cache per plugin with a TTL, in this kernel's memory (lru-cache).
 * Plugins cannot see each other's keys: every key is stored under the plugin's namespace. Each instance keeps its
 * own entries; a write or delete is announced (`onChange`) so the other instances drop their copy of the key
 * instead of serving a stale value.
 * @module
 */
import { LRUCache } from 'lru-cache';
import { HostApiError } from './host-api-error.js';

const MAX_VALUE_BYTES = 256 * 1024;
const MAX_TTL_SECONDS = 7 * 24 * 3600;

export class PluginCache {
  /** Told of every local write, delete or clear: `key` undefined means all of the plugin's keys. */
  onChange: ((pluginId: string, key?: string) => void) | undefined;
  private readonly entries = new LRUCache<string, string>({
    maxSize: 64 * 1024 * 1024,
    sizeCalculation: (value, key) => value.length + key.length,
    ttlAutopurge: false,
  });

  get(pluginId: string, key: unknown): unknown {
    const raw = this.entries.get(this.key(pluginId, key));
    return raw === undefined ? null : JSON.parse(raw);
  }

  set(pluginId: string, key: unknown, value: unknown, ttlSeconds: unknown): void {
    const json = JSON.stringify(value ?? null);
    if (json.length > MAX_VALUE_BYTES) {
      throw new HostApiError(
        'invalid_argument',
        `cache values are limited to ${MAX_VALUE_BYTES} bytes of JSON`,
      );
    }
    const ttl = ttlSeconds === undefined || ttlSeconds === null ? 3600 : Number(ttlSeconds);
    if (!Number.isFinite(ttl) || ttl <= 0 || ttl > MAX_TTL_SECONDS) {
      throw new HostApiError('invalid_argument', `ttlSeconds must be between 1 and ${MAX_TTL_SECONDS}`);
    }
    this.entries.set(this.key(pluginId, key), json, { ttl: ttl * 1000 });
    this.onChange?.(pluginId, key as string);
  }

  delete(pluginId: string, key: unknown): boolean {
    const deleted = this.entries.delete(this.key(pluginId, key));
    this.onChange?.(pluginId, key as string);
    return deleted;
  }

  /** Drops every key of a plugin (on disable), here and in the other instances. */
  clear(pluginId: string): void {
    this.invalidate(pluginId);
    this.onChange?.(pluginId);
  }

  /** Drops keys another instance changed (all of the plugin's keys when `keys` is undefined), silently. */
  invalidate(pluginId: string, keys?: readonly string[]): void {
    if (keys) {
      for (const key of keys) this.entries.delete(`${pluginId}\u0000${key}`);
      return;
    }
    const prefix = `${pluginId}\u0000`;
    for (const k of this.entries.keys()) if (k.startsWith(prefix)) this.entries.delete(k);
  }

  /** Drops everything (after missed cluster messages: a cache may always be emptied). */
  invalidateAll(): void {
    this.entries.clear();
  }

  private key(pluginId: string, key: unknown): string {
    if (typeof key !== 'string' || key.length === 0 || key.length > 512) {
      throw new HostApiError('invalid_argument', 'cache keys are strings of 1 to 512 characters');
    }
    return `${pluginId}\u0000${key}`;
  }
}
