import { describe, expect, it } from 'vitest';
import { validateManifest } from './validate.js';

const base = {
  id: 'hello-wasm',
  version: '1.0.0',
  name: 'Hello WASM',
  kernelApi: '^1.0.0',
  runtime: 'wasm',
  entry: 'dist/plugin.wasm',
  permissions: { cache: true, db: { own: true } },
  contributes: {
    assets: 'web',
    routes: [{ method: 'GET', path: '/greeting', auth: 'agent', handler: 'greeting' }],
    widgets: [
      {
        id: 'hello',
        slot: 'dashboard.main',
        title: 'hello.title',
        element: 'gf-hello-widget',
        module: 'web/hello.js',
      },
    ],
  },
};

function issues(value: unknown, kernelApi?: string) {
  const r = validateManifest(value, kernelApi);
  return r.ok ? [] : r.issues;
}

describe('validateManifest', () => {
  it('accepts a good manifest and fills defaults', () => {
    const r = validateManifest(base, '1.0.0');
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.manifest.contributes.widgets?.[0]?.size).toBe('medium');
  });

  it('names an unknown field by its JSON path, never ignoring it', () => {
    expect(issues({ ...base, colour: 'red' })).toEqual([
      { path: '/colour', message: 'is not a manifest field (remove it or fix its name)' },
    ]);
    const nested = {
      ...base,
      contributes: { ...base.contributes, routes: [{ ...base.contributes.routes[0], middleware: 'x' }] },
    };
    expect(issues(nested).map((i) => i.path)).toEqual(['/contributes/routes/0/middleware']);
  });

  it('refuses an unknown auth level and an unknown permission', () => {
    const badAuth = {
      ...base,
      contributes: { routes: [{ method: 'GET', path: '/x', auth: 'superuser', handler: 'x' }] },
    };
    expect(issues(badAuth).map((i) => i.path)).toEqual(['/contributes/routes/0/auth']);
    expect(issues({ ...base, permissions: { filesystem: true } }).map((i) => i.path)).toEqual([
      '/permissions/filesystem',
    ]);
  });

  it('refuses a route outside the namespace unless its prefix is declared', () => {
    const outside = {
      ...base,
      contributes: { routes: [{ method: 'GET', path: '/api/v1/tickets', auth: 'agent', handler: 'x' }] },
    };
    expect(issues(outside)[0]).toMatchObject({
      path: '/contributes/routes/0/path',
      message: expect.stringContaining('outside'),
    });
    const declared = {
      ...outside,
      contributes: { ...outside.contributes, apiPrefixes: ['/api/v1/tickets'] },
    };
    expect(issues(declared)).toEqual([]);
    expect(
      issues({
        ...base,
        contributes: { routes: [{ method: 'GET', path: '/../admin', auth: 'agent', handler: 'x' }] },
      })[0]?.path,
    ).toBe('/contributes/routes/0/path');
  });

  it('refuses ids that would name a schema the kernel or PostgreSQL owns', () => {
    for (const id of ['kernel', 'public', 'information-schema', 'pg-catalog', 'pg-toast']) {
      expect(issues({ ...base, id })[0]?.path, id).toBe('/id');
    }
  });

  it('checks kernelApi against the running kernel', () => {
    expect(issues({ ...base, kernelApi: '^2.0.0' }, '1.0.0')).toEqual([
      { path: '/kernelApi', message: 'this kernel provides API 1.0.0, which "^2.0.0" does not include' },
    ]);
    expect(issues({ ...base, kernelApi: 'banana' })[0]?.path).toBe('/kernelApi');
  });

  it('demands the runtime-specific entry', () => {
    expect(issues({ ...base, entry: 'plugin.js' })[0]?.path).toBe('/entry');
    expect(issues({ ...base, runtime: 'grpc' })[0]?.path).toBe('/entry');
    expect(issues({ ...base, runtime: 'lua' })[0]?.path).toBe('/runtime');
  });

  it('demands widget modules inside the served assets folder', () => {
    const outside = { ...base, contributes: { ...base.contributes, assets: 'public' } };
    expect(issues(outside)[0]?.path).toBe('/contributes/widgets/0/module');
  });

  it('ties contributions to the permissions they need', () => {
    const noDb = { ...base, permissions: {}, contributes: { migrations: 'migrations' } };
    expect(issues(noDb)).toEqual([
      { path: '/permissions/db/own', message: 'migrations and exports need the permission db.own' },
    ]);
    const foreignExport = { ...base, contributes: { exports: ['tickets.ticket_visible'] } };
    expect(issues(foreignExport)[0]?.path).toBe('/contributes/exports/0');
  });
});
