/**
 * `<gf-tickets-timeline>`: a ticket's articles, oldest first, as a list. Internal notes are marked in three ways
 * at once (a label, a coloured edge and the list item's accessible name), so nobody mistakes one for something the
 * customer saw. Bodies are plain text, shown with their line breaks; attachments link to their download.
 * @module
 */
import { css, html, nothing } from 'lit';
import { attachmentUrl } from '../lib/api.js';
import { formatBytes, formatDateTime } from '../lib/format.js';
import { userName } from '../lib/people.js';
import { ticketsStyles } from '../lib/styles.js';
import { TicketsElement } from '../lib/tickets-element.js';
import type { Article } from '../lib/types.js';

export class TicketsTimeline extends TicketsElement {
  static override properties = {
    ...TicketsElement.properties,
    articles: { attribute: false },
  };

  declare articles: readonly Article[];

  constructor() {
    super();
    this.articles = [];
  }

  static override styles = [
    ticketsStyles,
    css`
      ol {
        display: flex;
        flex-direction: column;
        gap: var(--gf-space-3, 12px);
        margin: 0;
        padding: 0;
        list-style: none;
      }

      li {
        padding: var(--gf-space-3, 12px) var(--gf-space-4, 16px);
        border: var(--gf-border-width, 1px) solid var(--gf-color-border, #dce2e8);
        border-left-width: var(--gf-border-width-accent, 3px);
        border-radius: var(--gf-radius, 6px);
        background: var(--gf-color-surface, #fff);
      }

      li.customer {
        border-left-color: var(--gf-color-primary, #0f7a6b);
      }

      li.internal {
        border-left-color: var(--gf-color-danger, #c0352b);
        background: var(--gf-color-warning-soft, #fff4d6);
        border-style: dashed;
      }

      .meta {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: var(--gf-space-2, 8px);
        color: var(--gf-color-text-muted, #5c6975);
        font-size: var(--gf-font-size-sm, 0.8125rem);
      }

      .author {
        color: var(--gf-color-text, #1c2630);
        font-weight: var(--gf-font-weight-medium, 500);
      }

      .subject {
        margin: var(--gf-space-2, 8px) 0 0;
        font-weight: var(--gf-font-weight-bold, 600);
      }

      .body {
        margin: var(--gf-space-2, 8px) 0 0;
        white-space: pre-wrap;
        overflow-wrap: anywhere;
      }

      .attachments {
        display: flex;
        flex-wrap: wrap;
        gap: var(--gf-space-2, 8px);
        margin: var(--gf-space-2, 8px) 0 0;
        padding: 0;
        list-style: none;
      }

      .attachments li {
        padding: 0;
        border: none;
        background: none;
      }
    `,
  ];

  private renderArticle(article: Article) {
    const author = userName(article.author) || this.t(`sender.${article.senderType}`);
    const when = formatDateTime(article.createdAt, this.locale);
    const kind = article.internal ? 'internal' : article.senderType;
    return html`<li
      class=${kind}
      data-testid="ticket-article"
      data-internal=${article.internal ? 'true' : 'false'}
      aria-label=${this.t(article.internal ? 'article.labelInternal' : 'article.label', { author, when })}
    >
      <div class="meta">
        ${
          article.internal
            ? html`<span class="badge internal" data-testid="article-internal">${this.t('article.internal')}</span>`
            : nothing
        }
        <span class="badge">${this.t(`sender.${article.senderType}`)}</span>
        <span class="author">${author}</span>
        <time datetime=${article.createdAt}>${when}</time>
      </div>
      ${article.subject ? html`<p class="subject">${article.subject}</p>` : nothing}
      <p class="body" data-testid="article-body">${article.body}</p>
      ${
        article.attachments?.length
          ? html`<ul class="attachments" aria-label=${this.t('article.attachments')}>
              ${article.attachments.map(
                (file) => html`<li>
                  <a href=${attachmentUrl(file.id)} download=${file.filename} data-testid="article-attachment"
                    >📎 ${file.filename}</a
                  >
                  <span class="muted">(${formatBytes(file.size, this.locale)})</span>
                </li>`,
              )}
            </ul>`
          : nothing
      }
    </li>`;
  }

  override render() {
    if (this.articles.length === 0) return html`<p class="empty">${this.t('article.none')}</p>`;
    return html`<ol aria-label=${this.t('article.timeline')}>
      ${this.articles.map((article) => this.renderArticle(article))}
    </ol>`;
  }
}

if (!customElements.get('gf-tickets-timeline')) customElements.define('gf-tickets-timeline', TicketsTimeline);
