/**
 * The tickets plugin's one browser bundle: `goatflow-plugin build` turns it into `assets/tickets-ui.js`, which
 * defines every element of the plugin's pages and widgets. There is one bundle because each bundle inlines its
 * own copy of Lit and of the shared components, and two bundles defining the same custom element would clash;
 * every page and widget of the manifest names this module.
 *
 * Agent pages: `<gf-tickets-list-page>` (`/tickets`), `<gf-ticket-detail-page>` (`/tickets/:id`),
 * `<gf-ticket-new-page>` (`/tickets/new`). Portal: `<gf-tickets-portal-list-page>`, `-detail-page`, `-new-page`
 * (`/portal/tickets…`). Admin: `<gf-tickets-admin-page>` (`/admin/tickets`). Widgets: `<gf-tickets-recent>`,
 * `<gf-tickets-queue-status>`.
 */
import './pages/list-page.js';
import './pages/detail-page.js';
import './pages/new-page.js';
import './pages/portal-list-page.js';
import './pages/portal-detail-page.js';
import './pages/admin-page.js';
import './widgets/recent.js';
import './widgets/queue-status.js';
