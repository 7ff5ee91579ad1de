/**
 * The application shell: holds the session, maps the URL to a page and enforces the two routing rules that
 * depend on who is signed in (anonymous users go to login, non-admins never see admin pages). It also holds what
 * the enabled plugins contribute (widgets, menu entries, pages), loaded at sign-in, whenever the dashboard is
 * shown, when the language changes (the kernel translates the labels) and when a page announces a change.
 * @module
 */
import { css, html } from 'lit';
import { fetchSession } from '../api/auth.js';
import { ApiError, onUnauthenticated, setCsrfToken } from '../api/client.js';
import { fetchContributions } from '../api/plugins.js';
import type { Session, User } from '../api/types.js';
import { browserLanguage, setLanguage, t } from '../i18n/i18n.js';
import { LocalizedElement } from '../i18n/localized-element.js';
import {
  CONTRIBUTIONS_STALE_EVENT,
  ContributionStore,
  matchPluginPage,
  type PageMatch,
  widgetsBySlot,
} from '../plugins/contributions.js';
import { sharedStyles } from '../theme/shared-styles.js';
import {
  currentPath,
  interceptLinkClick,
  loginPathFor,
  matchRoute,
  NAVIGATE_EVENT,
  navigate,
  normalizePath,
  type Route,
  type RouteName,
  safeNextPath,
} from './router.js';
import '../components/app-header.js';
import '../pages/admin-groups-page.js';
import '../pages/admin-plugins-page.js';
import '../pages/admin-users-page.js';
import '../pages/api-reference-page.js';
import '../pages/dashboard-page.js';
import '../pages/login-page.js';
import '../pages/not-found-page.js';
import '../pages/plugin-page.js';

/** Title keys of the built-in pages; a plugin page's title comes translated from the kernel. */
const PAGE_TITLE_KEYS: Record<Exclude<RouteName, 'plugin-page'>, string> = {
  login: 'login.pageTitle',
  dashboard: 'dashboard.pageTitle',
  'admin-users': 'users.pageTitle',
  'admin-groups': 'groups.pageTitle',
  'admin-plugins': 'pluginAdmin.pageTitle',
  'api-reference': 'apiReference.pageTitle',
  'not-found': 'notFound.pageTitle',
};

/** What the main area shows: a route, or a wait for the plugin pages before an unknown path is called unknown. */
type View = { name: RouteName; page?: PageMatch } | { name: 'pending' };

export class GfApp extends LocalizedElement {
  static override properties = {
    user: { state: true },
    booting: { state: true },
    bootNoticeKey: { state: true },
    route: { state: true },
    path: { state: true },
  };

  declare user: User | null;
  declare booting: boolean;
  /** Kept as a key, not a string, so the notice follows a language switch on the login page. */
  declare bootNoticeKey: string;
  declare route: Route;
  declare path: string;

  private readonly contributions = new ContributionStore(
    () => fetchContributions(),
    () => this.requestUpdate(),
  );

  constructor() {
    super();
    this.user = null;
    this.booting = true;
    this.bootNoticeKey = '';
    this.route = matchRoute(window.location.pathname);
    this.path = normalizePath(window.location.pathname);
  }

  static override styles = [
    sharedStyles,
    css`
      :host {
        display: block;
        min-height: 100vh;
      }

      .booting {
        display: flex;
        align-items: center;
        justify-content: center;
        min-height: 100vh;
        color: var(--gf-color-text-muted);
      }

      .pending {
        padding: var(--gf-space-7) var(--gf-space-5);
        text-align: center;
        color: var(--gf-color-text-muted);
      }

      .skip {
        position: absolute;
        left: var(--gf-space-2);
        top: var(--gf-space-2);
        z-index: 100;
        padding: var(--gf-space-2) var(--gf-space-3);
        border-radius: var(--gf-radius);
        background: var(--gf-color-surface);
        color: var(--gf-color-primary);
        box-shadow: var(--gf-shadow-lg);
      }

      /* Out of sight until focused, but still focusable and read out (clip-path also hides its shadow). */
      .skip:not(:focus) {
        clip-path: inset(50%);
      }

      main:focus {
        outline: none;
      }
    `,
  ];

