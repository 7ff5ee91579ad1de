/**
 * `<gf-tickets-tabs>`: a tab list over one panel (the slotted content, which the page swaps on `tab-change`,
 * `detail: {id}`). Follows the ARIA tabs pattern: one tab in the Tab order, arrow keys, Home and End move between
 * tabs and select them.
 * @module
 */
import { css, html } from 'lit';
import { ticketsStyles } from '../lib/styles.js';
import { TicketsElement } from '../lib/tickets-element.js';

export interface Tab {
  id: string;
  label: string;
}

let instances = 0;

export class TicketsTabs extends TicketsElement {
  static override properties = {
    ...TicketsElement.properties,
    tabs: { attribute: false },
    selected: { type: String },
  };

  declare tabs: readonly Tab[];
  declare selected: string;
  private readonly uid = `tabs-${++instances}`;

  constructor() {
    super();
    this.tabs = [];
    this.selected = '';
  }

  static override styles = [
    ticketsStyles,
    css`
      [role='tabpanel']:focus-visible {
        outline: none;
        box-shadow: 0 0 0 var(--gf-focus-ring-width, 3px) var(--gf-color-focus-ring, rgba(15, 122, 107, 0.35));
      }

      [role='tabpanel'] {
        display: flex;
        flex-direction: column;
        gap: var(--gf-space-5, 24px);
      }
    `,
  ];

  private select(id: string, focus: boolean): void {
    if (id !== this.selected) this.dispatchEvent(new CustomEvent('tab-change', { detail: { id } }));
    if (focus) {
      void this.updateComplete.then(() =>
        this.renderRoot.querySelector<HTMLElement>(`#${this.uid}-tab-${id}`)?.focus(),
      );
    }
  }

  private readonly onKeyDown = (event: KeyboardEvent): void => {
    const index = this.tabs.findIndex((tab) => tab.id === this.selected);
    const last = this.tabs.length - 1;
    const next =
      event.key === 'ArrowRight'
        ? index === last
          ? 0
          : index + 1
        : event.key === 'ArrowLeft'
          ? index <= 0
            ? last
            : index - 1
          : event.key === 'Home'
            ? 0
            : event.key === 'End'
              ? last
              : -1;
    if (next < 0) return;
    event.preventDefault();
    const tab = this.tabs[next];
    if (tab) this.select(tab.id, true);
  };

  override render() {
    return html`<div class="tabs" role="tablist" @keydown=${this.onKeyDown}>
        ${this.tabs.map(
          (tab) => html`<button
            type="button"
            role="tab"
            id="${this.uid}-tab-${tab.id}"
            aria-selected=${tab.id === this.selected ? 'true' : 'false'}
            aria-controls="${this.uid}-panel"
            tabindex=${tab.id === this.selected ? '0' : '-1'}
            data-testid="tab-${tab.id}"
            @click=${() => this.select(tab.id, false)}
          >
            ${tab.label}
          </button>`,
        )}
      </div>
      <div id="${this.uid}-panel" role="tabpanel" aria-labelledby="${this.uid}-tab-${this.selected}" tabindex="0">
        <slot></slot>
      </div>`;
  }
}

if (!customElements.get('gf-tickets-tabs')) customElements.define('gf-tickets-tabs', TicketsTabs);
