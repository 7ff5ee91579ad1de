/**
 * One widget in a slot: a titled card that loads the plugin's element and shows a contained error if the plugin
 * fails, so one broken plugin cannot take the dashboard down with it.
 * @module
 */
import { css, html, nothing } from 'lit';
import { t } from '../i18n/i18n.js';
import { LocalizedElement } from '../i18n/localized-element.js';
import { sharedStyles } from '../theme/shared-styles.js';
import { loadWidget, type WidgetDescriptor } from '../widgets/widget-loader.js';

type Status = 'loading' | 'ready' | 'error';

export class WidgetHost extends LocalizedElement {
  static override properties = {
    widget: { attribute: false },
    status: { state: true },
  };

  declare widget: WidgetDescriptor | null;
  declare status: Status;
  private element: HTMLElement | null = null;
  private loadToken = 0;

  constructor() {
    super();
    this.widget = null;
    this.status = 'loading';
  }

  static override styles = [
    sharedStyles,
    css`
      :host {
        display: block;
      }

      .card {
        display: flex;
        flex-direction: column;
        height: 100%;
      }

      header {
        padding: var(--gf-space-3) var(--gf-space-4);
        border-bottom: var(--gf-border-width) solid var(--gf-color-border);
      }

      .content {
        flex: 1;
        padding: var(--gf-space-4);
      }

      .alert {
        margin: 0;
      }
    `,
  ];

  protected override willUpdate(changed: Map<PropertyKey, unknown>): void {
    if (changed.has('widget')) void this.load();
  }

  private async load(): Promise<void> {
    const widget = this.widget;
    const token = ++this.loadToken;
    this.element = null;
    if (!widget) return;
    this.status = 'loading';
    try {
      const element = await loadWidget(widget);
      // A newer descriptor may have arrived while this one was loading; its result wins.
      if (token !== this.loadToken) return;
      this.element = element;
      this.status = 'ready';
    } catch (error) {
      if (token !== this.loadToken) return;
      console.error(`Widget ${widget.plugin}/${widget.id} failed to load`, error);
      this.status = 'error';
    }
  }

  override render() {
    const widget = this.widget;
    if (!widget) return nothing;
    return html`
      <article class="card" data-testid="widget-${widget.id}" aria-busy=${this.status === 'loading'}>
        <header><h3>${widget.title}</h3></header>
        <div class="content">
          ${this.status === 'loading' ? html`<p class="muted">${t('widgets.loading')}</p>` : nothing}
          ${this.status === 'error' ? html`<p class="alert alert-danger" role="alert">${t('widgets.loadFailed')}</p>` : nothing}
          ${this.status === 'ready' ? this.element : nothing}
        </div>
      </article>
    `;
  }
}

customElements.define('gf-widget-host', WidgetHost);
