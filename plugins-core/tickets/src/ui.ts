/**
 * The UI the plugin contributes to the shell: pages, menu entries, widgets and the assets folder their module
 * lives in. `src/plugin.ts` spreads this into the definition. Every element comes from one bundle,
 * `web/tickets-ui.ts` → `assets/tickets-ui.js` (two bundles may not define the same custom element); titles and
 * labels are keys of `i18n/*.json`, which the kernel translates.
 * @module
 */
import type { GrpcPluginDefinition } from '@goatflow/sdk';

/** The module that defines every element of the plugin. */
const MODULE = 'assets/tickets-ui.js';

/** The shell contributions of the tickets plugin. */
export const ui: Pick<GrpcPluginDefinition, 'pages' | 'menu' | 'widgets' | 'assets'> = {
  assets: 'assets',
  // An exact path wins over a pattern, so /tickets/new is the form and not the ticket "new".
  pages: [
    {
      id: 'tickets',
      path: '/tickets',
      title: 'ui.page.tickets',
      element: 'gf-tickets-list-page',
      module: MODULE,
      auth: 'agent',
    },
    {
      id: 'ticket-new',
      path: '/tickets/new',
      title: 'ui.page.newTicket',
      element: 'gf-ticket-new-page',
      module: MODULE,
      auth: 'agent',
    },
    {
      id: 'ticket',
      path: '/tickets/:id',
      title: 'ui.page.ticket',
      element: 'gf-ticket-detail-page',
      module: MODULE,
      auth: 'agent',
    },
    {
      id: 'portal-tickets',
      path: '/portal/tickets',
      title: 'ui.page.portalTickets',
      element: 'gf-tickets-portal-list-page',
      module: MODULE,
      auth: 'customer',
    },
    {
      id: 'portal-ticket-new',
      path: '/portal/tickets/new',
      title: 'ui.page.portalNewTicket',
      element: 'gf-tickets-portal-new-page',
      module: MODULE,
      auth: 'customer',
    },
    {
      id: 'portal-ticket',
      path: '/portal/tickets/:id',
      title: 'ui.page.portalTicket',
      element: 'gf-tickets-portal-detail-page',
      module: MODULE,
      auth: 'customer',
    },
    {
      id: 'admin',
      path: '/admin/tickets',
      title: 'ui.page.admin',
      element: 'gf-tickets-admin-page',
      module: MODULE,
      auth: 'admin',
    },
  ],
  menu: [
    { id: 'tickets', label: 'ui.menu.tickets', path: '/tickets', location: 'agent', order: 10 },
    { id: 'ticket-new', label: 'ui.menu.newTicket', path: '/tickets/new', location: 'agent', order: 11 },
    {
      id: 'portal-tickets',
      label: 'ui.menu.myTickets',
      path: '/portal/tickets',
      location: 'customer',
      order: 10,
    },
    {
      id: 'portal-ticket-new',
      label: 'ui.menu.newTicket',
      path: '/portal/tickets/new',
      location: 'customer',
      order: 11,
    },
    { id: 'admin', label: 'ui.menu.admin', path: '/admin/tickets', location: 'admin', order: 100 },
  ],
  widgets: [
    {
      id: 'tickets-recent',
      slot: 'dashboard.main',
      title: 'ui.widget.recent',
      size: 'medium',
      element: 'gf-tickets-recent',
      module: MODULE,
      auth: 'user',
    },
    {
      id: 'tickets-queue-status',
      slot: 'dashboard.side',
      title: 'ui.widget.queueStatus',
      size: 'small',
      element: 'gf-tickets-queue-status',
      module: MODULE,
      refreshSeconds: 60,
      auth: 'agent',
    },
  ],
};
