/**
 * The race a name check cannot close: two admins give two rows the same name at once, both pass the handler's
 * check and the statement's own `not exists`, and the unique index on `lower(name)` refuses the later write. That
 * is the same 409 the check answers, not a failed invocation.
 * @module
 */
import { isHostError } from '@goatflow/sdk';
import { conflictOnRace, taken } from '../../api/schemas.js';

/** The unique name indexes of the reference tables (migrations/0001_reference.sql). */
export type NameIndex = 'queues_name' | 'states_name' | 'ticket_types_name' | 'customer_companies_name';

/**
 * `conflictOnRace` for a write that sets a name: besides its 409s, a violation of the table's unique name index
 * is the 409 `taken` naming `body.name`. Any other failure passes through unchanged.
 * @param write - the `db.transaction` call
 * @param index - the name index the write can meet
 * @param message - which name is taken, as the handler's check says it
 */
export function conflictOnNameRace<T>(
  write: () => Promise<T>,
  index: NameIndex,
  message: string,
): Promise<T> {
  return conflictOnRace(async () => {
    try {
      return await write();
    } catch (error) {
      if (isHostError(error, 'unique_violation') && error.details?.constraint === index) {
        throw taken('name', message);
      }
      throw error;
    }
  });
}
