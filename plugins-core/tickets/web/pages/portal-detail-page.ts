/**
 * `<gf-tickets-portal-detail-page>` at `/portal/tickets/:id`: a customer's ticket, its messages (the API never
 * sends a customer an internal note) and a reply form. There is no note control here at all: the composer is
 * made without `allow-note`, and the reply it sends never names `internal`.
 * @module
 */
import { GoatflowWidget } from '@goatflow/sdk/widget';
import { css, html, nothing, type PropertyValues } from 'lit';
import '../components/composer.js';
import type { TicketsComposer } from '../components/composer.js';
import '../components/timeline.js';
import '../components/toast.js';
import type { TicketsToast } from '../components/toast.js';
import { V1 } from '../lib/api.js';
import { errorMessage, fieldErrors } from '../lib/errors.js';
import { formatDateTime } from '../lib/format.js';
import { MESSAGES } from '../lib/messages.js';
import { focusHeading } from '../lib/page-focus.js';
import { ticketsStyles } from '../lib/styles.js';
import type { Article, ArticleInput, TicketDetail } from '../lib/types.js';

interface PortalTicket {
  ticket: TicketDetail;
  articles: Article[];
}

export class PortalDetailPage extends GoatflowWidget<PortalTicket> {
  static override pluginId = 'tickets';
  static override messages = MESSAGES;

  static override properties = {
    ...GoatflowWidget.properties,
    params: { attribute: false },
    query: { attribute: false },
    sending: { state: true },
    composerErrors: { state: true },
  };

  declare params: Record<string, string>;
  declare query: URLSearchParams;
  declare private sending: boolean;
  declare private composerErrors: Record<string, string>;

  private loadedId: string | undefined;
  private focusedId: string | undefined;

  constructor() {
    super();
    this.params = {};
    this.query = new URLSearchParams();
    this.sending = false;
    this.composerErrors = {};
  }

  static override styles = [
    GoatflowWidget.styles,
    ticketsStyles,
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

  protected override willUpdate(changed: PropertyValues): void {
    super.willUpdate(changed);
    if (
      changed.has('params') &&
      this.isConnected &&
      this.loadedId !== undefined &&
      this.params.id !== this.loadedId
    ) {
      this.composerErrors = {};
      this.toast?.clear();
      void this.refresh();
    }
  }

  protected override async load(signal: AbortSignal): Promise<PortalTicket> {
    const id = this.params.id ?? '';
    this.loadedId = id;
    const base = `${V1}/tickets/${encodeURIComponent(id)}`;
    const [ticket, articles] = await Promise.all([
      this.api.get<TicketDetail>(base, { signal }),
      this.api.get<{ items: Article[] }>(`${base}/articles`, { signal }),
    ]);
    return { ticket, articles: articles.items };
  }

  protected override updated(changed: PropertyValues): void {
    super.updated(changed);
    if (this.state === 'ready' && this.focusedId !== this.loadedId && focusHeading(this.renderRoot)) {
      this.focusedId = this.loadedId;
    }
  }

  private get toast(): TicketsToast | null {
    return this.renderRoot.querySelector('gf-tickets-toast');
  }

  private readonly onCompose = async (event: CustomEvent<ArticleInput>): Promise<void> => {
    const ticket = this.data?.ticket;
    if (!ticket) return;
    const composer = event.target as TicketsComposer;
    const { internal: _never, ...reply } = event.detail;
    this.sending = true;
    this.composerErrors = {};
    try {
      await this.api.post(`${V1}/tickets/${ticket.id}/articles`, reply);
      composer.reset();
      this.toast?.show(this.t('detail.replySent'));
      await this.refresh();
    } catch (error) {
      this.composerErrors = fieldErrors(error, (k, p) => this.t(k, p));
      this.toast?.show(
        this.t('detail.sendFailed', { message: errorMessage(error, (k, p) => this.t(k, p)) }),
        'error',
      );
    } finally {
      this.sending = false;
    }
  };

  protected override renderContent({ ticket, articles }: PortalTicket) {
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
