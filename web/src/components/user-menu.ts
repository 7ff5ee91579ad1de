/**
 * The signed-in user's menu: who is signed in, language and appearance, the API reference, and logging out. The language is saved
 * to the user's profile (not just the browser) so it follows them to every device.
 * @module
 */
import { css, html, nothing } from 'lit';
import { logout, updateMyLocale } from '../api/auth.js';
import { fullName, type User } from '../api/types.js';
import { isLanguage, LANGUAGES, t } from '../i18n/i18n.js';
import { LocalizedElement } from '../i18n/localized-element.js';
import { narrow } from '../theme/breakpoints.js';
import { sharedStyles } from '../theme/shared-styles.js';
import { getThemeMode, setThemeMode, THEME_MODES, type ThemeMode } from '../theme/theme.js';
import { iconChevronDown, iconLogout } from './icons.js';

export class UserMenu extends LocalizedElement {
  static override properties = {
    user: { attribute: false },
    open: { state: true },
    savingLanguage: { state: true },
    loggingOut: { state: true },
    error: { state: true },
    themeMode: { state: true },
  };

  declare user: User | null;
  declare open: boolean;
  declare savingLanguage: boolean;
  declare loggingOut: boolean;
  declare error: string;
  declare themeMode: ThemeMode;

  constructor() {
    super();
    this.user = null;
    this.open = false;
    this.savingLanguage = false;
    this.loggingOut = false;
    this.error = '';
    this.themeMode = getThemeMode();
  }

  static override styles = [
    sharedStyles,
    css`
      :host {
        position: relative;
        display: block;
      }

      .toggle {
        display: inline-flex;
        align-items: center;
        gap: var(--gf-space-2);
        height: var(--gf-size-control-lg);
        padding: 0 var(--gf-space-2) 0 var(--gf-space-1);
        border: var(--gf-border-width) solid transparent;
        border-radius: var(--gf-radius-pill);
        background: transparent;
        color: var(--gf-color-header-text);
        font: inherit;
        cursor: pointer;
      }

      .toggle:hover,
      .toggle[aria-expanded='true'] {
        background: var(--gf-color-header-hover);
      }

      .toggle:focus-visible {
        outline: none;
        box-shadow: 0 0 0 var(--gf-focus-ring-width) var(--gf-color-focus-ring);
      }

      .avatar {
        display: inline-flex;
        align-items: center;
        justify-content: center;
        width: var(--gf-size-avatar);
        height: var(--gf-size-avatar);
        border-radius: 50%;
        background: var(--gf-color-primary);
        color: var(--gf-color-primary-contrast);
        font-size: var(--gf-font-size-sm);
        font-weight: var(--gf-font-weight-bold);
        letter-spacing: var(--gf-letter-spacing-slight);
      }

      .name {
        font-weight: var(--gf-font-weight-medium);
        max-width: var(--gf-size-menu-name-max);
        overflow: hidden;
        text-overflow: ellipsis;
        white-space: nowrap;
      }

      .panel {
        position: absolute;
        top: calc(100% + var(--gf-space-2));
        right: 0;
        z-index: 20;
        width: var(--gf-size-menu-width);
        padding: var(--gf-space-4);
        display: flex;
        flex-direction: column;
        gap: var(--gf-space-3);
        background: var(--gf-color-surface);
        color: var(--gf-color-text);
        border: var(--gf-border-width) solid var(--gf-color-border);
        border-radius: var(--gf-radius-lg);
        box-shadow: var(--gf-shadow-lg);
      }

      .who {
        display: flex;
        flex-direction: column;
        gap: var(--gf-space-half);
        padding-bottom: var(--gf-space-3);
        border-bottom: var(--gf-border-width) solid var(--gf-color-border);
      }

      .who strong {
        font-size: var(--gf-font-size-lg);
      }

      .who .muted {
        font-size: var(--gf-font-size-sm);
        overflow-wrap: anywhere;
      }

      .who .badge {
        align-self: flex-start;
        margin-top: var(--gf-space-1);
      }

      .logout {
        margin-top: var(--gf-space-1);
      }

      @media ${narrow} {
        .name {
          display: none;
        }
      }
    `,
  ];

  private readonly onDocumentClick = (event: MouseEvent): void => {
    if (this.open && !event.composedPath().includes(this)) this.open = false;
  };

  private readonly onKeydown = (event: KeyboardEvent): void => {
    if (event.key !== 'Escape' || !this.open) return;
    this.open = false;
    this.renderRoot.querySelector<HTMLButtonElement>('.toggle')?.focus();
  };

