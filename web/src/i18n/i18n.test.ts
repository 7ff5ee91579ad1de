import { describe, expect, it } from 'vitest';
import { currentLanguage, initI18n, languageFromTag, setLanguage, t } from './i18n.js';

describe('languageFromTag', () => {
  it('picks German for any German tag and English otherwise', () => {
    expect(languageFromTag('de')).toBe('de');
    expect(languageFromTag('de-AT')).toBe('de');
    expect(languageFromTag('DE-ch')).toBe('de');
    expect(languageFromTag('en-GB')).toBe('en');
    expect(languageFromTag('fr')).toBe('en');
    expect(languageFromTag(undefined)).toBe('en');
  });
});

describe('t', () => {
  it('translates, interpolates without HTML-escaping and switches language', async () => {
    await initI18n('en');
    expect(t('dashboard.greeting', { name: 'Ada & <Bob>' })).toBe('Hello, Ada & <Bob>!');
    expect(t('users.count', { count: 1 })).toBe('1 user');
    expect(t('users.count', { count: 3 })).toBe('3 users');
    await setLanguage('de');
    expect(currentLanguage()).toBe('de');
    expect(t('login.submit')).toBe('Anmelden');
    expect(t('groups.count', { count: 2 })).toBe('2 Gruppen');
  });
});
