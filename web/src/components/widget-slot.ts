/**
 * A named place in the UI where plugins contribute widgets (e.g. `dashboard.main`). The slot owns layout and the
 * empty state; each widget is loaded and isolated by its own host.
 * @module
 */
import { css, html } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import { t } from '../i18n/i18n.js';
import { LocalizedElement } from '../i18n/localized-element.js';
import { sharedStyles } from '../theme/shared-styles.js';
import type { WidgetDescriptor } from '../widgets/widget-loader.js';
import { iconPuzzle } from './icons.js';
import './widget-host.js';

export class WidgetSlot extends LocalizedElement {
  static override properties = {
    name: { type: String, reflect: true },
    heading: { type: String },
    widgets: { attribute: false },
    layout: { type: String },
  };

  declare name: string;
  declare heading: string;
  declare widgets: WidgetDescriptor[];
  /** `grid` flows widgets into columns (main areas); `stack` keeps them in one column (side areas). */
  declare layout: 'grid' | 'stack';

  constructor() {
    super();
    this.name = '';
    this.heading = '';
    this.widgets = [];
    this.layout = 'grid';
  }

  static override styles = [
    sharedStyles,
    css`
      :host {
        display: block;
      }

      section {
        display: flex;
        flex-direction: column;
        gap: var(--gf-space-3);
      }

      h2 {
        font-size: var(--gf-font-size-sm);
        font-weight: var(--gf-font-weight-bold);
        color: var(--gf-color-text-muted);
        text-transform: uppercase;
        letter-spacing: var(--gf-letter-spacing-wider);
      }

      .widgets {
        display: grid;
        gap: var(--gf-space-4);
      }

      .widgets.grid {
        grid-template-columns: repeat(auto-fill, minmax(var(--gf-size-widget-min), 1fr));
      }

      /* A large widget takes a whole row of the grid, however many columns the width allows. */
      .widgets.grid gf-widget-host[size='large'] {
        grid-column: 1 / -1;
      }

      .empty {
        display: flex;
        flex-direction: column;
        align-items: center;
        gap: var(--gf-space-3);
        padding: var(--gf-space-7) var(--gf-space-5);
        border: var(--gf-border-width) dashed var(--gf-color-border-strong);
        border-radius: var(--gf-radius-lg);
        background: var(--gf-color-surface);
        color: var(--gf-color-text-muted);
        text-align: center;
      }

      .empty-icon {
        display: inline-flex;
        padding: var(--gf-space-3);
        border-radius: 50%;
        background: var(--gf-color-primary-soft);
        color: var(--gf-color-primary-soft-text);
      }

      .stack .empty {
        padding: var(--gf-space-6) var(--gf-space-4);
      }
    `,
  ];

  override render() {
    return html`
      <section
        class=${this.layout}
        data-testid="widget-slot-${this.name}"
        aria-labelledby="slot-heading"
      >
        <h2 id="slot-heading">${this.heading || this.name}</h2>
        ${
          this.widgets.length === 0
            ? html`<div class="empty" data-testid="widget-slot-empty">
                <span class="empty-icon">${iconPuzzle()}</span>
                <p>${t('widgets.empty')}</p>
              </div>`
            : html`<div class="widgets ${this.layout}">
                ${repeat(
                  this.widgets,
                  (widget) => `${widget.plugin}/${widget.id}`,
                  (widget) =>
                    html`<gf-widget-host
                      data-testid="widget-${widget.id}"
                      size=${widget.size ?? 'medium'}
                      .widget=${widget}
                    ></gf-widget-host>`,
                )}
              </div>`
        }
      </section>
    `;
  }
}

customElements.define('gf-widget-slot', WidgetSlot);
