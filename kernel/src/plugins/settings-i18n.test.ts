import i18next from 'i18next';
import { describe, expect, it } from 'vitest';
import { localizeSettingsSchema } from './settings-i18n.js';

const bundles = i18next.createInstance();
await bundles.init({
  resources: {
    en: {
      translation: { settings: { limit: { title: 'Limit' }, nested: { inner: { title: 'Inner (en)' } } } },
    },
    de: {
      translation: {
        settings: { limit: { title: 'Grenze', description: 'Höchstens so viele.' } },
      },
    },
  },
  fallbackLng: 'en',
  initAsync: false,
});

const schema = {
  type: 'object',
  properties: {
    limit: { type: 'integer', title: 'Maximum', description: 'At most this many.' },
    plain: { type: 'string', title: 'Plain', description: 'No translation.' },
    nested: { type: 'object', properties: { inner: { type: 'string', title: 'Inner' } } },
  },
};

describe('localizeSettingsSchema', () => {
  it('takes the title and description from the bundle of the locale', () => {
    const de = localizeSettingsSchema(schema, bundles, 'de');
    expect(de.properties.limit).toEqual({
      type: 'integer',
      title: 'Grenze',
      description: 'Höchstens so viele.',
    });
  });

  it("keeps the schema's text where no bundle has the key, and falls back like every other translation", () => {
    const de = localizeSettingsSchema(schema, bundles, 'de');
    expect(de.properties.plain).toEqual(schema.properties.plain);
    // English is the bundles' fallback: its description is absent, so the schema's stays.
    expect(localizeSettingsSchema(schema, bundles, 'fr').properties.limit).toEqual({
      type: 'integer',
      title: 'Limit',
      description: 'At most this many.',
    });
  });

  it('translates inside object properties by their path', () => {
    const de = localizeSettingsSchema(schema, bundles, 'de');
    expect(de.properties.nested.properties.inner.title).toBe('Inner (en)');
  });

  it("copies: the manifest's schema is unchanged", () => {
    const before = structuredClone(schema);
    localizeSettingsSchema(schema, bundles, 'de');
    expect(schema).toEqual(before);
  });

  it('keeps a field named __proto__ a field', () => {
    const hostile = JSON.parse(
      '{"type":"object","properties":{"__proto__":{"type":"string","title":"Odd"}}}',
    );
    const out = localizeSettingsSchema(hostile, bundles, 'de') as { properties: Record<string, unknown> };
    expect(Object.keys(out.properties)).toEqual(['__proto__']);
    expect(Object.getOwnPropertyDescriptor(out.properties, '__proto__')?.value).toEqual({
      type: 'string',
      title: 'Odd',
    });
    expect(Object.getPrototypeOf(out.properties)).toBe(Object.prototype);
  });

  it('leaves anything that is not a schema object alone', () => {
    expect(localizeSettingsSchema(null, bundles, 'de')).toBeNull();
    expect(localizeSettingsSchema({ type: 'object' }, bundles, 'de')).toEqual({ type: 'object' });
  });
});
