/** Shown for unknown paths and for admin pages visited by non-admins, which must not learn those pages exist. @module */
import { css, html } from 'lit';
import { t } from '../i18n/i18n.js';
import { LocalizedElement } from '../i18n/localized-element.js';
import { pageStyles, sharedStyles } from '../theme/shared-styles.js';

export class NotFoundPage extends LocalizedElement {
  static override styles = [
    sharedStyles,
    pageStyles,
    css`
      .card {
        display: flex;
        flex-direction: column;
        align-items: center;
        gap: var(--gf-space-3);
        padding: var(--gf-space-7) var(--gf-space-5);
        text-align: center;
      }

      .code {
        font-size: var(--gf-font-size-display);
        font-weight: var(--gf-font-weight-bold);
        line-height: var(--gf-line-height-display);
        color: var(--gf-color-primary);
      }

      .card p:not(.code) {
        max-width: var(--gf-size-prose-max);
        color: var(--gf-color-text-muted);
      }

      .btn {
        margin-top: var(--gf-space-2);
        text-decoration: none;
      }
    `,
  ];

  override render() {
    return html`
      <div class="page">
        <section class="card" data-testid="not-found">
          <p class="code" aria-hidden="true">${t('notFound.code')}</p>
          <h1>${t('notFound.title')}</h1>
          <p>${t('notFound.text')}</p>
          <a class="btn btn-primary" href="/">${t('notFound.back')}</a>
        </section>
      </div>
    `;
  }
}

customElements.define('gf-not-found-page', NotFoundPage);
