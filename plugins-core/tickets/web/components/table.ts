/**
 * `<gf-tickets-table>`: a page of tickets as a table, with sortable columns (`sort-change`, `detail: {sort}`)
 * and, when `selectable`, a checkbox per row and one for the page (`selection-change`, `detail: {ids}`). Titles
 * link to the ticket (`link-base` + `/<id>`) and show search matches marked; what the table shows of each
 * ticket is chosen with `columns`.
 * @module
 */
import { css, html, nothing } from 'lit';
import { formatDateTime } from '../lib/format.js';
import { userName } from '../lib/people.js';
import { ticketsStyles } from '../lib/styles.js';
import { TicketsElement } from '../lib/tickets-element.js';
import type { TicketSort, TicketSummary } from '../lib/types.js';
import { renderExcerpts, renderTitle } from './highlight.js';

export type TicketColumn =
  | 'tn'
  | 'title'
  | 'queue'
  | 'state'
  | 'priority'
  | 'customer'
  | 'owner'
  | 'created'
  | 'changed';

/** The sort each sortable column toggles, ascending first. */
const SORTABLE: Partial<Record<TicketColumn, string>> = {
  tn: 'tn',
  title: 'title',
  priority: 'priority',
  created: 'created',
  changed: 'changed',
};

export class TicketsTable extends TicketsElement {
  static override properties = {
    ...TicketsElement.properties,
    items: { attribute: false },
    columns: { attribute: false },
    selectable: { type: Boolean },
    selected: { attribute: false },
    sort: { type: String },
    linkBase: { type: String, attribute: 'link-base' },
    caption: { type: String },
  };

  declare items: readonly TicketSummary[];
  declare columns: readonly TicketColumn[];
  declare selectable: boolean;
  /** The ids checked (on any page: the set survives paging). */
  declare selected: ReadonlySet<number>;
  declare sort: TicketSort;
  declare linkBase: string;
  /** Names the table for screen readers. */
  declare caption: string;

  constructor() {
    super();
    this.items = [];
    this.columns = ['tn', 'title', 'queue', 'state', 'priority', 'customer', 'owner', 'changed'];
    this.selectable = false;
    this.selected = new Set();
    this.sort = '-changed';
    this.linkBase = '/tickets';
    this.caption = '';
  }

  static override styles = [
    ticketsStyles,
    css`
      .wrap {
        overflow-x: auto;
      }

      th button {
        display: inline-flex;
        gap: var(--gf-space-1, 4px);
        padding: 0;
        border: none;
        background: none;
        color: inherit;
        font: inherit;
        cursor: pointer;
      }

      .tn {
        font-family: var(--gf-font-family-mono, monospace);
        white-space: nowrap;
      }

      .title a {
        font-weight: var(--gf-font-weight-medium, 500);
      }

      .excerpt {
        margin: var(--gf-space-1, 4px) 0 0;
        color: var(--gf-color-text-muted, #5c6975);
        font-size: var(--gf-font-size-sm, 0.8125rem);
      }

      .select {
        width: 2.5rem;
      }

      tr.selected {
        background: var(--gf-color-primary-soft, #e0f2ef);
      }
    `,
  ];

  private emitSelection(ids: Set<number>): void {
    this.dispatchEvent(new CustomEvent('selection-change', { detail: { ids } }));
  }

  private toggle(id: number, on: boolean): void {
    const ids = new Set(this.selected);
    if (on) ids.add(id);
    else ids.delete(id);
    this.emitSelection(ids);
  }

  private toggleAll(on: boolean): void {
    const ids = new Set(this.selected);
    for (const item of this.items) {
      if (on) ids.add(item.id);
      else ids.delete(item.id);
    }
    this.emitSelection(ids);
  }

  private sortBy(column: TicketColumn): void {
    const key = SORTABLE[column];
    if (!key) return;
    // A column's first click sorts it descending for dates and priority (newest, most urgent first).
    const descFirst = column === 'changed' || column === 'created' || column === 'priority';
    let sort: string;
    if (this.sort === key) sort = `-${key}`;
    else if (this.sort === `-${key}`) sort = key;
    else sort = descFirst ? `-${key}` : key;
    this.dispatchEvent(new CustomEvent('sort-change', { detail: { sort } }));
  }

