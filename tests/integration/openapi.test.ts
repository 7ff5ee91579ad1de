/**
 * `GET /api/v1/openapi.json`: the kernel merges the OpenAPI documents the enabled plugins ship (webhook-notifier
 * as `goatflow-plugin build` wrote it, and the `notes-api` fixture under `/api/v1/notes`), keeps only the paths
 * under each plugin's own prefixes, names components per plugin, drops a disabled plugin's paths and leaves out
 * a broken document (saying why in that plugin's log). The document is checked structurally as OpenAPI 3.1, and
 * against the kernel's real answers: its error bodies, session cookie, CSRF header and success schemas.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Kernel } from '@goatflow/kernel';
import { isDefinedPlugin } from '@goatflow/sdk';
import { openApiDocument } from '@goatflow/sdk/openapi';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PluginFolder, repoRoot, waitFor } from '../fixtures/grpc/host-api-plugins.js';
import { notesDocument, PLANTED_PATHS, writeNotesPlugin } from '../fixtures/openapi-plugin/folder.js';
import { freshDatabase, type TestDatabase } from '../support/database.js';
import { ApiClient } from '../support/http-client.js';
import { adminClient, startTestKernel, userClient } from '../support/kernel.js';

const WEBHOOK = 'webhook-notifier';
const NOTES = 'notes-api';
const BROKEN = 'broken-openapi';
/** Plugins whose documents attack the merge; each is left out, and the document still answers 200. */
const HOSTILE = ['hostile-security', 'hostile-escape', 'hostile-depth'];
/** A plugin whose document is fine but for a path that climbs out of its prefix with dot segments. */
const DOTS = 'hostile-dots';
const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'];

type Json = Record<string, any>;

let db: TestDatabase;
let kernel: Kernel;
let folder: PluginFolder;
let admin: ApiClient;
let agent: ApiClient;
const anonymous = () => new ApiClient(kernel.url);

async function openApi(): Promise<Json> {
  const res = await anonymous().get('/api/v1/openapi.json');
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  return res.body;
}

async function enable(id: string): Promise<void> {
  const requested = (await admin.get(`/api/admin/plugins/${id}`)).body.requested;
  expect((await admin.put(`/api/admin/plugins/${id}/grants`, requested)).status).toBe(200);
  const res = await admin.post(`/api/admin/plugins/${id}/enable`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  await waitFor(`${id} running`, async () => {
    const health = (await admin.get(`/api/admin/plugins/${id}`)).body.health;
    return health?.state === 'running';
  });
}

function operations(doc: Json): { path: string; method: string; op: Json }[] {
  return Object.entries(doc.paths as Json).flatMap(([p, item]) =>
    Object.entries(item as Json)
      .filter(([method]) => METHODS.includes(method))
      .map(([method, op]) => ({ path: p, method, op: op as Json })),
  );
}

function refsOf(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) for (const v of value) refsOf(v, out);
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k === '$ref' && typeof v === 'string') out.push(v);
      else refsOf(v, out);
    }
  }
  return out;
}

function resolve(doc: Json, ref: string): unknown {
  let at: unknown = doc;
  for (const raw of ref.slice(2).split('/')) {
    const key = raw.replaceAll('~1', '/').replaceAll('~0', '~');
    if (!at || typeof at !== 'object' || !Object.hasOwn(at, key)) return undefined;
    at = (at as Json)[key];
  }
  return at;
}

/** A validator for the schema at `pointer` of the document (its `$ref`s resolved in the same document). */
function validatorFor(doc: Json, pointer: string) {
  // Not strict: the document's own keywords (openapi, paths, responses…) are not JSON Schema's.
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  // ajv-formats types itself against its own (older 8.x) ajv; the plugin API is the same.
  addFormats.default(ajv as unknown as Parameters<typeof addFormats.default>[0]);
  ajv.addSchema({ $id: 'openapi', components: doc.components, paths: doc.paths });
  const validate = ajv.compile({ $ref: `openapi${pointer}` });
  return (value: unknown) => (validate(value) ? [] : (validate.errors ?? []));
}

