/**
 * `definePlugin()`: a plugin described once, in TypeScript. Routes carry zod schemas for their parameters, query,
 * body and response; events, jobs, hooks and MCP tools name their handlers by their keys; settings are a zod
 * object. `goatflow-plugin build` generates `goatflow-plugin.json` from it ({@link buildManifest}) and `validate`
 * fails when the file on disk has drifted; a gRPC plugin hands the same object to `serve()`, which validates
 * every request against the schemas before the handler runs.
 * @module
 */
import { z } from 'zod';
import type { PluginContext } from '../grpc/types.js';
import type { HostClient } from '../host/host-client.js';
import type { AuthLevel, PluginManifestInput, PluginPermissions } from '../manifest/schema.js';
import { buildManifest } from './build-manifest.js';
import type { FileReply, Reply } from './route-reply.js';

/** A zod schema, or nothing. */
type MaybeSchema = z.ZodType | undefined;
/** The parsed type of an optional schema: what the handler receives. */
type Parsed<S extends MaybeSchema> = S extends z.ZodType ? z.output<S> : unknown;
/** The type a handler may return for an optional response schema. */
type Answer<S extends MaybeSchema> = S extends z.ZodType ? z.input<S> : unknown;

/** What every handler of a gRPC plugin receives besides its input. */
export interface HandlerContext<Settings = Record<string, unknown>> extends PluginContext {
  /** The Host API, typed; every call acts for this invocation's user and is checked against the grants. */
  host: HostClient;
  /**
   * The plugin's settings in effect (defaults overlaid with what the operator saved). Typed by the settings
   * schema where TypeScript can infer it (events, jobs); in a `route()` name the type:
   * `ctx.settings<z.output<typeof settings>>()`.
   */
  settings<T = Settings>(): Promise<T>;
}

/** The request a route handler receives, each part already parsed by its schema. */
export interface RouteRequest<P = unknown, Q = unknown, B = unknown> {
  method: string;
  /** The path as requested, e.g. `/greeting/7`. */
  path: string;
  params: P;
  query: Q;
  body: B;
}

/**
 * A route handler: answers the body (sent as 200), a {@link Reply}, a {@link FileReply}, or throws a
 * `RouteError`.
 */
export type RouteHandler<P, Q, B, R, S> = (
  request: RouteRequest<P, Q, B>,
  context: HandlerContext<S>,
) => R | Reply<R> | Reply<unknown> | FileReply | Promise<R | Reply<R> | Reply<unknown> | FileReply>;

/** The HTTP methods a plugin route may use. */
export type RouteMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** One route: where it is, who may call it, its schemas and (for gRPC plugins) its handler. */
export interface RouteDefinition<
  PS extends MaybeSchema = MaybeSchema,
  QS extends MaybeSchema = MaybeSchema,
  BS extends MaybeSchema = MaybeSchema,
  RS extends MaybeSchema = MaybeSchema,
  S = Record<string, unknown>,
> {
  method: RouteMethod;
  /** Relative to `/api/plugins/<id>` (e.g. `/items/:id`), or absolute under one of `apiPrefixes`. */
  path: string;
  /** Who may call it: `public`, `customer`, `agent`, `user` (either) or `admin`. */
  auth: AuthLevel;
  /** The token scope a caller without a session needs, e.g. `tickets:read`. */
  scope?: string;
  /** A name guards and audit can act on. */
  action?: string;
  /** One line for API references. */
  summary?: string;
  /** Longer prose for API references (Markdown, as OpenAPI allows). */
  description?: string;
  /** Groups in the API reference; defaults to the plugin id. */
  tags?: string[];
  /** The status of a successful answer, for the API reference (e.g. 201 or 204); defaults to 200. */
  status?: number;
  /**
   * Error statuses the route answers besides 400, 401 and 404 (which every route may), e.g. `[403, 409]`;
   * each is documented with the API's error body.
   */
  errors?: number[];
  /**
   * The media types of a file answer, for a route whose handler answers with `replyFile()`, e.g. `['text/csv']`:
   * the API reference then describes its success body as bytes of those types instead of JSON. Such a route
   * has no `response`.
   */
  produces?: string[];
  /** The path parameters (strings in, coerce as needed), e.g. `z.object({ id: z.coerce.number().int() })`. */
  params?: PS;
  /** The query string: values are strings, or arrays of strings when repeated. */
  query?: QS;
  /** The JSON body. */
  body?: BS;
  /**
   * The largest request body this route accepts, in bytes (at most 16 MiB, the gRPC message limit); the
   * kernel answers 413 above it. Without it the kernel's `GOATFLOW_BODY_LIMIT_BYTES` (1 MiB by default) applies.
   * Remember that base64 grows data by a third: a 10 MiB upload needs about 13.4 MiB.
   */
  maxBodyBytes?: number;
  /** The success answer (see `status`); checked before it is sent, so a handler cannot leak fields the schema does not name. */
  response?: RS;
  /**
   * The handler, for gRPC plugins; a WASM plugin exports a function named like the route's key instead.
   * (A method signature, so routes with different schemas fit in one record.)
   */
  handler?(
    request: RouteRequest<Parsed<PS>, Parsed<QS>, Parsed<BS>>,
    context: HandlerContext<S>,
  ): ReturnType<RouteHandler<Parsed<PS>, Parsed<QS>, Parsed<BS>, Answer<RS>, S>>;
}

