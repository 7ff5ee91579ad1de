/**
 * `<gf-tickets-recent>`: the dashboard widget (`dashboard.main`, any signed-in user) with the most recently
 * changed tickets the user sees: an agent's visible tickets, linking to `/tickets/:id`, or a customer's own,
 * linking to the portal.
 * @module
 */
import type { ApiSession } from '@goatflow/sdk';
import { css, html } from 'lit';
import { V1 } from '../lib/api.js';
import { formatDateTime } from '../lib/format.js';
import { TicketsWidget } from '../lib/tickets-widget.js';
import type { TicketPage } from '../lib/types.js';

/** How many tickets the widget lists. */
const SHOWN = 8;

interface Recent {
  page: TicketPage;
  /** Where tickets open: the agent pages or the portal. */
  base: '/tickets' | '/portal/tickets';
}

export class TicketsRecent extends TicketsWidget<Recent> {
  static override styles = [
    TicketsWidget.styles,
    css`
      ul {
        margin: 0;
        padding: 0;
        list-style: none;
      }

      li {
        display: grid;
        grid-template-columns: 1fr auto;
        gap: 0 var(--gf-space-3, 12px);
        padding: var(--gf-space-2, 8px) 0;
        border-top: var(--gf-border-width, 1px) solid var(--gf-color-border, #dce2e8);
      }

      li:first-child {
        border-top: none;
      }

      .title {
        overflow: hidden;
        text-overflow: ellipsis;
        white-space: nowrap;
      }

      .meta {
        grid-column: 1 / -1;
        color: var(--gf-color-text-muted, #5c6975);
        font-size: var(--gf-font-size-sm, 0.8125rem);
      }

      .all {
        display: inline-block;
        margin-top: var(--gf-space-3, 12px);
      }
    `,
  ];

  protected override async load(signal: AbortSignal): Promise<Recent> {
    const [session, page] = await Promise.all([
      this.api.get<ApiSession>('/api/auth/me', { signal }),
      this.api.get<TicketPage>(`${V1}/tickets`, { signal, query: { sort: '-changed', perPage: SHOWN } }),
    ]);
    return { page, base: session.user.type === 'customer' ? '/portal/tickets' : '/tickets' };
  }

  protected override renderContent({ page, base }: Recent) {
    if (page.items.length === 0)
      return html`<p class="empty" data-testid="tickets-recent-empty">${this.t('recent.empty')}</p>`;
    return html`<ul data-testid="tickets-recent">
        ${page.items.map(
          (ticket) => html`<li data-testid="tickets-recent-item">
            <a class="title" href="${base}/${ticket.id}">${ticket.title}</a>
            <span class="badge ${ticket.state.type}">${ticket.state.name}</span>
            <span class="meta">
              ${ticket.tn} · ${this.t('recent.changed', { when: formatDateTime(ticket.changedAt, this.locale) })}
            </span>
          </li>`,
        )}
      </ul>
      <a class="all" href=${base}>${this.t('recent.all')}</a>`;
  }
}

if (!customElements.get('gf-tickets-recent')) customElements.define('gf-tickets-recent', TicketsRecent);
