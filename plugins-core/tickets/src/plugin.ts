/**
 * The tickets plugin, defined once: `goatflow-plugin build` writes goatflow-plugin.json (and the OpenAPI document)
 * from this definition, and `src/main.ts` hands the same object to `serve()`. It owns the schema `tickets`, claims
 * the `/api/v1` prefixes below, and leaves who sees what to the views of migrations/0004_views.sql.
 * @module
 */
import { definePlugin } from '@goatflow/sdk';
import { TICKET_EVENTS } from './api/common.js';
import { DEMO_EVENT, seedDemo } from './demo/seed.js';
import { ticketJobs } from './jobs/pending-auto-close.js';
import { referenceRoutes } from './routes/reference/index.js';
import { ticketRoutes } from './routes/tickets/index.js';
import { settingsSchema } from './settings.js';
import { EXPORTED_VIEWS, IDENTITY_VIEWS } from './sql/scope.js';
import { ui } from './ui.js';

/** The top-level API prefixes this plugin serves. */
const API_PREFIXES = [
  'tickets',
  'queues',
  'states',
  'priorities',
  'types',
  'customer-users',
  'customer-companies',
  'attachments',
  'exports',
].map((name) => `/api/v1/${name}`);

export default definePlugin({
  id: 'tickets',
  version: '1.0.0',
  name: 'Tickets',
  description:
    'Tickets, queues, states and customers: the helpdesk itself. Agents work the queues their groups give them ' +
    'rights in, customers follow their own tickets in the portal.',
  author: 'GoatFlow contributors',
  license: 'AGPL-3.0-or-later',
  kernelApi: '^1.0.0',
  runtime: 'grpc',
  entry: { command: 'node', args: ['dist/main.js'] },
  permissions: {
    db: { own: true, read: [...IDENTITY_VIEWS] },
    events: { publish: Object.values(TICKET_EVENTS) },
  },
  settings: settingsSchema,
  apiPrefixes: API_PREFIXES,
  exports: [...EXPORTED_VIEWS],
  routes: { ...referenceRoutes, ...ticketRoutes },
  jobs: ticketJobs,
  events: { seedDemo: { event: DEMO_EVENT, handler: seedDemo } },
  ...ui,
  migrations: 'migrations',
  i18n: { en: 'i18n/en.json', de: 'i18n/de.json' },
});
