/**
 * `GET /api/v1/openapi.json` (public): one OpenAPI 3.1 document for the enabled plugins, merged from the
 * `openapi.json` each ships (`contributes.openapi`, written by `goatflow-plugin build`). The kernel reads the
 * files; it never runs plugin code for them. Each plugin keeps only the paths under its own prefixes
 * (`/api/plugins/<id>` and its `apiPrefixes`, without dot segments, query or fragment), its component names,
 * security schemes and operation ids are prefixed with its id so plugins cannot collide, and a document that is
 * unreadable, malformed, nested too deep or refers outside itself is left out (logged, also in the plugin's
 * log): one plugin's document never fails the route. The result, skips included, is cached until the set of
 * enabled plugins changes.
 * @module
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { Router } from 'express';
import { z } from 'zod';
import type { PluginLog } from '../../host-api/plugin-log.js';
import type { Logger } from '../../log/logger.js';
import type { ActivePlugin, PluginManager } from '../../plugins/plugin-manager.js';

/** Larger documents are refused: a plugin's reference is tens of kilobytes. */
const MAX_DOCUMENT_BYTES = 5 * 1024 * 1024;
const OPERATION_KEYS = new Set(['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']);
/** The kinds of `components` OpenAPI 3.1 defines; any other key (`__proto__` included) is ignored. */
const COMPONENT_KINDS = new Set([
  'schemas',
  'responses',
  'parameters',
  'examples',
  'requestBodies',
  'headers',
  'securitySchemes',
  'links',
  'callbacks',
  'pathItems',
]);
/**
 * Deeper nesting is refused: generated documents stay far below it, and the recursive walks must not exhaust
 * the stack on a hostile one.
 */
const MAX_DEPTH = 64;

/** A list of security requirements, at the document's or at an operation's level. */
const securitySchema = z.array(z.record(z.string(), z.array(z.string())));

/** What the kernel takes from a plugin's document; the rest of each operation is passed on as written. */
const pluginDocumentSchema = z.looseObject({
  openapi: z.string().regex(/^3\.1\.\d+$/, 'must be an OpenAPI 3.1 document ("openapi": "3.1.x")'),
  paths: z.record(z.string(), z.record(z.string(), z.unknown())).default({}),
  components: z.record(z.string(), z.record(z.string(), z.unknown())).optional(),
  tags: z.array(z.looseObject({ name: z.string(), description: z.string().optional() })).optional(),
  security: securitySchema.optional(),
});

type Json = Record<string, unknown>;
type Requirement = Record<string, string[]>;

/** One plugin's document with what it may claim. */
export interface PluginOpenApi {
  id: string;
  /** Path prefixes its paths must lie under. */
  prefixes: string[];
  /** The parsed `openapi.json`. */
  document: unknown;
}

/** The merged document. */
export interface MergedOpenApi {
  openapi: '3.1.0';
  info: { title: string; version: string; description: string };
  tags: { name: string; description?: string }[];
  paths: Record<string, Json>;
  components: Record<string, Json>;
}

/** Thrown while adopting one plugin's document; the plugin is left out with this reason. */
class DocumentProblem extends Error {}

/** A `.` or `..` segment, also percent-encoded (`%2e`), which a client or proxy may resolve out of the prefix. */
const DOT_SEGMENT = /^(?:\.|%2e){1,2}$/i;

/** Whether `p` is a plain path under one of `prefixes`: no dot segments, no query or fragment. */
function under(prefixes: string[], p: string): boolean {
  if (p.includes('?') || p.includes('#') || p.split('/').some((segment) => DOT_SEGMENT.test(segment))) {
    return false;
  }
  return prefixes.some((prefix) => p === prefix || p.startsWith(`${prefix}/`));
}

function tooDeep(): DocumentProblem {
  return new DocumentProblem(`it nests deeper than ${MAX_DEPTH} levels`);
}

/** Prefixes the component name of every local `$ref`; refuses any other reference. */
function rebaseRefs(value: unknown, id: string, depth = 0): unknown {
  if (!value || typeof value !== 'object') return value;
  if (depth > MAX_DEPTH) throw tooDeep();
  if (Array.isArray(value)) return value.map((v) => rebaseRefs(v, id, depth + 1));
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => {
      if (k !== '$ref' || typeof v !== 'string') return [k, rebaseRefs(v, id, depth + 1)];
      const local = /^#\/components\/([^/]+)\/([^/]+)(.*)$/.exec(v);
      if (!local)
        throw new DocumentProblem(`the reference ${JSON.stringify(v)} points outside its components`);
      return [k, `#/components/${local[1]}/${id}.${local[2]}${local[3]}`];
    }),
  );
}

