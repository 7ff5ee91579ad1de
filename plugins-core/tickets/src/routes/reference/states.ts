/**
 * `/api/v1/states`: the ticket states, and (admins) creating and changing them. A state's type is what the code
 * acts on, so it cannot change while tickets are in the state or a pending-auto state closes to it.
 * @module
 */
import { type HostClient, RouteError, reply, route } from '@goatflow/sdk';
import {
  idParams,
  invalidField,
  notVisible,
  referenceListQuery,
  type State,
  type StateType,
  stateCreate,
  stateList,
  stateSchema,
  stateUpdate,
  taken,
  validParam,
} from '../../api/schemas.js';
import {
  GET_STATE_FOR_WRITE,
  INSERT_STATE,
  LIST_STATES,
  STATE_WRITE_CHECK,
  UPDATE_STATE,
} from '../../sql/reference.js';
import { conflictOnNameRace } from './name-taken.js';

const TAGS = ['states'];

type Row = Record<string, unknown>;

function toState(row: Row): State {
  return {
    id: Number(row.id),
    name: String(row.name),
    type: row.type as StateType,
    closeToStateId: row.closeToStateId === null ? null : Number(row.closeToStateId),
    valid: row.valid === true,
  };
}

/** A state, and what keeps its type from changing. */
interface StateForWrite {
  state: State;
  /** Tickets are in it. */
  hasTickets: boolean;
  /** A pending_auto state closes to it. */
  closeTarget: boolean;
}

async function stateForWrite(host: HostClient, id: number): Promise<StateForWrite> {
  const { rows } = await host.db.query(GET_STATE_FOR_WRITE, [id]);
  if (!rows[0]) throw notVisible(`state ${id}`);
  return {
    state: toState(rows[0]),
    hasTickets: rows[0].hasTickets === true,
    closeTarget: rows[0].closeTarget === true,
  };
}

/**
 * Refuses what the table's constraints would: a pending_auto state without the closed state it moves tickets to,
 * a closing state on any other type, a closing state that is not a valid closed state, and a name in use.
 */
async function checkStateWrite(
  host: HostClient,
  state: { name: string; type: StateType; closeToStateId: number | null },
  self: number | null,
  given: { name: boolean; closeToStateId: boolean },
): Promise<void> {
  if (state.type === 'pending_auto' && state.closeToStateId === null) {
    throw invalidField(
      'closeToStateId',
      'a pending_auto state needs the closed state its tickets move to',
      'required',
    );
  }
  if (state.type !== 'pending_auto' && state.closeToStateId !== null) {
    throw invalidField('closeToStateId', 'only a pending_auto state closes to another state', 'invalid');
  }
  const { rows } = await host.db.query(STATE_WRITE_CHECK, [state.name, self, state.closeToStateId]);
  const check = rows[0] as { nameTaken: boolean; closeToType: string | null };
  if (given.name && check.nameTaken) throw taken('name', `a state named "${state.name}" exists`);
  if (given.closeToStateId && state.closeToStateId !== null && check.closeToType !== 'closed') {
    throw invalidField('closeToStateId', `state ${state.closeToStateId} is not a valid closed state`);
  }
}

export const stateRoutes = {
  listStates: route({
    method: 'GET',
    path: '/api/v1/states',
    auth: 'user',
    tags: TAGS,
    summary: 'The ticket states',
    query: referenceListQuery,
    response: stateList,
    handler: async ({ query }, { host }) => {
      const { rows } = await host.db.query(LIST_STATES, [validParam(query.valid)]);
      return { items: rows.map(toState) };
    },
  }),
  createState: route({
    method: 'POST',
    path: '/api/v1/states',
    auth: 'admin',
    tags: TAGS,
    summary: 'Creates a state',
    status: 201,
    errors: [409],
    body: stateCreate,
    response: stateSchema,
    handler: async ({ body }, { host }) => {
      const state = { name: body.name, type: body.type, closeToStateId: body.closeToStateId ?? null };
      await checkStateWrite(host, state, null, { name: true, closeToStateId: true });
      const { results } = await conflictOnNameRace(
        () =>
          host.db.transaction([
            {
              sql: INSERT_STATE,
              params: [state.name, state.type, state.closeToStateId, body.valid ?? null],
              expect: 'one',
            },
          ]),
        'states_name',
        `a state named "${state.name}" exists`,
      );
      return reply(201, (await stateForWrite(host, Number(results[0]!.rows[0]!.id))).state);
    },
  }),
  updateState: route({
    method: 'PATCH',
    path: '/api/v1/states/:id',
    auth: 'admin',
    tags: TAGS,
    summary: 'Changes a state (its type only while no ticket is in it)',
    errors: [409],
    params: idParams,
    body: stateUpdate,
    response: stateSchema,
    handler: async ({ params, body }, { host }) => {
      const { state: current, hasTickets, closeTarget } = await stateForWrite(host, params.id);
      const type = body.type ?? current.type;
      const next = {
        name: body.name ?? current.name,
        type,
        // A state that stops being pending_auto stops closing to another.
        closeToStateId:
          body.closeToStateId !== undefined
            ? body.closeToStateId
            : type === 'pending_auto'
              ? current.closeToStateId
              : null,
        valid: body.valid ?? current.valid,
      };
      if (type !== current.type && hasTickets) {
        throw new RouteError(
          409,
          'in_use',
          `tickets are in the state "${current.name}", so its type cannot change: create a new state instead`,
        );
      }
      if (type !== current.type && closeTarget) {
        throw new RouteError(
          409,
          'in_use',
          `a pending auto close state moves tickets to "${current.name}", so its type cannot change`,
        );
      }
      await checkStateWrite(host, next, params.id, {
        name: body.name !== undefined,
        closeToStateId: body.closeToStateId !== undefined,
      });
      await conflictOnNameRace(
        () =>
          host.db.transaction([
            {
              sql: UPDATE_STATE,
              params: [params.id, next.name, next.type, next.closeToStateId, next.valid],
              expect: 'one',
            },
          ]),
        'states_name',
        `a state named "${next.name}" exists`,
      );
      return (await stateForWrite(host, params.id)).state;
    },
  }),
};
