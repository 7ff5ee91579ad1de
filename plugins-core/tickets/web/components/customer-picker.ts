/**
 * `<gf-tickets-customer-picker>`: a combobox that finds customer users as you type (`GET
 * /api/v1/customer-users?q=`), following the ARIA combobox pattern: arrow keys move through the suggestions,
 * Enter picks one, Escape closes them. It fires `change` with `detail: {customer}` (`null` when cleared).
 * @module
 */
import { isAbortError } from '@goatflow/sdk/widget';
import { css, html, nothing, type PropertyValues } from 'lit';
import { ticketsApi, V1 } from '../lib/api.js';
import { errorMessage } from '../lib/errors.js';
import { userName } from '../lib/people.js';
import { ticketsStyles } from '../lib/styles.js';
import { TicketsElement } from '../lib/tickets-element.js';
import type { CustomerUser, CustomerUserList } from '../lib/types.js';

/** Wait this long after the last keystroke before asking. */
const DEBOUNCE_MS = 250;
const MIN_QUERY = 1;
const SHOWN = 10;

let instances = 0;

export class TicketsCustomerPicker extends TicketsElement {
  static override properties = {
    ...TicketsElement.properties,
    value: { attribute: false },
    label: { type: String },
    error: { type: String },
    required: { type: Boolean },
    testid: { type: String },
    text: { state: true },
    options: { state: true },
    open: { state: true },
    active: { state: true },
    status: { state: true },
  };

  /** The customer picked, or `null`. */
  declare value: CustomerUser | null;
  declare label: string;
  /** A field error to show under the input. */
  declare error: string;
  declare required: boolean;
  /** `data-testid` of the input (its error gets `<testid>-error`). */
  declare testid: string;
  declare private text: string;
  declare private options: CustomerUser[];
  declare private open: boolean;
  declare private active: number;
  declare private status: string;

  private readonly uid = `customer-picker-${++instances}`;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private controller: AbortController | undefined;

  constructor() {
    super();
    this.value = null;
    this.label = '';
    this.error = '';
    this.required = false;
    this.testid = 'customer-picker';
    this.text = '';
    this.options = [];
    this.open = false;
    this.active = -1;
    this.status = '';
  }

  static override styles = [
    ticketsStyles,
    css`
      .combo {
        position: relative;
      }

      [role='listbox'] {
        position: absolute;
        z-index: 20;
        left: 0;
        right: 0;
        margin: var(--gf-space-half, 2px) 0 0;
        padding: var(--gf-space-1, 4px) 0;
        list-style: none;
        max-height: 18rem;
        overflow-y: auto;
        border: var(--gf-border-width, 1px) solid var(--gf-color-border-strong, #c3ccd5);
        border-radius: var(--gf-radius, 6px);
        background: var(--gf-color-surface, #fff);
        box-shadow: var(--gf-shadow-lg, 0 10px 30px rgba(0, 0, 0, 0.2));
      }

      [role='option'] {
        padding: var(--gf-space-1, 4px) var(--gf-space-3, 12px);
        cursor: pointer;
      }

      [role='option'][aria-selected='true'],
      [role='option']:hover {
        background: var(--gf-color-primary-soft, #e0f2ef);
      }

      .detail {
        color: var(--gf-color-text-muted, #5c6975);
        font-size: var(--gf-font-size-sm, 0.8125rem);
      }
    `,
  ];

