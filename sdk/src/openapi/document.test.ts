import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { definePlugin, route } from '../define/define-plugin.js';
import { ERROR_BODY } from './components.js';
import { OpenApiBuildError, type OpenApiDocument, openApiDocument } from './document.js';
import { openApiPath } from './paths.js';

type Routes = NonNullable<Parameters<typeof definePlugin>[0]['routes']>;

function pluginWith(routes: Routes, extra: Record<string, unknown> = {}) {
  return definePlugin({
    id: 'things',
    version: '1.2.3',
    name: 'Things',
    description: 'Keeps things.',
    kernelApi: '^1.0.0',
    runtime: 'grpc',
    entry: { command: 'node', args: ['dist/main.js'] },
    routes,
    ...extra,
  });
}

const documentOf = (routes: Routes, extra?: Record<string, unknown>) =>
  openApiDocument(pluginWith(routes, extra), { title: 'Things', version: '1.2.3' });

type Operation = {
  operationId: string;
  tags: string[];
  security?: Record<string, string[]>[];
  parameters?: { name: string; in: string; required: boolean; schema: Record<string, unknown> }[];
  requestBody?: { required: boolean; content: Record<string, { schema: Record<string, unknown> }> };
  responses: Record<
    string,
    { description: string; content?: Record<string, { schema: Record<string, unknown> }> }
  >;
};
const operation = (doc: OpenApiDocument, path: string, method: string) =>
  doc.paths[path]?.[method] as Operation;

/** Every `$ref` of the document, and whether it points at something in it. */
function unresolvedRefs(doc: OpenApiDocument): string[] {
  const refs: string[] = [];
  const walk = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      for (const [k, child] of Object.entries(v)) {
        if (k === '$ref' && typeof child === 'string') refs.push(child);
        else walk(child);
      }
    }
  };
  walk(doc);
  return refs.filter((ref) => {
    if (!ref.startsWith('#/')) return true;
    let at: unknown = doc;
    for (const raw of ref.slice(2).split('/')) {
      const key = raw.replaceAll('~1', '/').replaceAll('~0', '~');
      if (!at || typeof at !== 'object' || !(key in at)) return true;
      at = (at as Record<string, unknown>)[key];
    }
    return false;
  });
}

describe('openApiPath', () => {
  it('puts relative routes under the plugin prefix and turns :name into {name}', () => {
    expect(openApiPath('things', '/items/:id')).toBe('/api/plugins/things/items/{id}');
    expect(openApiPath('things', '/')).toBe('/api/plugins/things');
    expect(openApiPath('things', '/a/:x/b/:y/')).toBe('/api/plugins/things/a/{x}/b/{y}');
    expect(openApiPath('tickets', '/api/v1/tickets/:id/articles')).toBe('/api/v1/tickets/{id}/articles');
  });
});