beforeAll(async () => {
  const build = spawnSync(
    process.execPath,
    [path.join(repoRoot, 'scripts', 'build-examples.mjs'), '--quiet', WEBHOOK],
    {
      encoding: 'utf8',
    },
  );
  if (build.status !== 0) throw new Error(`building ${WEBHOOK} failed:\n${build.stdout}${build.stderr}`);
  folder = new PluginFolder();
  writeNotesPlugin(folder);
  // A plugin whose document points outside itself: it must be left out, with a line in its log.
  folder.grpc(BROKEN, {
    contributes: {
      routes: [{ method: 'GET', path: '/echo', auth: 'user', handler: 'echo' }],
      openapi: 'openapi.json',
    },
  });
  fs.writeFileSync(
    path.join(folder.dir, BROKEN, 'openapi.json'),
    JSON.stringify({
      openapi: '3.1.0',
      info: { title: 'broken', version: '1' },
      paths: {
        [`/api/plugins/${BROKEN}/echo`]: { get: { responses: { 200: { $ref: 'https://example.com/x' } } } },
      },
    }),
  );
  // Written as text: JSON.stringify itself would run out of stack on it.
  const deep = `${'{"type":"array","items":'.repeat(10_000)}{"type":"string"}${'}'.repeat(10_000)}`;
  const echo = (operation: Json) => ({ openapi: '3.1.0', info: { title: 't', version: '1' }, ...operation });
  const hostile: Record<string, Json> = {
    'hostile-security': echo({
      paths: { '/api/plugins/hostile-security/echo': { get: { security: 'x', responses: {} } } },
    }),
    'hostile-escape': echo({
      paths: {
        '/api/plugins/hostile-escape/echo': {
          get: { responses: { 200: { $ref: '#/components/responses/%zz' } } },
        },
      },
    }),
    'hostile-depth': echo({
      paths: {
        '/api/plugins/hostile-depth/echo': {
          get: {
            responses: { 200: { description: 'OK.', content: { 'application/json': { schema: 'DEEP' } } } },
          },
        },
      },
    }),
    [DOTS]: echo({
      paths: Object.fromEntries(
        [
          `/api/plugins/${DOTS}/echo`,
          `/api/plugins/${DOTS}/../../admin/users`,
          `/api/plugins/${DOTS}/%2e%2e/x`,
        ].map((p) => [p, { get: { operationId: 'echo', responses: { 200: { description: 'OK.' } } } }]),
      ),
    }),
  };
  for (const [id, document] of Object.entries(hostile)) {
    folder.grpc(id, {
      contributes: {
        routes: [{ method: 'GET', path: '/echo', auth: 'user', handler: 'echo' }],
        openapi: 'openapi.json',
      },
    });
    const text = JSON.stringify(document).replace('"DEEP"', deep);
    fs.writeFileSync(path.join(folder.dir, id, 'openapi.json'), text);
  }
  db = await freshDatabase();
  kernel = await startTestKernel({ databaseUrl: db.url, env: { GOATFLOW_PLUGIN_DIR: folder.dir } });
  admin = await adminClient(kernel);
  agent = (await userClient(kernel, admin, { login: 'olga', type: 'agent' })).client;
  for (const id of [WEBHOOK, NOTES, BROKEN, ...HOSTILE, DOTS]) await enable(id);
}, 120_000);

afterAll(async () => {
  await kernel?.stop();
  await db?.drop();
  folder?.remove();
});

