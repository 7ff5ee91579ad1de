/**
 * What `validate` (and `pack`, which runs it) reports: errors that make the plugin unusable and warnings that
 * do not, each with what to do.
 * @module
 */
import type { CliIo } from './io.js';

/** One problem found in a project. */
export interface Finding {
  level: 'error' | 'warning';
  /** What is wrong, naming the file, field, import or handler. */
  message: string;
  /** What to do about it. */
  hint?: string;
}

/** Prints findings, errors first, to standard error. */
export function printFindings(io: CliIo, findings: readonly Finding[]): void {
  const sorted = [...findings].sort((a, b) => (a.level === b.level ? 0 : a.level === 'error' ? -1 : 1));
  for (const f of sorted) {
    const text = f.message.replace(/\n/g, '\n    ');
    io.err(`${f.level}: ${text}\n${f.hint ? `  → ${f.hint}\n` : ''}`);
  }
}

/** `2 errors, 1 warning`. */
export function countFindings(findings: readonly Finding[]): string {
  const errors = findings.filter((f) => f.level === 'error').length;
  const warnings = findings.length - errors;
  return `${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}`;
}
