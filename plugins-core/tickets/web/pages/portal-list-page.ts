/**
 * `<gf-tickets-portal-list-page>` at `/portal/tickets`: a customer's tickets (their own, and their company's
 * when they have company access), open or closed, newest change first, with search; page and filter in the URL.
 * @module
 */
import { navigate } from '@goatflow/sdk/widget';
import { css, html, type PropertyValues } from 'lit';
import '../components/pagination.js';
import '../components/table.js';
import { V1 } from '../lib/api.js';
import { formatTotal } from '../lib/format.js';
import { apiQuery, filtersFromQuery, type ListFilters, queryFromFilters } from '../lib/list-query.js';
import { focusHeading } from '../lib/page-focus.js';
import { TicketListPage } from '../lib/ticket-list-page.js';
import type { StateType, TicketPage } from '../lib/types.js';

/** The portal's two views of state: what is still being worked on, and what is done. */
const SHOW = {
  open: ['new', 'open', 'pending_reminder', 'pending_auto'],
  closed: ['closed', 'merged'],
} as const satisfies Record<string, readonly StateType[]>;
type Show = keyof typeof SHOW | 'all';

function showOf(filters: ListFilters): Show {
  const types = [...filters.stateType].sort().join(',');
  if (types === [...SHOW.open].sort().join(',')) return 'open';
  if (types === [...SHOW.closed].sort().join(',')) return 'closed';
  return 'all';
}

export class PortalListPage extends TicketListPage<TicketPage> {
  private focused = false;

  static override styles = [
    TicketListPage.styles,
    css`
      .page {
        display: flex;
        flex-direction: column;
        gap: var(--gf-space-4, 16px);
      }

      .head,
      form {
        display: flex;
        flex-wrap: wrap;
        align-items: flex-end;
        gap: var(--gf-space-3, 12px);
      }

      .head h2 {
        flex: 1;
      }

      form .field {
        min-width: 12rem;
      }
    `,
  ];

  /** The portal filters by state and search only; everything else the URL might say is ignored. */
  protected override get filters(): ListFilters {
    const all = filtersFromQuery(this.query);
    const mine = filtersFromQuery(new URLSearchParams());
    return {
      ...mine,
      stateType: all.stateType,
      q: all.q,
      sort: all.sort,
      page: all.page,
      perPage: all.perPage,
    };
  }

  protected override load(signal: AbortSignal): Promise<TicketPage> {
    const filters = this.requestFilters();
    return this.api.get<TicketPage>(`${V1}/tickets`, { signal, query: apiQuery(filters) });
  }

  protected override updated(changed: PropertyValues): void {
    super.updated(changed);
    if (!this.focused && this.state === 'ready') this.focused = focusHeading(this.renderRoot);
  }

  private show(filters: ListFilters): void {
    const search = queryFromFilters(filters).toString();
    navigate(search ? `/portal/tickets?${search}` : '/portal/tickets');
  }

  private readonly onSearch = (event: Event): void => {
    event.preventDefault();
    const data = new FormData(event.target as HTMLFormElement);
    const show = String(data.get('show') ?? 'all') as Show;
    const q = String(data.get('q') ?? '').trim();
    const base = filtersFromQuery(new URLSearchParams(q ? { q } : {}));
    this.show({ ...base, stateType: show === 'all' ? [] : [...SHOW[show]], perPage: this.filters.perPage });
  };

  protected override renderContent(page: TicketPage) {
    const filters = this.filters;
    const show = showOf(filters);
    return html`<div class="page">
      <div class="head">
        <h2 tabindex="-1" data-testid="portal-heading">
          ${this.t('portal.heading', { total: formatTotal(page.total, page.totalExact, this.locale) })}
        </h2>
        <a class="btn btn-primary" href="/portal/tickets/new" data-testid="portal-new">${this.t('list.new')}</a>
      </div>
      <form role="search" aria-label=${this.t('filter.label')} @submit=${this.onSearch}>
        <div class="field">
          <label for="portal-show">${this.t('portal.show')}</label>
          <select id="portal-show" name="show" data-testid="portal-show">
            ${(['all', 'open', 'closed'] as const).map(
              (s) => html`<option value=${s} ?selected=${show === s}>${this.t(`portal.show.${s}`)}</option>`,
            )}
          </select>
        </div>
        <div class="field">
          <label for="portal-q">${this.t('filter.q')}</label>
          <input id="portal-q" name="q" type="search" minlength="2" maxlength="200" .value=${filters.q} />
        </div>
        <button type="submit" class="btn">${this.t('filter.apply')}</button>
      </form>
      ${
        page.items.length === 0
          ? html`<p class="empty" data-testid="tickets-empty">${this.t('portal.empty')}</p>`
          : html`<gf-tickets-table
              link-base="/portal/tickets"
              .columns=${['tn', 'title', 'state', 'created', 'changed']}
              .items=${page.items}
              .sort=${filters.sort}
              .caption=${this.t('portal.caption')}
              @sort-change=${(e: CustomEvent<{ sort: ListFilters['sort'] }>) =>
                this.show({ ...filters, sort: e.detail.sort, page: 1 })}
            ></gf-tickets-table>`
      }
      <gf-tickets-pagination
        .page=${page.page}
        .perPage=${page.perPage}
        .total=${page.total}
        .totalExact=${page.totalExact}
        .shown=${page.items.length}
        @page-change=${(e: CustomEvent<{ page: number }>) => this.show({ ...filters, page: e.detail.page })}
      ></gf-tickets-pagination>
    </div>`;
  }
}

if (!customElements.get('gf-tickets-portal-list-page')) {
  customElements.define('gf-tickets-portal-list-page', PortalListPage);
}
