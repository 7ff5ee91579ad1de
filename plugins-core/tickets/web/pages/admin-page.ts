/**
 * `<gf-tickets-admin-page>` at `/admin/tickets`: the tickets settings for admins, one tab per kind of reference
 * data: queues (with the kernel group whose keys give the rights), states, types, customer companies, and the
 * company link of customer users (who are created as kernel users under Admin → Users).
 * @module
 */
import type { ApiGroup, ApiList } from '@goatflow/sdk';
import { html, type PropertyValues } from 'lit';
import { keyed } from 'lit/directives/keyed.js';
import '../components/admin-table.js';
import type { AdminKind } from '../components/admin-table.js';
import '../components/tabs.js';
import { ticketsApi, V1 } from '../lib/api.js';
import { focusHeading } from '../lib/page-focus.js';
import { userName } from '../lib/people.js';
import { ticketsStyles } from '../lib/styles.js';
import { TicketsElement } from '../lib/tickets-element.js';
import {
  type CustomerCompany,
  type CustomerCompanyList,
  type CustomerUser,
  type Queue,
  STATE_TYPES,
  type State,
  type TicketType,
} from '../lib/types.js';

type Values = Record<string, string | boolean>;

/** A form's text, or `null` to clear the field. */
function text(values: Values, key: string): string | null {
  const value = String(values[key] ?? '').trim();
  return value === '' ? null : value;
}

function flag(values: Values, key: string): boolean {
  return values[key] === true;
}

function yesNo(t: (key: string) => string, value: boolean): string {
  return t(value ? 'admin.yes' : 'admin.no');
}

const TABS = ['queues', 'states', 'types', 'companies', 'customers'] as const;
type TabId = (typeof TABS)[number];

export class TicketsAdminPage extends TicketsElement {
  static override properties = {
    ...TicketsElement.properties,
    params: { attribute: false },
    query: { attribute: false },
    tab: { state: true },
  };

  declare params: Record<string, string>;
  declare query: URLSearchParams;
  declare private tab: TabId;

  /** What the forms' selects offer, loaded by each kind's `prepare`. */
  private groups: ApiGroup[] = [];
  private closedStates: State[] = [];
  private companies: CustomerCompany[] = [];
  private focused = false;

  constructor() {
    super();
    this.params = {};
    this.query = new URLSearchParams();
    this.tab = 'queues';
  }

  static override styles = [ticketsStyles];

  protected override updated(changed: PropertyValues): void {
    super.updated(changed);
    if (!this.focused) this.focused = focusHeading(this.renderRoot);
  }

  private readonly kinds: { [K in TabId]: AdminKind<never> } = {
    queues: this.queuesKind() as AdminKind<never>,
    states: this.statesKind() as AdminKind<never>,
    types: this.typesKind() as AdminKind<never>,
    companies: this.companiesKind() as AdminKind<never>,
    customers: this.customersKind() as AdminKind<never>,
  };

  private queuesKind(): AdminKind<Queue> {
    const t = (key: string) => this.t(key);
    return {
      id: 'queues',
      path: '/queues',
      key: (q) => q.id,
      name: (q) => q.name,
      title: 'admin.queues',
      creatable: true,
      update: 'PATCH',
      paged: false,
      columns: [
        { label: 'admin.col.name', value: (q) => q.name },
        { label: 'admin.col.group', value: (q) => this.groups.find((g) => g.id === q.groupId)?.name ?? '' },
        { label: 'admin.col.customerSelectable', value: (q) => yesNo(t, q.customerSelectable) },
        { label: 'admin.col.valid', value: (q) => yesNo(t, q.valid) },
      ],
      fields: [
        { key: 'name', label: 'admin.col.name', kind: 'text', required: true, maxLength: 200 },
        {
          key: 'groupId',
          label: 'admin.col.group',
          kind: 'select',
          required: true,
          options: () => this.groups.map((g) => ({ value: String(g.id), label: g.name })),
        },
        { key: 'comment', label: 'admin.col.comment', kind: 'textarea', maxLength: 2000 },
        { key: 'customerSelectable', label: 'admin.col.customerSelectable', kind: 'checkbox' },
        { key: 'valid', label: 'admin.col.valid', kind: 'checkbox' },
      ],
      values: (q) => ({
        name: q.name,
        groupId: q.groupId === null ? '' : String(q.groupId),
        comment: q.comment ?? '',
        customerSelectable: q.customerSelectable,
        valid: q.valid,
      }),
      body: (v) => ({
        name: String(v.name ?? ''),
        groupId: Number(v.groupId) || 0,
        comment: text(v, 'comment'),
        customerSelectable: flag(v, 'customerSelectable'),
        valid: flag(v, 'valid'),
      }),
      prepare: async (signal) => {
        this.groups = (await ticketsApi.get<ApiList<ApiGroup>>('/api/admin/groups', { signal })).items;
      },
    };
  }

