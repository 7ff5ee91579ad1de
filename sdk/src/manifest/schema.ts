/**
 * The plugin manifest (`goatflow-plugin.json`), defined once with zod. The JSON Schema published in
 * `sdk/schema/goatflow-plugin.schema.json` is generated from this definition, so the two cannot drift.
 * Every object is strict: an unknown field is an error, never ignored.
 * @module
 */
import semver from 'semver';
import { z } from 'zod';

/** A plugin id: lower-case letters, digits and dashes; it names the plugin's schema, role and route prefix. */
export const PLUGIN_ID_PATTERN = /^[a-z][a-z0-9-]{1,38}[a-z0-9]$/;

/**
 * Ids that would name a schema the kernel or PostgreSQL owns (a plugin's schema is its id with `-` → `_`):
 * a plugin called `kernel` would otherwise be granted the kernel's tables.
 */
export const RESERVED_PLUGIN_IDS = [
  'kernel',
  'public',
  'information-schema',
  'goatflow',
  'plugin',
  'plugins',
];

const pluginId = z
  .string()
  .regex(PLUGIN_ID_PATTERN, 'must be 3–40 lower-case letters, digits or dashes, starting with a letter')
  .refine(
    (id) => !RESERVED_PLUGIN_IDS.includes(id) && !id.startsWith('pg-'),
    'is reserved (kernel, public, information-schema, goatflow, plugin(s) and pg-*); choose another id',
  );
const handlerName = z
  .string()
  .regex(
    /^[A-Za-z_][A-Za-z0-9_]{0,63}$/,
    'must be an identifier (letters, digits, _), as exported by the plugin',
  );
const i18nKey = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[A-Za-z0-9_.-]+$/, 'must be a translation key such as "hello.title"');
const relativeFile = z
  .string()
  .min(1)
  .max(300)
  .refine(
    (p) => !p.startsWith('/') && !p.split(/[\\/]/).includes('..'),
    'must be a path inside the plugin folder',
  );
const routePath = z
  .string()
  .max(300)
  .regex(/^\/[A-Za-z0-9_\-/:.]*$/, 'must start with "/" and contain only letters, digits, _ - / : .')
  .refine((p) => !p.split('/').includes('..'), 'must not contain ".."');
const hostPattern = z
  .string()
  .regex(
    /^(\*\.)?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*(:\d{1,5})?$/,
    'must be a host name, optionally starting with "*." and ending with ":port"',
  );
const viewName = z
  .string()
  .regex(/^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$/, 'must be "schema.view", e.g. "tickets.ticket_visible"');
const eventName = z
  .string()
  .regex(/^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$/, 'must be a dotted event name such as "ticket.created"');
const scope = z
  .string()
  .regex(/^[a-z][a-z0-9_-]*(:[a-z0-9_*-]+)*$/, 'must be a scope such as "tickets:read"');

/** Who may call a route. `public` needs no sign-in; `admin` means an administrator agent. */
export const AUTH_LEVELS = ['public', 'customer', 'agent', 'user', 'admin'] as const;
/** One of {@link AUTH_LEVELS}. */
export type AuthLevel = (typeof AUTH_LEVELS)[number];

/** The HTTP methods a plugin route may use. */
export const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

/** Where a widget can be placed in the web shell. */
export const WIDGET_SLOTS = ['dashboard.main', 'dashboard.side'] as const;

