/**
 * `<gf-tickets-queue-status>`: the dashboard widget (`dashboard.side`, agents) with the work waiting in each
 * queue the agent sees, new, open and pending; every number links to that part of the ticket list. The
 * dashboard refreshes it every minute.
 * @module
 */
import { css, html } from 'lit';
import { V1 } from '../lib/api.js';
import { formatNumber } from '../lib/format.js';
import { TicketsWidget } from '../lib/tickets-widget.js';
import type { Queue, StateType } from '../lib/types.js';

/** The columns: each is one or more state types counted together. */
const COLUMNS: readonly { key: string; types: readonly StateType[] }[] = [
  { key: 'new', types: ['new'] },
  { key: 'open', types: ['open'] },
  { key: 'pending', types: ['pending_reminder', 'pending_auto'] },
];

export class TicketsQueueStatus extends TicketsWidget<Queue[]> {
  static override styles = [
    TicketsWidget.styles,
    css`
      td.count,
      th.count {
        text-align: right;
        font-variant-numeric: tabular-nums;
      }
    `,
  ];

  protected override async load(signal: AbortSignal): Promise<Queue[]> {
    const answer = await this.api.get<{ items: Queue[] }>(`${V1}/queues`, {
      signal,
      query: { valid: 'true' },
    });
    return answer.items.filter((queue) => queue.can.ro);
  }

  private link(queue: Queue, types: readonly StateType[]): string {
    return `/tickets?${new URLSearchParams({ queue: String(queue.id), stateType: types.join(',') })}`;
  }

  protected override renderContent(queues: Queue[]) {
    if (queues.length === 0) return html`<p class="empty">${this.t('queueStatus.empty')}</p>`;
    return html`<table data-testid="tickets-queue-status">
      <caption class="visually-hidden">${this.t('queueStatus.caption')}</caption>
      <thead>
        <tr>
          <th scope="col">${this.t('column.queue')}</th>
          ${COLUMNS.map((c) => html`<th scope="col" class="count">${this.t(`queueStatus.${c.key}`)}</th>`)}
        </tr>
      </thead>
      <tbody>
        ${queues.map(
          (queue) => html`<tr data-testid="queue-status-row" data-queue-id=${queue.id}>
            <th scope="row"><a href="/tickets?queue=${queue.id}">${queue.name}</a></th>
            ${COLUMNS.map((c) => {
              const count = c.types.reduce((sum, type) => sum + queue.counts[type], 0);
              return html`<td class="count" data-testid="queue-status-${c.key}">
                <a href=${this.link(queue, c.types)}>${formatNumber(count, this.locale)}</a>
              </td>`;
            })}
          </tr>`,
        )}
      </tbody>
    </table>`;
  }
}

if (!customElements.get('gf-tickets-queue-status')) {
  customElements.define('gf-tickets-queue-status', TicketsQueueStatus);
}
