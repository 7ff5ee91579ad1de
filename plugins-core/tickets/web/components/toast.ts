/**
 * `<gf-tickets-toast>`: short notices after an action ("Ticket updated", "That did not work: …"). They are
 * announced through live regions, polite for news and assertive for failures, and go away after a while or on
 * their close button. Call `show(text, kind)`.
 * @module
 */
import { css, html } from 'lit';
import { ticketsStyles } from '../lib/styles.js';
import { TicketsElement } from '../lib/tickets-element.js';

/** How long a notice stays, in milliseconds; failures stay until closed. */
const SHOWN_MS = 6000;

export type ToastKind = 'success' | 'error';

interface Toast {
  id: number;
  text: string;
  kind: ToastKind;
}

let nextId = 1;

export class TicketsToast extends TicketsElement {
  static override properties = {
    ...TicketsElement.properties,
    toasts: { state: true },
  };

  declare private toasts: Toast[];
  private readonly timers = new Map<number, ReturnType<typeof setTimeout>>();

  constructor() {
    super();
    this.toasts = [];
  }

  static override styles = [
    ticketsStyles,
    css`
      :host {
        position: fixed;
        right: var(--gf-space-4, 16px);
        bottom: var(--gf-space-4, 16px);
        z-index: 50;
        display: flex;
        flex-direction: column;
        gap: var(--gf-space-2, 8px);
        max-width: min(28rem, calc(100vw - 2 * var(--gf-space-4, 16px)));
      }

      .toast {
        display: flex;
        align-items: flex-start;
        gap: var(--gf-space-3, 12px);
        padding: var(--gf-space-3, 12px);
        border-radius: var(--gf-radius, 6px);
        box-shadow: var(--gf-shadow-lg, 0 10px 30px rgba(0, 0, 0, 0.2));
        background: var(--gf-color-success-soft, #e3f4ea);
        color: var(--gf-color-success-soft-text, #1e6b3c);
      }

      .toast.error {
        background: var(--gf-color-danger-soft, #fcebea);
        color: var(--gf-color-danger-soft-text, #8f2420);
      }

      .toast p {
        flex: 1;
        margin: 0;
      }
    `,
  ];

  /**
   * Shows a notice.
   * @param text - what happened, in the page's language
   * @param kind - `error` for failures: announced at once and kept until closed
   */
  show(text: string, kind: ToastKind = 'success'): void {
    const toast = { id: nextId++, text, kind };
    this.toasts = [...this.toasts, toast];
    if (kind === 'success')
      this.timers.set(
        toast.id,
        setTimeout(() => this.dismiss(toast.id), SHOWN_MS),
      );
  }

  /** Removes every notice (e.g. when the page shows another ticket). */
  clear(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    this.toasts = [];
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.clear();
  }

  private dismiss(id: number): void {
    clearTimeout(this.timers.get(id));
    this.timers.delete(id);
    this.toasts = this.toasts.filter((toast) => toast.id !== id);
  }

  private renderToast(toast: Toast) {
    return html`<div class="toast ${toast.kind}" data-testid="tickets-toast" data-kind=${toast.kind}>
      <p>${toast.text}</p>
      <button
        type="button"
        class="btn btn-small"
        aria-label=${this.t('toast.dismiss')}
        @click=${() => this.dismiss(toast.id)}
      >
        ×
      </button>
    </div>`;
  }

  override render() {
    // The regions stay in the page, empty, so screen readers are listening before the first notice arrives.
    return html`<div role="status" aria-live="polite">
        ${this.toasts.filter((toast) => toast.kind === 'success').map((toast) => this.renderToast(toast))}
      </div>
      <div role="alert" aria-live="assertive">
        ${this.toasts.filter((toast) => toast.kind === 'error').map((toast) => this.renderToast(toast))}
      </div>`;
  }
}

if (!customElements.get('gf-tickets-toast')) customElements.define('gf-tickets-toast', TicketsToast);
