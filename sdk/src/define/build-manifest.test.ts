import { describe, expect, it } from 'vitest';
import { buildManifest, manifestDrift, PluginDefinitionError } from './build-manifest.js';
import { definePlugin, route, z } from './define-plugin.js';

const plugin = definePlugin({
  id: 'notes',
  version: '1.2.0',
  name: 'Notes',
  kernelApi: '^1.0.0',
  runtime: 'grpc',
  entry: { command: 'node', args: ['dist/main.js'] },
  permissions: { db: { own: true }, cache: true },
  settings: z.object({
    title: z.string().max(40).default('Notes').meta({ title: 'Widget title' }),
    apiKey: z.string().default('').meta({ writeOnly: true }),
    limit: z.number().int().min(1).max(50).default(10),
  }),
  routes: {
    listNotes: route({
      method: 'GET',
      path: '/notes',
      auth: 'agent',
      query: z.object({ limit: z.coerce.number().int().optional() }),
      handler: () => [],
    }),
    addNote: route({
      method: 'POST',
      path: '/notes',
      auth: 'agent',
      scope: 'notes:write',
      handler: () => ({}),
    }),
  },
  events: { onTicketCreated: { event: 'ticket.created', handler: () => {} } },
  jobs: { dailyDigest: { schedule: '0 6 * * *', handler: () => {} } },
  widgets: [
    {
      id: 'recent',
      slot: 'dashboard.main',
      title: 'notes.title',
      element: 'gf-notes',
      module: 'assets/notes.js',
    },
  ],
  migrations: 'migrations',
  assets: 'assets',
  i18n: { en: 'i18n/en.json' },
});

describe('buildManifest', () => {
  it('generates every contribution from the definition, handlers named by their keys', () => {
    const manifest = buildManifest(plugin);
    expect(manifest).toMatchObject({
      id: 'notes',
      runtime: 'grpc',
      entry: { command: 'node', args: ['dist/main.js'] },
      permissions: { db: { own: true }, cache: true },
      contributes: {
        routes: [
          { method: 'GET', path: '/notes', auth: 'agent', handler: 'listNotes' },
          { method: 'POST', path: '/notes', auth: 'agent', scope: 'notes:write', handler: 'addNote' },
        ],
        events: [{ name: 'ticket.created', handler: 'onTicketCreated' }],
        jobs: [{ id: 'daily-digest', schedule: '0 6 * * *', handler: 'dailyDigest' }],
        migrations: 'migrations',
        assets: 'assets',
      },
      settingsDefaults: { title: 'Notes', apiKey: '', limit: 10 },
    });
    expect(Object.keys(manifest.contributes ?? {})).not.toContain('hooks');
  });

  it('turns the settings into JSON Schema with titles, secrets and bounds', () => {
    const settings = buildManifest(plugin).contributes?.settings as {
      type: string;
      $schema?: string;
      properties: Record<string, unknown>;
    };
    expect(settings.type).toBe('object');
    expect(settings.$schema).toBeUndefined();
    expect(settings.properties.title).toMatchObject({ type: 'string', maxLength: 40, title: 'Widget title' });
    expect(settings.properties.apiKey).toMatchObject({ writeOnly: true });
    expect(settings.properties.limit).toMatchObject({ type: 'integer', minimum: 1, maximum: 50 });
  });

  it('carries a route body limit into the manifest, and refuses one above 16 MiB', () => {
    const upload = (maxBodyBytes: number) =>
      definePlugin({
        id: 'uploads',
        version: '1.0.0',
        name: 'Uploads',
        kernelApi: '^1.0.0',
        runtime: 'grpc',
        entry: { command: 'node' },
        routes: {
          upload: route({ method: 'POST', path: '/files', auth: 'agent', maxBodyBytes, handler: () => null }),
        },
      });
    expect(buildManifest(upload(15 * 1024 * 1024)).contributes?.routes?.[0]).toMatchObject({
      maxBodyBytes: 15 * 1024 * 1024,
    });
    expect(() => upload(16 * 1024 * 1024 + 1)).toThrow(/contributes\/routes\/0\/maxBodyBytes/);
  });

  it('refuses a definition that cannot be a manifest, naming each problem by its manifest path', () => {
    const attempt = () =>
      definePlugin({
        id: 'Bad Id',
        version: 'one',
        name: 'Bad',
        kernelApi: '^1.0.0',
        runtime: 'wasm',
        entry: 'plugin.js',
        routes: { 'not-an-identifier': route({ method: 'GET', path: 'no-slash', auth: 'agent' }) },
      });
    expect(attempt).toThrow(PluginDefinitionError);
    try {
      attempt();
    } catch (e) {
      const paths = (e as PluginDefinitionError).issues.map((i) => i.path).sort();
      expect(paths).toEqual([
        '/contributes/routes/0/handler',
        '/contributes/routes/0/path',
        '/entry',
        '/id',
        '/version',
      ]);
      expect((e as Error).message).toContain('the definition of plugin "Bad Id" is not a valid manifest');
    }
  });
});

describe('manifestDrift', () => {
  it('finds nothing when the file is what the definition generates, defaults and $schema aside', () => {
    const file = { $schema: 'x.json', ...JSON.parse(JSON.stringify(buildManifest(plugin))) };
    file.contributes.widgets[0].size = 'medium';
    expect(manifestDrift(plugin, file)).toEqual([]);
  });

  it('names each field that differs', () => {
    const file = JSON.parse(JSON.stringify(buildManifest(plugin)));
    file.version = '1.1.0';
    file.contributes.routes[0].auth = 'admin';
    expect(manifestDrift(plugin, file)).toEqual([
      '/contributes/routes/0/auth: the file has "admin", the definition has "agent"',
      '/version: the file has "1.1.0", the definition has "1.2.0"',
    ]);
  });

  it('reports an invalid file by its problems', () => {
    expect(manifestDrift(plugin, { id: 'notes' })).toEqual([expect.stringMatching(/^\/runtime: /)]);
  });
});
