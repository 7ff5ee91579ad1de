/**
 * `<gf-tickets-pagination>`: "26–50 of 10,000+", Previous/Next and the page number. It fires `page-change`
 * (`detail: {page}`) and, when `per-page` is offered, `per-page-change` (`detail: {perPage}`).
 * @module
 */
import { css, html, nothing } from 'lit';
import { formatNumber, formatTotal } from '../lib/format.js';
import { MAX_PAGE, PER_PAGE_OPTIONS } from '../lib/list-query.js';
import { ticketsStyles } from '../lib/styles.js';
import { TicketsElement } from '../lib/tickets-element.js';

export class TicketsPagination extends TicketsElement {
  static override properties = {
    ...TicketsElement.properties,
    page: { type: Number },
    perPage: { type: Number, attribute: 'per-page' },
    total: { type: Number },
    totalExact: { type: Boolean, attribute: 'total-exact' },
    shown: { type: Number },
    choosePerPage: { type: Boolean, attribute: 'choose-per-page' },
  };

  declare page: number;
  declare perPage: number;
  declare total: number;
  declare totalExact: boolean;
  /** How many rows the current page holds. */
  declare shown: number;
  /** Whether to offer the page size. */
  declare choosePerPage: boolean;

  constructor() {
    super();
    this.page = 1;
    this.perPage = 25;
    this.total = 0;
    this.totalExact = true;
    this.shown = 0;
    this.choosePerPage = false;
  }

  static override styles = [
    ticketsStyles,
    css`
      nav {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: var(--gf-space-3, 12px);
        padding-top: var(--gf-space-3, 12px);
      }

      .range {
        flex: 1;
      }

      select {
        width: auto;
      }
    `,
  ];

  /** The last page there is, within the API's limit of {@link MAX_PAGE}. */
  get lastPage(): number {
    return Math.min(MAX_PAGE, Math.max(1, Math.ceil(this.total / this.perPage)));
  }

  private go(page: number): void {
    this.dispatchEvent(new CustomEvent('page-change', { detail: { page } }));
  }

  override render() {
    const first = this.shown === 0 ? 0 : (this.page - 1) * this.perPage + 1;
    const last = first === 0 ? 0 : first + this.shown - 1;
    const more = this.page < this.lastPage && this.shown === this.perPage;
    return html`<nav aria-label=${this.t('pagination.label')}>
      <span class="range" data-testid="tickets-range">
        ${this.t('pagination.range', {
          first: formatNumber(first, this.locale),
          last: formatNumber(last, this.locale),
          total: formatTotal(this.total, this.totalExact, this.locale),
        })}
      </span>
      ${
        this.choosePerPage
          ? html`<label class="check">
              ${this.t('pagination.perPage')}
              <select
                @change=${(e: Event) =>
                  this.dispatchEvent(
                    new CustomEvent('per-page-change', {
                      detail: { perPage: Number((e.target as HTMLSelectElement).value) },
                    }),
                  )}
              >
                ${PER_PAGE_OPTIONS.map(
                  (n) => html`<option value=${n} ?selected=${n === this.perPage}>${n}</option>`,
                )}
              </select>
            </label>`
          : nothing
      }
      <button
        type="button"
        class="btn btn-small"
        data-testid="tickets-prev"
        ?disabled=${this.page <= 1}
        @click=${() => this.go(this.page - 1)}
      >
        ${this.t('pagination.previous')}
      </button>
      <span aria-current="page">
        ${this.t(this.totalExact ? 'pagination.pageOf' : 'pagination.page', {
          page: formatNumber(this.page, this.locale),
          pages: formatNumber(this.lastPage, this.locale),
        })}
      </span>
      <button
        type="button"
        class="btn btn-small"
        data-testid="tickets-next"
        ?disabled=${!more}
        @click=${() => this.go(this.page + 1)}
      >
        ${this.t('pagination.next')}
      </button>
    </nav>`;
  }
}

if (!customElements.get('gf-tickets-pagination')) {
  customElements.define('gf-tickets-pagination', TicketsPagination);
}
