/**
 * CSV for the ticket export (RFC 4180: every cell quoted, CRLF line ends, a UTF-8 byte order mark so
 * spreadsheets read the encoding). Cells are safe against formula injection: a cell that a spreadsheet would
 * take for a formula (starting with `=`, `+`, `-`, `@`, a tab or a carriage return) gets a leading `'`, so a
 * ticket title such as `=HYPERLINK(…)` is shown as text, never run.
 * @module
 */
import type { TicketSummary } from '../../api/schemas.js';

/** The first characters a spreadsheet reads as the start of a formula. */
const FORMULA_START = /^[=+\-@\t\r]/;

/** One cell: text, neutralised when it could be a formula, quoted. */
export function csvCell(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return '""';
  const text = String(value);
  const safe = typeof value === 'string' && FORMULA_START.test(text) ? `'${text}` : text;
  return `"${safe.replaceAll('"', '""')}"`;
}

/** The columns of the export, in order, with how each is read from a ticket. */
const COLUMNS: [string, (t: TicketSummary) => string | number | boolean | null][] = [
  ['id', (t) => t.id],
  ['number', (t) => t.tn],
  ['title', (t) => t.title],
  ['queue', (t) => t.queue.name],
  ['state', (t) => t.state.name],
  ['state type', (t) => t.state.type],
  ['priority', (t) => t.priority.name],
  ['type', (t) => t.type?.name ?? null],
  ['owner', (t) => t.owner?.login ?? null],
  ['responsible', (t) => t.responsible?.login ?? null],
  ['customer user', (t) => t.customerUser?.login ?? null],
  ['customer company', (t) => t.customerCompany?.name ?? null],
  ['pending until', (t) => t.pendingUntil],
  ['locked', (t) => t.locked],
  ['created', (t) => t.createdAt],
  ['changed', (t) => t.changedAt],
];

/** The whole file. */
export function ticketsCsv(tickets: readonly TicketSummary[]): string {
  const lines = [
    COLUMNS.map(([name]) => csvCell(name)).join(','),
    ...tickets.map((t) => COLUMNS.map(([, read]) => csvCell(read(t))).join(',')),
  ];
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}