/** Whether a JSON pointer reference resolves in `root`. */
function resolves(root: Json, ref: string): boolean {
  let at: unknown = root;
  for (const raw of ref.slice(2).split('/')) {
    let decoded: string;
    try {
      decoded = decodeURIComponent(raw);
    } catch {
      return false; // a malformed escape such as `%zz` names nothing
    }
    const key = decoded.replaceAll('~1', '/').replaceAll('~0', '~');
    if (!at || typeof at !== 'object' || !Object.hasOwn(at, key)) return false;
    at = (at as Json)[key];
  }
  return true;
}

function refsOf(value: unknown, out: string[] = [], depth = 0): string[] {
  if (!value || typeof value !== 'object') return out;
  if (depth > MAX_DEPTH) throw tooDeep();
  if (Array.isArray(value)) for (const v of value) refsOf(v, out, depth + 1);
  else {
    for (const [k, v] of Object.entries(value)) {
      if (k === '$ref' && typeof v === 'string') out.push(v);
      else refsOf(v, out, depth + 1);
    }
  }
  return out;
}

/** One plugin's paths and components, renamed into its namespace. */
function adopt(plugin: PluginOpenApi): Pick<MergedOpenApi, 'paths' | 'components' | 'tags'> {
  const parsed = pluginDocumentSchema.safeParse(plugin.document);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new DocumentProblem(`/${issue.path.join('/')}: ${issue.message}`);
  }
  const doc = parsed.data;
  const { id } = plugin;
  const renameRequirements = (list: Requirement[]) =>
    list.map((r) =>
      Object.fromEntries(Object.entries(r).map(([scheme, scopes]) => [`${id}.${scheme}`, scopes])),
    );
  const paths: Record<string, Json> = {};
  for (const [p, item] of Object.entries(doc.paths)) {
    if (!under(plugin.prefixes, p)) continue;
    const adopted = rebaseRefs(item, id) as Json;
    for (const [method, operation] of Object.entries(adopted)) {
      if (!OPERATION_KEYS.has(method) || !operation || typeof operation !== 'object') continue;
      const op = operation as Json;
      if (typeof op.operationId === 'string') op.operationId = `${id}.${op.operationId}`;
      let own: Requirement[] | undefined;
      if (op.security !== undefined) {
        const checked = securitySchema.safeParse(op.security);
        if (!checked.success) {
          const issue = checked.error.issues[0]!;
          const where = ['paths', p, method, 'security', ...issue.path].join('/');
          throw new DocumentProblem(`/${where}: ${issue.message}`);
        }
        own = checked.data;
      }
      const security = own ?? doc.security;
      if (security) op.security = renameRequirements(security);
    }
    paths[p] = adopted;
  }
  const components: Record<string, Json> = {};
  for (const [kind, entries] of Object.entries(doc.components ?? {})) {
    if (!COMPONENT_KINDS.has(kind)) continue;
    components[kind] = Object.fromEntries(
      Object.entries(entries).map(([name, component]) => [`${id}.${name}`, rebaseRefs(component, id)]),
    );
  }
  const root = { components };
  const broken = refsOf([paths, components]).find((ref) => !resolves(root, ref));
  if (broken) throw new DocumentProblem(`the reference ${JSON.stringify(broken)} resolves to nothing`);
  const schemes = components.securitySchemes ?? {};
  for (const item of Object.values(paths)) {
    for (const [method, operation] of Object.entries(item)) {
      if (!OPERATION_KEYS.has(method) || !operation || typeof operation !== 'object') continue;
      for (const requirement of ((operation as Json).security ?? []) as Requirement[]) {
        const unknown = Object.keys(requirement).find((scheme) => !Object.hasOwn(schemes, scheme));
        if (unknown) {
          const name = unknown.slice(id.length + 1);
          throw new DocumentProblem(`the security scheme "${name}" is not among its components`);
        }
      }
    }
  }
  return { paths, components, tags: doc.tags ?? [] };
}

/**
 * Merges the plugins' documents into one. A document that cannot be adopted, for whatever reason, is left out
 * and named in `skipped`: one plugin's document never fails the merge.
 * @param version - the kernel's version, the merged document's `info.version`
 * @param plugins - the enabled plugins' documents
 */
