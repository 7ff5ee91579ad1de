/**
 * `GoatflowWidget`: the Lit base class of plugin widgets. It loads the widget's data from the plugin's routes,
 * shows accessible loading and error states (with Retry), refreshes on an interval while the page is visible,
 * styles itself with the shell's theme tokens and translates its chrome into the page's language.
 * @module
 */
import {
  type CSSResultGroup,
  html,
  LitElement,
  nothing,
  type PropertyDeclarations,
  type PropertyValues,
} from 'lit';
import { ApiRequestError } from './api-request-error.js';
import { documentLocale, observeDocumentLocale } from './document-locale.js';
import { createWidgetApi, type WidgetApi } from './widget-api.js';
import { translate, type WidgetMessageParams, type WidgetMessages } from './widget-i18n.js';
import { widgetStyles } from './widget-styles.js';

/** Where a widget's data stands: being (re)loaded, shown, or failed to load. */
export type WidgetState = 'loading' | 'ready' | 'error';

/** The shortest refresh interval a widget accepts, so a typo cannot hammer the plugin. */
export const MIN_REFRESH_SECONDS = 1;

/**
 * The messages of the chrome `GoatflowWidget` renders itself. A subclass's `static messages` may override any
 * of these keys (e.g. to say "Loading tickets…").
 */
export const WIDGET_CHROME_MESSAGES: WidgetMessages = {
  en: {
    'goatflow.widget.loading': 'Loading…',
    'goatflow.widget.loadFailed': 'This widget could not load its data.',
    'goatflow.widget.retry': 'Retry',
  },
  de: {
    'goatflow.widget.loading': 'Wird geladen…',
    'goatflow.widget.loadFailed': 'Dieses Widget konnte seine Daten nicht laden.',
    'goatflow.widget.retry': 'Erneut versuchen',
  },
};

/**
 * Base class for GoatFlow plugin widgets, generic in the data `T` the widget shows.
 *
 * A subclass sets `static pluginId`, implements {@link GoatflowWidget.load} (fetch the data, usually with
 * `this.api.get(…)`) and {@link GoatflowWidget.renderContent} (render it), and registers itself with
 * `customElements.define`. The base class does the rest: it loads when connected, shows a loading state, then
 * the content or an error with a Retry button; `refresh()` reloads (the dashboard calls it every
 * `refreshSeconds` of the manifest) while the last data stays on screen; an in-flight load is aborted when a
 * newer one starts or the element leaves the page.
 *
 * @example
 * ```ts
 * class OpenTickets extends GoatflowWidget<{ count: number }> {
 *   static override pluginId = 'tickets';
 *   static override messages = { en: { open: '{{count}} open' }, de: { open: '{{count}} offen' } };
 *   static override styles = [GoatflowWidget.styles, css`.count { font-size: var(--gf-font-size-xl); }`];
 *   protected override load(signal: AbortSignal) {
 *     return this.api.get<{ count: number }>('/open-count', { signal });
 *   }
 *   protected override renderContent(data: { count: number }) {
 *     return html`<p class="count">${this.t('open', { count: data.count })}</p>`;
 *   }
 * }
 * customElements.define('tickets-open-count', OpenTickets);
 * ```
 *
 * Reactive class fields in a subclass must be declared with `declare` (or Lit decorators), as in any Lit
 * element compiled with standard class fields.
 */
export abstract class GoatflowWidget<T = unknown> extends LitElement {
  /**
   * The id of the plugin this widget belongs to: relative paths given to {@link GoatflowWidget.api} address its
   * routes under `/api/plugins/<pluginId>`. The `plugin-id` attribute overrides it per element; without
   * either, the `data-plugin` attribute the GoatFlow shell sets on the widgets it creates is used.
   */
  static pluginId: string | undefined;

  /** The widget's own messages by language, for {@link GoatflowWidget.t}: `{en: {...}, de: {...}}`. */
  static messages: WidgetMessages = {};

  /** Theme-token base styles; extend with `static styles = [GoatflowWidget.styles, css\`…\`]`. */
  static override styles: CSSResultGroup = widgetStyles;

