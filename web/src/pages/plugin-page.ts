/**
 * A page contributed by a plugin, inside the shell: the page title, then the plugin's element, loaded from its
 * module like a widget. A failing plugin shows a contained error instead of breaking the shell. The element
 * receives the values of the path's `:name` segments as its `params` property and the URL's search parameters as
 * its `query` property (a `URLSearchParams`), both replaced whenever they change: a page that keeps its filters
 * in the URL follows Back and Forward, and links that differ only in the query, without being created anew.
 * @module
 */
import { css, html, nothing } from 'lit';
import type { PageContribution } from '../api/plugins.js';
import { NAVIGATE_EVENT } from '../app/router.js';
import { t } from '../i18n/i18n.js';
import { LocalizedElement } from '../i18n/localized-element.js';
import { pageStyles, sharedStyles } from '../theme/shared-styles.js';
import { loadWidget, sameWidgetElement } from '../widgets/widget-loader.js';

type Status = 'loading' | 'ready' | 'error';

/** The properties the shell sets on a plugin's page element. */
type PageElement = HTMLElement & { params?: Record<string, string>; query?: URLSearchParams };

export class PluginPage extends LocalizedElement {
  static override properties = {
    page: { attribute: false },
    params: { attribute: false },
    query: { state: true },
    status: { state: true },
  };

  declare page: PageContribution | null;
  declare params: Record<string, string>;
  /** The URL's search parameters; a new object whenever the query string changes, so the element sees a change. */
  declare query: URLSearchParams;
  declare status: Status;
  private element: PageElement | null = null;
  /** The query string `query` was made from, to tell a real change from a navigation that kept it. */
  private search: string;
  private loadToken = 0;

  constructor() {
    super();
    this.page = null;
    this.params = {};
    this.search = window.location.search;
    this.query = new URLSearchParams(this.search);
    this.status = 'loading';
  }

  /**
   * The shell re-renders for a new path; a new query string alone (a filter, a page number) changes no route,
   * so the page follows the URL itself, on the same events the shell does.
   */
  private readonly onLocationChange = (): void => {
    if (window.location.search === this.search) return;
    this.search = window.location.search;
    this.query = new URLSearchParams(this.search);
  };

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener('popstate', this.onLocationChange);
    window.addEventListener(NAVIGATE_EVENT, this.onLocationChange);
    this.onLocationChange();
  }

  override disconnectedCallback(): void {
    window.removeEventListener('popstate', this.onLocationChange);
    window.removeEventListener(NAVIGATE_EVENT, this.onLocationChange);
    super.disconnectedCallback();
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
    if (changed.has('query') && this.element) this.element.query = this.query;
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
      const pageElement: PageElement = element;
      pageElement.params = this.params;
      pageElement.query = this.query;
      this.element = pageElement;
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
