/**
 * A modal built on the native <dialog>: the browser provides the focus trap, Escape handling and the top layer,
 * which a hand-rolled overlay would have to imitate.
 * @module
 */
import { css, html } from 'lit';
import { t } from '../i18n/i18n.js';
import { LocalizedElement } from '../i18n/localized-element.js';
import { sharedStyles } from '../theme/shared-styles.js';
import { iconClose } from './icons.js';

export class ModalDialog extends LocalizedElement {
  static override properties = {
    open: { type: Boolean, reflect: true },
    heading: { type: String },
    wide: { type: Boolean },
  };

  declare open: boolean;
  declare heading: string;
  declare wide: boolean;

  constructor() {
    super();
    this.open = false;
    this.heading = '';
    this.wide = false;
  }

  static override styles = [
    sharedStyles,
    css`
      dialog {
        width: min(var(--gf-size-dialog), calc(100vw - 2 * var(--gf-space-4)));
        max-height: calc(100vh - 2 * var(--gf-space-6));
        padding: 0;
        border: var(--gf-border-width) solid var(--gf-color-border);
        border-radius: var(--gf-radius-lg);
        background: var(--gf-color-surface);
        color: var(--gf-color-text);
        box-shadow: var(--gf-shadow-lg);
      }

      dialog.wide {
        width: min(var(--gf-size-dialog-wide), calc(100vw - 2 * var(--gf-space-4)));
      }

      dialog::backdrop {
        background: var(--gf-color-backdrop);
      }

      header {
        display: flex;
        align-items: center;
        justify-content: space-between;
        gap: var(--gf-space-3);
        padding: var(--gf-space-4) var(--gf-space-5);
        border-bottom: var(--gf-border-width) solid var(--gf-color-border);
      }

      .close {
        display: inline-flex;
        align-items: center;
        justify-content: center;
        width: var(--gf-size-icon-button);
        height: var(--gf-size-icon-button);
        padding: 0;
        border: none;
        border-radius: var(--gf-radius);
        background: transparent;
        color: var(--gf-color-text-muted);
        cursor: pointer;
      }

      .close:hover {
        background: var(--gf-color-surface-hover);
        color: var(--gf-color-text);
      }

      .close:focus-visible {
        outline: none;
        box-shadow: 0 0 0 var(--gf-focus-ring-width) var(--gf-color-focus-ring);
      }

      .body {
        padding: var(--gf-space-5);
      }
    `,
  ];

  private get dialog(): HTMLDialogElement | null {
    return this.renderRoot.querySelector('dialog');
  }

  protected override updated(): void {
    const dialog = this.dialog;
    if (!dialog) return;
    if (this.open && !dialog.open) dialog.showModal();
    else if (!this.open && dialog.open) dialog.close();
  }

  override disconnectedCallback(): void {
    // A dialog left open in the top layer would block the page the user navigates to.
    this.dialog?.close();
    super.disconnectedCallback();
  }

  private requestClose(): void {
    this.dispatchEvent(new CustomEvent('gf-close', { bubbles: true, composed: true }));
  }

  private onNativeClose(): void {
    // Escape closes the native dialog by itself; report it so the owner's `open` state follows.
    if (this.open) this.requestClose();
  }

  override render() {
    return html`
      <dialog class=${this.wide ? 'wide' : ''} aria-labelledby="heading" @close=${this.onNativeClose}>
        <header>
          <h2 id="heading">${this.heading}</h2>
          <button type="button" class="close" aria-label=${t('common.close')} @click=${this.requestClose}>
            ${iconClose()}
          </button>
        </header>
        <div class="body"><slot></slot></div>
      </dialog>
    `;
  }
}

customElements.define('gf-modal-dialog', ModalDialog);
