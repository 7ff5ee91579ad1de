/**
 * The GoatFlow mark and word mark. The mark is drawn in SVG with theme tokens so it stays on-brand in dark mode.
 * @module
 */
import { css, html, svg } from 'lit';
import { t } from '../i18n/i18n.js';
import { LocalizedElement } from '../i18n/localized-element.js';

export class BrandLogo extends LocalizedElement {
  static override properties = {
    wordmark: { type: Boolean },
  };

  declare wordmark: boolean;

  constructor() {
    super();
    this.wordmark = true;
  }

  static override styles = css`
    :host {
      display: inline-flex;
      align-items: center;
      gap: var(--gf-space-2);
      color: inherit;
    }

    /* A page sets --gf-brand-logo-size (e.g. to --gf-size-logo-lg) for a larger mark. */
    svg {
      flex: none;
      width: var(--gf-brand-logo-size, var(--gf-size-logo));
      height: var(--gf-brand-logo-size, var(--gf-size-logo));
    }

    .tile {
      fill: var(--gf-color-primary);
    }

    .horns {
      fill: none;
      stroke: var(--gf-color-primary-contrast);
      stroke-width: 2.4;
      stroke-linecap: round;
    }

    .face {
      fill: var(--gf-color-primary-contrast);
    }

    /* Lets a narrow header keep only the mark without a second property for the same decision. */
    .word {
      display: var(--gf-brand-wordmark-display, inline);
      font-family: var(--gf-font-family);
      font-size: var(--gf-font-size-lg);
      font-weight: var(--gf-font-weight-bold);
      letter-spacing: var(--gf-letter-spacing-tight);
    }
  `;

  override render() {
    return html`
      ${svg`<svg viewBox="0 0 32 32" aria-hidden="true" focusable="false">
        <rect class="tile" x="0" y="0" width="32" height="32" rx="8" />
        <path class="horns" d="M11 13c-3-1-5-4-4.5-7.5M21 13c3-1 5-4 4.5-7.5" />
        <path class="face" d="M10 13h12l-2.2 9.5a3.9 3.9 0 0 1-7.6 0z" />
      </svg>`}
      ${this.wordmark ? html`<span class="word">${t('app.name')}</span>` : null}
    `;
  }
}

customElements.define('gf-brand-logo', BrandLogo);
