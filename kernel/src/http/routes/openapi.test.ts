import { definePlugin, route, z } from '@goatflow/sdk';
import { openApiDocument } from '@goatflow/sdk/openapi';
import { describe, expect, it } from 'vitest';
import { mergeOpenApi, type PluginOpenApi } from './openapi.js';

const item = z.object({ id: z.number().int(), title: z.string() }).meta({ id: 'Item' });

/** A plugin's document as `goatflow-plugin build` writes it. */
function documentOf(id: string, apiPrefixes?: string[]) {
  const plugin = definePlugin({
    id,
    version: '1.0.0',
    name: id,
    description: `The ${id} plugin.`,
    kernelApi: '^1.0.0',
    runtime: 'grpc',
    entry: { command: 'node', args: ['dist/main.js'] },
    ...(apiPrefixes ? { apiPrefixes } : {}),
    routes: {
      list: route({
        method: 'GET',
        path: apiPrefixes ? `${apiPrefixes[0]}/:id` : '/items/:id',
        auth: 'user',
        params: z.object({ id: z.coerce.number().int() }),
        response: item,
      }),
      create: route({ method: 'POST', path: '/items', auth: 'agent', body: item, status: 201 }),
    },
  });
  return JSON.parse(JSON.stringify(openApiDocument(plugin, { title: id, version: '1.0.0' })));
}

function pluginOf(id: string, apiPrefixes: string[] = []): PluginOpenApi {
  return {
    id,
    prefixes: [`/api/plugins/${id}`, ...apiPrefixes],
    document: documentOf(id, apiPrefixes.length ? apiPrefixes : undefined),
  };
}

function refs(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) for (const v of value) refs(v, out);
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k === '$ref' && typeof v === 'string') out.push(v);
      else refs(v, out);
    }
  }
  return out;
}

