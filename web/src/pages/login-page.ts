/**
 * The sign-in page. It reports success with a `gf-logged-in` event and leaves routing to the app shell, which
 * knows where the user originally wanted to go.
 * @module
 */
import { css, html, nothing } from 'lit';
import { login, SecondFactorRequiredError } from '../api/auth.js';
import { ApiError } from '../api/client.js';
import { currentLanguage, isLanguage, LANGUAGES, setLanguage, t } from '../i18n/i18n.js';
import { LocalizedElement } from '../i18n/localized-element.js';
import { sharedStyles } from '../theme/shared-styles.js';
import '../components/brand-logo.js';

function loginErrorKey(error: unknown): string {
  if (error instanceof SecondFactorRequiredError) return 'login.errors.second_factor_required';
  if (!(error instanceof ApiError)) return 'login.errors.generic';
  switch (error.status) {
    case 401:
      return 'login.errors.invalid_credentials';
    case 429:
      return 'login.errors.rate_limited';
    case 400:
      return 'login.errors.validation_failed';
    default:
      return 'login.errors.generic';
  }
}

export class LoginPage extends LocalizedElement {
  static override properties = {
    notice: { type: String },
    submitting: { state: true },
    errorKey: { state: true },
  };

  /** A problem found before the user did anything, such as the kernel being unreachable at start-up. */
  declare notice: string;
  declare submitting: boolean;
  declare errorKey: string;

  constructor() {
    super();
    this.notice = '';
    this.submitting = false;
    this.errorKey = '';
  }

  static override styles = [
    sharedStyles,
    css`
      :host {
        display: block;
        min-height: 100vh;
        background:
          linear-gradient(var(--gf-color-header-bg), var(--gf-color-header-bg)) top / 100% var(--gf-size-login-banner) no-repeat,
          var(--gf-color-bg);
      }

      main {
        display: flex;
        flex-direction: column;
        align-items: center;
        padding: var(--gf-space-7) var(--gf-space-4) var(--gf-space-6);
      }

      .brand {
        --gf-brand-logo-size: var(--gf-size-logo-lg);
        color: var(--gf-color-header-text);
        margin-bottom: var(--gf-space-5);
      }

      .card {
        width: min(var(--gf-size-login-card), 100%);
        padding: var(--gf-space-6);
        box-shadow: var(--gf-shadow-lg);
      }

      .intro {
        margin-bottom: var(--gf-space-5);
      }

      .intro p {
        margin-top: var(--gf-space-1);
        color: var(--gf-color-text-muted);
      }

      .btn-primary {
        min-height: var(--gf-size-control-lg);
        margin-top: var(--gf-space-1);
      }

      footer {
        display: flex;
        align-items: center;
        justify-content: space-between;
        gap: var(--gf-space-4);
        width: min(var(--gf-size-login-card), 100%);
        margin-top: var(--gf-space-4);
        color: var(--gf-color-text-muted);
        font-size: var(--gf-font-size-sm);
      }

      footer label {
        display: inline-flex;
        align-items: center;
        gap: var(--gf-space-2);
      }

      footer .select {
        width: auto;
        min-height: var(--gf-size-control-compact);
        padding: var(--gf-space-1) var(--gf-space-2);
        font-size: var(--gf-font-size-sm);
      }
    `,
  ];

  protected override firstUpdated(): void {
    this.renderRoot.querySelector<HTMLInputElement>('#login')?.focus();
  }

  private async submit(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    if (this.submitting) return;
    const form = event.target as HTMLFormElement;
    const data = new FormData(form);
    this.submitting = true;
    this.errorKey = '';
    try {
      const session = await login(String(data.get('login') ?? ''), String(data.get('password') ?? ''));
      this.dispatchEvent(new CustomEvent('gf-logged-in', { detail: session, bubbles: true, composed: true }));
    } catch (error) {
      this.errorKey = loginErrorKey(error);
      const password = form.elements.namedItem('password');
      if (password instanceof HTMLInputElement) {
        password.value = '';
        if (this.errorKey === 'login.errors.invalid_credentials') password.focus();
      }
    } finally {
      this.submitting = false;
    }
  }

  private async changeLanguage(event: Event): Promise<void> {
    const value = (event.target as HTMLSelectElement).value;
    if (isLanguage(value)) await setLanguage(value);
  }

  override render() {
    const language = currentLanguage();
    return html`
      <main>
        <div class="brand"><gf-brand-logo></gf-brand-logo></div>
        <section class="card" aria-labelledby="login-title">
          <div class="intro">
            <h1 id="login-title">${t('login.title')}</h1>
            <p>${t('login.subtitle')}</p>
          </div>
          <form class="form" data-testid="login-form" novalidate @submit=${this.submit}>
            ${this.notice ? html`<div class="alert alert-warning" role="alert" data-testid="login-notice">${this.notice}</div>` : nothing}
            ${
              this.errorKey
                ? html`<div class="alert alert-danger" role="alert" data-testid="login-error">${t(this.errorKey)}</div>`
                : nothing
            }
            <div class="field">
              <label class="field-label" for="login">${t('login.login')}</label>
              <input
                id="login"
                name="login"
                class="input"
                data-testid="login-input"
                autocomplete="username"
                autocapitalize="none"
                spellcheck="false"
                required
              />
            </div>
            <div class="field">
              <label class="field-label" for="password">${t('login.password')}</label>
              <input
                id="password"
                name="password"
                type="password"
                class="input"
                data-testid="password-input"
                autocomplete="current-password"
                required
              />
            </div>
            <button
              type="submit"
              class="btn btn-primary btn-block"
              data-testid="login-submit"
              ?disabled=${this.submitting}
            >
              ${this.submitting ? t('login.submitting') : t('login.submit')}
            </button>
          </form>
        </section>
        <footer>
          <span>${t('login.footer')}</span>
          <label>
            <span>${t('login.language')}</span>
            <select class="select" data-testid="login-language-select" .value=${language} @change=${this.changeLanguage}>
              ${LANGUAGES.map(
                (code) =>
                  html`<option value=${code} lang=${code} ?selected=${code === language}>${t(`language.${code}`)}</option>`,
              )}
            </select>
          </label>
        </footer>
      </main>
    `;
  }
}

customElements.define('gf-login-page', LoginPage);
