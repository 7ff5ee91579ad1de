/**
 * `<gf-tickets-filters>`: the ticket list's filter form (search text, queue, state type, state, priority, owner,
 * customer, created range). It edits a copy of `filters` and fires `filters-change` (`detail: {filters}`, back on
 * page 1) when submitted, or with everything cleared on Reset; the list page puts them into the URL.
 * A list in the URL with several values (from a link) shows as "several" until another value is chosen.
 * @module
 */
import { css, html, nothing, type PropertyValues } from 'lit';
import { ticketsApi, V1 } from '../lib/api.js';
import { defaultSort, emptyFilters, type ListFilters } from '../lib/list-query.js';
import { userName } from '../lib/people.js';
import { QueueOwnersRequest } from '../lib/queue-owners.js';
import { ticketsStyles } from '../lib/styles.js';
import { TicketsElement } from '../lib/tickets-element.js';
import {
  type CustomerUser,
  type Priority,
  type Queue,
  type QueueOwner,
  STATE_TYPES,
  type State,
  type TicketType,
} from '../lib/types.js';
import './customer-picker.js';

/** A select's value for a list filter: `''` for any, one value, or {@link SEVERAL}. */
const SEVERAL = '*';

function selectValue(list: readonly (string | number)[]): string {
  if (list.length === 0) return '';
  return list.length === 1 ? String(list[0]) : SEVERAL;
}

export class TicketsFilters extends TicketsElement {
  static override properties = {
    ...TicketsElement.properties,
    filters: { attribute: false },
    queues: { attribute: false },
    states: { attribute: false },
    priorities: { attribute: false },
    types: { attribute: false },
    draft: { state: true },
    owners: { state: true },
    customer: { state: true },
  };

  declare filters: ListFilters;
  declare queues: readonly Queue[];
  declare states: readonly State[];
  declare priorities: readonly Priority[];
  declare types: readonly TicketType[];
  /** The form's values, applied on submit. */
  declare private draft: ListFilters;
  /** The agents who may own tickets of the chosen queue. */
  declare private owners: QueueOwner[];
  declare private customer: CustomerUser | null;

  private ownersFor: number | undefined;
  private readonly ownersRequest = new QueueOwnersRequest();

  constructor() {
    super();
    this.filters = emptyFilters();
    this.queues = [];
    this.states = [];
    this.priorities = [];
    this.types = [];
    this.draft = emptyFilters();
    this.owners = [];
    this.customer = null;
  }

  static override styles = [
    ticketsStyles,
    css`
      form {
        display: grid;
        grid-template-columns: repeat(auto-fill, minmax(11rem, 1fr));
        align-items: end;
        gap: var(--gf-space-3, 12px);
      }

      .search {
        grid-column: span 2;
      }

      .actions {
        grid-column: 1 / -1;
      }
    `,
  ];

  protected override willUpdate(changed: PropertyValues): void {
    if (changed.has('filters')) {
      this.draft = { ...this.filters };
      const id = this.filters.customerUser.length === 1 ? this.filters.customerUser[0] : undefined;
      if (id === undefined) this.customer = null;
      else if (this.customer?.id !== id) void this.loadCustomer(id);
    }
    const queue = this.draft.queue.length === 1 ? this.draft.queue[0] : undefined;
    if (queue !== this.ownersFor) {
      this.ownersFor = queue;
      void this.loadOwners(queue);
    }
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.ownersRequest.abort();
  }

  private async loadOwners(queue: number | undefined): Promise<void> {
    this.owners = [];
    if (queue === undefined) {
      this.ownersRequest.abort();
      return;
    }
    const owners = await this.ownersRequest.load(queue);
    if (owners) this.owners = owners;
  }

  private async loadCustomer(id: number): Promise<void> {
    try {
      this.customer = await ticketsApi.get<CustomerUser>(`${V1}/customer-users/${id}`);
    } catch {
      this.customer = null;
    }
  }

  private setList<K extends 'queue' | 'state' | 'priority' | 'type'>(key: K, value: string): void {
    if (value === SEVERAL) return;
    this.draft = { ...this.draft, [key]: value ? [Number(value)] : [] };
  }

  private readonly onSubmit = (event: Event): void => {
    event.preventDefault();
    const q = this.draft.q.trim();
    const filters: ListFilters = {
      ...this.draft,
      q,
      // New search words start ranked by relevance; without words there is nothing to rank.
      sort: q !== this.filters.q ? defaultSort(q) : this.draft.sort,
      page: 1,
    };
    this.dispatchEvent(new CustomEvent('filters-change', { detail: { filters } }));
  };

  private readonly onReset = (): void => {
    const filters = { ...emptyFilters(), perPage: this.filters.perPage };
    this.dispatchEvent(new CustomEvent('filters-change', { detail: { filters } }));
  };

