/**
 * One widget in a slot: a titled card that loads the plugin's element and shows a contained error if the plugin
 * fails, so one broken plugin cannot take the dashboard down with it. A widget with `refreshSeconds` is
 * refreshed that often: its element's `refresh()` is called when it has one, otherwise a new element replaces it.
 * @module
 */
import { css, html, nothing } from 'lit';
import { t } from '../i18n/i18n.js';
import { LocalizedElement } from '../i18n/localized-element.js';
import { sharedStyles } from '../theme/shared-styles.js';
import {
  createWidgetElement,
  loadWidget,
  sameWidgetElement,
  type WidgetDescriptor,
} from '../widgets/widget-loader.js';

type Status = 'loading' | 'ready' | 'error';

type RefreshableElement = HTMLElement & { refresh?: () => unknown };

export class WidgetHost extends LocalizedElement {
  static override properties = {
    widget: { attribute: false },
    status: { state: true },
  };

  declare widget: WidgetDescriptor | null;
  declare status: Status;
  private element: RefreshableElement | null = null;
  private loadToken = 0;
  private refreshTimer: ReturnType<typeof setInterval> | undefined;

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
        overflow: hidden;
      }

      header {
        display: flex;
        align-items: center;
        gap: var(--gf-space-2);
        padding: var(--gf-space-3) var(--gf-space-4);
        border-bottom: var(--gf-border-width) solid var(--gf-color-border);
      }

      h3 {
        font-size: var(--gf-font-size-md);
        min-width: 0;
        overflow: hidden;
        text-overflow: ellipsis;
        white-space: nowrap;
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

  override connectedCallback(): void {
    super.connectedCallback();
    this.scheduleRefresh();
  }

  override disconnectedCallback(): void {
    clearInterval(this.refreshTimer);
    this.refreshTimer = undefined;
    super.disconnectedCallback();
  }

  protected override willUpdate(changed: Map<PropertyKey, unknown>): void {
    if (!changed.has('widget')) return;
    const previous = (changed.get('widget') as WidgetDescriptor | null | undefined) ?? null;
    // A reloaded contribution list brings new objects; only a different element needs loading again.
    if (!sameWidgetElement(previous, this.widget) || !this.element) void this.load();
    if (previous?.refreshSeconds !== this.widget?.refreshSeconds) this.scheduleRefresh();
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

  private scheduleRefresh(): void {
    clearInterval(this.refreshTimer);
    this.refreshTimer = undefined;
    const seconds = this.widget?.refreshSeconds;
    if (!seconds || !this.isConnected) return;
    this.refreshTimer = setInterval(() => this.refreshWidget(), seconds * 1000);
  }

  private refreshWidget(): void {
    const widget = this.widget;
    const element = this.element;
    if (!widget || !element || this.status !== 'ready') return;
    try {
      if (typeof element.refresh === 'function') {
        void Promise.resolve(element.refresh()).catch((error: unknown) =>
          console.error(`Widget ${widget.plugin}/${widget.id} failed to refresh`, error),
        );
      } else {
        this.element = createWidgetElement(widget);
        this.requestUpdate();
      }
    } catch (error) {
      console.error(`Widget ${widget.plugin}/${widget.id} failed to refresh`, error);
    }
  }

  override render() {
    const widget = this.widget;
    if (!widget) return nothing;
    return html`
      <article
        class="card"
        data-testid="widget-${widget.plugin}-${widget.id}"
        aria-labelledby="title"
        aria-busy=${this.status === 'loading'}
      >
        <header><h3 id="title" title=${widget.title}>${widget.title}</h3></header>
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
