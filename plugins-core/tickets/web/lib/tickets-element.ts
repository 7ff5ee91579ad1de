/**
 * `TicketsElement`: the base of the plugin's elements that are not data-loading widgets (forms, pickers, the
 * composer, dialogs). Like `GoatflowWidget` it speaks the page's language (`<html lang>`, followed live) from
 * the plugin's message tables and calls the API with the session's CSRF token.
 * @module
 */
import {
  documentLocale,
  observeDocumentLocale,
  translate,
  WIDGET_CHROME_MESSAGES,
  type WidgetMessageParams,
} from '@goatflow/sdk/widget';
import { LitElement, type PropertyDeclarations } from 'lit';
import { MESSAGES } from './messages.js';

export abstract class TicketsElement extends LitElement {
  static override properties: PropertyDeclarations = {
    locale: { state: true },
  };

  /** The page's language; the element re-renders when it changes. */
  declare locale: string;

  private stopObservingLocale: (() => void) | undefined;

  constructor() {
    super();
    this.locale = documentLocale();
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.locale = documentLocale();
    this.stopObservingLocale = observeDocumentLocale((locale) => {
      this.locale = locale;
    });
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.stopObservingLocale?.();
    this.stopObservingLocale = undefined;
  }

  /**
   * Translates one of the plugin's messages into the page's language.
   * @param key - the message key
   * @param params - values for its `{{placeholders}}`
   */
  t(key: string, params?: WidgetMessageParams): string {
    return translate([MESSAGES, WIDGET_CHROME_MESSAGES], this.locale, key, params);
  }
}