  private renderSelect(
    key: 'queue' | 'state' | 'priority' | 'type',
    options: readonly { id: number; name: string }[],
  ) {
    const value = selectValue(this.draft[key]);
    return html`<div class="field">
      <label for="filter-${key}">${this.t(`filter.${key}`)}</label>
      <select
        id="filter-${key}"
        data-testid="filter-${key}"
        @change=${(e: Event) => this.setList(key, (e.target as HTMLSelectElement).value)}
      >
        <option value="" ?selected=${value === ''}>${this.t('filter.any')}</option>
        ${value === SEVERAL ? html`<option value=${SEVERAL} selected>${this.t('filter.several')}</option>` : nothing}
        ${options.map((o) => html`<option value=${o.id} ?selected=${value === String(o.id)}>${o.name}</option>`)}
      </select>
    </div>`;
  }

  override render() {
    const d = this.draft;
    const stateType = selectValue(d.stateType);
    const owner = selectValue(d.owner);
    return html`<form role="search" aria-label=${this.t('filter.label')} @submit=${this.onSubmit}>
      <div class="field search">
        <label for="filter-q">${this.t('filter.q')}</label>
        <input
          id="filter-q"
          type="search"
          minlength="2"
          maxlength="200"
          data-testid="filter-q"
          .value=${d.q}
          @input=${(e: Event) => {
            this.draft = { ...this.draft, q: (e.target as HTMLInputElement).value };
          }}
        />
      </div>
      ${this.renderSelect('queue', this.queues)}
      <div class="field">
        <label for="filter-stateType">${this.t('filter.stateType')}</label>
        <select
          id="filter-stateType"
          data-testid="filter-stateType"
          @change=${(e: Event) => {
            const v = (e.target as HTMLSelectElement).value;
            if (v !== SEVERAL)
              this.draft = { ...this.draft, stateType: v ? [v as ListFilters['stateType'][number]] : [] };
          }}
        >
          <option value="" ?selected=${stateType === ''}>${this.t('filter.any')}</option>
          ${
            stateType === SEVERAL
              ? html`<option value=${SEVERAL} selected>${this.t('filter.several')}</option>`
              : nothing
          }
          ${STATE_TYPES.map(
            (type) =>
              html`<option value=${type} ?selected=${stateType === type}>${this.t(`stateType.${type}`)}</option>`,
          )}
        </select>
      </div>
      ${this.renderSelect('state', this.states)} ${this.renderSelect('priority', this.priorities)}
      ${this.types.length ? this.renderSelect('type', this.types) : nothing}
      <div class="field">
        <label for="filter-owner">${this.t('filter.owner')}</label>
        <select
          id="filter-owner"
          data-testid="filter-owner"
          @change=${(e: Event) => {
            const v = (e.target as HTMLSelectElement).value;
            if (v === SEVERAL) return;
            this.draft = { ...this.draft, owner: v === '' ? [] : [v === 'me' ? 'me' : Number(v)] };
          }}
        >
          <option value="" ?selected=${owner === ''}>${this.t('filter.anyone')}</option>
          <option value="me" ?selected=${owner === 'me'}>${this.t('filter.me')}</option>
          ${owner === SEVERAL ? html`<option value=${SEVERAL} selected>${this.t('filter.several')}</option>` : nothing}
          ${
            owner !== '' &&
            owner !== 'me' &&
            owner !== SEVERAL &&
            !this.owners.some((o) => String(o.id) === owner)
              ? html`<option value=${owner} selected>#${owner}</option>`
              : nothing
          }
          ${this.owners.map((o) => html`<option value=${o.id} ?selected=${owner === String(o.id)}>${userName(o)}</option>`)}
        </select>
      </div>
      <gf-tickets-customer-picker
        .label=${this.t('filter.customer')}
        testid="filter-customer"
        .value=${this.customer}
        @change=${(e: CustomEvent<{ customer: CustomerUser | null }>) => {
          this.customer = e.detail.customer;
          this.draft = { ...this.draft, customerUser: e.detail.customer ? [e.detail.customer.id] : [] };
        }}
      ></gf-tickets-customer-picker>
      <div class="field">
        <label for="filter-from">${this.t('filter.createdFrom')}</label>
        <input
          id="filter-from"
          type="date"
          data-testid="filter-createdFrom"
          .value=${d.createdFrom}
          @change=${(e: Event) => {
            this.draft = { ...this.draft, createdFrom: (e.target as HTMLInputElement).value };
          }}
        />
      </div>
      <div class="field">
        <label for="filter-to">${this.t('filter.createdTo')}</label>
        <input
          id="filter-to"
          type="date"
          data-testid="filter-createdTo"
          .value=${d.createdTo}
          @change=${(e: Event) => {
            this.draft = { ...this.draft, createdTo: (e.target as HTMLInputElement).value };
          }}
        />
      </div>
      <div class="actions">
        <button type="submit" class="btn btn-primary" data-testid="filter-apply">${this.t('filter.apply')}</button>
        <button type="button" class="btn" data-testid="filter-reset" @click=${this.onReset}>
          ${this.t('filter.reset')}
        </button>
      </div>
    </form>`;
  }
}

if (!customElements.get('gf-tickets-filters')) customElements.define('gf-tickets-filters', TicketsFilters);
