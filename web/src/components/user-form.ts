/**
 * Creates a user or edits one. The kernel is the only validator (the form is `novalidate`), so what the user sees
 * is always the kernel's verdict, shown next to the field it concerns.
 * @module
 */
import { html, nothing } from 'lit';
import { sortFieldErrors } from '../api/field-errors.js';
import { type Locale, USER_TYPES, type User, type UserType } from '../api/types.js';
import { createUser, type UserChanges, updateUser } from '../api/users.js';
import { currentLanguage, isLanguage, LANGUAGES, t } from '../i18n/i18n.js';
import { LocalizedElement } from '../i18n/localized-element.js';
import { sharedStyles } from '../theme/shared-styles.js';
import { renderField } from './field.js';
import { type FormError, formErrorFrom, renderFormError } from './form-error.js';

const FIELDS = ['login', 'type', 'firstName', 'lastName', 'email', 'password', 'locale', 'active'] as const;

export class UserForm extends LocalizedElement {
  static override properties = {
    user: { attribute: false },
    saving: { state: true },
    fieldErrors: { state: true },
    formError: { state: true },
  };

  /** The user being edited; `null` means the form creates a new one. */
  declare user: User | null;
  declare saving: boolean;
  declare fieldErrors: Record<string, string>;
  declare formError: FormError | null;

  constructor() {
    super();
    this.user = null;
    this.saving = false;
    this.fieldErrors = {};
    this.formError = null;
  }

  static override styles = sharedStyles;

  protected override firstUpdated(): void {
    this.renderRoot.querySelector<HTMLInputElement>(this.user ? '#firstName' : '#login')?.focus();
  }

  private cancel(): void {
    this.dispatchEvent(new CustomEvent('gf-cancel', { bubbles: true, composed: true }));
  }

  private changesFrom(data: FormData, user: User): UserChanges {
    const changes: UserChanges = {};
    const firstName = String(data.get('firstName') ?? '');
    const lastName = String(data.get('lastName') ?? '');
    const email = String(data.get('email') ?? '');
    const locale = String(data.get('locale') ?? '');
    const active = data.get('active') === 'on';
    const password = String(data.get('password') ?? '');
    if (firstName !== user.firstName) changes.firstName = firstName;
    if (lastName !== user.lastName) changes.lastName = lastName;
    if (email !== user.email) changes.email = email;
    if (isLanguage(locale) && locale !== user.locale) changes.locale = locale;
    if (active !== user.active) changes.active = active;
    if (password !== '') changes.password = password;
    return changes;
  }

  private async submit(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    if (this.saving) return;
    const data = new FormData(event.target as HTMLFormElement);
    this.saving = true;
    this.fieldErrors = {};
    this.formError = null;
    try {
      let saved: User;
      const existing = this.user;
      if (existing) {
        const changes = this.changesFrom(data, existing);
        saved = Object.keys(changes).length === 0 ? existing : await updateUser(existing.id, changes);
      } else {
        const locale = String(data.get('locale') ?? '');
        saved = await createUser({
          login: String(data.get('login') ?? ''),
          type: String(data.get('type') ?? 'agent') as UserType,
          firstName: String(data.get('firstName') ?? ''),
          lastName: String(data.get('lastName') ?? ''),
          email: String(data.get('email') ?? ''),
          password: String(data.get('password') ?? ''),
          ...(isLanguage(locale) ? { locale } : {}),
        });
      }
      this.dispatchEvent(
        new CustomEvent('gf-saved', {
          detail: { user: saved, created: !existing },
          bubbles: true,
          composed: true,
        }),
      );
    } catch (error) {
      this.showError(error);
    } finally {
      this.saving = false;
    }
  }

  private showError(error: unknown): void {
    const { byField, other } = sortFieldErrors(error, FIELDS);
    this.fieldErrors = byField;
    this.formError = formErrorFrom(error, other);
  }

  private field(name: (typeof FIELDS)[number], testid: string, label: string, hint?: string) {
    return { id: name, label, testid, error: this.fieldErrors[name], hint };
  }

