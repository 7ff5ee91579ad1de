/**
 * Translating a widget's own chrome (labels, buttons, empty states) from message tables the widget ships. Text
 * that comes from the plugin's routes is translated server-side, in the user's language, as before. Pure: no
 * DOM, so it is unit tested in Node.
 * @module
 */

/** One language's messages: key → text with `{{param}}` placeholders, e.g. `'Loaded {{count}} items'`. */
export type WidgetMessageTable = Readonly<Record<string, string>>;

/**
 * A widget's messages by language tag, e.g. `{en: {...}, de: {...}}`. English is the fallback, so it should
 * hold every key; a region tag such as `de-AT` may hold only what differs from `de`.
 */
export type WidgetMessages = Readonly<Record<string, WidgetMessageTable>>;

/** Values for the `{{param}}` placeholders of a message. */
export type WidgetMessageParams = Readonly<Record<string, string | number | boolean>>;

/** The language every lookup falls back to. */
export const FALLBACK_LOCALE = 'en';

const PLACEHOLDER = /\{\{\s*([\w.-]+)\s*\}\}/g;

/**
 * The tags to look a message up under, most specific first, ending with English: `de-AT` → `de-AT`, `de`, `en`.
 * An empty tag means English.
 * @param locale - a BCP 47 tag such as `de`, `de-AT` or `pt_BR`
 */
export function localeChain(locale: string): string[] {
  const chain: string[] = [];
  const add = (tag: string) => {
    if (tag && !chain.includes(tag)) chain.push(tag);
  };
  const tag = locale.trim().replace(/_/g, '-');
  add(tag);
  add(tag.toLowerCase());
  const language = tag.split('-')[0]?.toLowerCase() ?? '';
  add(language);
  add(FALLBACK_LOCALE);
  return chain;
}

/**
 * Replaces `{{name}}` placeholders with the given values. A placeholder without a value stays as it is, so a
 * forgotten parameter shows in the UI instead of silently vanishing.
 * @param message - text with placeholders
 * @param params - the values
 */
export function interpolate(message: string, params?: WidgetMessageParams): string {
  if (!params) return message;
  return message.replace(PLACEHOLDER, (whole, name: string) =>
    Object.hasOwn(params, name) ? String(params[name]) : whole,
  );
}

/**
 * Looks a message up and fills in its parameters. Each tag of {@link localeChain} is tried in every table in
 * order (so the first table can override the later ones), then English; when nothing has the key, the key
 * itself is returned, which makes a missing translation visible.
 * @param tables - message tables by language, most important first
 * @param locale - the language to translate into
 * @param key - the message key
 * @param params - values for the message's placeholders
 */
export function translate(
  tables: readonly WidgetMessages[],
  locale: string,
  key: string,
  params?: WidgetMessageParams,
): string {
  for (const tag of localeChain(locale)) {
    for (const table of tables) {
      const messages = Object.hasOwn(table, tag) ? table[tag] : undefined;
      if (messages && Object.hasOwn(messages, key)) return interpolate(messages[key] as string, params);
    }
  }
  return key;
}
