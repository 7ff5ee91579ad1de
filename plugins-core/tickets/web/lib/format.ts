/**
 * Dates, numbers and people as the UI shows them, in the page's language.
 * @module
 */

/** A date and time, e.g. "3 May 2024, 14:05" (`iso` itself when it is not a date). */
export function formatDateTime(iso: string | null | undefined, locale: string): string {
  if (!iso) return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toLocaleString(locale, { dateStyle: 'medium', timeStyle: 'short' });
}

/** A whole number with the language's grouping, e.g. "10,000" or "10.000". */
export function formatNumber(n: number, locale: string): string {
  return new Intl.NumberFormat(locale).format(n);
}

/**
 * The total of a list: exact, or "10,000+" when the API stopped counting (`totalExact: false`).
 * @param total - the count the API answered
 * @param exact - whether it is exact
 * @param locale - the page's language
 */
export function formatTotal(total: number, exact: boolean, locale: string): string {
  return exact ? formatNumber(total, locale) : `${formatNumber(total, locale)}+`;
}

/** A size in bytes for people: "512 B", "12 KB", "3.4 MB". */
export function formatBytes(bytes: number, locale: string): string {
  const units = ['B', 'KB', 'MB', 'GB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  const digits = unit === 0 || value >= 10 ? 0 : 1;
  return `${new Intl.NumberFormat(locale, { maximumFractionDigits: digits }).format(value)} ${units[unit]}`;
}

/** A `<input type="datetime-local">` value (local time, minutes) for an instant, or `''`. */
export function toLocalInput(iso: string | null | undefined): string {
  if (!iso) return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** The instant of a `<input type="datetime-local">` value, or `undefined` when it is empty or invalid. */
export function fromLocalInput(value: string): string | undefined {
  if (!value) return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}