/**
 * Declares a route with its types inferred from its schemas (the handler sees parsed values).
 * @param definition - the route
 * @example
 * ```ts
 * route({
 *   method: 'GET', path: '/items/:id', auth: 'agent',
 *   params: z.object({ id: z.coerce.number().int().positive() }),
 *   handler: async ({ params }, { host }) => (await host.db.query('select * from items where id = $1', [params.id])).rows[0],
 * })
 * ```
 */
export function route<
  PS extends MaybeSchema = undefined,
  QS extends MaybeSchema = undefined,
  BS extends MaybeSchema = undefined,
  RS extends MaybeSchema = undefined,
>(definition: RouteDefinition<PS, QS, BS, RS>): RouteDefinition<PS, QS, BS, RS> {
  return definition;
}

/** An event the kernel delivers to a subscriber: at least once, retried with backoff when the handler fails. */
export interface DeliveredEvent<P = unknown> {
  id: number;
  name: string;
  payload: P;
  /** The plugin (or `kernel`) that published it. */
  publisher: string;
  /** ISO 8601. */
  createdAt: string;
}

/** A subscription: the event name and (for gRPC plugins) the handler. */
export interface EventDefinition<S = Record<string, unknown>> {
  /** A dotted event name, e.g. `ticket.created`. */
  event: string;
  handler?(event: DeliveredEvent, context: HandlerContext<S>): unknown;
}

/** A scheduled job run of {@link JobDefinition}. */
export interface JobRun {
  id: string;
  /** The slot this run is for, ISO 8601 (each slot runs once across all kernel instances). */
  scheduledFor: string;
}

/** A cron job: five-field UTC schedule and (for gRPC plugins) the handler. */
export interface JobDefinition<S = Record<string, unknown>> {
  /** The job id; defaults to the key in kebab-case. */
  id?: string;
  schedule: string;
  handler?(job: JobRun, context: HandlerContext<S>): unknown;
}

/** A login-pipeline hook. */
export interface HookDefinition<S = Record<string, unknown>> {
  point: 'auth.second_factor' | 'auth.authenticator';
  handler?(input: unknown, context: HandlerContext<S>): unknown;
}

/** A tool the kernel's MCP server offers to AI agents. */
export interface McpToolDefinition<IS extends MaybeSchema = MaybeSchema, S = Record<string, unknown>> {
  /** The tool name agents see, e.g. `search_tickets`. */
  name: string;
  description: string;
  scope?: string;
  /** The arguments; published to agents as JSON Schema. */
  input?: IS;
  handler?(input: Parsed<IS>, context: HandlerContext<S>): unknown;
}

type Contributes = NonNullable<PluginManifestInput['contributes']>;