/** What a plugin asks for (`permissions` in the manifest); each key is one Host API capability. */
export const permissionsSchema = z
  .strictObject({
    db: z
      .strictObject({
        own: z.boolean().optional().describe('Read and write its own schema'),
        read: z.array(viewName).optional().describe("Read other plugins' exported views"),
      })
      .optional(),
    cache: z.boolean().optional().describe('A key/value cache namespaced to the plugin'),
    http: z.array(hostPattern).optional().describe('Hosts the plugin may fetch from'),
    httpPrivate: z
      .boolean()
      .optional()
      .describe('Also fetch from private and loopback addresses (only for hosts listed in http)'),
    email: z
      .array(z.union([z.literal('users'), hostPattern]))
      .optional()
      .describe('Recipient domains, or "users" for GoatFlow users'),
    i18n: z.boolean().optional().describe('Translate with its own bundles'),
    events: z.strictObject({ publish: z.array(eventName).optional() }).optional(),
    auth: z.strictObject({ hooks: z.boolean().optional() }).optional(),
    identity: z.strictObject({ read: z.boolean().optional() }).optional(),
    plugins: z.strictObject({ call: z.array(pluginId).optional() }).optional(),
    audit: z.boolean().optional().describe('Write rows to the audit log'),
  })
  .describe('What the plugin asks for; the operator grants it, the kernel enforces it on every call');
/** The `permissions` of a manifest, as parsed. */
export type PluginPermissions = z.infer<typeof permissionsSchema>;

/** The largest `maxBodyBytes` a route may ask for: 16 MiB, the gRPC runtime's message limit. */
const MAX_ROUTE_BODY_BYTES = 16 * 1024 * 1024;

/** One HTTP route a plugin serves (`contributes.routes[]`). */
export const routeSchema = z.strictObject({
  method: z.enum(HTTP_METHODS),
  path: routePath.describe('Relative to /api/plugins/<id>, or absolute under one of apiPrefixes'),
  auth: z.enum(AUTH_LEVELS),
  scope: scope.optional().describe('Token scope a non-session caller needs'),
  action: z
    .string()
    .regex(/^[a-z][a-z0-9_.:-]*$/)
    .optional()
    .describe('A name guards and audit can act on'),
  maxBodyBytes: z
    .number()
    .int()
    .min(1)
    .max(MAX_ROUTE_BODY_BYTES)
    .optional()
    .describe(
      'Largest request body in bytes (at most 16 MiB); without it the kernel default (GOATFLOW_BODY_LIMIT_BYTES) applies',
    ),
  handler: handlerName,
});
/** A route of a parsed manifest. */
export type PluginRoute = z.infer<typeof routeSchema>;

/** A dashboard widget (`contributes.widgets[]`): a custom element from the plugin's assets. */
export const widgetSchema = z.strictObject({
  id: z.string().regex(/^[a-z][a-z0-9-]*$/),
  slot: z.enum(WIDGET_SLOTS),
  title: i18nKey,
  size: z.enum(['small', 'medium', 'large']).default('medium'),
  element: z
    .string()
    .regex(
      /^[a-z][a-z0-9]*(-[a-z0-9]+)+$/,
      'must be a custom element name with a dash, e.g. "gf-hello-widget"',
    ),
  module: relativeFile.describe('ES module under assets that defines the element'),
  refreshSeconds: z.number().int().min(5).max(86400).optional(),
  auth: z.enum(['customer', 'agent', 'user', 'admin']).default('agent'),
});

/** A menu entry (`contributes.menu[]`) in the agent, customer or admin navigation. */
export const menuSchema = z.strictObject({
  id: z.string().regex(/^[a-z][a-z0-9-]*$/),
  label: i18nKey,
  path: routePath,
  location: z.enum(['agent', 'customer', 'admin']),
  order: z.number().int().min(0).max(1000).default(100),
});

/** A full page (`contributes.pages[]`) rendered by a custom element from the plugin's assets. */
export const pageSchema = z.strictObject({
  id: z.string().regex(/^[a-z][a-z0-9-]*$/),
  path: routePath,
  title: i18nKey,
  element: widgetSchema.shape.element,
  module: relativeFile,
  auth: z.enum(['customer', 'agent', 'user', 'admin']),
});

/** A cron job (`contributes.jobs[]`); each schedule slot runs once across all kernel instances. */
export const jobSchema = z.strictObject({
  id: z.string().regex(/^[a-z][a-z0-9-]*$/),
  schedule: z.string().min(9).max(100).describe('Cron expression (5 fields, UTC)'),
  handler: handlerName,
});

