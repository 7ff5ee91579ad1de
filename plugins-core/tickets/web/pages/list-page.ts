/**
 * `<gf-tickets-list-page>` at `/tickets`: the agent's ticket list. A sidebar of the queues the agent sees with
 * their counts per state type; filters, sort and page kept in the URL (so a list can be linked, reloaded and
 * walked back through); a page of tickets with search matches marked; and, over a multi-select that survives
 * paging, a bulk bar that sets state, queue, priority or owner of every selected ticket at once (all or none).
 * @module
 */
import { isAbortError, navigate } from '@goatflow/sdk/widget';
import { css, html, nothing, type PropertyValues } from 'lit';
import '../components/filters.js';
import { pendingUntilField, selectField } from '../components/form-fields.js';
import '../components/pagination.js';
import '../components/table.js';
import '../components/toast.js';
import { V1 } from '../lib/api.js';
import { formatNumber, formatTotal, fromLocalInput } from '../lib/format.js';
import { apiQuery, filtersFromQuery, type ListFilters, queryFromFilters } from '../lib/list-query.js';
import { focusHeading } from '../lib/page-focus.js';
import { userName } from '../lib/people.js';
import { loadReference, type Reference } from '../lib/reference.js';
import { TicketListPage } from '../lib/ticket-list-page.js';
import {
  type BulkUpdateInput,
  isPending,
  type Queue,
  type QueueOwner,
  STATE_TYPES,
  type StateType,
  type TicketPage,
  type TicketSort,
  type TicketSummary,
} from '../lib/types.js';

interface ListData {
  page: TicketPage;
  queues: Queue[];
  reference: Reference;
}

/** The sorts the sort menu offers (the table headers offer the rest). */
const SORTS: readonly TicketSort[] = [
  '-changed',
  'changed',
  '-created',
  'created',
  '-priority',
  'priority',
  'tn',
  'title',
];

export class TicketsListPage extends TicketListPage<ListData> {
  static override properties = {
    ...TicketListPage.properties,
    selected: { state: true },
    bulk: { state: true },
    bulkErrors: { state: true },
    bulkBusy: { state: true },
    owners: { state: true },
  };

  /** The checked tickets, by id, kept across pages and filters until the bulk change or a clear. */
  declare private selected: Map<number, TicketSummary>;
  /** The bulk bar's choices; `''` leaves a field as it is. */
  declare private bulk: {
    stateId: string;
    queueId: string;
    priorityId: string;
    ownerId: string;
    pendingUntil: string;
  };
  declare private bulkErrors: Record<string, string>;
  declare private bulkBusy: boolean;
  /** Who may own every selected ticket: the owners common to their queues. */
  declare private owners: QueueOwner[];

  /** The filters of the last load, to tell a real change of the URL from one that asks for the same list. */
  private reference: Reference | undefined;
  private readonly ownersByQueue = new Map<number, Promise<QueueOwner[]>>();
  private focused = false;
  private focusAfterLoad = false;

  constructor() {
    super();
    this.selected = new Map();
    this.bulk = { stateId: '', queueId: '', priorityId: '', ownerId: '', pendingUntil: '' };
    this.bulkErrors = {};
    this.bulkBusy = false;
    this.owners = [];
  }

  static override styles = [
    TicketListPage.styles,
    css`
      .layout {
        display: grid;
        grid-template-columns: minmax(12rem, 16rem) 1fr;
        gap: var(--gf-space-5, 24px);
      }

      @media (max-width: 900px) {
        .layout {
          grid-template-columns: 1fr;
        }
      }

      .sidebar ul {
        margin: var(--gf-space-2, 8px) 0 0;
        padding: 0;
        list-style: none;
      }

      .sidebar li {
        padding: var(--gf-space-2, 8px) 0;
        border-bottom: var(--gf-border-width, 1px) solid var(--gf-color-border, #dce2e8);
      }

      .sidebar a[aria-current='page'] {
        font-weight: var(--gf-font-weight-bold, 600);
        color: var(--gf-color-text, #1c2630);
      }

      .counts {
        display: flex;
        flex-wrap: wrap;
        gap: var(--gf-space-1, 4px);
        margin-top: var(--gf-space-1, 4px);
      }

      .counts a {
        text-decoration: none;
      }

      .main {
        display: flex;
        flex-direction: column;
        gap: var(--gf-space-4, 16px);
        min-width: 0;
      }

      .head {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: var(--gf-space-3, 12px);
      }

      .head h2 {
        flex: 1;
      }

      .toolbar {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        justify-content: space-between;
        gap: var(--gf-space-3, 12px);
      }

      .toolbar select {
        width: auto;
      }

      .bulk {
        display: flex;
        flex-wrap: wrap;
        align-items: flex-end;
        gap: var(--gf-space-3, 12px);
        padding: var(--gf-space-3, 12px);
        border-radius: var(--gf-radius, 6px);
        background: var(--gf-color-primary-soft, #e0f2ef);
      }

      .bulk .field {
        min-width: 10rem;
      }

      .bulk .count {
        align-self: center;
        font-weight: var(--gf-font-weight-bold, 600);
      }
    `,
  ];

