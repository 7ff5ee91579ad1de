/**
 * The application shell: holds the session, maps the URL to a page and enforces the two routing rules that
 * depend on who is signed in (anonymous users go to login, non-admins never see admin pages).
 * @module
 */
import { css, html } from 'lit';
import { fetchSession } from '../api/auth.js';
import { ApiError, onUnauthenticated, setCsrfToken } from '../api/client.js';
import type { Session, User } from '../api/types.js';
import { browserLanguage, setLanguage, t } from '../i18n/i18n.js';
import { LocalizedElement } from '../i18n/localized-element.js';
import { sharedStyles } from '../theme/shared-styles.js';
import {
  currentPath,
  interceptLinkClick,
  loginPathFor,
  matchRoute,
  NAVIGATE_EVENT,
  navigate,
  type Route,
  type RouteName,
  safeNextPath,
} from './router.js';
import '../components/app-header.js';
import '../pages/admin-groups-page.js';
import '../pages/admin-users-page.js';
import '../pages/dashboard-page.js';
import '../pages/login-page.js';
import '../pages/not-found-page.js';

const PAGE_TITLE_KEYS: Record<RouteName, string> = {
  login: 'login.pageTitle',
  dashboard: 'dashboard.pageTitle',
  'admin-users': 'users.pageTitle',
  'admin-groups': 'groups.pageTitle',
  'not-found': 'notFound.pageTitle',
};

export class GfApp extends LocalizedElement {
  static override properties = {
    user: { state: true },
    booting: { state: true },
    bootNoticeKey: { state: true },
    route: { state: true },
  };

  declare user: User | null;
  declare booting: boolean;
  /** Kept as a key, not a string, so the notice follows a language switch on the login page. */
  declare bootNoticeKey: string;
  declare route: Route;

  constructor() {
    super();
    this.user = null;
    this.booting = true;
    this.bootNoticeKey = '';
    this.route = matchRoute(window.location.pathname);
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

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener('popstate', this.onLocationChange);
    window.addEventListener(NAVIGATE_EVENT, this.onLocationChange);
    this.addEventListener('click', this.onClick);
    onUnauthenticated(() => this.sessionExpired());
    void this.bootstrap();
  }

  override disconnectedCallback(): void {
    window.removeEventListener('popstate', this.onLocationChange);
    window.removeEventListener(NAVIGATE_EVENT, this.onLocationChange);
    this.removeEventListener('click', this.onClick);
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
    await setLanguage(user.locale);
  }

  private endSession(): void {
    this.user = null;
    setCsrfToken(null);
  }

  /** Brings the URL in line with the session; every navigation passes through here. */
  private applyRoute(): void {
    this.route = matchRoute(window.location.pathname);
    if (this.booting) return;
    if (this.route.name === 'login' && this.user) {
      navigate(safeNextPath(new URLSearchParams(window.location.search).get('next')), { replace: true });
    } else if (this.route.requiresAuth && !this.user) {
      navigate(loginPathFor(currentPath()), { replace: true });
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
    this.user = event.detail.user;
    await setLanguage(event.detail.user.locale);
  }

  private skipToMain(event: Event): void {
    event.preventDefault();
    this.renderRoot.querySelector<HTMLElement>('main')?.focus();
  }

  protected override updated(): void {
    const name = this.booting ? null : this.visibleRoute();
    document.title = name ? t('app.documentTitle', { page: t(PAGE_TITLE_KEYS[name]) }) : t('app.name');
  }

  /** The route actually shown, after the session rules (admin pages are "not found" for everybody else). */
  private visibleRoute(): RouteName {
    if (!this.user || this.route.name === 'login') return 'login';
    if (this.route.requiresAdmin && !this.user.isAdmin) return 'not-found';
    return this.route.name;
  }

  private renderPage(name: RouteName) {
    switch (name) {
      case 'dashboard':
        return html`<gf-dashboard-page .user=${this.user}></gf-dashboard-page>`;
      case 'admin-users':
        return html`<gf-admin-users-page></gf-admin-users-page>`;
      case 'admin-groups':
        return html`<gf-admin-groups-page></gf-admin-groups-page>`;
      default:
        return html`<gf-not-found-page></gf-not-found-page>`;
    }
  }

  override render() {
    if (this.booting) {
      return html`<div class="booting" role="status">${t('app.loading')}</div>`;
    }
    const name = this.visibleRoute();
    if (name === 'login') {
      return html`<gf-login-page
        .notice=${this.bootNoticeKey ? t(this.bootNoticeKey) : ''}
        @gf-logged-in=${this.onLoggedIn}
      ></gf-login-page>`;
    }
    return html`
      <a class="skip" href="#main" @click=${this.skipToMain}>${t('app.skipToContent')}</a>
      <gf-app-header
        .user=${this.user}
        route=${name}
        @gf-logged-out=${this.onLoggedOut}
        @gf-user-updated=${this.onUserUpdated}
      ></gf-app-header>
      <main id="main" tabindex="-1">${this.renderPage(name)}</main>
    `;
  }
}

customElements.define('gf-app', GfApp);
