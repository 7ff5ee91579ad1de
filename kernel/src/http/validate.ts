/**
 * Turns zod failures into the API's 400 shape. The mapping itself lives in the SDK (`checkInput`), shared with
 * plugin routes, so a 400 looks the same wherever it comes from.
 * @module
 */
import { checkInput } from '@goatflow/sdk';
import type { z } from 'zod';
import { ValidationError } from '../errors/index.js';

export function parseInput<S extends z.ZodType>(schema: S, value: unknown, prefix?: string): z.output<S> {
  const checked = checkInput(schema, value, prefix);
  if (checked.ok) return checked.value;
  throw new ValidationError(checked.issues);
}
