/**
 * `<gf-tickets-history>`: a ticket's history (`GET /api/v1/tickets/:id/history`) as a table: when, who, what
 * changed, from what to what. Ids of states, priorities, types and queues are shown by name.
 * @module
 */
import { GoatflowWidget } from '@goatflow/sdk/widget';
import { css, html, type PropertyValues } from 'lit';
import { V1 } from '../lib/api.js';
import { formatDateTime } from '../lib/format.js';
import { MESSAGES } from '../lib/messages.js';
import { userName } from '../lib/people.js';
import { nameOf, type Reference } from '../lib/reference.js';
import { ticketsStyles } from '../lib/styles.js';
import type { HistoryEntry, Queue } from '../lib/types.js';

export class TicketsHistory extends GoatflowWidget<HistoryEntry[]> {
  static override pluginId = 'tickets';
  static override messages = MESSAGES;

  static override properties = {
    ...GoatflowWidget.properties,
    ticketId: { type: Number, attribute: 'ticket-id' },
    queues: { attribute: false },
    reference: { attribute: false },
  };

  declare ticketId: number;
  declare queues: readonly Queue[];
  declare reference: Reference | undefined;

  constructor() {
    super();
    this.ticketId = 0;
    this.queues = [];
    this.reference = undefined;
  }

  static override styles = [
    GoatflowWidget.styles,
    ticketsStyles,
    css`
      .wrap {
        overflow-x: auto;
      }
    `,
  ];

  protected override willUpdate(changed: PropertyValues): void {
    super.willUpdate(changed);
    if (changed.has('ticketId') && changed.get('ticketId') !== undefined && this.isConnected)
      void this.refresh();
  }

  protected override async load(signal: AbortSignal): Promise<HistoryEntry[]> {
    const answer = await this.api.get<{ items: HistoryEntry[] }>(`${V1}/tickets/${this.ticketId}/history`, {
      signal,
    });
    return answer.items;
  }

  /** A recorded value for people: names for ids of reference data, dates as dates. */
  private value(entry: HistoryEntry, value: string | null): string {
    if (value === null || value === '') return '–';
    const reference = this.reference;
    switch (entry.action) {
      case 'state':
        return reference ? nameOf(reference.states, value) : value;
      case 'priority':
        return reference ? nameOf(reference.priorities, value) : value;
      case 'type':
        return reference ? nameOf(reference.types, value) : value;
      case 'queue':
        return nameOf(this.queues, value);
      case 'pending_until':
        return formatDateTime(value, this.locale);
      default:
        return value;
    }
  }

  protected override renderContent(entries: HistoryEntry[]) {
    if (entries.length === 0) return html`<p class="empty">${this.t('history.none')}</p>`;
    return html`<div class="wrap">
      <table data-testid="ticket-history">
        <caption class="visually-hidden">${this.t('history.caption')}</caption>
        <thead>
          <tr>
            <th scope="col">${this.t('history.when')}</th>
            <th scope="col">${this.t('history.who')}</th>
            <th scope="col">${this.t('history.what')}</th>
            <th scope="col">${this.t('history.from')}</th>
            <th scope="col">${this.t('history.to')}</th>
          </tr>
        </thead>
        <tbody>
          ${entries.map(
            (entry) => html`<tr data-testid="history-row" data-action=${entry.action}>
              <td>${formatDateTime(entry.at, this.locale)}</td>
              <td>${entry.actor ? userName(entry.actor) : this.t('history.system')}</td>
              <td>${this.t(`history.action.${entry.action}`)}</td>
              <td>${this.value(entry, entry.oldValue)}</td>
              <td>${this.value(entry, entry.newValue)}</td>
            </tr>`,
          )}
        </tbody>
      </table>
    </div>`;
  }
}

if (!customElements.get('gf-tickets-history')) customElements.define('gf-tickets-history', TicketsHistory);
