/**
 * `openApiDocument()`: the OpenAPI 3.1 document of a plugin's routes, generated from the same zod schemas the
 * runtime checks requests against, so the reference cannot say what the plugin does not do. `goatflow-plugin
 * build` writes it to `openapi.json`; the kernel merges the documents of the enabled plugins into
 * `GET /api/v1/openapi.json` without running plugin code.
 * @module
 */
import { STATUS_CODES } from 'node:http';
import {
  OpenAPIRegistry,
  OpenApiGeneratorV31,
  type ResponseConfig,
  type RouteConfig,
} from '@asteasolutions/zod-to-openapi';
import type { z } from 'zod';
import type { PluginDefinition, RouteDefinition } from '../define/define-plugin.js';
import {
  CSRF_HEADER,
  CSRF_SCHEME,
  ERROR_BODY,
  errorBodySchema,
  FIELD_ISSUE,
  fieldIssueSchema,
  SESSION_SCHEME,
  securitySchemes,
} from './components.js';
import {
  type JsonSchema,
  jsonSchemaComponent,
  type ParameterObject,
  parametersOf,
  translates,
} from './fallback.js';
import { openApiPath, pathParameterNames } from './paths.js';

/** What the document says about itself. */
export interface OpenApiOptions {
  /** `info.title`, e.g. the plugin's name. */
  title: string;
  /** `info.version`, e.g. the plugin's version. */
  version: string;
  /** `info.description`. */
  description?: string;
}

/** An OpenAPI 3.1 document, as JSON data. */
export interface OpenApiDocument {
  openapi: string;
  info: { title: string; version: string; description?: string };
  tags?: { name: string; description?: string }[];
  /** Path → lower-case method → operation. */
  paths: Record<string, Record<string, unknown>>;
  /** Kind (`schemas`, `securitySchemes`…) → name → object. */
  components?: Record<string, Record<string, unknown>>;
  [field: string]: unknown;
}

/** One problem of one route, found while generating the document. */
export interface OpenApiIssue {
  /** The route, e.g. `GET /items/:id (getItem)`. */
  route: string;
  message: string;
}