export function mergeOpenApi(
  version: string,
  plugins: PluginOpenApi[],
): { document: MergedOpenApi; skipped: { id: string; reason: string }[] } {
  const document: MergedOpenApi = {
    openapi: '3.1.0',
    info: {
      title: 'GoatFlow API',
      version,
      description:
        'The HTTP API of the enabled plugins. Browsers authenticate with the session cookie; writes also send ' +
        'the X-CSRF-Token header. Errors are {"error": {code, message, details?}}.',
    },
    tags: [],
    paths: {},
    components: {},
  };
  const skipped: { id: string; reason: string }[] = [];
  for (const plugin of [...plugins].sort((a, b) => a.id.localeCompare(b.id))) {
    let adopted: ReturnType<typeof adopt>;
    try {
      adopted = adopt(plugin);
    } catch (err) {
      const reason =
        err instanceof DocumentProblem ? err.message : `it cannot be read as OpenAPI (${String(err)})`;
      skipped.push({ id: plugin.id, reason });
      continue;
    }
    Object.assign(document.paths, adopted.paths);
    for (const [kind, entries] of Object.entries(adopted.components)) {
      document.components[kind] = { ...document.components[kind], ...entries };
    }
    for (const tag of adopted.tags) {
      if (!document.tags.some((t) => t.name === tag.name)) {
        document.tags.push(
          tag.description ? { name: tag.name, description: tag.description } : { name: tag.name },
        );
      }
    }
  }
  return { document, skipped };
}

/** A plugin's document as read from its folder, or why it could not be. */
type ReadDocument = PluginOpenApi | { id: string; problem: string };

/** Reads an enabled plugin's document from its folder; `undefined` when it declares none. */
async function readDocument(plugin: ActivePlugin): Promise<ReadDocument | undefined> {
  const file = plugin.manifest.contributes.openapi;
  if (!file) return undefined;
  const location = path.join(plugin.dir, file);
  let text: string;
  try {
    const { size } = await fs.stat(location);
    if (size > MAX_DOCUMENT_BYTES) return { id: plugin.id, problem: `${file} is larger than 5 MiB` };
    text = await fs.readFile(location, 'utf8');
  } catch (err) {
    return { id: plugin.id, problem: `${file} cannot be read: ${(err as Error).message}` };
  }
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (err) {
    return { id: plugin.id, problem: `${file} is not JSON: ${(err as Error).message}` };
  }
  const prefixes = [`/api/plugins/${plugin.id}`, ...(plugin.manifest.contributes.apiPrefixes ?? [])];
  return { id: plugin.id, prefixes, document };
}

/** Whether two lists hold the same plugins: an enable, disable or reload makes a new `ActivePlugin`. */
function sameSet(a: ActivePlugin[], b: ActivePlugin[]): boolean {
  return a.length === b.length && a.every((p) => b.includes(p));
}

export function openApiRoutes(
  plugins: PluginManager,
  logger: Logger,
  log: PluginLog,
  version: string,
): Router {
  let cached: { plugins: ActivePlugin[]; text: Promise<string> } | undefined;

  const build = async (active: ActivePlugin[]): Promise<string> => {
    const read = (await Promise.all(active.map(readDocument))).filter((d) => d !== undefined);
    const readable = read.filter((d): d is PluginOpenApi => !('problem' in d));
    const { document, skipped } = mergeOpenApi(version, readable);
    const unreadable = read.flatMap((d) => ('problem' in d ? [{ id: d.id, reason: d.problem }] : []));
    for (const { id, reason } of [...unreadable, ...skipped]) {
      const message = `openapi.json is left out of GET /api/v1/openapi.json: ${reason}`;
      logger.warn({ plugin: id }, message);
      // The plugin's own log is where its author looks; losing this line must not fail the request.
      await log.write(id, { level: 'warn', message }).catch(() => undefined);
    }
    return JSON.stringify(document);
  };

  const router = Router();
  router.get('/openapi.json', async (_req, res) => {
    const active = plugins.activePlugins();
    let current = cached;
    if (!current || !sameSet(current.plugins, active)) {
      const text = build(active);
      current = { plugins: active, text };
      // Skipped documents are cached too: they are read (and logged) once per set of enabled plugins.
      cached = current;
    }
    const text = await current.text;
    res.set('Cache-Control', 'no-cache').type('application/json').send(text);
  });
  return router;
}
