/**
 * The page's language. The GoatFlow shell keeps `<html lang>` set to the signed-in user's language and changes it
 * when they switch, so widgets follow the attribute rather than any shell internals.
 * @module
 */
import { FALLBACK_LOCALE } from './widget-i18n.js';

/** The language of the page: `<html lang>`, or English when it is not set. */
export function documentLocale(): string {
  return document.documentElement.lang || FALLBACK_LOCALE;
}

/**
 * Calls `listener` with the new language whenever `<html lang>` changes.
 * @param listener - receives the new language (never empty)
 * @returns a function that stops observing
 */
export function observeDocumentLocale(listener: (locale: string) => void): () => void {
  let current = documentLocale();
  const observer = new MutationObserver(() => {
    const next = documentLocale();
    if (next === current) return;
    current = next;
    listener(next);
  });
  observer.observe(document.documentElement, { attributes: true, attributeFilter: ['lang'] });
  return () => observer.disconnect();
}