  /** The filters the URL asks for. */
  protected override get filters(): ListFilters {
    return filtersFromQuery(this.query);
  }

  protected override async load(signal: AbortSignal): Promise<ListData> {
    const filters = this.requestFilters();
    const [page, queues, reference] = await Promise.all([
      this.api.get<TicketPage>(`${V1}/tickets`, { signal, query: apiQuery(filters) }),
      this.api.get<{ items: Queue[] }>(`${V1}/queues`, { signal }),
      this.reference ?? loadReference(signal),
    ]);
    this.reference = reference;
    return { page, queues: queues.items, reference };
  }

  protected override updated(changed: PropertyValues): void {
    super.updated(changed);
    if ((!this.focused || this.focusAfterLoad) && this.state === 'ready') {
      if (focusHeading(this.renderRoot)) {
        this.focused = true;
        this.focusAfterLoad = false;
      }
    }
  }

  /** Shows other filters: a new URL (Back returns to the previous list); the shell hands it back as `query`. */
  private show(filters: ListFilters): void {
    const search = queryFromFilters(filters).toString();
    navigate(search ? `/tickets?${search}` : '/tickets');
  }

  private readonly onFiltersChange = (event: CustomEvent<{ filters: ListFilters }>): void => {
    this.show(event.detail.filters);
  };

  private readonly onPageChange = (event: CustomEvent<{ page: number }>): void => {
    this.focusAfterLoad = true;
    this.show({ ...this.filters, page: event.detail.page });
  };

  private readonly onPerPageChange = (event: CustomEvent<{ perPage: number }>): void => {
    this.show({ ...this.filters, perPage: event.detail.perPage, page: 1 });
  };

  private readonly onSortChange = (event: CustomEvent<{ sort: TicketSort }>): void => {
    this.show({ ...this.filters, sort: event.detail.sort, page: 1 });
  };

  private readonly onSelectionChange = (event: CustomEvent<{ ids: Set<number> }>): void => {
    const onPage = new Map((this.data?.page.items ?? []).map((t) => [t.id, t]));
    const next = new Map<number, TicketSummary>();
    for (const id of event.detail.ids) {
      const ticket = this.selected.get(id) ?? onPage.get(id);
      if (ticket) next.set(id, ticket);
    }
    this.selected = next;
    void this.loadOwners();
  };

  /** The owners the bulk bar offers: agents who may own tickets in every queue of the selection. */
  private async loadOwners(): Promise<void> {
    const queues = [...new Set([...this.selected.values()].map((t) => t.queue.id))];
    if (queues.length === 0) {
      this.owners = [];
      return;
    }
    const lists = await Promise.all(
      queues.map((id) => {
        let owners = this.ownersByQueue.get(id);
        if (!owners) {
          owners = this.api
            .get<{ items: QueueOwner[] }>(`${V1}/queues/${id}/owners`)
            .then((answer) => answer.items)
            .catch(() => []);
          this.ownersByQueue.set(id, owners);
        }
        return owners;
      }),
    ).catch(() => [] as QueueOwner[][]);
    const [first = [], ...rest] = lists;
    this.owners = first.filter((owner) => rest.every((list) => list.some((o) => o.id === owner.id)));
  }

  private clearSelection(): void {
    this.selected = new Map();
    this.bulk = { stateId: '', queueId: '', priorityId: '', ownerId: '', pendingUntil: '' };
    this.bulkErrors = {};
    this.owners = [];
  }