describe('mergeOpenApi', () => {
  it('merges documents, each component, scheme and operation id in its plugin namespace', () => {
    const { document, skipped } = mergeOpenApi('1.2.3', [
      pluginOf('tickets', ['/api/v1/tickets']),
      pluginOf('notes'),
    ]);
    expect(skipped).toEqual([]);
    expect(document.openapi).toBe('3.1.0');
    expect(document.info.version).toBe('1.2.3');
    expect(Object.keys(document.paths)).toEqual([
      '/api/plugins/notes/items/{id}',
      '/api/plugins/notes/items',
      '/api/v1/tickets/{id}',
      '/api/plugins/tickets/items',
    ]);
    expect(Object.keys(document.components.schemas!)).toEqual(
      expect.arrayContaining(['notes.Item', 'notes.ErrorBody', 'tickets.Item', 'tickets.FieldIssue']),
    );
    const create = document.paths['/api/v1/tickets/{id}']!.get as Record<string, unknown>;
    expect(create.operationId).toBe('tickets.list');
    expect(create.security).toEqual([{ 'tickets.session': [] }]);
    expect((document.paths['/api/plugins/notes/items']!.post as Record<string, unknown>).security).toEqual([
      { 'notes.session': [], 'notes.csrf': [] },
    ]);
    expect(document.components.securitySchemes!['notes.session']).toMatchObject({ in: 'cookie' });
    expect(document.tags).toEqual([
      { name: 'notes', description: 'The notes plugin.' },
      { name: 'tickets', description: 'The tickets plugin.' },
    ]);
    const root = document as unknown as Record<string, Record<string, Record<string, unknown>>>;
    for (const ref of refs(document)) {
      const [, , kind, name] = ref.split('/');
      expect(root.components![kind!]![name!], ref).toBeDefined();
    }
  });

  it("keeps only paths under the plugin's own prefixes", () => {
    const grabby = pluginOf('grabby');
    const paths = (grabby.document as { paths: Record<string, unknown> }).paths;
    paths['/api/v1/tickets'] = paths['/api/plugins/grabby/items'];
    paths['/api/plugins/grabbyx/items'] = paths['/api/plugins/grabby/items'];
    paths['/api/auth/login'] = paths['/api/plugins/grabby/items'];
    const { document } = mergeOpenApi('1.0.0', [grabby, pluginOf('tickets', ['/api/v1/tickets'])]);
    expect(Object.keys(document.paths).sort()).toEqual([
      '/api/plugins/grabby/items',
      '/api/plugins/grabby/items/{id}',
      '/api/plugins/tickets/items',
      '/api/v1/tickets/{id}',
    ]);
  });

  it('leaves out a document that is not OpenAPI 3.1 or refers outside itself, keeping the others', () => {
    const outside = pluginOf('outside');
    const doc = outside.document as { paths: Record<string, Record<string, Record<string, unknown>>> };
    doc.paths['/api/plugins/outside/items']!.post!.requestBody = { $ref: 'https://example.com/evil.json' };
    const dangling = pluginOf('dangling');
    (dangling.document as { components: Record<string, unknown> }).components.schemas = {};
    const unknownScheme = pluginOf('schemeless');
    (unknownScheme.document as { components: Record<string, unknown> }).components.securitySchemes = {};
    const { document, skipped } = mergeOpenApi('1.0.0', [
      { id: 'old', prefixes: ['/api/plugins/old'], document: { swagger: '2.0', paths: {} } },
      outside,
      dangling,
      unknownScheme,
      pluginOf('fine'),
    ]);
    expect(skipped).toEqual([
      {
        id: 'dangling',
        reason: expect.stringMatching(
          /^the reference "#\/components\/schemas\/dangling\.\w+" resolves to nothing$/,
        ),
      },
      { id: 'old', reason: '/openapi: Invalid input: expected string, received undefined' },
      {
        id: 'outside',
        reason: 'the reference "https://example.com/evil.json" points outside its components',
      },
      { id: 'schemeless', reason: 'the security scheme "session" is not among its components' },
    ]);
    expect(Object.keys(document.paths)).toEqual(['/api/plugins/fine/items/{id}', '/api/plugins/fine/items']);
  });
  it('leaves out a hostile document, whatever it throws, and never fails the merge', () => {
    type Doc = { paths: Record<string, Record<string, Record<string, unknown>>> };
    const withOperation = (id: string, change: (op: Record<string, unknown>) => void) => {
      const plugin = pluginOf(id);
      change((plugin.document as Doc).paths[`/api/plugins/${id}/items`]!.post!);
      return plugin;
    };
    let deep: Record<string, unknown> = { type: 'string' };
    for (let i = 0; i < 20_000; i++) deep = { type: 'array', items: deep };
    const plugins = [
      withOperation('scalar', (op) => {
        op.security = 'x';
      }),
      withOperation('nulls', (op) => {
        op.security = [null];
      }),
      withOperation('escape', (op) => {
        op.responses = { 200: { $ref: '#/components/responses/%zz' } };
      }),
      withOperation('deep', (op) => {
        op.requestBody = { content: { 'application/json': { schema: deep } } };
      }),
      withOperation('getter', (op) => {
        Object.defineProperty(op, 'summary', {
          enumerable: true,
          get() {
            throw new Error('boom');
          },
        });
      }),
      pluginOf('fine'),
    ];
    const { document, skipped } = mergeOpenApi('1.0.0', plugins);
    expect(skipped).toEqual([
      { id: 'deep', reason: 'it nests deeper than 64 levels' },
      {
        id: 'escape',
        reason: 'the reference "#/components/responses/escape.%zz" resolves to nothing',
      },
      { id: 'getter', reason: 'it cannot be read as OpenAPI (Error: boom)' },
      {
        id: 'nulls',
        reason: expect.stringMatching(/^\/paths\/\/api\/plugins\/nulls\/items\/post\/security\/0: /),
      },
      {
        id: 'scalar',
        reason: expect.stringMatching(/^\/paths\/\/api\/plugins\/scalar\/items\/post\/security: /),
      },
    ]);
    expect(Object.keys(document.paths)).toEqual(['/api/plugins/fine/items/{id}', '/api/plugins/fine/items']);
  });

  it('refuses paths with dot segments, a query or a fragment, and unknown component kinds', () => {
    const sneaky = pluginOf('sneaky');
    const doc = sneaky.document as {
      paths: Record<string, unknown>;
      components: Record<string, unknown>;
    };
    const item = doc.paths['/api/plugins/sneaky/items'];
    for (const p of [
      '/api/plugins/sneaky/../../admin/users',
      '/api/plugins/sneaky/./items',
      '/api/plugins/sneaky/%2e%2E/%2e./admin',
      '/api/plugins/sneaky/.%2e/x',
      '/api/plugins/sneaky/items?admin=1',
      '/api/plugins/sneaky/items#frag',
    ]) {
      doc.paths[p] = item;
    }
    doc.paths['/api/plugins/sneaky/v1.2/..x'] = item;
    Object.defineProperty(doc.components, '__proto__', {
      enumerable: true,
      value: { polluted: { a: { type: 'string' } } },
    });
    const { document, skipped } = mergeOpenApi('1.0.0', [sneaky]);
    expect(skipped).toEqual([]);
    expect(Object.keys(document.paths).sort()).toEqual([
      '/api/plugins/sneaky/items',
      '/api/plugins/sneaky/items/{id}',
      '/api/plugins/sneaky/v1.2/..x',
    ]);
    expect(Object.keys(document.components).sort()).toEqual(['schemas', 'securitySchemes']);
    expect(Object.getPrototypeOf(document.components)).toBe(Object.prototype);
  });
});