  protected override willUpdate(changed: PropertyValues): void {
    if (changed.has('value')) this.text = this.value ? this.describe(this.value) : '';
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this.timer);
    this.controller?.abort();
  }

  /** Puts the focus in the input (after a failed submit names this field, say). */
  override focus(): void {
    this.renderRoot.querySelector('input')?.focus();
  }

  private describe(customer: CustomerUser): string {
    const name = userName(customer);
    return customer.email ? `${name} <${customer.email}>` : name;
  }

  private readonly onInput = (event: Event): void => {
    this.text = (event.target as HTMLInputElement).value;
    if (this.value) this.pick(null, false);
    clearTimeout(this.timer);
    const q = this.text.trim();
    if (q.length < MIN_QUERY) {
      this.open = false;
      this.options = [];
      return;
    }
    this.timer = setTimeout(() => void this.search(q), DEBOUNCE_MS);
  };

  private async search(q: string): Promise<void> {
    this.controller?.abort();
    const controller = new AbortController();
    this.controller = controller;
    this.status = this.t('picker.searching');
    try {
      const page = await ticketsApi.get<CustomerUserList>(`${V1}/customer-users`, {
        signal: controller.signal,
        query: { q, perPage: SHOWN },
      });
      if (controller !== this.controller) return;
      this.options = page.items.slice(0, SHOWN);
      this.active = this.options.length ? 0 : -1;
      this.open = true;
      this.status = this.options.length
        ? this.t('picker.results', { count: this.options.length })
        : this.t('picker.none');
    } catch (error) {
      if (isAbortError(error) || controller !== this.controller) return;
      this.options = [];
      this.open = false;
      this.status = errorMessage(error, (key, params) => this.t(key, params));
    }
  }

  private pick(customer: CustomerUser | null, close = true): void {
    this.value = customer;
    if (customer) this.text = this.describe(customer);
    if (close) this.open = false;
    this.dispatchEvent(new CustomEvent('change', { detail: { customer } }));
  }

  private readonly onKeyDown = (event: KeyboardEvent): void => {
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      if (!this.options.length) return;
      event.preventDefault();
      this.open = true;
      const step = event.key === 'ArrowDown' ? 1 : -1;
      this.active = (this.active + step + this.options.length) % this.options.length;
      this.renderRoot
        .querySelector(`#${this.uid}-option-${this.active}`)
        ?.scrollIntoView({ block: 'nearest' });
    } else if (event.key === 'Enter' && this.open && this.active >= 0) {
      event.preventDefault();
      this.pick(this.options[this.active] ?? null);
    } else if (event.key === 'Escape' && this.open) {
      event.preventDefault();
      this.open = false;
    }
  };

  /** Closing on blur waits a moment, so a click on an option lands first. */
  private readonly onBlur = (): void => {
    setTimeout(() => {
      this.open = false;
    }, 150);
  };

  override render() {
    const listId = `${this.uid}-list`;
    const errorId = `${this.uid}-error`;
    const expanded = this.open && this.options.length > 0;
    return html`<div class="field">
      <label for=${this.uid}>${this.label}${this.required ? html`<span aria-hidden="true"> *</span>` : nothing}</label>
      <div class="combo">
        <input
          id=${this.uid}
          type="text"
          role="combobox"
          autocomplete="off"
          aria-autocomplete="list"
          aria-controls=${listId}
          aria-expanded=${expanded ? 'true' : 'false'}
          aria-activedescendant=${expanded && this.active >= 0 ? `${this.uid}-option-${this.active}` : nothing}
          aria-invalid=${this.error ? 'true' : 'false'}
          aria-describedby=${this.error ? errorId : nothing}
          ?required=${this.required}
          placeholder=${this.t('picker.placeholder')}
          data-testid=${this.testid}
          .value=${this.text}
          @input=${this.onInput}
          @keydown=${this.onKeyDown}
          @blur=${this.onBlur}
        />
        <ul id=${listId} role="listbox" aria-label=${this.label} ?hidden=${!expanded}>
          ${this.options.map(
            (customer, i) => html`<li
              id="${this.uid}-option-${i}"
              role="option"
              aria-selected=${i === this.active ? 'true' : 'false'}
              data-testid="${this.testid}-option"
              @mousedown=${(e: Event) => e.preventDefault()}
              @click=${() => this.pick(customer)}
            >
              <div>${userName(customer)}</div>
              <div class="detail">
                ${[customer.email, customer.company?.name].filter(Boolean).join(' · ')}
              </div>
            </li>`,
          )}
        </ul>
      </div>
      <span class="visually-hidden" role="status">${this.status}</span>
      ${
        this.error
          ? html`<span class="field-error" id=${errorId} data-testid="${this.testid}-error">${this.error}</span>`
          : nothing
      }
    </div>`;
  }
}

if (!customElements.get('gf-tickets-customer-picker')) {
  customElements.define('gf-tickets-customer-picker', TicketsCustomerPicker);
}
