/**
 * Checks a value against a zod schema and answers the API's field issues: one entry per failing field, named by
 * its dotted path, with a stable code and parameters a client can translate. The kernel's own routes and every
 * plugin route built with {@link definePlugin} use this, so a 400 looks the same wherever it comes from.
 * @module
 */
import type { z } from 'zod';
import type { ApiFieldIssue } from '../api-error.js';

type Issue = z.core.$ZodIssue;

/** The outcome of {@link checkInput}: the parsed value, or the fields that failed. */
export type InputCheck<T> = { ok: true; value: T } | { ok: false; issues: ApiFieldIssue[] };

/**
 * Maps a zod issue to a stable, translatable field code and its parameters.
 * @param issue - one issue of a failed zod parse
 */
export function fieldCode(issue: Issue): Pick<ApiFieldIssue, 'code' | 'params'> {
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

/**
 * Parses a value with a zod schema. Strings with a NUL character are refused first (PostgreSQL cannot store
 * them); the input itself is never echoed in a message.
 * @param schema - the zod schema
 * @param value - the untrusted input
 * @param prefix - the first path segment of every issue, e.g. `body` or `query`
 */
export function checkInput<S extends z.ZodType>(
  schema: S,
  value: unknown,
  prefix?: string,
): InputCheck<z.output<S>> {
  const withNul: string[][] = [];
  nulPaths(value, [], withNul);
  if (withNul.length) {
    return {
      ok: false,
      issues: withNul.map((p) => ({
        path: joinPath([prefix, ...p], prefix),
        message: 'must not contain a NUL character',
        code: 'invalid_characters',
      })),
    };
  }
  // reportInput lets `required` (missing) be told from `invalid_type` (wrong type).
  const result = schema.safeParse(value, { reportInput: true });
  if (result.success) return { ok: true, value: result.data };
  const issues = result.error.issues.flatMap((issue) => {
    const base = [prefix, ...issue.path.map(String)];
    // zod reports every unknown key in one issue; the client needs one entry per field it should not send.
    const paths = issue.code === 'unrecognized_keys' ? issue.keys.map((key) => [...base, key]) : [base];
    const coded = fieldCode(issue);
    return paths.map((parts) => ({ path: joinPath(parts, prefix), message: issue.message, ...coded }));
  });
  return { ok: false, issues };
}
