/**
 * `<gf-ticket-detail-page>` at `/tickets/:id`: one ticket for an agent. The article timeline (internal notes
 * marked) with a composer for a reply or an internal note; the ticket's state, priority, queue and owner, each
 * editable only where the API's `can` says the change will work; and the history on a second tab. A change is
 * sent with the `changedAt` the agent saw, so a change made meanwhile by someone else is reported, not undone.
 * @module
 */
import { GoatflowWidget } from '@goatflow/sdk/widget';
import { css, html, nothing, type PropertyValues } from 'lit';
import '../components/composer.js';
import type { TicketsComposer } from '../components/composer.js';
import '../components/history.js';
import '../components/tabs.js';
import '../components/ticket-fields.js';
import type { TicketFieldsChange } from '../components/ticket-fields.js';
import '../components/timeline.js';
import '../components/toast.js';
import type { TicketsToast } from '../components/toast.js';
import { V1 } from '../lib/api.js';
import { errorMessage, fieldErrors } from '../lib/errors.js';
import { formatDateTime } from '../lib/format.js';
import { MESSAGES } from '../lib/messages.js';
import { focusHeading } from '../lib/page-focus.js';
import { userName } from '../lib/people.js';
import { loadReference, type Reference } from '../lib/reference.js';
import { ticketsStyles } from '../lib/styles.js';
import type { Article, ArticleInput, Queue, TicketDetail, TicketUpdateInput } from '../lib/types.js';

interface DetailData {
  ticket: TicketDetail;
  articles: Article[];
  queues: Queue[];
  reference: Reference;
}

export class TicketDetailPage extends GoatflowWidget<DetailData> {
  static override pluginId = 'tickets';
  static override messages = MESSAGES;

  static override properties = {
    ...GoatflowWidget.properties,
    params: { attribute: false },
    query: { attribute: false },
    tab: { state: true },
    sending: { state: true },
    composerErrors: { state: true },
    saving: { state: true },
    fieldErrors: { state: true },
  };

  /** Set by the shell: `id` is the ticket's. */
  declare params: Record<string, string>;
  declare query: URLSearchParams;
  declare private tab: 'articles' | 'history';
  declare private sending: boolean;
  declare private composerErrors: Record<string, string>;
  declare private saving: boolean;
  declare private fieldErrors: Record<string, string>;

  private loadedId: string | undefined;
  private reference: Reference | undefined;
  private focusedId: string | undefined;

  constructor() {
    super();
    this.params = {};
    this.query = new URLSearchParams();
    this.tab = 'articles';
    this.sending = false;
    this.composerErrors = {};
    this.saving = false;
    this.fieldErrors = {};
  }

  static override styles = [
    GoatflowWidget.styles,
    ticketsStyles,
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

  protected override willUpdate(changed: PropertyValues): void {
    super.willUpdate(changed);
    // Another ticket in the same page element (a link from this one, Back): start over on its articles.
    if (
      changed.has('params') &&
      this.isConnected &&
      this.loadedId !== undefined &&
      this.params.id !== this.loadedId
    ) {
      this.tab = 'articles';
      this.composerErrors = {};
      this.fieldErrors = {};
      this.toast?.clear();
      void this.refresh();
    }
  }

  protected override async load(signal: AbortSignal): Promise<DetailData> {
    const id = this.params.id ?? '';
    this.loadedId = id;
    const base = `${V1}/tickets/${encodeURIComponent(id)}`;
    const [ticket, articles, queues, reference] = await Promise.all([
      this.api.get<TicketDetail>(base, { signal }),
      this.api.get<{ items: Article[] }>(`${base}/articles`, { signal }),
      this.api.get<{ items: Queue[] }>(`${V1}/queues`, { signal }),
      this.reference ?? loadReference(signal),
    ]);
    this.reference = reference;
    return { ticket, articles: articles.items, queues: queues.items, reference };
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
    this.sending = true;
    this.composerErrors = {};
    try {
      await this.api.post(`${V1}/tickets/${ticket.id}/articles`, event.detail);
      composer.reset();
      this.toast?.show(this.t(event.detail.internal ? 'detail.noteAdded' : 'detail.replySent'));
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
      this.fieldErrors = fieldErrors(error, (k, p) => this.t(k, p));
      this.toast?.show(
        this.t('detail.saveFailed', { message: errorMessage(error, (k, p) => this.t(k, p)) }),
        'error',
      );
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
