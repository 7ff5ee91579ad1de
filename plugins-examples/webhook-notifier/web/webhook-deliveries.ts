/**
 * <gf-webhook-deliveries>: the webhook-notifier dashboard widget for agents. It shows the latest deliveries with
 * a status badge each (filterable by status), why the last attempt failed and when the next one is due, and
 * for admins a Retry button on every delivery not yet delivered and a "Send test event" button.
 * `GoatflowWidget` loads it, shows loading and error states, and reloads it every `refreshSeconds`.
 *
 * `goatflow-plugin build` bundles it, Lit included, into assets/webhook-deliveries.js.
 */
import { GoatflowWidget } from '@goatflow/sdk/widget';
import { css, html, nothing } from 'lit';
import type { Delivery, DeliveryStatus } from '../src/deliveries.js';
import type { DeliveryPage } from '../src/routes.js';

/** How many deliveries the widget shows. */
const SHOWN = 10;
const STATUSES: readonly DeliveryStatus[] = ['pending', 'delivered', 'failed'];

class WebhookDeliveries extends GoatflowWidget<DeliveryPage> {
  static override pluginId = 'webhook-notifier';

  static override messages = {
    en: {
      all: 'All',
      'status.pending': 'Pending',
      'status.delivered': 'Delivered',
      'status.failed': 'Failed',
      filter: 'Show',
      empty: 'No deliveries yet.',
      paused: 'Paused: no target URL is set. Events are recorded and sent once one is.',
      attempts: '{{count}} attempt(s)',
      next: 'next attempt {{at}}',
      retry: 'Retry',
      retrying: 'Retrying…',
      ping: 'Send test event',
      pinged: 'Test event {{id}} sent.',
      actionFailed: 'That did not work: {{message}}',
    },
    de: {
      all: 'Alle',
      'status.pending': 'Ausstehend',
      'status.delivered': 'Zugestellt',
      'status.failed': 'Fehlgeschlagen',
      filter: 'Anzeigen',
      empty: 'Noch keine Zustellungen.',
      paused:
        'Pausiert: keine Ziel-URL gesetzt. Ereignisse werden gespeichert und gesendet, sobald eine gesetzt ist.',
      attempts: '{{count}} Versuch(e)',
      next: 'nächster Versuch {{at}}',
      retry: 'Erneut senden',
      retrying: 'Wird gesendet…',
      ping: 'Testereignis senden',
      pinged: 'Testereignis {{id}} gesendet.',
      actionFailed: 'Das hat nicht geklappt: {{message}}',
    },
  };

  static override properties = {
    ...GoatflowWidget.properties,
    filter: { state: true },
    busy: { state: true },
    notice: { state: true },
  };

  static override styles = [
    GoatflowWidget.styles,
    css`
      .toolbar {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: var(--gf-space-2, 8px);
        margin-bottom: var(--gf-space-3, 12px);
      }
      .toolbar .spacer {
        flex: 1;
      }
      select {
        font: inherit;
        color: inherit;
        background: var(--gf-color-surface, #fff);
        border: var(--gf-border-width, 1px) solid var(--gf-color-border, #dce2e8);
        border-radius: var(--gf-radius, 6px);
        padding: 2px var(--gf-space-2, 8px);
      }
      .paused,
      .notice {
        margin: 0 0 var(--gf-space-3, 12px);
        color: var(--gf-color-text-muted, #5c6975);
      }
      ul {
        list-style: none;
        margin: 0;
        padding: 0;
      }
      li {
        display: grid;
        grid-template-columns: auto 1fr auto;
        align-items: center;
        gap: var(--gf-space-1, 4px) var(--gf-space-3, 12px);
        padding: var(--gf-space-2, 8px) 0;
        border-top: var(--gf-border-width, 1px) solid var(--gf-color-border, #dce2e8);
      }
      .event {
        font-weight: var(--gf-font-weight-medium, 500);
        overflow-wrap: anywhere;
      }
      .detail {
        grid-column: 2 / 4;
        color: var(--gf-color-text-muted, #5c6975);
        font-size: var(--gf-font-size-sm, 0.8125rem);
        overflow-wrap: anywhere;
      }
      .badge {
        display: inline-block;
        min-width: 6em;
        padding: 0 var(--gf-space-2, 8px);
        border-radius: 999px;
        font-size: var(--gf-font-size-sm, 0.8125rem);
        text-align: center;
      }
      .badge.pending {
        background: var(--gf-color-warning-soft, #fff4d6);
        color: var(--gf-color-warning-soft-text, #7a5200);
      }
      .badge.delivered {
        background: var(--gf-color-success-soft, #e3f4ea);
        color: var(--gf-color-success-soft-text, #1e6b3c);
      }
      .badge.failed {
        background: var(--gf-color-danger-soft, #fcebea);
        color: var(--gf-color-danger-soft-text, #8f2420);
      }
      .empty {
        margin: 0;
        color: var(--gf-color-text-muted, #5c6975);
      }
    `,
  ];

