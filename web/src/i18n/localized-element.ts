/**
 * Base class for every shell component: it re-renders when the language changes, so templates can call `t()`
 * directly instead of caching translated strings in properties.
 * @module
 */
import { LitElement } from 'lit';
import { onLanguageChanged } from './i18n.js';

export class LocalizedElement extends LitElement {
  private unsubscribeLanguage: (() => void) | undefined;

  override connectedCallback(): void {
    super.connectedCallback();
    this.unsubscribeLanguage = onLanguageChanged(() => this.requestUpdate());
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.unsubscribeLanguage?.();
    this.unsubscribeLanguage = undefined;
  }
}