  private sortState(column: TicketColumn): 'ascending' | 'descending' | 'none' | typeof nothing {
    const key = SORTABLE[column];
    if (!key) return nothing;
    if (this.sort === key) return 'ascending';
    if (this.sort === `-${key}`) return 'descending';
    return 'none';
  }

  private renderHeader(column: TicketColumn) {
    const label = this.t(`column.${column}`);
    if (!SORTABLE[column]) return html`<th scope="col">${label}</th>`;
    const sort = this.sortState(column);
    const arrow = sort === 'ascending' ? '▲' : sort === 'descending' ? '▼' : '';
    return html`<th scope="col" aria-sort=${sort}>
      <button type="button" data-testid="tickets-sort-${column}" @click=${() => this.sortBy(column)}>
        ${label}<span aria-hidden="true">${arrow}</span>
      </button>
    </th>`;
  }

  private renderCell(column: TicketColumn, ticket: TicketSummary) {
    switch (column) {
      case 'tn':
        return html`<td class="tn">${ticket.tn}</td>`;
      case 'title':
        return html`<td class="title">
          <a href="${this.linkBase}/${ticket.id}" data-testid="ticket-link"
            >${renderTitle(ticket.title, ticket.highlights)}</a
          >
          ${renderExcerpts(ticket.highlights, this.t('list.matches'))}
        </td>`;
      case 'queue':
        return html`<td>${ticket.queue?.name ?? ''}</td>`;
      case 'state':
        return html`<td>
          <span class="badge ${ticket.state.type}" data-testid="ticket-state">${ticket.state.name}</span>
        </td>`;
      case 'priority':
        return html`<td>${ticket.priority.name}</td>`;
      case 'customer':
        return html`<td>${userName(ticket.customerUser)}</td>`;
      case 'owner':
        return html`<td>${userName(ticket.owner)}</td>`;
      case 'created':
        return html`<td>${formatDateTime(ticket.createdAt, this.locale)}</td>`;
      case 'changed':
        return html`<td>${formatDateTime(ticket.changedAt, this.locale)}</td>`;
    }
  }

  override render() {
    const onPage = this.items.filter((item) => this.selected.has(item.id)).length;
    const all = this.items.length > 0 && onPage === this.items.length;
    return html`<div class="wrap">
      <table data-testid="tickets-table">
        ${this.caption ? html`<caption class="visually-hidden">${this.caption}</caption>` : nothing}
        <thead>
          <tr>
            ${
              this.selectable
                ? html`<th scope="col" class="select">
                    <input
                      type="checkbox"
                      data-testid="tickets-select-all"
                      aria-label=${this.t('list.selectPage')}
                      .checked=${all}
                      .indeterminate=${onPage > 0 && !all}
                      @change=${(e: Event) => this.toggleAll((e.target as HTMLInputElement).checked)}
                    />
                  </th>`
                : nothing
            }
            ${this.columns.map((column) => this.renderHeader(column))}
          </tr>
        </thead>
        <tbody>
          ${this.items.map(
            (ticket) => html`<tr
              data-testid="ticket-row"
              data-ticket-id=${ticket.id}
              class=${this.selected.has(ticket.id) ? 'selected' : ''}
            >
              ${
                this.selectable
                  ? html`<td class="select">
                      <input
                        type="checkbox"
                        data-testid="ticket-select"
                        aria-label=${this.t('list.selectTicket', { tn: ticket.tn })}
                        .checked=${this.selected.has(ticket.id)}
                        @change=${(e: Event) => this.toggle(ticket.id, (e.target as HTMLInputElement).checked)}
                      />
                    </td>`
                  : nothing
              }
              ${this.columns.map((column) => this.renderCell(column, ticket))}
            </tr>`,
          )}
        </tbody>
      </table>
    </div>`;
  }
}

if (!customElements.get('gf-tickets-table')) customElements.define('gf-tickets-table', TicketsTable);