  private readonly onBulkSubmit = async (event: Event): Promise<void> => {
    event.preventDefault();
    const set: BulkUpdateInput['set'] = {};
    if (this.bulk.stateId) set.stateId = Number(this.bulk.stateId);
    if (this.bulk.queueId) set.queueId = Number(this.bulk.queueId);
    if (this.bulk.priorityId) set.priorityId = Number(this.bulk.priorityId);
    if (this.bulk.ownerId) set.ownerId = Number(this.bulk.ownerId);
    const pendingUntil = fromLocalInput(this.bulk.pendingUntil);
    if (pendingUntil && this.bulkStateType() && isPending(this.bulkStateType()))
      set.pendingUntil = pendingUntil;
    if (Object.keys(set).length === 0) {
      this.bulkErrors = { form: this.t('bulk.nothing') };
      return;
    }
    const ids = [...this.selected.keys()];
    this.bulkBusy = true;
    this.bulkErrors = {};
    try {
      await this.api.patch(`${V1}/tickets`, { ids, set } satisfies BulkUpdateInput);
      this.toast?.show(this.t('bulk.done', { count: ids.length }));
      this.clearSelection();
      await this.refresh();
    } catch (error) {
      if (isAbortError(error)) return;
      const fields = this.fieldErrorsOf(error);
      const errors: Record<string, string> = {};
      for (const [path, message] of Object.entries(fields)) errors[path.replace(/^set\./, '')] = message;
      this.bulkErrors = errors;
      this.toastFailure('bulk.failed', error);
    } finally {
      this.bulkBusy = false;
    }
  };

  private bulkStateType(): StateType | undefined {
    return this.data?.reference.states.find((s) => String(s.id) === this.bulk.stateId)?.type;
  }

  private setBulk(key: keyof TicketsListPage['bulk'], value: string): void {
    this.bulk = { ...this.bulk, [key]: value };
  }

  private renderBulkSelect(
    key: 'stateId' | 'queueId' | 'priorityId' | 'ownerId',
    options: readonly { id: number; name: string }[],
  ) {
    return selectField({
      id: `bulk-${key}`,
      label: this.t(`bulk.${key}`),
      value: this.bulk[key],
      options,
      empty: this.t('bulk.keep'),
      error: this.bulkErrors[key],
      onChange: (value) => this.setBulk(key, value),
    });
  }

  private renderBulkBar(data: ListData) {
    if (this.selected.size === 0) return nothing;
    const states = data.reference.states.filter((s) => s.type !== 'merged');
    const queues = data.queues.filter((q) => q.valid && q.can.moveInto);
    const owners = this.owners.map((o) => ({ id: o.id, name: userName(o) }));
    const pendingError = this.bulkErrors.pendingUntil;
    return html`<form
      class="bulk"
      role="region"
      aria-label=${this.t('bulk.label')}
      data-testid="bulk-bar"
      @submit=${this.onBulkSubmit}
    >
      <span class="count" data-testid="bulk-count">${this.t('bulk.selected', { count: this.selected.size })}</span>
      ${this.renderBulkSelect('stateId', states)}
      ${
        isPending(this.bulkStateType())
          ? pendingUntilField({
              id: 'bulk-pendingUntil',
              label: this.t('field.pendingUntil'),
              value: this.bulk.pendingUntil,
              error: pendingError,
              onChange: (value) => this.setBulk('pendingUntil', value),
            })
          : nothing
      }
      ${this.renderBulkSelect('queueId', queues)} ${this.renderBulkSelect('priorityId', data.reference.priorities)}
      ${this.renderBulkSelect('ownerId', owners)}
      <div class="actions">
        <button type="submit" class="btn btn-primary" data-testid="bulk-apply" ?disabled=${this.bulkBusy}>
          ${this.t('bulk.apply')}
        </button>
        <button type="button" class="btn" data-testid="bulk-clear" @click=${() => this.clearSelection()}>
          ${this.t('bulk.clear')}
        </button>
      </div>
      ${this.bulkErrors.form ? html`<p class="field-error" role="alert">${this.bulkErrors.form}</p>` : nothing}
      ${this.bulkErrors.ids ? html`<p class="field-error" role="alert">${this.bulkErrors.ids}</p>` : nothing}
    </form>`;
  }

  private queueLink(filters: ListFilters, queue: number | undefined, stateType?: StateType): string {
    const next: ListFilters = {
      ...filters,
      queue: queue === undefined ? [] : [queue],
      stateType: stateType ? [stateType] : [],
      page: 1,
    };
    const search = queryFromFilters(next).toString();
    return search ? `/tickets?${search}` : '/tickets';
  }