  override connectedCallback(): void {
    super.connectedCallback();
    document.addEventListener('click', this.onDocumentClick);
    this.addEventListener('keydown', this.onKeydown);
  }

  override disconnectedCallback(): void {
    document.removeEventListener('click', this.onDocumentClick);
    this.removeEventListener('keydown', this.onKeydown);
    super.disconnectedCallback();
  }

  private toggle(): void {
    this.open = !this.open;
    this.error = '';
  }

  private async changeLanguage(event: Event): Promise<void> {
    const select = event.target as HTMLSelectElement;
    const locale = select.value;
    if (!this.user || !isLanguage(locale) || locale === this.user.locale) return;
    this.savingLanguage = true;
    this.error = '';
    try {
      const user = await updateMyLocale(locale);
      this.dispatchEvent(
        new CustomEvent('gf-user-updated', { detail: { user }, bubbles: true, composed: true }),
      );
    } catch {
      select.value = this.user.locale;
      this.error = t('userMenu.languageFailed');
    } finally {
      this.savingLanguage = false;
    }
  }

  /** A link in the panel leads to another page: the shell navigates, the panel closes. */
  private close(): void {
    this.open = false;
  }

  private changeTheme(event: Event): void {
    const mode = (event.target as HTMLSelectElement).value as ThemeMode;
    setThemeMode(mode);
    this.themeMode = mode;
  }

  private async logout(): Promise<void> {
    this.loggingOut = true;
    try {
      await logout();
    } catch {
      // The session is abandoned either way; a failed logout call must not trap the user in the app.
    } finally {
      this.loggingOut = false;
      this.open = false;
      this.dispatchEvent(new CustomEvent('gf-logged-out', { bubbles: true, composed: true }));
    }
  }

  override render() {
    const user = this.user;
    if (!user) return nothing;
    const name = fullName(user);
    const initials =
      `${user.firstName.charAt(0)}${user.lastName.charAt(0)}`.toUpperCase() || user.login.charAt(0);
    return html`
      <div data-testid="user-menu">
        <button
          type="button"
          class="toggle"
          data-testid="user-menu-toggle"
          aria-expanded=${this.open ? 'true' : 'false'}
          aria-controls="user-menu-panel"
          aria-label=${t('userMenu.toggle', { name })}
          @click=${this.toggle}
        >
          <span class="avatar" aria-hidden="true">${initials}</span>
          <span class="name" data-testid="user-menu-name">${name}</span>
          ${iconChevronDown()}
        </button>
        <div class="panel" id="user-menu-panel" ?hidden=${!this.open}>
          <div class="who">
            <strong>${name}</strong>
            <span class="muted">${user.email || user.login}</span>
            ${user.isAdmin ? html`<span class="badge badge-primary">${t('userMenu.administrator')}</span>` : nothing}
          </div>
          <div class="field">
            <label class="field-label" for="language-select">${t('userMenu.language')}</label>
            <select
              id="language-select"
              class="select"
              data-testid="language-select"
              .value=${user.locale}
              ?disabled=${this.savingLanguage}
              @change=${this.changeLanguage}
            >
              ${LANGUAGES.map(
                (language) =>
                  html`<option value=${language} ?selected=${language === user.locale} lang=${language}>
                    ${t(`language.${language}`)}
                  </option>`,
              )}
            </select>
          </div>
          <div class="field">
            <label class="field-label" for="theme-select">${t('userMenu.appearance')}</label>
            <select
              id="theme-select"
              class="select"
              data-testid="theme-select"
              .value=${this.themeMode}
              @change=${this.changeTheme}
            >
              ${THEME_MODES.map(
                (mode) =>
                  html`<option value=${mode} ?selected=${mode === this.themeMode}>${t(`theme.${mode}`)}</option>`,
              )}
            </select>
          </div>
          <a class="btn btn-block" href="/api-reference" data-testid="api-reference-link" @click=${this.close}>
            ${t('apiReference.menuLink')}
          </a>
          ${this.error ? html`<div class="alert alert-danger" role="alert">${this.error}</div>` : nothing}
          <button
            type="button"
            class="btn btn-block logout"
            data-testid="logout-button"
            ?disabled=${this.loggingOut}
            @click=${this.logout}
          >
            ${iconLogout()} ${this.loggingOut ? t('userMenu.loggingOut') : t('userMenu.logout')}
          </button>
        </div>
      </div>
    `;
  }
}

customElements.define('gf-user-menu', UserMenu);