  override render() {
    const user = this.user;
    const editing = user !== null;
    const locale: Locale = user?.locale ?? currentLanguage();
    return html`
      <form class="form" data-testid="user-form" novalidate @submit=${this.submit}>
        ${renderFormError(this.formError, 'user-form-error')}
        <div class="form-grid">
          ${renderField(
            this.field('login', 'user-form-login', t('userForm.login')),
            (a) => html`<input
              id="login"
              name="login"
              class="input"
              data-testid="user-form-login"
              autocomplete="off"
              autocapitalize="none"
              spellcheck="false"
              required
              ?readonly=${editing}
              .value=${user?.login ?? ''}
              aria-describedby=${a.describedBy}
              aria-invalid=${a.invalid}
            />`,
          )}
          ${renderField(
            this.field('type', 'user-form-type', t('userForm.type')),
            (a) => html`<select
              id="type"
              name="type"
              class="select"
              data-testid="user-form-type"
              ?disabled=${editing}
              aria-describedby=${a.describedBy}
              aria-invalid=${a.invalid}
            >
              ${USER_TYPES.map(
                (type) =>
                  html`<option value=${type} ?selected=${type === (user?.type ?? 'agent')}>
                    ${t(`users.types.${type}`)}
                  </option>`,
              )}
            </select>`,
          )}
          ${renderField(
            this.field('firstName', 'user-form-first-name', t('userForm.firstName')),
            (a) => html`<input
              id="firstName"
              name="firstName"
              class="input"
              data-testid="user-form-first-name"
              autocomplete="off"
              required
              .value=${user?.firstName ?? ''}
              aria-describedby=${a.describedBy}
              aria-invalid=${a.invalid}
            />`,
          )}
          ${renderField(
            this.field('lastName', 'user-form-last-name', t('userForm.lastName')),
            (a) => html`<input
              id="lastName"
              name="lastName"
              class="input"
              data-testid="user-form-last-name"
              autocomplete="off"
              required
              .value=${user?.lastName ?? ''}
              aria-describedby=${a.describedBy}
              aria-invalid=${a.invalid}
            />`,
          )}
          ${renderField(
            { ...this.field('email', 'user-form-email', t('userForm.email')), className: 'span-2' },
            (a) => html`<input
              id="email"
              name="email"
              type="email"
              class="input"
              data-testid="user-form-email"
              autocomplete="off"
              required
              .value=${user?.email ?? ''}
              aria-describedby=${a.describedBy}
              aria-invalid=${a.invalid}
            />`,
          )}
          ${renderField(
            editing
              ? this.field(
                  'password',
                  'user-form-password',
                  t('userForm.newPassword'),
                  t('userForm.passwordHint'),
                )
              : this.field('password', 'user-form-password', t('userForm.password')),
            (a) => html`<input
              id="password"
              name="password"
              type="password"
              class="input"
              data-testid="user-form-password"
              autocomplete="new-password"
              ?required=${!editing}
              aria-describedby=${a.describedBy}
              aria-invalid=${a.invalid}
            />`,
          )}
          ${renderField(
            this.field('locale', 'user-form-locale', t('userForm.locale')),
            (a) => html`<select
              id="locale"
              name="locale"
              class="select"
              data-testid="user-form-locale"
              aria-describedby=${a.describedBy}
              aria-invalid=${a.invalid}
            >
              ${LANGUAGES.map(
                (code) =>
                  html`<option value=${code} lang=${code} ?selected=${code === locale}>${t(`language.${code}`)}</option>`,
              )}
            </select>`,
          )}
          ${
            editing
              ? html`<div class="field span-2">
                  <label class="checkbox">
                    <input
                      type="checkbox"
                      name="active"
                      data-testid="user-form-active"
                      .checked=${user.active}
                      aria-describedby="active-hint"
                    />
                    <span>${t('userForm.active')}</span>
                  </label>
                  <span class="field-hint" id="active-hint">${t('userForm.activeHint')}</span>
                  ${
                    this.fieldErrors.active
                      ? html`<span class="field-error" role="alert" data-testid="user-form-active-error"
                          >${this.fieldErrors.active}</span
                        >`
                      : nothing
                  }
                </div>`
              : nothing
          }
        </div>
        <div class="form-actions">
          <button type="button" class="btn" data-testid="user-form-cancel" @click=${this.cancel}>
            ${t('common.cancel')}
          </button>
          <button type="submit" class="btn btn-primary" data-testid="user-form-submit" ?disabled=${this.saving}>
            ${this.saving ? t('common.saving') : editing ? t('userForm.submitEdit') : t('userForm.submitCreate')}
          </button>
        </div>
      </form>
    `;
  }
}

customElements.define('gf-user-form', UserForm);
