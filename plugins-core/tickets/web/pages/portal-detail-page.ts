/**
 * `<gf-tickets-portal-detail-page>` at `/portal/tickets/:id`: a customer's ticket, its messages (the API never
 * sends a customer an internal note) and a reply form. There is no note control here at all: the composer is
 * made without `allow-note`, and the reply it sends never names `internal`.
 * @module
 */
import { css, html, nothing } from 'lit';
import '../components/composer.js';
import '../components/timeline.js';
import '../components/toast.js';
import { formatDateTime } from '../lib/format.js';
import { type TicketThread, TicketThreadPage } from '../lib/ticket-thread-page.js';
import type { ArticleInput } from '../lib/types.js';

export class PortalDetailPage extends TicketThreadPage<TicketThread> {
  static override styles = [
    TicketThreadPage.styles,
    css`
      .page {
        display: flex;
        flex-direction: column;
        gap: var(--gf-space-5, 24px);
        max-width: 60rem;
      }

      header {
        display: flex;
        flex-direction: column;
        gap: var(--gf-space-1, 4px);
      }

      .tn {
        font-family: var(--gf-font-family-mono, monospace);
        color: var(--gf-color-text-muted, #5c6975);
      }

      dl {
        display: flex;
        flex-wrap: wrap;
        gap: var(--gf-space-2, 8px) var(--gf-space-5, 24px);
        margin: 0;
      }

      dt {
        color: var(--gf-color-text-muted, #5c6975);
        font-size: var(--gf-font-size-sm, 0.8125rem);
      }

      dd {
        margin: 0;
      }
    `,
  ];

  protected override load(signal: AbortSignal): Promise<TicketThread> {
    return this.loadThread(signal);
  }

  /** A customer's reply never names `internal`. */
  protected override articleOf(input: ArticleInput): ArticleInput {
    const { internal: _never, ...reply } = input;
    return reply;
  }

  protected override renderContent({ ticket, articles }: TicketThread) {
    return html`<div class="page">
        <header>
          <span class="tn">${this.t('detail.tn', { tn: ticket.tn })}</span>
          <h2 tabindex="-1" data-testid="ticket-title">${ticket.title}</h2>
          <dl>
            <div>
              <dt>${this.t('field.stateId')}</dt>
              <dd><span class="badge ${ticket.state.type}" data-testid="ticket-state">${ticket.state.name}</span></dd>
            </div>
            ${
              ticket.queue.name
                ? html`<div>
                    <dt>${this.t('field.queueId')}</dt>
                    <dd>${ticket.queue.name}</dd>
                  </div>`
                : nothing
            }
            <div>
              <dt>${this.t('column.created')}</dt>
              <dd>${formatDateTime(ticket.createdAt, this.locale)}</dd>
            </div>
          </dl>
        </header>
        <gf-tickets-timeline .articles=${articles.filter((a) => !a.internal)}></gf-tickets-timeline>
        ${
          ticket.can.reply
            ? html`<gf-tickets-composer
                allow-reply
                .heading=${this.t('portal.reply')}
                ?busy=${this.sending}
                .errors=${this.composerErrors}
                @compose=${this.onCompose}
              ></gf-tickets-composer>`
            : nothing
        }
      </div>
      <gf-tickets-toast></gf-tickets-toast>`;
  }
}

if (!customElements.get('gf-tickets-portal-detail-page')) {
  customElements.define('gf-tickets-portal-detail-page', PortalDetailPage);
}