  /** The status shown, or `''` for all. */
  declare private filter: DeliveryStatus | '';
  /** What an admin action is running: `ping`, or the id of the delivery being retried. */
  declare private busy: 'ping' | number | undefined;
  /** The outcome of the last admin action, until the next one. */
  declare private notice: string | undefined;

  constructor() {
    super();
    this.filter = '';
    this.busy = undefined;
    this.notice = undefined;
  }

  protected override load(signal: AbortSignal): Promise<DeliveryPage> {
    return this.api.get<DeliveryPage>('/deliveries', {
      signal,
      query: { status: this.filter || undefined, pageSize: SHOWN },
    });
  }

  protected override renderContent(data: DeliveryPage) {
    return html`
      <div class="toolbar">
        <label>
          ${this.t('filter')}
          <select data-testid="webhook-filter" @change=${this.changeFilter}>
            <option value="" ?selected=${this.filter === ''}>${this.t('all')}</option>
            ${STATUSES.map(
              (s) =>
                html`<option value=${s} ?selected=${this.filter === s}>
                  ${this.t(`status.${s}`)} (${data.counts[s]})
                </option>`,
            )}
          </select>
        </label>
        <span class="spacer"></span>
        ${
          data.canRetry
            ? html`<button
                type="button"
                class="gf-widget-button"
                data-testid="webhook-ping"
                ?disabled=${this.busy !== undefined || data.paused}
                @click=${this.ping}
              >
                ${this.t('ping')}
              </button>`
            : nothing
        }
      </div>
      ${data.paused ? html`<p class="paused" data-testid="webhook-paused">${this.t('paused')}</p>` : nothing}
      ${this.notice ? html`<p class="notice" role="status" data-testid="webhook-notice">${this.notice}</p>` : nothing}
      ${
        data.items.length === 0
          ? html`<p class="empty">${this.t('empty')}</p>`
          : html`<ul>
              ${data.items.map((d) => this.renderDelivery(d, data))}
            </ul>`
      }
    `;
  }

  private renderDelivery(delivery: Delivery, data: DeliveryPage) {
    const canRetry = data.canRetry && !data.paused && delivery.status !== 'delivered';
    return html`<li data-testid="webhook-delivery" data-delivery-id=${delivery.id}>
      <span class="badge ${delivery.status}" data-testid="webhook-delivery-status">
        ${this.t(`status.${delivery.status}`)}
      </span>
      <span class="event">${delivery.event} #${delivery.eventId}</span>
      ${
        canRetry
          ? html`<button
              type="button"
              class="gf-widget-button"
              data-testid="webhook-delivery-retry"
              ?disabled=${this.busy !== undefined}
              @click=${() => this.retry(delivery.id)}
            >
              ${this.busy === delivery.id ? this.t('retrying') : this.t('retry')}
            </button>`
          : html`<span></span>`
      }
      <span class="detail">${this.detail(delivery)}</span>
    </li>`;
  }

  /** "3 attempt(s) · HTTP 500 · next attempt 10:42:07", leaving out what does not apply. */
  private detail(delivery: Delivery): string {
    const parts = [this.time(delivery.deliveredAt ?? delivery.lastAttemptAt ?? delivery.createdAt)];
    if (delivery.attempts > 0) parts.push(this.t('attempts', { count: delivery.attempts }));
    if (delivery.status !== 'delivered' && delivery.lastError) parts.push(delivery.lastError);
    if (delivery.status === 'pending' && delivery.nextAttemptAt) {
      parts.push(this.t('next', { at: this.time(delivery.nextAttemptAt) }));
    }
    return parts.join(' · ');
  }

  private time(iso: string): string {
    const date = new Date(iso);
    return Number.isNaN(date.getTime()) ? iso : date.toLocaleString(this.locale);
  }

  private readonly changeFilter = (event: Event): void => {
    this.filter = (event.target as HTMLSelectElement).value as DeliveryStatus | '';
    void this.refresh();
  };

  private readonly retry = (id: number): Promise<void> =>
    this.act(id, async () => {
      await this.api.post(`/deliveries/${id}/retry`);
      return undefined;
    });

  private readonly ping = (): Promise<void> =>
    this.act('ping', async () => {
      const { eventId } = await this.api.post<{ eventId: number }>('/ping');
      return this.t('pinged', { id: eventId });
    });

  /** Runs an admin action, then reloads; a failure is shown above the list. */
  private async act(what: 'ping' | number, action: () => Promise<string | undefined>): Promise<void> {
    this.busy = what;
    this.notice = undefined;
    let notice: string | undefined;
    try {
      notice = await action();
    } catch (error) {
      notice = this.t('actionFailed', { message: error instanceof Error ? error.message : String(error) });
    }
    this.busy = undefined;
    await this.refresh();
    this.notice = notice;
  }
}

if (!customElements.get('gf-webhook-deliveries')) {
  customElements.define('gf-webhook-deliveries', WebhookDeliveries);
}
