/**
 * Turns zod failures into the API's 400 shape: one entry per failing field, named by its path, with a stable
 * code and parameters a client can translate, and the English message for people and logs.
 * @module
 */
import type { z } from 'zod';
import { type FieldIssue, ValidationError } from '../errors/index.js';

type Issue = z.core.$ZodIssue;

/** Maps a zod issue to a stable, translatable field code. */
export function fieldCode(issue: Issue): Pick<FieldIssue, 'code' | 'params'> {
  switch (issue.code) {
    case 'too_small':
      return {
        code: issue.origin === 'string' ? 'too_short' : issue.origin === 'array' ? 'too_few' : 'too_small',
        params: { minimum: Number(issue.minimum) },
      };
    case 'too_big':
      return {
        code: issue.origin === 'string' ? 'too_long' : issue.origin === 'array' ? 'too_many' : 'too_large',
        params: { maximum: Number(issue.maximum) },
      };
    case 'invalid_format':
      return { code: issue.format === 'email' ? 'invalid_email' : 'invalid_format' };
    case 'invalid_value':
      return { code: 'invalid_option', params: { options: issue.values.map(String).join(', ') } };
    case 'invalid_type':
      return issue.input === undefined
        ? { code: 'required' }
        : { code: 'invalid_type', params: { expected: String(issue.expected) } };
    case 'unrecognized_keys':
      return { code: 'unknown_field' };
    default:
      return { code: 'invalid' };
  }
}

/** Paths of strings holding a NUL character, which PostgreSQL cannot store in text. */
function nulPaths(value: unknown, path: string[], out: string[][]): void {
  if (typeof value === 'string') {
    if (value.includes('\u0000')) out.push(path);
  } else if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) nulPaths(v, [...path, String(i)], out);
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) nulPaths(v, [...path, k], out);
  }
}

function joinPath(parts: (string | undefined)[], prefix: string | undefined): string {
  return parts.filter(Boolean).join('.') || (prefix ?? 'body');
}

export function parseInput<S extends z.ZodType>(schema: S, value: unknown, prefix?: string): z.output<S> {
  const withNul: string[][] = [];
  nulPaths(value, [], withNul);
  if (withNul.length) {
    throw new ValidationError(
      withNul.map((p) => ({
        path: joinPath([prefix, ...p], prefix),
        message: 'must not contain a NUL character',
        code: 'invalid_characters',
      })),
    );
  }
  // reportInput lets `required` (missing) be told from `invalid_type` (wrong type); the input is never echoed.
  const result = schema.safeParse(value, { reportInput: true });
  if (result.success) return result.data;
  const details = result.error.issues.flatMap((issue) => {
    const base = [prefix, ...issue.path.map(String)];
    // zod reports every unknown key in one issue; the client needs one entry per field it should not send.
    const paths = issue.code === 'unrecognized_keys' ? issue.keys.map((key) => [...base, key]) : [base];
    const coded = fieldCode(issue);
    return paths.map((parts) => ({ path: joinPath(parts, prefix), message: issue.message, ...coded }));
  });
  throw new ValidationError(details);
}