describe('openApiDocument', () => {
  it('describes a route: operationId, tags, coerced path parameter, response, shared errors', () => {
    const doc = documentOf({
      getItem: route({
        method: 'GET',
        path: '/items/:id',
        auth: 'agent',
        summary: 'One item',
        params: z.object({ id: z.coerce.number().int().positive() }),
        response: z.object({ id: z.number().int(), name: z.string() }),
      }),
    });
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.info).toEqual({ title: 'Things', version: '1.2.3' });
    expect(doc.tags).toEqual([{ name: 'things', description: 'Keeps things.' }]);
    const op = operation(doc, '/api/plugins/things/items/{id}', 'get');
    expect(op.operationId).toBe('getItem');
    expect(op.tags).toEqual(['things']);
    expect(op.parameters).toEqual([
      { name: 'id', in: 'path', required: true, schema: { type: 'integer', exclusiveMinimum: 0 } },
    ]);
    expect(Object.keys(op.responses)).toEqual(['200', '400', '401', '404']);
    expect(op.responses['200']!.content!['application/json']!.schema).toMatchObject({
      type: 'object',
      required: ['id', 'name'],
    });
    for (const status of ['400', '401', '404']) {
      expect(op.responses[status]!.content!['application/json']!.schema).toEqual({
        $ref: `#/components/schemas/${ERROR_BODY}`,
      });
    }
    expect(unresolvedRefs(doc)).toEqual([]);
  });

  it('uses the route status for the success answer, and a 204 has no content', () => {
    const doc = documentOf({
      create: route({
        method: 'POST',
        path: '/items',
        auth: 'agent',
        status: 201,
        response: z.object({ id: z.number() }),
      }),
      remove: route({
        method: 'DELETE',
        path: '/items/:id',
        auth: 'admin',
        status: 204,
        params: z.object({ id: z.string() }),
      }),
    });
    const created = operation(doc, '/api/plugins/things/items', 'post');
    expect(created.responses['201']?.content?.['application/json']?.schema).toMatchObject({ type: 'object' });
    expect(created.responses['200']).toBeUndefined();
    const removed = operation(doc, '/api/plugins/things/items/{id}', 'delete');
    expect(removed.responses['204']).toEqual({ description: 'No Content.' });
  });

  it('describes a file answer (produces) as bytes of its media types, not JSON', () => {
    const doc = documentOf({
      download: route({
        method: 'GET',
        path: '/files/:id',
        auth: 'user',
        params: z.object({ id: z.string() }),
        produces: ['application/octet-stream'],
      }),
      csv: route({ method: 'GET', path: '/export.csv', auth: 'agent', produces: ['text/csv', 'text/plain'] }),
    });
    const download = operation(doc, '/api/plugins/things/files/{id}', 'get');
    expect(download.responses['200']?.content).toEqual({
      'application/octet-stream': { schema: { type: 'string', format: 'binary' } },
    });
    expect(download.responses['404']?.content?.['application/json']).toBeDefined();
    expect(operation(doc, '/api/plugins/things/export.csv', 'get').responses['200']?.content).toEqual({
      'text/csv': { schema: { type: 'string', format: 'binary' } },
      'text/plain': { schema: { type: 'string', format: 'binary' } },
    });
  });

  it('fails the build for a file answer that is not one: no media types, a JSON response, or a 204', () => {
    try {
      documentOf({
        none: route({ method: 'GET', path: '/n', auth: 'user', produces: [] }),
        odd: route({ method: 'GET', path: '/o', auth: 'user', produces: ['csv'] }),
        both: route({
          method: 'GET',
          path: '/b',
          auth: 'user',
          produces: ['text/csv'],
          response: z.string(),
        }),
        empty: route({ method: 'GET', path: '/e', auth: 'user', status: 204, produces: ['text/csv'] }),
      });
      expect.unreachable('the build must fail');
    } catch (err) {
      expect((err as OpenApiBuildError).issues).toEqual([
        { route: 'GET /n (none)', message: expect.stringContaining('produces must list the media types') },
        { route: 'GET /o (odd)', message: 'produces must list media types such as "text/csv", not "csv"' },
        { route: 'GET /b (both)', message: expect.stringContaining('has no JSON response') },
        { route: 'GET /e (empty)', message: expect.stringContaining('remove produces') },
      ]);
    }
  });

  it("lists the route's errors beside 400, 401 and 404, all with the ErrorBody", () => {
    const doc = documentOf({
      move: route({
        method: 'GET',
        path: '/things',
        auth: 'user',
        errors: [409, 403],
      }),
    });
    const op = operation(doc, '/api/plugins/things/things', 'get');
    expect(Object.keys(op.responses)).toEqual(['200', '400', '401', '403', '404', '409']);
    expect(op.responses['403']!.description).toBe('Not permitted.');
    expect(op.responses['409']!.content!['application/json']!.schema).toEqual({
      $ref: '#/components/schemas/ErrorBody',
    });
    // No response schema: any JSON.
    expect(op.responses['200']!.content!['application/json']!.schema).toEqual({});
  });

  it('maps auth to security: reads need the session, writes also the CSRF header, public routes nothing', () => {
    const doc = documentOf({
      list: route({ method: 'GET', path: '/items', auth: 'agent' }),
      change: route({ method: 'PATCH', path: '/items', auth: 'user', body: z.object({ a: z.string() }) }),
      hook: route({ method: 'POST', path: '/hook', auth: 'public', scope: 'things:write' }),
    });
    expect(doc.components?.securitySchemes).toEqual({
      session: expect.objectContaining({ type: 'apiKey', in: 'cookie', name: 'gf_session' }),
      csrf: expect.objectContaining({ type: 'apiKey', in: 'header', name: 'X-CSRF-Token' }),
    });
    const list = operation(doc, '/api/plugins/things/items', 'get');
    expect(list.security).toEqual([{ session: [] }]);
    expect(list).toMatchObject({ 'x-goatflow-auth': 'agent' });
    const change = operation(doc, '/api/plugins/things/items', 'patch');
    expect(change.security).toEqual([{ session: [], csrf: [] }]);
    expect(change.responses['403']!.description).toContain('csrf_failed');
    const hook = operation(doc, '/api/plugins/things/hook', 'post');
    expect(hook.security).toBeUndefined();
    expect(Object.keys(hook.responses)).toEqual(['200', '400', '404']);
    expect(hook).toMatchObject({ 'x-goatflow-auth': 'public', 'x-goatflow-scope': 'things:write' });
  });

  it('describes strict bodies as closed objects and tells whether the body is required', () => {
    const doc = documentOf({
      create: route({
        method: 'POST',
        path: '/items',
        auth: 'agent',
        body: z.strictObject({ title: z.string().trim().min(1).max(255), done: z.boolean().default(false) }),
      }),
      touch: route({
        method: 'PUT',
        path: '/items',
        auth: 'agent',
        body: z.object({ at: z.string() }).optional(),
      }),
    });
    const body = operation(doc, '/api/plugins/things/items', 'post').requestBody!;
    expect(body.required).toBe(true);
    expect(body.content['application/json']!.schema).toMatchObject({
      type: 'object',
      additionalProperties: false,
      properties: { title: { type: 'string', minLength: 1, maxLength: 255 } },
      required: ['title'],
    });
    expect(operation(doc, '/api/plugins/things/items', 'put').requestBody!.required).toBe(false);
  });

  it('turns query fields into parameters: coerced numbers, defaults, and preprocessed lists', () => {
    const list = <T extends z.ZodType>(t: T) =>
      z.preprocess(
        (v) => (v === undefined ? v : [v].flat().flatMap((s) => String(s).split(','))),
        z.array(t).max(50),
      );
    const doc = documentOf(
      {
        search: route({
          method: 'GET',
          path: '/api/v1/things',
          auth: 'user',
          query: z.strictObject({
            queue: list(z.coerce.number().int().positive()).optional(),
            // Accepts null (as "null"), which a URL never sends: not documented as nullable.
            label: list(z.string()).optional(),
            page: z.coerce.number().int().min(1).default(1),
            q: z.string().min(2),
          }),
        }),
      },
      { apiPrefixes: ['/api/v1/things'] },
    );
    const op = operation(doc, '/api/v1/things', 'get');
    expect(op.parameters).toEqual([
      {
        name: 'queue',
        in: 'query',
        required: false,
        schema: { type: 'array', items: { type: 'integer', exclusiveMinimum: 0 }, maxItems: 50 },
      },
      {
        name: 'label',
        in: 'query',
        required: false,
        schema: { type: 'array', items: { type: 'string' }, maxItems: 50 },
      },
      { name: 'page', in: 'query', required: false, schema: { type: 'integer', minimum: 1, default: 1 } },
      { name: 'q', in: 'query', required: true, schema: { type: 'string', minLength: 2 } },
    ]);
  });

  it('uses the given tags, and lists every tag once at the top', () => {
    const doc = documentOf({
      a: route({ method: 'GET', path: '/a', auth: 'user', tags: ['Queues'] }),
      b: route({ method: 'GET', path: '/b', auth: 'user', tags: ['Queues', 'Admin'] }),
      c: route({ method: 'GET', path: '/c', auth: 'user' }),
    });
    expect(operation(doc, '/api/plugins/things/b', 'get').tags).toEqual(['Queues', 'Admin']);
    expect(doc.tags).toEqual([
      { name: 'Queues' },
      { name: 'Admin' },
      { name: 'things', description: 'Keeps things.' },
    ]);
  });

  it('documents path parameters without a params schema as strings', () => {
    const doc = documentOf({ raw: route({ method: 'GET', path: '/raw/:name', auth: 'user' }) });
    expect(operation(doc, '/api/plugins/things/raw/{name}', 'get').parameters).toEqual([
      { name: 'name', in: 'path', required: true, schema: { type: 'string' } },
    ]);
  });

  it('fails the build, naming the route, when params or query are not objects or do not fit the path', () => {
    const build = () =>
      documentOf({
        bad: route({ method: 'GET', path: '/bad/:id', auth: 'user', params: z.string() as never }),
        badQuery: route({
          method: 'GET',
          path: '/q',
          auth: 'user',
          query: z.object({ a: z.string() }).transform((q) => q.a),
        }),
        extra: route({ method: 'GET', path: '/e', auth: 'user', params: z.object({ id: z.string() }) }),
        missing: route({
          method: 'GET',
          path: '/m/:id/:sub',
          auth: 'user',
          params: z.object({ id: z.string() }),
        }),
        status: route({ method: 'POST', path: '/s', auth: 'user', status: 302, errors: [200] }),
        empty: route({ method: 'DELETE', path: '/d', auth: 'user', status: 204, response: z.object({}) }),
      });
    expect(build).toThrow(OpenApiBuildError);
    try {
      build();
    } catch (err) {
      const issues = (err as OpenApiBuildError).issues;
      expect(issues).toEqual([
        { route: 'GET /bad/:id (bad)', message: expect.stringContaining('params must be a z.object()') },
        { route: 'GET /q (badQuery)', message: expect.stringContaining('query must be a z.object()') },
        { route: 'GET /e (extra)', message: 'params.id is not a segment of the path (add :id to it)' },
        { route: 'GET /m/:id/:sub (missing)', message: expect.stringContaining('the path has :sub') },
        { route: 'POST /s (status)', message: expect.stringContaining('not 302') },
        { route: 'POST /s (status)', message: expect.stringContaining('not 200') },
        { route: 'DELETE /d (empty)', message: expect.stringContaining('a 204 answer has no body') },
      ]);
      expect((err as Error).message).toContain(
        'the routes of plugin "things" cannot be described in OpenAPI',
      );
    }
  });

  it("falls back to zod's JSON Schema for what zod-to-openapi cannot translate, references intact", () => {
    type Node = { name: string; children: Node[] };
    const node: z.ZodType<Node> = z.object({ name: z.string(), children: z.array(z.lazy(() => node)) });
    const doc = documentOf({
      tree: route({
        method: 'POST',
        path: '/tree',
        auth: 'user',
        body: node,
        response: z.object({ data: z.json(), fallback: z.string().catch('x') }),
      }),
    });
    const op = operation(doc, '/api/plugins/things/tree', 'post');
    expect(op.requestBody!.content['application/json']!.schema).toEqual({
      $ref: '#/components/schemas/treeBody',
    });
    expect(op.responses['200']!.content!['application/json']!.schema).toEqual({
      $ref: '#/components/schemas/treeResponse',
    });
    const body = doc.components!.schemas!.treeBody as Record<string, unknown>;
    expect(JSON.stringify(body)).toContain('"$ref":"#/components/schemas/treeBody');
    expect(JSON.stringify(body)).not.toContain('"$ref":"#"');
    expect(unresolvedRefs(doc)).toEqual([]);
  });

  it('fails the build for what neither can describe', () => {
    expect(() =>
      documentOf({
        odd: route({
          method: 'POST',
          path: '/odd',
          auth: 'user',
          body: z.object({ f: z.custom<string>(() => true) }),
        }),
      }),
    ).toThrow(/POST \/odd \(odd\): body cannot be described in JSON Schema/);
  });
});
