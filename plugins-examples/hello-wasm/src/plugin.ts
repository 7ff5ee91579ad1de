/**
 * hello-wasm, defined once: `goatflow-plugin build` writes goatflow-plugin.json from this definition and compiles
 * `assembly/index.ts` to `dist/plugin.wasm`. A WASM plugin's definition has no handlers: each route's key names
 * the AssemblyScript export that serves it (`greeting`, `greet`, `reset`, `visits`). The response schemas are
 * not checked at run time (the module answers directly); they document the answers and give the widget its
 * types.
 * @module
 */
import { definePlugin, route, z } from '@goatflow/sdk';

/** `GET /greeting`: the greeting for the signed-in user, translated by the plugin. */
export const greetingAnswer = z.object({
  greeting: z.string(),
  count: z.number().int(),
  countText: z.string(),
  action: z.string(),
  locale: z.string(),
});
/** What `GET /greeting` answers. */
export type GreetingAnswer = z.output<typeof greetingAnswer>;

/** `POST /count`: the new count and the visit recorded for it. */
export const greetAnswer = z.object({ count: z.number().int(), visitId: z.number().int() });
/** What `POST /count` answers. */
export type GreetAnswer = z.output<typeof greetAnswer>;

/** `GET /visits`: the latest visits, newest first, and how many the table holds. */
export const visitsAnswer = z.object({
  items: z.array(
    z.object({
      id: z.number().int(),
      userId: z.number().int(),
      login: z.string(),
      count: z.number().int(),
      locale: z.string(),
      visitedAt: z.string(),
    }),
  ),
  total: z.number().int(),
});

export default definePlugin({
  id: 'hello-wasm',
  version: '1.0.0',
  name: 'Hello WASM',
  description:
    'Example WASM plugin in AssemblyScript: a dashboard widget greeting the signed-in user in their language, a greeting counter in the cache, visits in its own table, an event, an audit row and settings.',
  author: 'GoatFlow contributors',
  license: 'MIT',
  kernelApi: '^1.0.0',
  runtime: 'wasm',
  entry: 'dist/plugin.wasm',
  permissions: {
    db: { own: true },
    cache: true,
    i18n: true,
    identity: { read: true },
    events: { publish: ['hello.greeted'] },
    audit: true,
  },
  settings: z.strictObject({
    emoji: z
      .string()
      .max(8)
      .default('👋')
      .meta({ title: 'Emoji', description: 'Shown after the greeting; empty for none.' }),
    visitsShown: z
      .number()
      .int()
      .min(1)
      .max(50)
      .default(10)
      .meta({ title: 'Visits shown', description: 'How many of the latest visits GET /visits returns.' }),
  }),
  routes: {
    greeting: route({
      method: 'GET',
      path: '/greeting',
      auth: 'user',
      summary: 'Greets the signed-in user by name, in their language',
      response: greetingAnswer,
    }),
    greet: route({
      method: 'POST',
      path: '/count',
      auth: 'user',
      summary: 'Counts one more greeting, records the visit, publishes hello.greeted',
      response: greetAnswer,
    }),
    reset: route({
      method: 'DELETE',
      path: '/count',
      auth: 'admin',
      summary: 'Resets the greeting counter',
      response: z.object({ reset: z.boolean() }),
    }),
    visits: route({
      method: 'GET',
      path: '/visits',
      auth: 'agent',
      summary: "The latest visits from the plugin's own table",
      response: visitsAnswer,
    }),
  },
  widgets: [
    {
      id: 'greeting',
      slot: 'dashboard.main',
      title: 'widget.title',
      size: 'small',
      element: 'gf-hello-wasm-greeting',
      module: 'assets/hello-wasm-greeting.js',
      refreshSeconds: 60,
      auth: 'user',
    },
  ],
  migrations: 'migrations',
  // Built from web/*.ts by goatflow-plugin build; not committed.
  assets: 'assets',
  i18n: { en: 'i18n/en.json', de: 'i18n/de.json' },
  // asconfig.json declares the same cap (256 pages of 64 KiB) for builds with plain asc.
  limits: { maxMemoryMb: 16 },
});
