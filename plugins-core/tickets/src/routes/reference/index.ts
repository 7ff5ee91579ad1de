/**
 * The reference-data routes, by handler key: what `src/plugin.ts` spreads into the definition.
 * @module
 */
import { customerCompanyRoutes } from './customer-companies.js';
import { customerUserRoutes } from './customer-users.js';
import { priorityRoutes } from './priorities.js';
import { queueRoutes } from './queues.js';
import { stateRoutes } from './states.js';
import { typeRoutes } from './ticket-types.js';

export const referenceRoutes = {
  ...queueRoutes,
  ...stateRoutes,
  ...priorityRoutes,
  ...typeRoutes,
  ...customerUserRoutes,
  ...customerCompanyRoutes,
};
