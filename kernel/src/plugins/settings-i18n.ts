/**
 * A plugin's settings form in the operator's language. The settings schema in the manifest carries the plugin's
 * own texts (`title`, `description`, written in zod's `.meta()`); its i18n bundles may translate them under
 * `settings.<property>.title` and `settings.<property>.description` (`settings.<a>.<b>.title` inside an object
 * property). Where a bundle has no such key the schema's text stays: translating is never required.
 * @module
 */
import type { i18n as I18n } from 'i18next';

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The schema with every property's title and description in `locale` where the bundles have them (falling back
 * through the bundles' languages as everywhere else). A copy: the manifest's schema is not changed.
 * @param schema - the manifest's `contributes.settings`
 * @param i18n - the plugin's bundles
 * @param locale - the operator's language
 */
export function localizeSettingsSchema<T>(schema: T, i18n: I18n, locale: string): T {
  const walk = (node: Json, prefix: string): Json => {
    if (!isObject(node.properties)) return node;
    // fromEntries defines each property: a field named `__proto__` stays a field instead of becoming a prototype.
    const properties = Object.fromEntries(
      Object.entries(node.properties).map(([name, child]) => {
        if (!isObject(child)) return [name, child];
        const key = `${prefix}.${name}`;
        const copy = walk({ ...child }, key);
        for (const text of ['title', 'description'] as const) {
          const id = `${key}.${text}`;
          if (i18n.exists(id, { lng: locale })) copy[text] = i18n.t(id, { lng: locale });
        }
        return [name, copy];
      }),
    );
    return { ...node, properties };
  };
  return isObject(schema) ? (walk(schema, 'settings') as T) : schema;
}