  private readonly onLocationChange = (): void => this.applyRoute();
  private readonly onClick = (event: MouseEvent): void => interceptLinkClick(event);
  private readonly onContributionsStale = (): void => {
    if (this.user) void this.contributions.load({ fresh: true });
  };

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener('popstate', this.onLocationChange);
    window.addEventListener(NAVIGATE_EVENT, this.onLocationChange);
    this.addEventListener('click', this.onClick);
    this.addEventListener(CONTRIBUTIONS_STALE_EVENT, this.onContributionsStale);
    onUnauthenticated(() => this.sessionExpired());
    void this.bootstrap();
  }

  override disconnectedCallback(): void {
    window.removeEventListener('popstate', this.onLocationChange);
    window.removeEventListener(NAVIGATE_EVENT, this.onLocationChange);
    this.removeEventListener('click', this.onClick);
    this.removeEventListener(CONTRIBUTIONS_STALE_EVENT, this.onContributionsStale);
    onUnauthenticated(null);
    super.disconnectedCallback();
  }

  private async bootstrap(): Promise<void> {
    try {
      const session = await fetchSession();
      await this.startSession(session.user);
    } catch (error) {
      // Anything but "no session" means the kernel could not answer; the login page is still the best place to be.
      if (!(error instanceof ApiError && error.status === 401))
        this.bootNoticeKey = 'login.serverUnreachable';
    }
    this.booting = false;
    this.applyRoute();
  }

  private async startSession(user: User): Promise<void> {
    this.user = user;
    this.bootNoticeKey = '';
    // Not awaited: the shell can show itself while the plugin parts arrive.
    void this.contributions.load({ fresh: true });
    await setLanguage(user.locale);
  }

  private endSession(): void {
    this.user = null;
    this.contributions.clear();
    setCsrfToken(null);
  }

  /** Brings the URL in line with the session; every navigation passes through here. */
  private applyRoute(): void {
    const previous = this.route;
    this.route = matchRoute(window.location.pathname);
    this.path = normalizePath(window.location.pathname);
    if (this.booting) return;
    if (this.route.name === 'login' && this.user) {
      navigate(safeNextPath(new URLSearchParams(window.location.search).get('next')), { replace: true });
    } else if (this.route.requiresAuth && !this.user) {
      navigate(loginPathFor(currentPath()), { replace: true });
    } else if (this.user && this.route.name === 'dashboard' && previous.name !== 'dashboard') {
      // Back on the dashboard: plugins may have been enabled or disabled meanwhile (by anyone), so look again.
      void this.contributions.load();
    }
  }

  private sessionExpired(): void {
    if (!this.user) return;
    this.endSession();
    navigate(loginPathFor(currentPath()), { replace: true });
  }

  private async onLoggedIn(event: CustomEvent<Session>): Promise<void> {
    await this.startSession(event.detail.user);
    navigate(safeNextPath(new URLSearchParams(window.location.search).get('next')), { replace: true });
  }

  private async onLoggedOut(): Promise<void> {
    this.endSession();
    await setLanguage(browserLanguage());
    navigate('/login');
  }

  private async onUserUpdated(event: CustomEvent<{ user: User }>): Promise<void> {
    const localeChanged = event.detail.user.locale !== this.user?.locale;
    this.user = event.detail.user;
    // The kernel translates plugin titles and labels into the user's language, so a new language needs them anew.
    if (localeChanged) void this.contributions.load({ fresh: true });
    await setLanguage(event.detail.user.locale);
  }

  private skipToMain(event: Event): void {
    event.preventDefault();
    this.renderRoot.querySelector<HTMLElement>('main')?.focus();
  }

  protected override updated(): void {
    document.title = this.booting ? t('app.name') : t('app.documentTitle', { page: this.pageTitle() });
  }

  private pageTitle(): string {
    const view = this.visibleView();
    if (view.name === 'pending') return t('app.loadingPage');
    if (view.name === 'plugin-page' && view.page) return view.page.page.title;
    return t(PAGE_TITLE_KEYS[view.name === 'plugin-page' ? 'not-found' : view.name]);
  }

  /**
   * What is actually shown, after the session rules (admin pages are "not found" for everybody else). A path no
   * built-in page claims may belong to a plugin page; until the plugin pages are known it is neither.
   */
  private visibleView(): View {
    if (!this.user || this.route.name === 'login') return { name: 'login' };
    if (this.route.requiresAdmin && !this.user.isAdmin) return { name: 'not-found' };
    if (this.route.name !== 'not-found') return { name: this.route.name };
    const page = matchPluginPage(this.contributions.contributions.pages, this.path);
    if (page) return { name: 'plugin-page', page };
    return this.contributions.loaded ? { name: 'not-found' } : { name: 'pending' };
  }

  private renderPage(view: View) {
    const { contributions, failed } = this.contributions;
    switch (view.name) {
      case 'pending':
        return html`<div class="pending" role="status">${t('app.loadingPage')}</div>`;
      case 'dashboard':
        return html`<gf-dashboard-page
          .user=${this.user}
          .widgets=${widgetsBySlot(contributions.widgets)}
          ?widgetsFailed=${failed}
        ></gf-dashboard-page>`;
      case 'admin-users':
        return html`<gf-admin-users-page></gf-admin-users-page>`;
      case 'admin-groups':
        return html`<gf-admin-groups-page></gf-admin-groups-page>`;
      case 'admin-plugins':
        return html`<gf-admin-plugins-page></gf-admin-plugins-page>`;
      case 'api-reference':
        return html`<gf-api-reference-page></gf-api-reference-page>`;
      case 'plugin-page':
        if (view.page) {
          return html`<gf-plugin-page .page=${view.page.page} .params=${view.page.params}></gf-plugin-page>`;
        }
        return html`<gf-not-found-page></gf-not-found-page>`;
      default:
        return html`<gf-not-found-page></gf-not-found-page>`;
    }
  }

  override render() {
    if (this.booting) {
      return html`<div class="booting" role="status">${t('app.loading')}</div>`;
    }
    const view = this.visibleView();
    if (view.name === 'login') {
      return html`<gf-login-page
        .notice=${this.bootNoticeKey ? t(this.bootNoticeKey) : ''}
        @gf-logged-in=${this.onLoggedIn}
      ></gf-login-page>`;
    }
    return html`
      <a class="skip" href="#main" @click=${this.skipToMain}>${t('app.skipToContent')}</a>
      <gf-app-header
        .user=${this.user}
        .menu=${this.contributions.contributions.menu}
        route=${view.name === 'pending' ? 'not-found' : view.name}
        path=${this.path}
        @gf-logged-out=${this.onLoggedOut}
        @gf-user-updated=${this.onUserUpdated}
      ></gf-app-header>
      <main id="main" tabindex="-1">${this.renderPage(view)}</main>
    `;
  }
}

customElements.define('gf-app', GfApp);
