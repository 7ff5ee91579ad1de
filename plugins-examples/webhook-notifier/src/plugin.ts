/**
 * webhook-notifier, defined once: `goatflow-plugin build` writes goatflow-plugin.json from this definition and
 * bundles the widget, and `src/main.ts` hands the same object to `serve()`, which runs the handlers by their
 * keys and checks every request against the routes' schemas.
 * @module
 */
import { definePlugin, route } from '@goatflow/sdk';
import { deliverySchema } from './deliveries.js';
import { forwardEvent } from './forward.js';
import { retryDeliveries } from './retry-job.js';
import {
  deliveryPage,
  listHandler,
  listQuery,
  pingAnswer,
  pingHandler,
  retryHandler,
  retryParams,
} from './routes.js';
import { PING_EVENT, settingsSchema } from './settings.js';

export default definePlugin({
  id: 'webhook-notifier',
  version: '1.0.0',
  name: 'Webhook notifier',
  description:
    'Example gRPC plugin in TypeScript: forwards events to a webhook URL as signed JSON (HMAC-SHA256), retries failed deliveries with exponential backoff, and shows its delivery log in a dashboard widget.',
  author: 'GoatFlow contributors',
  license: 'MIT',
  kernelApi: '^1.0.0',
  runtime: 'grpc',
  // The bundle `goatflow-plugin build` makes (npm test and npm start build the examples), as for a published plugin.
  entry: { command: 'node', args: ['dist/main.js'] },
  permissions: {
    db: { own: true },
    // What the plugin asks for; the operator grants it and adds the host of their own target URL (a private or
    // loopback receiver also needs httpPrivate). Change it to your receiver's host when you fork this plugin.
    http: ['hooks.example.com'],
    events: { publish: [PING_EVENT] },
  },
  settings: settingsSchema,
  routes: {
    listDeliveries: route({
      method: 'GET',
      path: '/deliveries',
      auth: 'agent',
      summary: 'The delivery log, newest first',
      query: listQuery,
      response: deliveryPage,
      handler: listHandler,
    }),
    retryDelivery: route({
      method: 'POST',
      path: '/deliveries/:id/retry',
      auth: 'admin',
      summary: 'Attempts a pending or failed delivery now',
      // 409 when no target URL is set, or the delivery was delivered already.
      errors: [409],
      params: retryParams,
      response: deliverySchema,
      handler: retryHandler,
    }),
    ping: route({
      method: 'POST',
      path: '/ping',
      auth: 'admin',
      summary: 'Publishes a test event, delivered like any other',
      response: pingAnswer,
      handler: pingHandler,
    }),
  },
  // Each subscription needs its own handler key; they all share one function.
  events: {
    forwardHelloGreeted: { event: 'hello.greeted', handler: forwardEvent },
    forwardPing: { event: PING_EVENT, handler: forwardEvent },
  },
  jobs: { retryDeliveries: { schedule: '* * * * *', handler: retryDeliveries } },
  widgets: [
    {
      id: 'deliveries',
      slot: 'dashboard.main',
      title: 'widget.title',
      size: 'medium',
      element: 'gf-webhook-deliveries',
      module: 'assets/webhook-deliveries.js',
      refreshSeconds: 30,
      auth: 'agent',
    },
  ],
  migrations: 'migrations',
  // Built from web/*.ts by goatflow-plugin build; not committed.
  assets: 'assets',
  i18n: { en: 'i18n/en.json', de: 'i18n/de.json' },
  // An attempt waits up to 10 s for the receiver, and the retry job makes up to 20 at once.
  limits: { deadlineMs: 30000 },
});
