/**
 * `cache.get / set / delete`: a key/value cache per plugin with a TTL, in this kernel's memory (lru-cache).
 * Plugins cannot see each other's keys: every key is stored under the plugin's namespace.
 * @module
 */
import { LRUCache } from 'lru-cache';
import { HostApiError } from './host-api-error.js';

const MAX_VALUE_BYTES = 256 * 1024;
const MAX_TTL_SECONDS = 7 * 24 * 3600;

export class PluginCache {
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
  }

  delete(pluginId: string, key: unknown): boolean {
    return this.entries.delete(this.key(pluginId, key));
  }

  /** Drops every key of a plugin (on disable). */
  clear(pluginId: string): void {
    const prefix = `${pluginId}\u0000`;
    for (const k of this.entries.keys()) if (k.startsWith(prefix)) this.entries.delete(k);
  }

  private key(pluginId: string, key: unknown): string {
    if (typeof key !== 'string' || key.length === 0 || key.length > 512) {
      throw new HostApiError('invalid_argument', 'cache keys are strings of 1 to 512 characters');
    }
    return `${pluginId}\u0000${key}`;
  }
}