  /** The reactive properties (Lit); a subclass's own `static properties` are added to these. */
  static override properties: PropertyDeclarations = {
    pluginId: { type: String, attribute: 'plugin-id' },
    refreshSeconds: { type: Number, attribute: 'refresh-seconds' },
    currentState: { state: true },
    currentData: { state: true },
    currentError: { state: true },
    currentLocale: { state: true },
  };

  /** Overrides the class's `static pluginId` for this element (attribute `plugin-id`). */
  declare pluginId: string | undefined;

  /**
   * Reload every this many seconds (attribute `refresh-seconds`) while the element is on the page and the page
   * is visible; `undefined`, `null` or `0` for never. Values under {@link MIN_REFRESH_SECONDS} count as that.
   * On the dashboard the shell already calls `refresh()` every `refreshSeconds` of the manifest; set this for
   * widgets used where nothing else refreshes them, such as a plugin's page.
   */
  declare refreshSeconds: number | null | undefined;

  declare private currentState: WidgetState;
  declare private currentData: T | undefined;
  declare private currentError: unknown;
  declare private currentLocale: string;

  /** Whether `currentData` holds a loaded value (which may itself be `undefined`). */
  private hasData = false;
  private controller: AbortController | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private lastSettledAt = 0;
  private stopObservingLocale: (() => void) | undefined;
  private client: WidgetApi | undefined;

  constructor() {
    super();
    this.pluginId = undefined;
    this.refreshSeconds = undefined;
    this.currentState = 'loading';
    this.currentData = undefined;
    this.currentError = undefined;
    this.currentLocale = typeof document === 'undefined' ? 'en' : documentLocale();
  }

  /** Where the data stands; the element re-renders when it changes. */
  get state(): WidgetState {
    return this.currentState;
  }

  /** The last data loaded, kept while a refresh runs and after a refresh fails; `undefined` before the first. */
  get data(): T | undefined {
    return this.currentData;
  }

  /** Why the last load failed (usually an {@link ApiRequestError}); `undefined` unless `state` is `error`. */
  get error(): unknown {
    return this.currentError;
  }

  /** The page's language (`<html lang>`, e.g. `de`); the element re-renders when it changes. */
  get locale(): string {
    return this.currentLocale;
  }

  /**
   * The client of this widget's plugin routes: `this.api.get('/greeting')` requests
   * `/api/plugins/<pluginId>/greeting`; writes carry the session's CSRF token; failures are
   * {@link ApiRequestError}s.
   */
  get api(): WidgetApi {
    this.client ??= createWidgetApi({ pluginId: () => this.resolvePluginId() });
    return this.client;
  }

  /**
   * Translates one of the widget's messages into the page's language, filling in `{{param}}` placeholders.
   * Looks in the subclass's `static messages`, then the base chrome messages, for the page's language, its
   * base language (`de` for `de-AT`) and English, in that order; returns the key when nothing matches.
   * @param key - the message key
   * @param params - values for the placeholders
   */
  t(key: string, params?: WidgetMessageParams): string {
    const own = (this.constructor as typeof GoatflowWidget).messages;
    return translate([own, WIDGET_CHROME_MESSAGES], this.currentLocale, key, params);
  }

  /**
   * Loads the data again. Aborts a load still running, keeps the last data on screen while it waits, and
   * resolves when this load has finished (or was itself superseded). Never rejects: a failure is shown as the
   * error state and kept in `error`.
   */
  refresh(): Promise<void> {
    this.controller?.abort();
    const controller = new AbortController();
    this.controller = controller;
    this.clearTimer();
    this.currentState = 'loading';
    return this.runLoad(controller);
  }

  /**
   * Fetches the widget's data. Pass `signal` on to `this.api` calls so an aborted load stops its requests.
   * @param signal - aborted when a newer load starts or the element leaves the page
   */
  protected abstract load(signal: AbortSignal): Promise<T>;

  /**
   * Renders the loaded data (a Lit template). Called whenever the element renders with data, including while a
   * refresh runs and after one failed.
   * @param data - the last data `load()` resolved with
   */
  protected abstract renderContent(data: T): unknown;

  /** Renders the loading state shown before the first data arrives; override to show a skeleton instead. */
  protected renderLoading(): unknown {
    return html`<div class="gf-widget-status" part="loading" role="status" aria-busy="true">
      <span class="gf-widget-spinner" aria-hidden="true"></span>
      <span>${this.t('goatflow.widget.loading')}</span>
    </div>`;
  }