describe('GET /api/v1/openapi.json', () => {
  it('is public, and merges the enabled plugins, every name in its plugin namespace', async () => {
    const doc = await openApi();
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.info).toMatchObject({ title: 'GoatFlow API', version: expect.any(String) });
    expect(Object.keys(doc.paths).sort()).toEqual(
      [
        '/api/plugins/hostile-dots/echo',
        '/api/plugins/notes-api/status',
        '/api/plugins/webhook-notifier/deliveries',
        '/api/plugins/webhook-notifier/deliveries/{id}/retry',
        '/api/plugins/webhook-notifier/ping',
        '/api/v1/notes',
        '/api/v1/notes/{id}',
      ].sort(),
    );
    const ids = operations(doc).map((o) => o.op.operationId);
    expect(ids).toEqual(
      expect.arrayContaining(['webhook-notifier.listDeliveries', 'notes-api.createNote', 'notes-api.status']),
    );
    expect(Object.keys(doc.components.schemas)).toEqual(
      expect.arrayContaining(['notes-api.Note', 'notes-api.ErrorBody', 'webhook-notifier.ErrorBody']),
    );
    expect(doc.tags.map((t: Json) => t.name)).toEqual(['Notes', NOTES, WEBHOOK]);
    // The dot segments that would leave hostile-dots' prefix are not adopted.
    expect(Object.keys(doc.paths).filter((p) => p.includes('..') || p.includes('%2e'))).toEqual([]);
    // What notes-api generated, paths and all, renamed into its namespace.
    const generated = notesDocument();
    const created = doc.paths['/api/v1/notes'].post;
    expect(created.requestBody).toEqual((generated.paths['/api/v1/notes']!.post as Json).requestBody);
    expect(Object.keys(created.responses)).toEqual(['201', '400', '401', '403', '404', '409']);
  });

  it("keeps only the paths under each plugin's own prefixes", async () => {
    const doc = await openApi();
    for (const planted of PLANTED_PATHS.filter((p) => !p.startsWith(`/api/plugins/${WEBHOOK}`))) {
      expect(doc.paths[planted], planted).toBeUndefined();
    }
    // webhook-notifier's path is its own, not the copy notes-api planted.
    expect(doc.paths['/api/plugins/webhook-notifier/deliveries'].get.operationId).toBe(
      'webhook-notifier.listDeliveries',
    );
  });

  it('is a structurally valid OpenAPI 3.1 document', async () => {
    const doc = await openApi();
    for (const ref of refsOf(doc)) {
      expect(ref, ref).toMatch(/^#\//);
      expect(resolve(doc, ref), ref).toBeDefined();
    }
    const ids = operations(doc).map((o) => o.op.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    for (const { path: p, method, op } of operations(doc)) {
      const where = `${method} ${p}`;
      expect(p, where).toMatch(/^\/[A-Za-z0-9_\-/{}.]*$/);
      const templated = [...p.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
      const pathParams = (op.parameters ?? []).filter((x: Json) => x.in === 'path');
      expect(pathParams.map((x: Json) => x.name).sort(), where).toEqual(templated.sort());
      for (const param of pathParams) expect(param.required, where).toBe(true);
      expect(Object.keys(op.responses).length, where).toBeGreaterThan(0);
      for (const [status, response] of Object.entries(op.responses as Json)) {
        expect(status, where).toMatch(/^[1-5]\d\d$|^default$/);
        expect(typeof (response as Json).description, `${where} ${status}`).toBe('string');
      }
      for (const requirement of op.security ?? []) {
        for (const scheme of Object.keys(requirement)) {
          expect(doc.components.securitySchemes[scheme], `${where} ${scheme}`).toBeDefined();
        }
      }
    }
  });

  it("describes the kernel's real answers: errors, the session cookie, the CSRF header, success bodies", async () => {
    const doc = await openApi();
    const errorBody = validatorFor(doc, '#/components/schemas/notes-api.ErrorBody');
    const schemes = doc.components.securitySchemes;
    expect(schemes['notes-api.session']).toMatchObject({ type: 'apiKey', in: 'cookie' });

    // The cookie the login sets is the one the document names.
    const login = await new ApiClient(kernel.url).login('admin', 'admin-test-password');
    expect(
      login.headers.getSetCookie().some((c) => c.startsWith(`${schemes['notes-api.session'].name}=`)),
    ).toBe(true);

    const unauthenticated = await anonymous().get('/api/v1/notes');
    expect(unauthenticated.status).toBe(401);
    expect(errorBody(unauthenticated.body)).toEqual([]);

    const invalid = await agent.get('/api/v1/notes?limit=lots');
    expect(invalid.status).toBe(400);
    expect(invalid.body.error.details[0].path).toBe('query.limit');
    expect(errorBody(invalid.body)).toEqual([]);

    // A write without the header the csrf scheme names is refused; with it, it goes through.
    const header = schemes['notes-api.csrf'].name;
    agent.sendCsrf = false;
    const refused = await agent.post('/api/v1/notes', { title: 'First' });
    expect(refused.status).toBe(403);
    expect(errorBody(refused.body)).toEqual([]);
    const created = await agent.post(
      '/api/v1/notes',
      { title: 'First', tags: ['a'] },
      { [header]: agent.csrfToken! },
    );
    agent.sendCsrf = true;
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const noteSchema = validatorFor(
      doc,
      '#/paths/~1api~1v1~1notes/post/responses/201/content/application~1json/schema',
    );
    expect(noteSchema(created.body)).toEqual([]);

    const conflict = await agent.post('/api/v1/notes', { title: 'First' });
    expect(conflict.status).toBe(409);
    expect(errorBody(conflict.body)).toEqual([]);
    const missing = await agent.get('/api/v1/notes/999');
    expect(missing.status).toBe(404);
    expect(errorBody(missing.body)).toEqual([]);

    const page = await agent.get('/api/v1/notes?tag=a,b');
    expect(page.status).toBe(200);
    const pageSchema = validatorFor(
      doc,
      '#/paths/~1api~1v1~1notes/get/responses/200/content/application~1json/schema',
    );
    expect(pageSchema(page.body)).toEqual([]);
    expect(page.body.total).toBe(1);
    // A public route needs no session, as its missing security says.
    expect(doc.paths['/api/plugins/notes-api/status'].get.security).toBeUndefined();
    expect((await anonymous().get('/api/plugins/notes-api/status')).status).toBe(200);
  });

  it("drops a disabled plugin's paths and components, and brings them back when it is enabled", async () => {
    expect((await admin.post(`/api/admin/plugins/${NOTES}/disable`)).status).toBe(200);
    const without = await openApi();
    expect(Object.keys(without.paths).filter((p) => p.includes('notes'))).toEqual([]);
    expect(Object.keys(without.components.schemas).filter((n) => n.startsWith(`${NOTES}.`))).toEqual([]);
    expect(without.paths['/api/plugins/webhook-notifier/ping']).toBeDefined();

    await enable(NOTES);
    const back = await openApi();
    expect(back.paths['/api/v1/notes/{id}']).toBeDefined();
  });

  it('leaves out a document that refers outside itself, and says so in that plugin log', async () => {
    const doc = await openApi();
    expect(Object.keys(doc.paths).filter((p) => p.includes(BROKEN))).toEqual([]);
    const logs = await admin.get(`/api/admin/plugins/${BROKEN}/logs?level=warn`);
    expect(logs.status).toBe(200);
    expect(logs.body.items.map((l: Json) => l.message)).toContain(
      'openapi.json is left out of GET /api/v1/openapi.json: the reference "https://example.com/x" points outside its components',
    );
  });
  it('leaves out hostile documents without failing, and reads each only once per set of plugins', async () => {
    const warnings = async (id: string): Promise<string[]> => {
      const logs = await admin.get(`/api/admin/plugins/${id}/logs?level=warn`);
      expect(logs.status).toBe(200);
      return logs.body.items
        .map((l: Json) => l.message as string)
        .filter((m: string) => m.startsWith('openapi.json is left out'));
    };
    const doc = await openApi();
    for (const id of HOSTILE)
      expect(
        Object.keys(doc.paths).filter((p) => p.includes(id)),
        id,
      ).toEqual([]);
    // Logged on every rebuild (each change of the enabled set), always with the reason.
    const reasons: Record<string, RegExp> = {
      'hostile-security': /: \/paths\/\/api\/plugins\/hostile-security\/echo\/get\/security: /,
      'hostile-escape': /"#\/components\/responses\/hostile-escape\.%zz" resolves to nothing$/,
      'hostile-depth': /: it nests deeper than 64 levels$/,
    };
    for (const id of HOSTILE) {
      const logged = await warnings(id);
      expect(logged.length, id).toBeGreaterThan(0);
      for (const message of logged) expect(message).toMatch(reasons[id]!);
    }
    const before = await Promise.all(HOSTILE.map(warnings));
    // Cached with its skips: more requests neither read the documents again nor log again.
    for (let i = 0; i < 3; i++) await openApi();
    fs.writeFileSync(
      path.join(folder.dir, 'hostile-escape', 'openapi.json'),
      JSON.stringify({
        openapi: '3.1.0',
        info: { title: 't', version: '1' },
        paths: {
          '/api/plugins/hostile-escape/echo': { get: { responses: { 200: { description: 'OK.' } } } },
        },
      }),
    );
    expect(Object.keys((await openApi()).paths).filter((p) => p.includes('hostile'))).toEqual([
      `/api/plugins/${DOTS}/echo`,
    ]);
    expect(await Promise.all(HOSTILE.map(warnings))).toEqual(before);
  });
});

describe("the example plugins' openapi.json", () => {
  // Committed like the manifest, because the kernel reads the file: a definition changed without rebuilding fails.
  it.each(['hello-grpc', 'hello-wasm', 'webhook-notifier'])(
    '%s: is what src/plugin.ts generates',
    async (name) => {
      const dir = path.join(repoRoot, 'plugins-examples', name);
      const definition = (await import(pathToFileURL(path.join(dir, 'src', 'plugin.ts')).href)).default;
      expect(isDefinedPlugin(definition)).toBe(true);
      const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'goatflow-plugin.json'), 'utf8'));
      expect(manifest.contributes.openapi).toBe('openapi.json');
      const onDisk = JSON.parse(fs.readFileSync(path.join(dir, 'openapi.json'), 'utf8'));
      expect(
        onDisk,
        `run node scripts/build-examples.mjs ${name} and commit plugins-examples/${name}/openapi.json`,
      ).toEqual(
        JSON.parse(
          JSON.stringify(
            openApiDocument(definition, { title: definition.name, version: definition.version }),
          ),
        ),
      );
    },
  );
});