  private renderSidebar(data: ListData, filters: ListFilters) {
    const current = filters.queue.length === 1 ? filters.queue[0] : undefined;
    return html`<nav class="sidebar" aria-label=${this.t('list.queues')} data-testid="queue-sidebar">
      <h3>${this.t('list.queues')}</h3>
      <ul>
        <li>
          <a href=${this.queueLink(filters, undefined)} aria-current=${filters.queue.length === 0 ? 'page' : nothing}>
            ${this.t('list.allQueues')}
          </a>
        </li>
        ${data.queues
          .filter((q) => q.can.ro)
          .map(
            (queue) => html`<li data-testid="sidebar-queue" data-queue-id=${queue.id}>
              <a href=${this.queueLink(filters, queue.id)} aria-current=${current === queue.id ? 'page' : nothing}
                >${queue.name}</a
              >
              <div class="counts">
                ${STATE_TYPES.filter((type) => type !== 'merged' && queue.counts[type] > 0).map(
                  (type) => html`<a
                    class="badge ${type}"
                    href=${this.queueLink(filters, queue.id, type)}
                    data-testid="sidebar-count-${type}"
                    aria-label=${this.t('list.countLabel', {
                      count: queue.counts[type],
                      type: this.t(`stateType.${type}`),
                      queue: queue.name,
                    })}
                    >${this.t(`stateType.${type}`)} ${formatNumber(queue.counts[type], this.locale)}</a
                  >`,
                )}
              </div>
            </li>`,
          )}
      </ul>
    </nav>`;
  }

  private exportUrl(filters: ListFilters): string {
    const query = apiQuery({ ...filters, page: 1 });
    delete query.page;
    delete query.perPage;
    const search = new URLSearchParams(
      Object.entries(query).flatMap(([k, v]) => (v === undefined || v === null ? [] : [[k, String(v)]])),
    ).toString();
    return `${V1}/exports/tickets.csv${search ? `?${search}` : ''}`;
  }

  protected override renderContent(data: ListData) {
    const filters = this.filters;
    const { page } = data;
    const sorts = filters.q ? (['relevance', ...SORTS] as TicketSort[]) : SORTS;
    return html`<div class="layout">
        ${this.renderSidebar(data, filters)}
        <div class="main">
          <div class="head">
            <h2 tabindex="-1" data-testid="tickets-heading">
              ${this.t('list.heading', { total: formatTotal(page.total, page.totalExact, this.locale) })}
            </h2>
            <a class="btn" href=${this.exportUrl(filters)} download data-testid="tickets-export">${this.t('list.export')}</a>
            <a class="btn btn-primary" href="/tickets/new" data-testid="tickets-new">${this.t('list.new')}</a>
          </div>
          <gf-tickets-filters
            .filters=${filters}
            .queues=${data.queues}
            .states=${data.reference.states}
            .priorities=${data.reference.priorities}
            .types=${data.reference.types}
            @filters-change=${this.onFiltersChange}
          ></gf-tickets-filters>
          ${this.renderBulkBar(data)}
          <div class="toolbar">
            <label class="check">
              ${this.t('list.sort')}
              <select
                data-testid="tickets-sort"
                @change=${(e: Event) =>
                  this.onSortChange(
                    new CustomEvent('sort-change', {
                      detail: { sort: (e.target as HTMLSelectElement).value as TicketSort },
                    }),
                  )}
              >
                ${sorts.map((s) => html`<option value=${s} ?selected=${filters.sort === s}>${this.t(`sort.${s}`)}</option>`)}
              </select>
            </label>
          </div>
          ${
            page.items.length === 0
              ? html`<p class="empty" data-testid="tickets-empty">
                  ${this.t(filters.q || page.total === 0 ? 'list.empty' : 'list.emptyPage')}
                </p>`
              : html`<gf-tickets-table
                  selectable
                  .items=${page.items}
                  .selected=${new Set(this.selected.keys())}
                  .sort=${filters.sort}
                  .caption=${this.t('list.caption')}
                  @selection-change=${this.onSelectionChange}
                  @sort-change=${this.onSortChange}
                ></gf-tickets-table>`
          }
          <gf-tickets-pagination
            choose-per-page
            .page=${page.page}
            .perPage=${page.perPage}
            .total=${page.total}
            .totalExact=${page.totalExact}
            .shown=${page.items.length}
            @page-change=${this.onPageChange}
            @per-page-change=${this.onPerPageChange}
          ></gf-tickets-pagination>
        </div>
      </div>
      <gf-tickets-toast></gf-tickets-toast>`;
  }
}

if (!customElements.get('gf-tickets-list-page'))
  customElements.define('gf-tickets-list-page', TicketsListPage);
