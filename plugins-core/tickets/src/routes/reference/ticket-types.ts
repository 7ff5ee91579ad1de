/**
 * `/api/v1/types`: the ticket types, and (admins) creating and changing them.
 * @module
 */
import { type HostClient, reply, route } from '@goatflow/sdk';
import {
  idParams,
  notVisible,
  referenceListQuery,
  taken,
  typeCreate,
  typeList,
  typeSchema,
  typeUpdate,
  validParam,
} from '../../api/schemas.js';
import { GET_TYPE, INSERT_TYPE, LIST_TYPES, TYPE_NAME_TAKEN, UPDATE_TYPE } from '../../sql/reference.js';
import { conflictOnNameRace } from './name-taken.js';

const TAGS = ['types'];

type Row = Record<string, unknown>;

const toType = (row: Row) => ({ id: Number(row.id), name: String(row.name), valid: row.valid === true });

async function refuseTakenName(host: HostClient, name: string | undefined, self: number | null) {
  if (name === undefined) return;
  const { rows } = await host.db.query(TYPE_NAME_TAKEN, [name, self]);
  if (rows[0]?.nameTaken === true) throw taken('name', `a type named "${name}" exists`);
}

export const typeRoutes = {
  listTypes: route({
    method: 'GET',
    path: '/api/v1/types',
    auth: 'user',
    tags: TAGS,
    summary: 'The ticket types, by name',
    query: referenceListQuery,
    response: typeList,
    handler: async ({ query }, { host }) => {
      const { rows } = await host.db.query(LIST_TYPES, [validParam(query.valid)]);
      return { items: rows.map(toType) };
    },
  }),
  createType: route({
    method: 'POST',
    path: '/api/v1/types',
    auth: 'admin',
    tags: TAGS,
    summary: 'Creates a ticket type',
    status: 201,
    errors: [409],
    body: typeCreate,
    response: typeSchema,
    handler: async ({ body }, { host }) => {
      await refuseTakenName(host, body.name, null);
      const { results } = await conflictOnNameRace(
        () =>
          host.db.transaction([{ sql: INSERT_TYPE, params: [body.name, body.valid ?? null], expect: 'one' }]),
        'ticket_types_name',
        `a type named "${body.name}" exists`,
      );
      return reply(201, toType(results[0]!.rows[0]!));
    },
  }),
  updateType: route({
    method: 'PATCH',
    path: '/api/v1/types/:id',
    auth: 'admin',
    tags: TAGS,
    summary: 'Changes a ticket type',
    errors: [409],
    params: idParams,
    body: typeUpdate,
    response: typeSchema,
    handler: async ({ params, body }, { host }) => {
      const { rows } = await host.db.query(GET_TYPE, [params.id]);
      if (!rows[0]) throw notVisible(`type ${params.id}`);
      await refuseTakenName(host, body.name, params.id);
      const { results } = await conflictOnNameRace(
        () =>
          host.db.transaction([
            { sql: UPDATE_TYPE, params: [params.id, JSON.stringify(body)], expect: 'one' },
          ]),
        'ticket_types_name',
        `a type named "${body.name}" exists`,
      );
      return toType(results[0]!.rows[0]!);
    },
  }),
};
