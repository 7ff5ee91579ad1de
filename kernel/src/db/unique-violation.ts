import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { ConflictError, type FieldIssue } from '../errors/index.js';

/**
 * Runs a write and turns a unique-index violation into a 409 naming the field. The services check for a taken
 * name first (for a clear message); this covers the race where two requests pass that check at once.
 */
export async function conflictOnDuplicate<T>(
  write: () => Promise<T>,
  message: string,
  field: FieldIssue,
): Promise<T> {
  try {
    return await write();
  } catch (err) {
    if (err instanceof UniqueConstraintViolationException) throw new ConflictError(message, [field]);
    throw err;
  }
}
