import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors/index.js';
import { loadConfig } from './config.js';

describe('loadConfig', () => {
  it('applies the documented defaults', () => {
    const c = loadConfig({});
    expect(c.port).toBe(8080);
    expect(c.databaseUrl).toBeUndefined();
    expect(c.dataDir.endsWith('data')).toBe(true);
    expect(c.loginMaxFailuresPerAccount).toBe(5);
    expect(c.demoData).toBe(false);
  });

  it('reads overrides', () => {
    const c = loadConfig({ PORT: '9090', GOATFLOW_DEMO_DATA: 'true', GOATFLOW_TRUST_PROXY: '1' });
    expect(c.port).toBe(9090);
    expect(c.demoData).toBe(true);
    expect(c.trustProxy).toBe(1);
  });

  it('reads GOATFLOW_CORE_PLUGINS as all, none or a list of plugin ids', () => {
    expect(loadConfig({}).corePlugins).toBe('all');
    expect(loadConfig({ GOATFLOW_CORE_PLUGINS: 'all' }).corePlugins).toBe('all');
    expect(loadConfig({ GOATFLOW_CORE_PLUGINS: 'none' }).corePlugins).toEqual([]);
    expect(loadConfig({ GOATFLOW_CORE_PLUGINS: 'tickets' }).corePlugins).toEqual(['tickets']);
    expect(loadConfig({ GOATFLOW_CORE_PLUGINS: ' tickets, statistics ,tickets' }).corePlugins).toEqual([
      'tickets',
      'statistics',
    ]);
    for (const bad of ['Tickets', 'tickets,,statistics', 'none,tickets', '../etc']) {
      expect(() => loadConfig({ GOATFLOW_CORE_PLUGINS: bad }), bad).toThrow(
        /GOATFLOW_CORE_PLUGINS: must be all, none, or comma-separated plugin ids/,
      );
    }
  });

  it('names every bad variable in one error', () => {
    let error: unknown;
    try {
      loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', GOATFLOW_ADMIN_PASSWORD: 'short' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as ConfigError).message;
    expect(message).toContain('PORT');
    expect(message).toContain('DATABASE_URL: must be a postgres:// or postgresql:// URL');
    expect(message).toContain('GOATFLOW_ADMIN_PASSWORD: must be at least 8 characters');
    expect((error as ConfigError).issues).toHaveLength(3);
  });
});
