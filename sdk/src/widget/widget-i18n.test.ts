import { describe, expect, it } from 'vitest';
import { interpolate, localeChain, translate, type WidgetMessages } from './widget-i18n.js';

const widget: WidgetMessages = {
  en: { title: 'Greetings', count: '{{count}} greetings for {{ login }}', only: 'English only' },
  de: { title: 'Grüße', count: '{{count}} Grüße für {{login}}' },
  'de-AT': { title: 'Servus' },
};
const chrome: WidgetMessages = {
  en: { retry: 'Retry', title: 'Chrome title' },
  de: { retry: 'Erneut versuchen' },
};

describe('localeChain', () => {
  it('goes from the most specific tag to English', () => {
    expect(localeChain('de-AT')).toEqual(['de-AT', 'de-at', 'de', 'en']);
    expect(localeChain('de')).toEqual(['de', 'en']);
    expect(localeChain('pt_BR')).toEqual(['pt-BR', 'pt-br', 'pt', 'en']);
    expect(localeChain('en')).toEqual(['en']);
  });

  it('treats an empty tag as English', () => {
    expect(localeChain('')).toEqual(['en']);
    expect(localeChain('  ')).toEqual(['en']);
  });
});

describe('interpolate', () => {
  it('fills {{param}} placeholders, with or without spaces inside the braces', () => {
    expect(interpolate('{{a}} and {{ b }}', { a: 1, b: 'two' })).toBe('1 and two');
    expect(interpolate('{{flag}}', { flag: false })).toBe('false');
  });

  it('leaves a placeholder without a value visible, and ignores inherited names', () => {
    expect(interpolate('Hi {{name}}', {})).toBe('Hi {{name}}');
    expect(interpolate('{{toString}}', {})).toBe('{{toString}}');
    expect(interpolate('Hi {{name}}')).toBe('Hi {{name}}');
  });

  it('does not interpret replacement patterns in values', () => {
    expect(interpolate('{{v}}', { v: '$& $1 $$' })).toBe('$& $1 $$');
  });
});

describe('translate', () => {
  it('uses the page language, then its base language, then English, then the key', () => {
    expect(translate([widget], 'de', 'title')).toBe('Grüße');
    expect(translate([widget], 'de-AT', 'title')).toBe('Servus');
    expect(translate([widget], 'de-AT', 'count', { count: 2, login: 'greta' })).toBe('2 Grüße für greta');
    expect(translate([widget], 'de', 'only')).toBe('English only');
    expect(translate([widget], 'fr', 'title')).toBe('Greetings');
    expect(translate([widget], 'de', 'missing.key')).toBe('missing.key');
  });

  it('lets an earlier table override a later one, language by language', () => {
    expect(translate([widget, chrome], 'en', 'title')).toBe('Greetings');
    expect(translate([widget, chrome], 'de', 'retry')).toBe('Erneut versuchen');
    // The chrome's German beats the widget's English: the language is chosen before the table.
    expect(translate([{ en: { retry: 'Try again' } }, chrome], 'de', 'retry')).toBe('Erneut versuchen');
  });

  it('does not pick up keys from the prototype', () => {
    expect(translate([widget], 'en', 'constructor')).toBe('constructor');
    expect(translate([widget], '__proto__', 'title')).toBe('Greetings');
  });
});
