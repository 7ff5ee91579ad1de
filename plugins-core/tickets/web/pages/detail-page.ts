/**
 * `<gf-ticket-detail-page>` at `/tickets/:id`: one ticket for an agent. The article timeline (internal notes
 * marked) with a composer for a reply or an internal note; the ticket's state, priority, queue and owner, each
 * editable only where the API's `can` says the change will work; and the history on a second tab. A change is
 * sent with the `changedAt` the agent saw, so a change made meanwhile by someone else is reported, not undone.
 * @module
 */
import { css, html, nothing } from 'lit';
import '../components/composer.js';
import '../components/history.js';
import '../components/tabs.js';
import '../components/ticket-fields.js';
import type { TicketFieldsChange } from '../components/ticket-fields.js';
import '../components/timeline.js';
import '../components/toast.js';
import { V1 } from '../lib/api.js';
import { formatDateTime } from '../lib/format.js';
import { userName } from '../lib/people.js';
import { loadReference, type Reference } from '../lib/reference.js';
import { type TicketThread, TicketThreadPage } from '../lib/ticket-thread-page.js';
import type { Queue, TicketUpdateInput } from '../lib/types.js';

interface DetailData extends TicketThread {
  queues: Queue[];
  reference: Reference;
}

export class TicketDetailPage extends TicketThreadPage<DetailData> {
  static override properties = {
    ...TicketThreadPage.properties,
    tab: { state: true },
    saving: { state: true },
    fieldErrors: { state: true },
  };

  declare private tab: 'articles' | 'history';
  declare private saving: boolean;
  declare private fieldErrors: Record<string, string>;

  private reference: Reference | undefined;

  constructor() {
    super();
    this.tab = 'articles';
    this.saving = false;
    this.fieldErrors = {};
  }

  static override styles = [
    TicketThreadPage.styles,
    css`
      .layout {
        display: grid;
        grid-template-columns: 1fr minmax(14rem, 20rem);
        gap: var(--gf-space-5, 24px);
        align-items: start;
      }

      @media (max-width: 900px) {
        .layout {
          grid-template-columns: 1fr;
        }
      }

      header {
        display: flex;
        flex-direction: column;
        gap: var(--gf-space-1, 4px);
        margin-bottom: var(--gf-space-4, 16px);
      }

      .tn {
        font-family: var(--gf-font-family-mono, monospace);
        color: var(--gf-color-text-muted, #5c6975);
      }

      .main {
        display: flex;
        flex-direction: column;
        gap: var(--gf-space-5, 24px);
        min-width: 0;
      }

      aside {
        padding: var(--gf-space-4, 16px);
        border: var(--gf-border-width, 1px) solid var(--gf-color-border, #dce2e8);
        border-radius: var(--gf-radius, 6px);
      }
    `,
  ];

  protected override resetForOtherTicket(): void {
    super.resetForOtherTicket();
    this.tab = 'articles';
    this.fieldErrors = {};
  }

  protected override async load(signal: AbortSignal): Promise<DetailData> {
    const [thread, queues, reference] = await Promise.all([
      this.loadThread(signal),
      this.api.get<{ items: Queue[] }>(`${V1}/queues`, { signal }),
      this.reference ?? loadReference(signal),
    ]);
    this.reference = reference;
    return { ...thread, queues: queues.items, reference };
  }

  private readonly onFieldsChange = async (event: CustomEvent<TicketFieldsChange>): Promise<void> => {
    const ticket = this.data?.ticket;
    if (!ticket) return;
    const body: TicketUpdateInput = { ...event.detail, ifUnchangedSince: ticket.changedAt };
    this.saving = true;
    this.fieldErrors = {};
    try {
      await this.api.patch(`${V1}/tickets/${ticket.id}`, body);
      this.toast?.show(this.t('detail.saved'));
      await this.refresh();
    } catch (error) {
      this.fieldErrors = this.fieldErrorsOf(error);
      this.toastFailure('detail.saveFailed', error);
    } finally {
      this.saving = false;
    }
  };

  protected override renderContent(data: DetailData) {
    const { ticket, articles } = data;
    return html`<header>
        <span class="tn" data-testid="ticket-tn">${this.t('detail.tn', { tn: ticket.tn })}</span>
        <h2 tabindex="-1" data-testid="ticket-title">${ticket.title}</h2>
        <span class="muted">
          ${this.t('detail.created', { when: formatDateTime(ticket.createdAt, this.locale) })}
          ${ticket.customerUser ? html` · ${this.t('detail.customer', { name: userName(ticket.customerUser) })}` : nothing}
          ${ticket.customerCompany?.name ? html` · ${ticket.customerCompany.name}` : nothing}
        </span>
      </header>
      <div class="layout">
        <div class="main">
          <gf-tickets-tabs
            .tabs=${[
              { id: 'articles', label: this.t('detail.tabArticles', { count: articles.length }) },
              { id: 'history', label: this.t('detail.tabHistory') },
            ]}
            .selected=${this.tab}
            @tab-change=${(e: CustomEvent<{ id: 'articles' | 'history' }>) => {
              this.tab = e.detail.id;
            }}
          >
            ${
              this.tab === 'articles'
                ? html`<gf-tickets-timeline .articles=${articles}></gf-tickets-timeline>
                    <gf-tickets-composer
                      .heading=${this.t('detail.compose')}
                      ?allow-reply=${ticket.can.reply}
                      ?allow-note=${ticket.can.note}
                      ?busy=${this.sending}
                      .errors=${this.composerErrors}
                      @compose=${this.onCompose}
                    ></gf-tickets-composer>`
                : html`<gf-tickets-history
                    .ticketId=${ticket.id}
                    .queues=${data.queues}
                    .reference=${data.reference}
                  ></gf-tickets-history>`
            }
          </gf-tickets-tabs>
        </div>
        <aside aria-label=${this.t('detail.fields')}>
          <gf-tickets-ticket-fields
            .ticket=${ticket}
            .queues=${data.queues}
            .reference=${data.reference}
            ?busy=${this.saving}
            .errors=${this.fieldErrors}
            @fields-change=${this.onFieldsChange}
          ></gf-tickets-ticket-fields>
        </aside>
      </div>
      <gf-tickets-toast></gf-tickets-toast>`;
  }
}

if (!customElements.get('gf-ticket-detail-page'))
  customElements.define('gf-ticket-detail-page', TicketDetailPage);
