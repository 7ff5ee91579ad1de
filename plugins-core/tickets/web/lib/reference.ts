/**
 * The reference data forms and filters offer (states, priorities, types), loaded once per page: it changes
 * rarely, and an admin who changes it reloads.
 * @module
 */
import { ticketsApi, V1 } from './api.js';
import type { Priority, State, TicketType } from './types.js';

export interface Reference {
  states: State[];
  priorities: Priority[];
  types: TicketType[];
}

/**
 * Loads states, priorities and types (only the valid ones, as forms offer them).
 * @param signal - aborts the requests
 */
export async function loadReference(signal?: AbortSignal): Promise<Reference> {
  const query = { valid: 'true' };
  const [states, priorities, types] = await Promise.all([
    ticketsApi.get<{ items: State[] }>(`${V1}/states`, { signal, query }),
    ticketsApi.get<{ items: Priority[] }>(`${V1}/priorities`, { signal, query }),
    ticketsApi.get<{ items: TicketType[] }>(`${V1}/types`, { signal, query }),
  ]);
  return { states: states.items, priorities: priorities.items, types: types.items };
}

/**
 * The name of a reference entry by id, for history rows that hold ids (`''` when unknown).
 * @param list - states, priorities, types or queues
 * @param id - the id as text or number
 */
export function nameOf(list: readonly { id: number; name: string }[], id: string | number | null): string {
  if (id === null || id === '') return '';
  return list.find((entry) => String(entry.id) === String(id))?.name ?? String(id);
}
