/**
 * Turns zod failures into the API's 400 shape: one entry per failing field, named by its path.
 * @module
 */
import type { z } from 'zod';
import { ValidationError } from '../errors/index.js';

export function parseInput<S extends z.ZodType>(schema: S, value: unknown, prefix?: string): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const details = result.error.issues.flatMap((issue) => {
    const base = [prefix, ...issue.path.map(String)];
    // zod reports every unknown key in one issue; the client needs one entry per field it should not send.
    const paths = issue.code === 'unrecognized_keys' ? issue.keys.map((key) => [...base, key]) : [base];
    return paths.map((parts) => {
      const path = parts.filter(Boolean).join('.');
      return { path: path || (prefix ?? 'body'), message: issue.message };
    });
  });
  throw new ValidationError(details);
}
