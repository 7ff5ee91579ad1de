/**
 * Turns zod failures into the API's 400 shape: one entry per failing field, named by its path.
 * @module
 */
import type { z } from 'zod';
import { ValidationError } from '../errors/index.js';

export function parseInput<S extends z.ZodType>(schema: S, value: unknown, prefix?: string): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const details = result.error.issues.map((issue) => {
    const parts = issue.path.map(String);
    if (issue.code === 'unrecognized_keys') parts.push(...issue.keys);
    const path = [prefix, ...parts].filter(Boolean).join('.');
    return { path: path || (prefix ?? 'body'), message: issue.message };
  });
  throw new ValidationError(details);
}
