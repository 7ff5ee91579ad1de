import { describe, expect, it } from 'vitest';
import { permissionFor } from '../manifest/permission-rules.js';
import { manifestSchema } from '../manifest/schema.js';
import { checkPermissions, scanSourcesForHostCalls, scanSourcesForNamedTargets } from './permissions.js';

const manifest = (permissions: object, contributes: object = {}) =>
  manifestSchema.parse({
    id: 'demo',
    version: '1.0.0',
    name: 'Demo',
    kernelApi: '^1.0.0',
    runtime: 'wasm',
    entry: 'dist/plugin.wasm',
    permissions,
    contributes,
  });

describe('permissionFor', () => {
  it('maps Host API functions to the manifest permission the kernel checks', () => {
    expect(permissionFor('db.query')?.field).toBe('permissions.db.own');
    expect(permissionFor('db.transaction')?.field).toBe('permissions.db.own');
    expect(permissionFor('cache.delete')?.field).toBe('permissions.cache');
    expect(permissionFor('http.fetch')?.field).toBe('permissions.http');
    expect(permissionFor('identity.getUser')?.field).toBe('permissions.identity.read');
    expect(permissionFor('events.publish')?.field).toBe('permissions.events.publish');
    expect(permissionFor('plugins.call')?.field).toBe('permissions.plugins.call');
    expect(permissionFor('log')).toBeUndefined();
    expect(permissionFor('config.get')).toBeUndefined();
  });
});

describe('checkPermissions', () => {
  it('is an error to call what is not declared, naming the call, the field and what to add', () => {
    const [finding] = checkPermissions(
      new Map([['http.fetch', 'src/a.ts:3']]),
      manifest({}),
      'src/plugin.ts',
    );
    expect(finding).toEqual({
      level: 'error',
      message:
        'the plugin calls http.fetch (src/a.ts:3) but does not ask for the permission permissions.http; the kernel would refuse the call with permission_denied',
      hint: "add `http: ['api.example.com']` to permissions in src/plugin.ts, then run goatflow-plugin build",
    });
  });

  it('warns about a declared permission nothing uses, except db.own with migrations', () => {
    const findings = checkPermissions(
      new Map([['cache.get', 'x']]),
      manifest({ cache: true, audit: true, db: { own: true } }, { migrations: 'migrations' }),
      'goatflow-plugin.json',
    );
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ level: 'warning' });
    expect(findings[0]!.message).toContain('permissions.audit is declared but the plugin never calls');
  });

  it('finds nothing when calls and permissions agree, and needs no permission for log and config', () => {
    const used = new Map([
      ['db.query', 'a'],
      ['log', 'b'],
      ['config.get', 'c'],
    ]);
    expect(checkPermissions(used, manifest({ db: { own: true } }), 'goatflow-plugin.json')).toEqual([]);
  });
});

describe('source scanning', () => {
  const sources = new Map([
    [
      'src/handlers.ts',
      [
        'export async function a(_r: unknown, { host }: Ctx) {',
        '  await host.cache.get("k");',
        '  await ctx.host.http.fetch({ url });',
        "  await host.log('info', 'x');",
        "  await host.events.publish('demo.done', {});",
        "  await host.plugins.call(`other-plugin`, 'h');",
        '}',
      ].join('\n'),
    ],
  ]);

  it('finds host.<capability>.<function> calls with where they are', () => {
    expect(Object.fromEntries(scanSourcesForHostCalls(sources))).toEqual({
      'cache.get': 'src/handlers.ts:2',
      'http.fetch': 'src/handlers.ts:3',
      log: 'src/handlers.ts:4',
      'events.publish': 'src/handlers.ts:5',
      'plugins.call': 'src/handlers.ts:6',
    });
  });

  it('finds literal event names and plugin ids', () => {
    const { events, plugins } = scanSourcesForNamedTargets(sources);
    expect([...events.keys()]).toEqual(['demo.done']);
    expect([...plugins.keys()]).toEqual(['other-plugin']);
  });
});