  private statesKind(): AdminKind<State> {
    const t = (key: string) => this.t(key);
    return {
      id: 'states',
      path: '/states',
      key: (s) => s.id,
      name: (s) => s.name,
      title: 'admin.states',
      creatable: true,
      update: 'PATCH',
      paged: false,
      columns: [
        { label: 'admin.col.name', value: (s) => s.name },
        { label: 'admin.col.stateType', value: (s) => this.t(`stateType.${s.type}`) },
        {
          label: 'admin.col.closeTo',
          value: (s) => this.closedStates.find((c) => c.id === s.closeToStateId)?.name ?? '',
        },
        { label: 'admin.col.valid', value: (s) => yesNo(t, s.valid) },
      ],
      fields: [
        { key: 'name', label: 'admin.col.name', kind: 'text', required: true, maxLength: 100 },
        {
          key: 'type',
          label: 'admin.col.stateType',
          kind: 'select',
          required: true,
          options: () => STATE_TYPES.map((type) => ({ value: type, label: this.t(`stateType.${type}`) })),
        },
        {
          key: 'closeToStateId',
          label: 'admin.col.closeTo',
          kind: 'select',
          empty: 'field.none',
          options: () => this.closedStates.map((s) => ({ value: String(s.id), label: s.name })),
        },
        { key: 'valid', label: 'admin.col.valid', kind: 'checkbox' },
      ],
      values: (s) => ({
        name: s.name,
        type: s.type,
        closeToStateId: s.closeToStateId === null ? '' : String(s.closeToStateId),
        valid: s.valid,
      }),
      body: (v) => ({
        name: String(v.name ?? ''),
        type: String(v.type ?? ''),
        closeToStateId: v.type === 'pending_auto' && v.closeToStateId ? Number(v.closeToStateId) : null,
        valid: flag(v, 'valid'),
      }),
      prepare: async (signal) => {
        const states = await ticketsApi.get<{ items: State[] }>(`${V1}/states`, { signal });
        this.closedStates = states.items.filter((s) => s.type === 'closed');
      },
    };
  }

  private typesKind(): AdminKind<TicketType> {
    const t = (key: string) => this.t(key);
    return {
      id: 'types',
      path: '/types',
      key: (type) => type.id,
      name: (type) => type.name,
      title: 'admin.types',
      creatable: true,
      update: 'PATCH',
      paged: false,
      columns: [
        { label: 'admin.col.name', value: (type) => type.name },
        { label: 'admin.col.valid', value: (type) => yesNo(t, type.valid) },
      ],
      fields: [
        { key: 'name', label: 'admin.col.name', kind: 'text', required: true, maxLength: 100 },
        { key: 'valid', label: 'admin.col.valid', kind: 'checkbox' },
      ],
      values: (type) => ({ name: type.name, valid: type.valid }),
      body: (v) => ({ name: String(v.name ?? ''), valid: flag(v, 'valid') }),
    };
  }

