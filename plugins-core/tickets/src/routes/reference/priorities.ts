/**
 * `/api/v1/priorities`: the five fixed priority levels, 1 (very low) to 5 (very high).
 * @module
 */
import { route } from '@goatflow/sdk';
import { priorityList, referenceListQuery, validParam } from '../../api/schemas.js';
import { LIST_PRIORITIES } from '../../sql/reference.js';

export const priorityRoutes = {
  listPriorities: route({
    method: 'GET',
    path: '/api/v1/priorities',
    auth: 'user',
    tags: ['priorities'],
    summary: 'The priorities, lowest first',
    query: referenceListQuery,
    response: priorityList,
    handler: async ({ query }, { host }) => {
      const { rows } = await host.db.query(LIST_PRIORITIES, [validParam(query.valid)]);
      return {
        items: rows.map((row) => ({ id: Number(row.id), name: String(row.name), valid: row.valid === true })),
      };
    },
  }),
};
