/**
 * A page contributed by a plugin, inside the shell: the page title, then the plugin's element, loaded from its
 * module like a widget. A failing plugin shows a contained error instead of breaking the shell. The element
 * receives the values of the path's `:name` segments as its `params` property.
 * @module
 */
import { css, html, nothing } from 'lit';
import type { PageContribution } from '../api/plugins.js';
import { t } from '../i18n/i18n.js';
import { LocalizedElement } from '../i18n/localized-element.js';
import { pageStyles, sharedStyles } from '../theme/shared-styles.js';
import { loadWidget, sameWidgetElement } from '../widgets/widget-loader.js';

type Status = 'loading' | 'ready' | 'error';

export class PluginPage extends LocalizedElement {
  static override properties = {
    page: { attribute: false },
    params: { attribute: false },
    status: { state: true },
  };

  declare page: PageContribution | null;
  declare params: Record<string, string>;
  declare status: Status;
  private element: (HTMLElement & { params?: Record<string, string> }) | null = null;
  private loadToken = 0;

  constructor() {
    super();
    this.page = null;
    this.params = {};
    this.status = 'loading';
  }

  static override styles = [
    sharedStyles,
    pageStyles,
    css`
      .content {
        padding: var(--gf-space-5);
      }

      .alert {
        margin: 0;
      }
    `,
  ];

  protected override willUpdate(changed: Map<PropertyKey, unknown>): void {
    if (changed.has('page')) {
      const previous = (changed.get('page') as PageContribution | null | undefined) ?? null;
      if (!sameWidgetElement(previous, this.page) || !this.element) void this.load();
    }
    if (changed.has('params') && this.element) this.element.params = this.params;
  }

  private async load(): Promise<void> {
    const page = this.page;
    const token = ++this.loadToken;
    this.element = null;
    if (!page) return;
    this.status = 'loading';
    try {
      const element = await loadWidget(page);
      if (token !== this.loadToken) return;
      (element as HTMLElement & { params?: Record<string, string> }).params = this.params;
      this.element = element;
      this.status = 'ready';
    } catch (error) {
      if (token !== this.loadToken) return;
      console.error(`Plugin page ${page.plugin}/${page.id} failed to load`, error);
      this.status = 'error';
    }
  }

  override render() {
    const page = this.page;
    if (!page) return nothing;
    return html`
      <div class="page" data-testid="plugin-page-${page.plugin}-${page.id}">
        <div class="page-header">
          <div><h1>${page.title}</h1></div>
        </div>
        <section class="card content" aria-busy=${this.status === 'loading'}>
          ${this.status === 'loading' ? html`<p class="muted">${t('pluginPage.loading')}</p>` : nothing}
          ${
            this.status === 'error'
              ? html`<p class="alert alert-danger" role="alert" data-testid="plugin-page-error">
                  ${t('pluginPage.loadFailed')}
                </p>`
              : nothing
          }
          ${this.status === 'ready' ? this.element : nothing}
        </section>
      </div>
    `;
  }
}

customElements.define('gf-plugin-page', PluginPage);