  /**
   * Renders the error state: what failed and a Retry button. Shown above the last data when there is some.
   * @param error - why the load failed
   */
  protected renderError(error: unknown): unknown {
    const detail = errorText(error);
    return html`<div class="gf-widget-error" part="error" role="alert">
      <p class="gf-widget-error-title">${this.t('goatflow.widget.loadFailed')}</p>
      ${detail ? html`<p class="gf-widget-error-detail" part="error-detail">${detail}</p>` : nothing}
      <button type="button" class="gf-widget-button" part="retry" @click=${this.onRetry}>
        ${this.t('goatflow.widget.retry')}
      </button>
    </div>`;
  }

  /** Chooses between the loading state, the error state and the content; subclasses render through the hooks. */
  protected override render(): unknown {
    const error = this.currentState === 'error' ? this.renderError(this.currentError) : nothing;
    if (!this.hasData) return this.currentState === 'error' ? error : this.renderLoading();
    return html`${error}<div
        class="gf-widget-content"
        part="content"
        aria-busy=${this.currentState === 'loading' ? 'true' : 'false'}
      >
        ${this.renderContent(this.currentData as T)}
      </div>`;
  }

  /** Starts following the page's language and visibility, and loads the data (again, after a reconnect). */
  override connectedCallback(): void {
    super.connectedCallback();
    this.currentLocale = documentLocale();
    this.stopObservingLocale = observeDocumentLocale((locale) => {
      this.currentLocale = locale;
    });
    document.addEventListener('visibilitychange', this.onVisibilityChange);
    void this.refresh();
  }

  /** Stops the timer and the observers, and aborts the load in flight. */
  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.stopObservingLocale?.();
    this.stopObservingLocale = undefined;
    document.removeEventListener('visibilitychange', this.onVisibilityChange);
    this.clearTimer();
    // Whatever was loading is of no use to an element off the page; connecting again loads afresh.
    this.controller?.abort();
    this.controller = undefined;
  }

  /**
   * Re-arms the refresh timer when `refreshSeconds` changes; a subclass overriding this must call `super`.
   * @param changed - the properties that changed in this update
   */
  protected override updated(changed: PropertyValues): void {
    super.updated(changed);
    if (changed.has('refreshSeconds')) this.scheduleRefresh();
  }

  private resolvePluginId(): string | undefined {
    return this.pluginId || (this.constructor as typeof GoatflowWidget).pluginId || this.dataset.plugin;
  }

  private async runLoad(controller: AbortController): Promise<void> {
    try {
      const data = await this.load(controller.signal);
      // A newer load, or leaving the page, superseded this one: its result must not overwrite anything.
      if (this.controller !== controller) return;
      this.currentData = data;
      this.hasData = true;
      this.currentError = undefined;
      this.currentState = 'ready';
    } catch (error) {
      if (this.controller !== controller) return;
      this.currentError = error;
      this.currentState = 'error';
    } finally {
      if (this.controller === controller) {
        this.controller = undefined;
        this.lastSettledAt = Date.now();
        this.scheduleRefresh();
      }
    }
  }

  /** Arms the timer for the next refresh, counted from the end of the last load (so slow loads never pile up). */
  private scheduleRefresh(): void {
    this.clearTimer();
    const seconds = this.refreshSeconds;
    if (!seconds || !Number.isFinite(seconds) || seconds <= 0) return;
    if (!this.isConnected || this.controller || document.visibilityState === 'hidden') return;
    const interval = Math.max(seconds, MIN_REFRESH_SECONDS) * 1000;
    const wait = Math.max(0, this.lastSettledAt + interval - Date.now());
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.refresh();
    }, wait);
  }

  private clearTimer(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** A hidden page pauses the timer; when it shows again an overdue refresh runs at once. */
  private readonly onVisibilityChange = (): void => {
    if (document.visibilityState === 'hidden') this.clearTimer();
    else this.scheduleRefresh();
  };

  private readonly onRetry = (): void => {
    void this.refresh();
  };
}

/** The text to show for a failed load: the server's message for API errors, the message of any other error. */
function errorText(error: unknown): string {
  if (error instanceof ApiRequestError || error instanceof Error) return error.message;
  return typeof error === 'string' ? error : '';
}
