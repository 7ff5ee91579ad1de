/**
 * The top bar of the signed-in shell: product name, main navigation and the user menu. Admin links are only
 * rendered for admins; hiding them is a convenience, the kernel enforces access. Enabled plugins add entries:
 * `agent` or `customer` ones after the dashboard for that kind of user, `admin` ones under Admin.
 * @module
 */
import { css, html, nothing } from 'lit';
import type { MenuContribution, MenuLocation } from '../api/plugins.js';
import type { User } from '../api/types.js';
import { normalizePath, type RouteName } from '../app/router.js';
import { t } from '../i18n/i18n.js';
import { LocalizedElement } from '../i18n/localized-element.js';
import { menuEntries, menuLocationsFor } from '../plugins/contributions.js';
import { compact } from '../theme/breakpoints.js';
import { sharedStyles } from '../theme/shared-styles.js';
import './brand-logo.js';
import './user-menu.js';

interface NavItem {
  href: string;
  label: string;
  testid: string;
  current: boolean;
}

export class AppHeader extends LocalizedElement {
  static override properties = {
    user: { attribute: false },
    route: { type: String },
    path: { type: String },
    menu: { attribute: false },
  };

  declare user: User | null;
  declare route: RouteName;
  /** The current path, to mark a plugin's menu entry as the current page. */
  declare path: string;
  /** Plugin menu entries the kernel lets this user see. */
  declare menu: MenuContribution[];

  constructor() {
    super();
    this.user = null;
    this.route = 'dashboard';
    this.path = '/';
    this.menu = [];
  }

  static override styles = [
    sharedStyles,
    css`
      :host {
        display: block;
        position: sticky;
        top: 0;
        z-index: 10;
        background: var(--gf-color-header-bg);
        color: var(--gf-color-header-text);
        box-shadow: var(--gf-shadow);
      }

      .bar {
        display: flex;
        align-items: center;
        gap: var(--gf-space-5);
        height: var(--gf-header-height);
        max-width: var(--gf-content-max-width);
        margin: 0 auto;
        padding: 0 var(--gf-space-5);
      }

      .brand {
        display: inline-flex;
        align-items: center;
        color: var(--gf-color-header-text);
        text-decoration: none;
        border-radius: var(--gf-radius);
      }

      nav {
        display: flex;
        align-items: center;
        gap: var(--gf-space-1);
        flex: 1;
        min-width: 0;
        height: 100%;
        overflow-x: auto;
        scrollbar-width: none;
      }

      .group-label {
        margin: 0 var(--gf-space-1) 0 var(--gf-space-3);
        padding-left: var(--gf-space-4);
        border-left: var(--gf-border-width) solid var(--gf-color-header-active);
        line-height: var(--gf-size-nav-label);
        color: var(--gf-color-header-text-muted);
        font-size: var(--gf-font-size-xs);
        font-weight: var(--gf-font-weight-bold);
        text-transform: uppercase;
        letter-spacing: var(--gf-letter-spacing-wider);
      }

      nav a {
        position: relative;
        display: inline-flex;
        align-items: center;
        height: 100%;
        padding: 0 var(--gf-space-3);
        color: var(--gf-color-header-text-muted);
        font-weight: var(--gf-font-weight-medium);
        text-decoration: none;
        white-space: nowrap;
        transition: color var(--gf-transition);
      }

      nav a:hover {
        color: var(--gf-color-header-text);
      }

      nav a[aria-current='page'] {
        color: var(--gf-color-header-text);
      }

      nav a[aria-current='page']::after {
        content: '';
        position: absolute;
        left: var(--gf-space-3);
        right: var(--gf-space-3);
        bottom: 0;
        height: var(--gf-border-width-accent);
        border-radius: var(--gf-border-width-accent) var(--gf-border-width-accent) 0 0;
        background: var(--gf-color-header-accent);
      }

      a:focus-visible {
        outline: none;
        box-shadow: inset 0 0 0 var(--gf-focus-ring-width-inset) var(--gf-color-header-accent);
      }

      @media ${compact} {
        .bar {
          gap: var(--gf-space-3);
          padding: 0 var(--gf-space-3);
        }

        .group-label {
          display: none;
        }

        .brand {
          --gf-brand-wordmark-display: none;
        }
      }
    `,
  ];

  private renderLink(item: NavItem) {
    return html`<a href=${item.href} data-testid=${item.testid} aria-current=${item.current ? 'page' : nothing}
      >${item.label}</a
    >`;
  }

  private builtIn(href: string, route: RouteName, label: string, testid: string): NavItem {
    return { href, label, testid, current: route === this.route };
  }

  private pluginItems(location: MenuLocation): NavItem[] {
    if (!menuLocationsFor(this.user).includes(location)) return [];
    const current = normalizePath(this.path);
    return menuEntries(this.menu, location).map((entry) => ({
      href: entry.path,
      label: entry.label,
      testid: `menu-${entry.plugin}-${entry.id}`,
      current: this.route === 'plugin-page' && normalizePath(entry.path) === current,
    }));
  }

  override render() {
    const mainItems: NavItem[] = [
      this.builtIn('/', 'dashboard', t('nav.dashboard'), 'nav-dashboard'),
      ...(this.user ? this.pluginItems(this.user.type) : []),
    ];
    const adminItems: NavItem[] = [
      this.builtIn('/admin/users', 'admin-users', t('nav.users'), 'nav-admin-users'),
      this.builtIn('/admin/groups', 'admin-groups', t('nav.groups'), 'nav-admin-groups'),
      this.builtIn('/admin/plugins', 'admin-plugins', t('nav.plugins'), 'nav-admin-plugins'),
      ...this.pluginItems('admin'),
    ];
    return html`
      <header class="bar">
        <a class="brand" href="/" aria-label=${t('app.name')}><gf-brand-logo></gf-brand-logo></a>
        <nav aria-label=${t('nav.label')}>
          ${mainItems.map((item) => this.renderLink(item))}
          ${
            this.user?.isAdmin
              ? html`<span class="group-label" aria-hidden="true">${t('nav.admin')}</span>
                  ${adminItems.map((item) => this.renderLink(item))}`
              : nothing
          }
        </nav>
        <gf-user-menu .user=${this.user}></gf-user-menu>
      </header>
    `;
  }
}

customElements.define('gf-app-header', AppHeader);
