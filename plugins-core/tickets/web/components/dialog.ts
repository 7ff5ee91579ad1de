/**
 * `<gf-tickets-dialog>`: a modal on the native `<dialog>`, so the browser provides the focus trap, Escape and
 * the top layer. The body goes in the default slot, the buttons in the `footer` slot. It fires `close` whenever
 * it closes (Escape, the close button, or `open = false`); focus returns to where it was when it opened.
 * @module
 */
import { css, html, type PropertyValues } from 'lit';
import { ticketsStyles } from '../lib/styles.js';
import { TicketsElement } from '../lib/tickets-element.js';

export class TicketsDialog extends TicketsElement {
  static override properties = {
    ...TicketsElement.properties,
    open: { type: Boolean, reflect: true },
    heading: { type: String },
  };

  declare open: boolean;
  declare heading: string;

  private returnFocus: HTMLElement | null = null;

  constructor() {
    super();
    this.open = false;
    this.heading = '';
  }

  static override styles = [
    ticketsStyles,
    css`
      dialog {
        width: min(36rem, calc(100vw - 2 * var(--gf-space-4, 16px)));
        max-height: calc(100vh - 2 * var(--gf-space-6, 32px));
        padding: 0;
        border: var(--gf-border-width, 1px) solid var(--gf-color-border, #dce2e8);
        border-radius: var(--gf-radius-lg, 10px);
        background: var(--gf-color-surface, #fff);
        color: var(--gf-color-text, #1c2630);
        box-shadow: var(--gf-shadow-lg, 0 10px 30px rgba(0, 0, 0, 0.2));
      }

      dialog::backdrop {
        background: var(--gf-color-backdrop, rgba(15, 23, 31, 0.45));
      }

      header,
      footer {
        display: flex;
        align-items: center;
        justify-content: space-between;
        gap: var(--gf-space-3, 12px);
        padding: var(--gf-space-3, 12px) var(--gf-space-4, 16px);
      }

      header {
        border-bottom: var(--gf-border-width, 1px) solid var(--gf-color-border, #dce2e8);
      }

      footer {
        justify-content: flex-end;
        border-top: var(--gf-border-width, 1px) solid var(--gf-color-border, #dce2e8);
      }

      .body {
        padding: var(--gf-space-4, 16px);
      }
    `,
  ];

  private get dialog(): HTMLDialogElement | null {
    return this.renderRoot.querySelector('dialog');
  }

  protected override updated(changed: PropertyValues): void {
    super.updated(changed);
    if (!changed.has('open')) return;
    const dialog = this.dialog;
    if (!dialog) return;
    if (this.open && !dialog.open) {
      this.returnFocus = deepActiveElement();
      dialog.showModal();
    } else if (!this.open && dialog.open) {
      dialog.close();
    }
  }

  private readonly onClose = (): void => {
    this.open = false;
    this.returnFocus?.focus();
    this.returnFocus = null;
    this.dispatchEvent(new Event('close'));
  };

  override render() {
    return html`<dialog aria-labelledby="heading" @close=${this.onClose}>
      <header>
        <h2 id="heading">${this.heading}</h2>
        <button type="button" class="btn btn-small" @click=${() => this.dialog?.close()}>
          ${this.t('dialog.close')}
        </button>
      </header>
      <div class="body"><slot></slot></div>
      <footer><slot name="footer"></slot></footer>
    </dialog>`;
  }
}

/** The focused element, looking into shadow roots (the shell and its pages are made of them). */
function deepActiveElement(): HTMLElement | null {
  let active = document.activeElement;
  while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
  return active instanceof HTMLElement ? active : null;
}

if (!customElements.get('gf-tickets-dialog')) customElements.define('gf-tickets-dialog', TicketsDialog);
