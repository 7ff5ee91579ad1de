/**
 * The ticket routes (tickets, articles, attachments, history, search, export), by handler key: what
 * `src/plugin.ts` spreads into the definition.
 * @module
 */
import { articleRoutes } from './articles.js';
import { attachmentRoutes } from './attachments.js';
import { createRoutes } from './create.js';
import { deleteRoutes } from './delete.js';
import { detailRoutes } from './detail.js';
import { exportRoutes } from './export.js';
import { historyRoutes } from './history.js';
import { listRoutes } from './list.js';
import { mergeRoutes } from './merge.js';
import { updateRoutes } from './update.js';

export const ticketRoutes = {
  ...listRoutes,
  ...exportRoutes,
  ...createRoutes,
  ...updateRoutes,
  ...detailRoutes,
  ...mergeRoutes,
  ...deleteRoutes,
  ...articleRoutes,
  ...historyRoutes,
  ...attachmentRoutes,
};