/** A definition whose routes cannot be described in OpenAPI; `issues` name the route and what to change. */
export class OpenApiBuildError extends Error {
  /**
   * @param pluginId - the id in the definition
   * @param issues - what is wrong, by route
   */
  constructor(
    readonly pluginId: string,
    readonly issues: OpenApiIssue[],
  ) {
    super(
      `the routes of plugin "${pluginId}" cannot be described in OpenAPI:\n${issues
        .map((i) => `  ${i.route}: ${i.message}`)
        .join('\n')}`,
    );
    this.name = 'OpenApiBuildError';
  }
}

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
/** A media type as `produces` names it: `type/subtype`, parameters allowed (`text/csv; charset=utf-8`). */
const MEDIA_TYPE = /^[\w!#$&^.+-]+\/[\w!#$&^.+-]+(?:\s*;.*)?$/;
/** What a file answer's body is: bytes, whatever its media type. */
const BINARY = { type: 'string', format: 'binary' } as const;
/**
 * What the registry takes as a component and as parameters: openapi3-ts's types, which plain JSON data (ours, and
 * what `z.toJSONSchema` makes) satisfies at run time but not in TypeScript.
 */
type Component<K extends 'schemas' | 'securitySchemes'> = Parameters<
  typeof OpenAPIRegistry.prototype.registerComponent<K>
>[2];
type Parameters_ = NonNullable<RouteConfig['parameters']>;
/** The CSRF header, as error descriptions name it. */
const CSRF = `\`${CSRF_HEADER}\``;
type AnyRoute = RouteDefinition<z.ZodType | undefined, z.ZodType | undefined, z.ZodType | undefined>;

/** A zod object (any copy of zod): what `params` and `query` must be, one parameter per property. */
function isZodObject(schema: z.ZodType): boolean {
  return (schema as { _zod?: { def?: { type?: string } } })._zod?.def?.type === 'object';
}

/** Whether a body may be left out: the runtime hands a missing body to the schema as `undefined`. */
function acceptsNothing(schema: z.ZodType): boolean {
  try {
    return schema.safeParse(undefined).success;
  } catch {
    return false;
  }
}

function errorDescription(status: number, route: AnyRoute, write: boolean): string {
  switch (status) {
    case 400:
      return 'The request is invalid (`validation_failed`: `details` name each field, e.g. `query.page`).';
    case 401:
      return 'Not signed in (`unauthenticated`).';
    case 403: {
      const csrf = write && route.auth !== 'public';
      if (!route.errors?.includes(403))
        return `A write with the session cookie but without its ${CSRF} (\`csrf_failed\`).`;
      return csrf
        ? `Not permitted, or (\`csrf_failed\`) a write with the session cookie but without its ${CSRF}.`
        : 'Not permitted.';
    }
    case 404:
      return 'Not found, or not visible to the caller (`not_found`).';
    default:
      return `${STATUS_CODES[status] ?? 'Error'}.`;
  }
}

/** Checks and collects what one route's document needs, translating what zod-to-openapi cannot. */
class RouteTranslator {
  readonly problems: string[] = [];
  /** Components made by the fallback, to register beside the path. */
  readonly components = new Map<string, JsonSchema>();

  constructor(
    private readonly pluginId: string,
    private readonly key: string,
    private readonly route: AnyRoute,
  ) {}

  /** The route's configuration for the registry; `undefined` when {@link problems} says why not. */
  config(): RouteConfig | undefined {
    const { route, key } = this;
    const write = WRITE_METHODS.has(route.method);
    const status = route.status ?? 200;
    if (!Number.isInteger(status) || status < 200 || status > 299) {
      this.problems.push(`status must be a success status from 200 to 299, not ${status}`);
    }
    if (status === 204 && route.response) {
      this.problems.push('a 204 answer has no body: remove response, or choose another status');
    }
    if (route.produces !== undefined) {
      if (!Array.isArray(route.produces) || route.produces.length === 0) {
        this.problems.push('produces must list the media types of the file answer, e.g. ["text/csv"]');
      }
      for (const type of Array.isArray(route.produces) ? route.produces : []) {
        if (typeof type !== 'string' || !MEDIA_TYPE.test(type)) {
          this.problems.push(
            `produces must list media types such as "text/csv", not ${JSON.stringify(type)}`,
          );
        }
      }
      if (route.response)
        this.problems.push('a file answer (produces) has no JSON response: remove response');
      if (status === 204)
        this.problems.push('a 204 answer has no body: remove produces, or choose another status');
    }
    for (const e of route.errors ?? []) {
      if (!Number.isInteger(e) || e < 400 || e > 599) {
        this.problems.push(`errors must list error statuses from 400 to 599, not ${e}`);
      }
    }
    const names = pathParameterNames(route.path);
    for (const [part, schema] of [
      ['params', route.params],
      ['query', route.query],
    ] as const) {
      if (schema && !isZodObject(schema)) {
        this.problems.push(
          `${part} must be a z.object() (one parameter per property); put transforms and preprocessing on its fields`,
        );
      }
    }
    const paramKeys =
      route.params && isZodObject(route.params)
        ? Object.keys((route.params as z.ZodObject).shape)
        : undefined;
    for (const k of paramKeys ?? []) {
      if (!names.includes(k))
        this.problems.push(`params.${k} is not a segment of the path (add :${k} to it)`);
    }
    for (const n of names) {
      if (paramKeys && !paramKeys.includes(n)) {
        this.problems.push(`the path has :${n}, which params does not name (add ${n} to params)`);
      }
    }
    if (this.problems.length > 0) return undefined;

    const requirement: Record<string, string[]> = write
      ? { [SESSION_SCHEME]: [], [CSRF_SCHEME]: [] }
      : { [SESSION_SCHEME]: [] };
    const security = route.auth === 'public' ? {} : { security: [requirement] };
    const errors = new Set([400, ...(route.auth === 'public' ? [] : [401]), 404, ...(route.errors ?? [])]);
    if (write && route.auth !== 'public') errors.add(403);
    const content = route.produces
      ? Object.fromEntries(route.produces.map((type) => [type, { schema: { ...BINARY } }]))
      : { 'application/json': { schema: route.response ?? {} } };
    const responses: Record<string, ResponseConfig> = {
      [String(status)]: {
        description: `${STATUS_CODES[status] ?? 'Success'}.`,
        ...(status === 204 ? {} : { content }),
      },
    };
    for (const e of [...errors].sort((a, b) => a - b)) {
      responses[String(e)] = {
        description: errorDescription(e, route, write),
        content: { 'application/json': { schema: { $ref: `#/components/schemas/${ERROR_BODY}` } } },
      };
    }
    const config: RouteConfig = {
      method: route.method.toLowerCase() as RouteConfig['method'],
      path: openApiPath(this.pluginId, route.path),
      operationId: key,
      tags: route.tags?.length ? route.tags : [this.pluginId],
      ...(route.summary ? { summary: route.summary } : {}),
      ...(route.description ? { description: route.description } : {}),
      'x-goatflow-auth': route.auth,
      ...(route.scope ? { 'x-goatflow-scope': route.scope } : {}),
      ...security,
      request: {
        ...(route.params ? { params: route.params as z.ZodObject } : {}),
        ...(route.query ? { query: route.query as z.ZodObject } : {}),
        ...(route.body
          ? {
              body: {
                required: !acceptsNothing(route.body),
                content: { 'application/json': { schema: route.body } },
              },
            }
          : {}),
      },
      responses,
    };
    // Path parameters without a params schema reach the handler as strings.
    if (!route.params && names.length > 0) {
      config.parameters = names.map((name) => ({
        name,
        in: 'path',
        required: true,
        schema: { type: 'string' },
      }));
    }
    return translates(config) ? config : this.fallback(config);
  }

  /** Replaces each part zod-to-openapi cannot translate by zod's own JSON Schema of it. */
  private fallback(config: RouteConfig): RouteConfig {
    const { route, key } = this;
    const probe = (request: RouteConfig['request'], responses: RouteConfig['responses'] = {}) =>
      translates({ method: config.method, path: config.path, request, responses });
    const request = { ...config.request };
    const parameters = [...((config.parameters ?? []) as ParameterObject[])];
    for (const [part, location] of [
      ['params', 'path'],
      ['query', 'query'],
    ] as const) {
      const schema = route[part];
      if (!schema || probe({ [part]: schema })) continue;
      const name = `${key}${part === 'params' ? 'Params' : 'Query'}`;
      const made = this.jsonSchema(part, () => parametersOf(schema, location, name));
      if (!made) continue;
      delete request[part];
      parameters.push(...made.parameters);
      if (made.defs) this.components.set(name, made.defs);
    }
    if (route.body && !probe({ body: { content: { 'application/json': { schema: route.body } } } })) {
      const name = `${key}Body`;
      const schema = this.jsonSchema('body', () => jsonSchemaComponent(route.body!, 'input', name));
      if (schema) {
        this.components.set(name, schema);
        request.body = {
          ...request.body!,
          content: { 'application/json': { schema: { $ref: `#/components/schemas/${name}` } } },
        };
      }
    }
    const responses = { ...config.responses };
    const status = String(route.status ?? 200);
    const response = route.response;
    if (
      response &&
      !probe({}, { [status]: { description: '', content: { 'application/json': { schema: response } } } })
    ) {
      const name = `${key}Response`;
      const schema = this.jsonSchema('response', () => jsonSchemaComponent(response, 'output', name));
      if (schema) {
        this.components.set(name, schema);
        responses[status] = {
          ...responses[status]!,
          content: { 'application/json': { schema: { $ref: `#/components/schemas/${name}` } } },
        };
      }
    }
    return {
      ...config,
      request,
      responses,
      ...(parameters.length ? { parameters: parameters as Parameters_ } : {}),
    };
  }

  private jsonSchema<T>(part: string, make: () => T): T | undefined {
    try {
      return make();
    } catch (err) {
      this.problems.push(
        `${part} cannot be described in JSON Schema (${(err as Error).message}); use JSON-representable zod types, or describe it with .meta()`,
      );
      return undefined;
    }
  }
}

/**
 * Parameters as a URL carries them: path parameters are always required (OpenAPI demands it, whatever the
 * schema says), and no parameter is ever JSON `null` — zod-to-openapi calls a schema nullable when it accepts
 * `null`, which a list preprocess does by turning it into `"null"`.
 */
function normalizeParameters(paths: OpenApiDocument['paths']): void {
  for (const item of Object.values(paths)) {
    for (const operation of Object.values(item)) {
      for (const p of (operation as { parameters?: ParameterObject[] }).parameters ?? []) {
        if (p.in === 'path') p.required = true;
        const type = p.schema?.type;
        if (Array.isArray(type) && type.includes('null')) {
          const rest = type.filter((t) => t !== 'null');
          p.schema.type = rest.length === 1 ? rest[0] : rest;
        }
      }
    }
  }
}

/**
 * The OpenAPI 3.1 document of a plugin's routes. Each route becomes an operation: its path absolute (`:id` →
 * `{id}`), `operationId` its key, `tags` its `tags` (the plugin id by default), `params` and `query` one
 * parameter per property, the body as `application/json`, the success answer (`status`, 200 by default) from
 * `response` (or, for a route that names `produces`, bytes of those media types), and 400, 401, 404 plus the route's `errors` with the shared `ErrorBody`. Routes that need a
 * session list the session cookie as their security, writes also the `X-CSRF-Token` header; `public` routes
 * none. What zod-to-openapi cannot translate is taken from `z.toJSONSchema` (draft 2020-12, OpenAPI 3.1's
 * dialect). Response schemas are described by their input shape: keep transforms out of them.
 *
 * Throws an {@link OpenApiBuildError} naming every route that cannot be described (for example, a `query` that
 * is not a `z.object`).
 * @param plugin - the definition (usually the default export of `src/plugin.ts`)
 * @param options - the document's title and version, e.g. the plugin's name and version
 * @example
 * ```ts
 * const document = openApiDocument(plugin, { title: plugin.name, version: plugin.version });
 * ```
 */
export function openApiDocument(plugin: PluginDefinition, options: OpenApiOptions): OpenApiDocument {
  const registry = new OpenAPIRegistry();
  registry.registerComponent('schemas', FIELD_ISSUE, fieldIssueSchema as Component<'schemas'>);
  registry.registerComponent('schemas', ERROR_BODY, errorBodySchema as Component<'schemas'>);
  for (const [name, scheme] of Object.entries(securitySchemes)) {
    registry.registerComponent('securitySchemes', name, scheme as Component<'securitySchemes'>);
  }
  const issues: OpenApiIssue[] = [];
  const tags = new Set<string>();
  for (const [key, route] of Object.entries(plugin.routes ?? {})) {
    const translator = new RouteTranslator(plugin.id, key, route as AnyRoute);
    const config = translator.config();
    if (!config || translator.problems.length > 0) {
      const where = `${route.method} ${route.path} (${key})`;
      issues.push(...translator.problems.map((message) => ({ route: where, message })));
      continue;
    }
    for (const [name, schema] of translator.components) {
      registry.registerComponent('schemas', name, schema as Component<'schemas'>);
    }
    for (const tag of config.tags ?? []) tags.add(tag);
    registry.registerPath(config);
  }
  if (issues.length > 0) throw new OpenApiBuildError(plugin.id, issues);

  const generated = new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: options.title,
      version: options.version,
      ...(options.description ? { description: options.description } : {}),
    },
    tags: [...tags].map((name) =>
      name === plugin.id && plugin.description ? { name, description: plugin.description } : { name },
    ),
  }) as unknown as OpenApiDocument;
  const { webhooks: _none, ...document } = generated;
  const components = Object.fromEntries(
    Object.entries(document.components ?? {}).filter(([, entries]) => Object.keys(entries).length > 0),
  );
  normalizeParameters(document.paths);
  return { ...document, components };
}
