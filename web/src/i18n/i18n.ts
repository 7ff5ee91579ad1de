/**
 * The shell's single i18next instance and the `t()` every component uses. Bundles are bundled (not fetched) because
 * they are small and the login page must be translated before anything else can load.
 * @module
 */
import i18next from 'i18next';
import de from './de.json' with { type: 'json' };
import en from './en.json' with { type: 'json' };

export type Language = 'en' | 'de';

export const LANGUAGES: readonly Language[] = ['en', 'de'];

export const bundles: Record<Language, typeof en> = { en, de };

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}

/** Maps a BCP 47 tag such as `de-AT` to a language the shell ships; everything else falls back to English. */
export function languageFromTag(tag: string | undefined | null): Language {
  return tag?.toLowerCase().startsWith('de') ? 'de' : 'en';
}

export function browserLanguage(): Language {
  return languageFromTag(typeof navigator === 'undefined' ? undefined : navigator.language);
}

export async function initI18n(language: Language): Promise<void> {
  await i18next.init({
    lng: language,
    fallbackLng: 'en',
    supportedLngs: [...LANGUAGES],
    resources: { en: { translation: en }, de: { translation: de } },
    // Lit escapes every interpolated value when rendering, so escaping here would double-escape names.
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  syncDocumentLanguage();
}

function syncDocumentLanguage(): void {
  if (typeof document !== 'undefined') document.documentElement.lang = i18next.language;
}

export function currentLanguage(): Language {
  return isLanguage(i18next.language) ? i18next.language : 'en';
}

export async function setLanguage(language: Language): Promise<void> {
  if (i18next.language === language) return;
  await i18next.changeLanguage(language);
  syncDocumentLanguage();
}

export function t(key: string, options?: Record<string, unknown>): string {
  return i18next.t(key, options ?? {}) as string;
}

/** Subscribes to language changes; returns the unsubscribe function. */
export function onLanguageChanged(listener: (language: string) => void): () => void {
  i18next.on('languageChanged', listener);
  return () => i18next.off('languageChanged', listener);
}
