/**
 * hello-grpc, defined once: `goatflow-plugin build` writes goatflow-plugin.json from this definition, and
 * `src/main.ts` hands the same object to `serve()`, which runs the handlers named here by their keys.
 * @module
 */
import { definePlugin, route } from '@goatflow/sdk';
import { greeting, greetingAnswer } from './greeting.js';
import { heartbeat } from './heartbeat.js';
import { onGreeted } from './notify.js';
import { settingsSchema } from './settings.js';

export default definePlugin({
  id: 'hello-grpc',
  version: '1.0.0',
  name: 'Hello gRPC',
  description:
    "Example gRPC plugin in TypeScript: a greeting route that shows hello-wasm's count through plugins.call, a subscriber to hello.greeted that mails the user and calls a webhook, and a heartbeat job.",
  author: 'GoatFlow contributors',
  license: 'MIT',
  kernelApi: '^1.0.0',
  runtime: 'grpc',
  // The bundle `goatflow-plugin build` makes (npm test and npm start build the examples), as for a published plugin.
  entry: { command: 'node', args: ['dist/main.js'] },
  permissions: {
    cache: true,
    i18n: true,
    identity: { read: true },
    email: ['users'],
    http: ['hooks.example.com'],
    plugins: { call: ['hello-wasm'] },
  },
  settings: settingsSchema,
  routes: {
    greeting: route({
      method: 'GET',
      path: '/greeting',
      auth: 'user',
      summary: "Greets the signed-in user, with hello-wasm's count",
      response: greetingAnswer,
      handler: greeting,
    }),
  },
  events: { onGreeted: { event: 'hello.greeted', handler: onGreeted } },
  jobs: { heartbeat: { schedule: '* * * * *', handler: heartbeat } },
  i18n: { en: 'i18n/en.json', de: 'i18n/de.json' },
  limits: { deadlineMs: 10000 },
});