  private companiesKind(): AdminKind<CustomerCompany> {
    const t = (key: string) => this.t(key);
    const texts = ['street', 'city', 'country', 'url', 'comment'] as const;
    return {
      id: 'companies',
      path: '/customer-companies',
      key: (c) => c.id,
      name: (c) => c.name,
      title: 'admin.companies',
      creatable: true,
      update: 'PATCH',
      paged: true,
      columns: [
        { label: 'admin.col.name', value: (c) => c.name },
        { label: 'admin.col.city', value: (c) => [c.city, c.country].filter(Boolean).join(', ') },
        { label: 'admin.col.url', value: (c) => c.url ?? '' },
        { label: 'admin.col.valid', value: (c) => yesNo(t, c.valid) },
      ],
      fields: [
        { key: 'name', label: 'admin.col.name', kind: 'text', required: true, maxLength: 200 },
        { key: 'street', label: 'admin.col.street', kind: 'text', maxLength: 200 },
        { key: 'city', label: 'admin.col.city', kind: 'text', maxLength: 200 },
        { key: 'country', label: 'admin.col.country', kind: 'text', maxLength: 200 },
        { key: 'url', label: 'admin.col.url', kind: 'text', maxLength: 2000 },
        { key: 'comment', label: 'admin.col.comment', kind: 'textarea', maxLength: 2000 },
        { key: 'valid', label: 'admin.col.valid', kind: 'checkbox' },
      ],
      values: (c) => ({
        name: c.name,
        street: c.street ?? '',
        city: c.city ?? '',
        country: c.country ?? '',
        url: c.url ?? '',
        comment: c.comment ?? '',
        valid: c.valid,
      }),
      body: (v) => ({
        name: String(v.name ?? ''),
        ...Object.fromEntries(texts.map((key) => [key, text(v, key)])),
        valid: flag(v, 'valid'),
      }),
    };
  }

  private customersKind(): AdminKind<CustomerUser> {
    const t = (key: string) => this.t(key);
    return {
      id: 'customers',
      path: '/customer-users',
      key: (c) => c.id,
      name: (c) => userName(c),
      title: 'admin.customers',
      creatable: false,
      update: 'PUT',
      paged: true,
      columns: [
        { label: 'admin.col.login', value: (c) => c.login },
        { label: 'admin.col.name', value: (c) => userName(c) },
        { label: 'admin.col.email', value: (c) => c.email },
        { label: 'admin.col.company', value: (c) => c.company?.name ?? '' },
        { label: 'admin.col.companyAccess', value: (c) => yesNo(t, c.companyAccess) },
      ],
      fields: [
        {
          key: 'companyId',
          label: 'admin.col.company',
          kind: 'select',
          empty: 'field.none',
          options: () => this.companies.map((c) => ({ value: String(c.id), label: c.name })),
        },
        { key: 'companyAccess', label: 'admin.col.companyAccess', kind: 'checkbox' },
        { key: 'phone', label: 'admin.col.phone', kind: 'text', maxLength: 100 },
        { key: 'comment', label: 'admin.col.comment', kind: 'textarea', maxLength: 2000 },
      ],
      values: (c) => ({
        companyId: c.company ? String(c.company.id) : '',
        companyAccess: c.companyAccess,
        phone: c.phone ?? '',
        comment: c.comment ?? '',
      }),
      body: (v) => ({
        companyId: v.companyId ? Number(v.companyId) : null,
        companyAccess: flag(v, 'companyAccess'),
        phone: text(v, 'phone'),
        comment: text(v, 'comment'),
      }),
      prepare: async (signal) => {
        const page = await ticketsApi.get<CustomerCompanyList>(`${V1}/customer-companies`, {
          signal,
          query: { valid: 'true', perPage: 100 },
        });
        this.companies = page.items;
      },
    };
  }

  override render() {
    return html`<h2 tabindex="-1" class="visually-hidden">${this.t('admin.heading')}</h2>
      <gf-tickets-tabs
        .tabs=${TABS.map((id) => ({ id, label: this.t(`admin.${id}`) }))}
        .selected=${this.tab}
        @tab-change=${(e: CustomEvent<{ id: TabId }>) => {
          this.tab = e.detail.id;
        }}
      >
        ${keyed(this.tab, html`<gf-tickets-admin-table .kind=${this.kinds[this.tab]}></gf-tickets-admin-table>`)}
      </gf-tickets-tabs>`;
  }
}

if (!customElements.get('gf-tickets-admin-page'))
  customElements.define('gf-tickets-admin-page', TicketsAdminPage);