/** What both runtimes' definitions share. */
interface DefinitionCommon<SS extends z.ZodObject | undefined> {
  /** Lower-case letters, digits and dashes; names the plugin's schema, role and route prefix. */
  id: string;
  /** Semantic version, e.g. `1.0.0`. */
  version: string;
  name: string;
  description?: string;
  author?: string;
  license?: string;
  /** The kernel API versions the plugin works with, e.g. `^1.0.0`. */
  kernelApi: string;
  /** What the plugin asks for; the operator grants it. */
  permissions?: PluginPermissions;
  /** The settings as a zod object: the operator's form, validation and defaults are generated from it. */
  settings?: SS;
  routes?: Record<
    string,
    RouteDefinition<MaybeSchema, MaybeSchema, MaybeSchema, MaybeSchema, SettingsOf<SS>>
  >;
  events?: Record<string, EventDefinition<SettingsOf<SS>>>;
  jobs?: Record<string, JobDefinition<SettingsOf<SS>>>;
  hooks?: Record<string, HookDefinition<SettingsOf<SS>>>;
  mcpTools?: Record<string, McpToolDefinition<MaybeSchema, SettingsOf<SS>>>;
  widgets?: Contributes['widgets'];
  menu?: Contributes['menu'];
  pages?: Contributes['pages'];
  apiPrefixes?: Contributes['apiPrefixes'];
  exports?: Contributes['exports'];
  /** Folder of numbered `.sql` files for the plugin's schema, e.g. `migrations`. */
  migrations?: string;
  /** Folder served at `/plugins/<id>/assets/` (widget and page modules), e.g. `assets`. */
  assets?: string;
  /** Translation bundles by locale, e.g. `{ en: 'i18n/en.json' }`. */
  i18n?: Contributes['i18n'];
  limits?: PluginManifestInput['limits'];
}

/** The settings type a settings schema yields. */
export type SettingsOf<SS> = SS extends z.ZodObject ? z.output<SS> : Record<string, unknown>;

/** A plugin the kernel runs as its own process, speaking gRPC. */
export interface GrpcPluginDefinition<SS extends z.ZodObject | undefined = z.ZodObject | undefined>
  extends DefinitionCommon<SS> {
  runtime: 'grpc';
  /** How to start it; `node` is the kernel's own Node.js. */
  entry: { command: string; args?: string[] };
}

/** A plugin compiled to WebAssembly, run in the kernel's sandbox; handlers are exports of the module. */
export interface WasmPluginDefinition<SS extends z.ZodObject | undefined = z.ZodObject | undefined>
  extends DefinitionCommon<SS> {
  runtime: 'wasm';
  /** The `.wasm` file, e.g. `dist/plugin.wasm`. */
  entry: string;
}

/** A plugin definition of either runtime. */
export type PluginDefinition<SS extends z.ZodObject | undefined = z.ZodObject | undefined> =
  | GrpcPluginDefinition<SS>
  | WasmPluginDefinition<SS>;

const DEFINED = Symbol.for('goatflow.definedPlugin');

/** What {@link definePlugin} returns: the definition, checked and marked. */
export type DefinedPlugin<D extends PluginDefinition = PluginDefinition> = D & {
  readonly [DEFINED]: true;
};

/**
 * Defines a plugin. Throws a {@link PluginDefinitionError} at once when the definition cannot become a valid
 * manifest, so mistakes show up when the module is first imported (by `build`, by tests, by `serve()`).
 * @param definition - the plugin
 * @example
 * ```ts
 * export default definePlugin({
 *   id: 'hello', version: '1.0.0', name: 'Hello', kernelApi: '^1.0.0',
 *   runtime: 'grpc', entry: { command: 'node', args: ['dist/main.js'] },
 *   routes: { hello: route({ method: 'GET', path: '/hello', auth: 'user', handler: () => ({ hello: 'world' }) }) },
 * });
 * ```
 */
export function definePlugin<SS extends z.ZodObject | undefined = undefined>(
  definition: GrpcPluginDefinition<SS>,
): DefinedPlugin<GrpcPluginDefinition<SS>>;
export function definePlugin<SS extends z.ZodObject | undefined = undefined>(
  definition: WasmPluginDefinition<SS>,
): DefinedPlugin<WasmPluginDefinition<SS>>;
export function definePlugin(definition: PluginDefinition): DefinedPlugin {
  const defined = Object.freeze({ ...definition, [DEFINED]: true as const });
  buildManifest(defined); // throws PluginDefinitionError
  return defined;
}

/**
 * Tells whether a value was made by {@link definePlugin} (possibly by another copy of the SDK).
 * @param value - anything, e.g. the default export of a plugin's `src/plugin.ts`
 */
export function isDefinedPlugin(value: unknown): value is DefinedPlugin {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[DEFINED] === true;
}

/** Re-exported so plugin code needs no direct zod dependency (and uses the same copy as the SDK). */
export { z };