/** Everything a plugin adds to GoatFlow (`contributes`). */
export const contributesSchema = z.strictObject({
  routes: z.array(routeSchema).optional(),
  apiPrefixes: z
    .array(z.string().regex(/^\/api\/v\d+\/[a-z][a-z0-9-]*$/, 'must look like "/api/v1/tickets"'))
    .optional()
    .describe('Top-level API prefixes a first-party plugin claims'),
  openapi: relativeFile
    .refine((p) => p.endsWith('.json'), 'must name a .json file, e.g. "openapi.json"')
    .optional()
    .describe('OpenAPI 3.1 document of its routes (goatflow-plugin build writes it); the kernel merges it'),
  widgets: z.array(widgetSchema).optional(),
  menu: z.array(menuSchema).optional(),
  pages: z.array(pageSchema).optional(),
  jobs: z.array(jobSchema).optional(),
  events: z.array(z.strictObject({ name: eventName, handler: handlerName })).optional(),
  hooks: z
    .array(
      z.strictObject({ point: z.enum(['auth.second_factor', 'auth.authenticator']), handler: handlerName }),
    )
    .optional(),
  mcpTools: z
    .array(
      z.strictObject({
        name: z.string().regex(/^[a-z][a-z0-9_]*$/),
        description: z.string().min(1).max(500),
        scope: scope.optional(),
        handler: handlerName,
        inputSchema: z.record(z.string(), z.unknown()).optional(),
      }),
    )
    .optional(),
  settings: z
    .record(z.string(), z.unknown())
    .optional()
    .describe('JSON Schema of the settings (type: object)'),
  i18n: z.record(z.string().regex(/^[a-z]{2}(-[A-Z]{2})?$/), relativeFile).optional(),
  migrations: relativeFile.optional().describe('Folder of numbered .sql files for the plugin schema'),
  exports: z.array(viewName).optional().describe('Views of its schema other plugins may be granted'),
  assets: relativeFile.optional().describe('Folder served at /plugins/<id>/assets/'),
});

const common = {
  $schema: z.string().optional(),
  id: pluginId,
  version: z.string().refine((v) => semver.valid(v) !== null, 'must be a semantic version such as "1.2.3"'),
  name: z.string().min(1).max(100),
  description: z.string().max(1000).optional(),
  author: z.string().max(200).optional(),
  license: z.string().max(100).optional(),
  kernelApi: z
    .string()
    .refine((v) => semver.validRange(v) !== null, 'must be a semver range such as "^1.0.0"')
    .describe('The kernel API versions the plugin works with'),
  permissions: permissionsSchema.default({}),
  contributes: contributesSchema.default({}),
  settingsDefaults: z.record(z.string(), z.unknown()).optional(),
  limits: z
    .strictObject({
      deadlineMs: z.number().int().min(50).max(60000).optional(),
      maxMemoryMb: z.number().int().min(1).max(1024).optional(),
    })
    .optional(),
};

/** The whole manifest, `goatflow-plugin.json`: one shape per runtime, told apart by `runtime`. */
export const manifestSchema = z.discriminatedUnion('runtime', [
  z.strictObject({
    ...common,
    runtime: z.literal('wasm'),
    entry: relativeFile.refine(
      (p) => p.endsWith('.wasm'),
      'must name the .wasm file, e.g. "dist/plugin.wasm"',
    ),
  }),
  z.strictObject({
    ...common,
    runtime: z.literal('grpc'),
    entry: z.strictObject({
      command: z.string().min(1).describe('"node" runs the kernel\'s own Node.js'),
      args: z.array(z.string()).default([]),
    }),
  }),
]);

/** A parsed manifest, defaults filled in. */
export type PluginManifest = z.infer<typeof manifestSchema>;
/** A manifest as written in `goatflow-plugin.json` (defaults may be left out). */
export type PluginManifestInput = z.input<typeof manifestSchema>;
