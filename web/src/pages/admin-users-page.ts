/**
 * User administration: the user list with type filter and search, and the dialogs to create and edit users.
 * @module
 */
import { css, html, nothing } from 'lit';
import { ApiError } from '../api/client.js';
import { fullName, type Permission, USER_TYPES, type User, type UserType } from '../api/types.js';
import { listUsers } from '../api/users.js';
import { errorMessage } from '../i18n/error-message.js';
import { t } from '../i18n/i18n.js';
import { LocalizedElement } from '../i18n/localized-element.js';
import { pageStyles, sharedStyles } from '../theme/shared-styles.js';
import '../components/modal-dialog.js';
import '../components/user-form.js';
import './not-found-page.js';
import { iconPlus, iconSearch } from '../components/icons.js';

/** Long enough to not query on every keystroke, short enough to feel live. */
const SEARCH_DEBOUNCE_MS = 250;

type Dialog = { kind: 'create' } | { kind: 'edit'; user: User } | null;

function permissionLabel(permissions: Permission[]): string {
  return permissions.join('/');
}

export class AdminUsersPage extends LocalizedElement {
  static override properties = {
    users: { state: true },
    total: { state: true },
    loading: { state: true },
    loadError: { state: true },
    hidden404: { state: true },
    typeFilter: { state: true },
    query: { state: true },
    dialog: { state: true },
    notice: { state: true },
  };

  declare users: User[];
  declare total: number;
  declare loading: boolean;
  declare loadError: string;
  /** The kernel answered 404: the page must look like it does not exist. */
  declare hidden404: boolean;
  declare typeFilter: UserType | '';
  declare query: string;
  declare dialog: Dialog;
  declare notice: string;

  private abort: AbortController | null = null;
  private searchTimer: ReturnType<typeof setTimeout> | undefined;

  constructor() {
    super();
    this.users = [];
    this.total = 0;
    this.loading = true;
    this.loadError = '';
    this.hidden404 = false;
    this.typeFilter = '';
    this.query = '';
    this.dialog = null;
    this.notice = '';
  }

  static override styles = [
    sharedStyles,
    pageStyles,
    css`
      .name {
        font-weight: var(--gf-font-weight-medium);
      }

      .login {
        font-family: var(--gf-font-family-mono);
        font-size: var(--gf-font-size-sm);
      }

      .groups {
        display: flex;
        flex-wrap: wrap;
        gap: var(--gf-space-1);
      }

      .search {
        position: relative;
      }

      .search svg {
        position: absolute;
        left: var(--gf-space-3);
        bottom: calc((var(--gf-size-control) - var(--gf-size-icon)) / 2);
        color: var(--gf-color-text-subtle);
        pointer-events: none;
      }

      .search .input {
        padding-left: calc(var(--gf-space-3) + var(--gf-size-icon) + var(--gf-space-2));
      }

      .count {
        margin-left: auto;
        align-self: center;
        color: var(--gf-color-text-muted);
        font-size: var(--gf-font-size-sm);
      }
    `,
  ];

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  override disconnectedCallback(): void {
    this.abort?.abort();
    clearTimeout(this.searchTimer);
    super.disconnectedCallback();
  }

  private async load(): Promise<void> {
    this.abort?.abort();
    const abort = new AbortController();
    this.abort = abort;
    this.loading = true;
    this.loadError = '';
    try {
      const result = await listUsers(
        { type: this.typeFilter || undefined, q: this.query.trim() },
        abort.signal,
      );
      this.users = result.items;
      this.total = result.total;
    } catch (error) {
      if (abort.signal.aborted) return;
      if (error instanceof ApiError && error.status === 404) this.hidden404 = true;
      else this.loadError = errorMessage(error);
    } finally {
      if (this.abort === abort) this.loading = false;
    }
  }

  private changeType(event: Event): void {
    const value = (event.target as HTMLSelectElement).value;
    this.typeFilter = (USER_TYPES as readonly string[]).includes(value) ? (value as UserType) : '';
    void this.load();
  }

  private changeQuery(event: Event): void {
    this.query = (event.target as HTMLInputElement).value;
    clearTimeout(this.searchTimer);
    this.searchTimer = setTimeout(() => void this.load(), SEARCH_DEBOUNCE_MS);
  }

  private openCreate(): void {
    this.notice = '';
    this.dialog = { kind: 'create' };
  }

  private openEdit(user: User): void {
    this.notice = '';
    this.dialog = { kind: 'edit', user };
  }

  private closeDialog(): void {
    this.dialog = null;
  }

  private onSaved(event: CustomEvent<{ user: User; created: boolean }>): void {
    const { user, created } = event.detail;
    this.dialog = null;
    this.notice = t(created ? 'users.created' : 'users.updated', { login: user.login });
    void this.load();
  }

  private countText(): string {
    return this.users.length < this.total
      ? t('users.showing', { shown: this.users.length, total: this.total })
      : t('users.count', { count: this.total });
  }

  private renderRow(user: User) {
    return html`
      <tr data-testid="user-row-${user.login}">
        <td class="login">${user.login}</td>
        <td class="name">${fullName(user)}</td>
        <td>${user.email}</td>
        <td>${t(`users.types.${user.type}`)}</td>
        <td>
          <span class="badge ${user.active ? 'badge-success' : 'badge-neutral'}">
            ${user.active ? t('common.active') : t('common.inactive')}
          </span>
        </td>
        <td>${user.isAdmin ? html`<span class="badge badge-primary">${t('common.yes')}</span>` : t('common.no')}</td>
        <td>
          ${
            user.groups.length === 0
              ? html`<span class="muted">${t('users.noGroups')}</span>`
              : html`<span class="groups">
                  ${user.groups.map(
                    (group) =>
                      html`<span class="badge badge-neutral" title=${permissionLabel(group.permissions)}>
                        ${group.name} · ${permissionLabel(group.permissions)}
                      </span>`,
                  )}
                </span>`
          }
        </td>
        <td class="actions">
          <button
            type="button"
            class="btn btn-small"
            data-testid="user-edit-${user.login}"
            aria-label=${t('users.editLabel', { login: user.login })}
            @click=${() => this.openEdit(user)}
          >
            ${t('common.edit')}
          </button>
        </td>
      </tr>
    `;
  }

  private renderTable() {
    if (this.loadError) {
      return html`<div class="alert alert-danger" role="alert" data-testid="users-load-error">
        ${this.loadError}
        <button type="button" class="btn btn-small" @click=${this.load}>${t('common.retry')}</button>
      </div>`;
    }
    if (this.users.length === 0) {
      return this.loading
        ? html`<p class="empty-state">${t('common.loading')}</p>`
        : html`<p class="empty-state" data-testid="users-empty">${t('users.empty')}</p>`;
    }
    return html`
      <div class="table-wrap" aria-busy=${this.loading ? 'true' : 'false'}>
        <table data-testid="users-table">
          <thead>
            <tr>
              <th scope="col">${t('users.columns.login')}</th>
              <th scope="col">${t('users.columns.name')}</th>
              <th scope="col">${t('users.columns.email')}</th>
              <th scope="col">${t('users.columns.type')}</th>
              <th scope="col">${t('users.columns.active')}</th>
              <th scope="col">${t('users.columns.admin')}</th>
              <th scope="col">${t('users.columns.groups')}</th>
              <th scope="col"><span class="visually-hidden">${t('common.actions')}</span></th>
            </tr>
          </thead>
          <tbody>
            ${this.users.map((user) => this.renderRow(user))}
          </tbody>
        </table>
      </div>
    `;
  }

  private renderDialog() {
    const dialog = this.dialog;
    const heading =
      dialog?.kind === 'edit'
        ? t('userForm.editTitle', { login: dialog.user.login })
        : t('userForm.createTitle');
    return html`
      <gf-modal-dialog ?open=${dialog !== null} heading=${heading} @gf-close=${this.closeDialog}>
        ${
          dialog
            ? html`<gf-user-form
                .user=${dialog.kind === 'edit' ? dialog.user : null}
                @gf-cancel=${this.closeDialog}
                @gf-saved=${this.onSaved}
              ></gf-user-form>`
            : nothing
        }
      </gf-modal-dialog>
    `;
  }

  override render() {
    if (this.hidden404) return html`<gf-not-found-page></gf-not-found-page>`;
    return html`
      <div class="page" data-testid="admin-users">
        <div class="page-header">
          <div>
            <h1>${t('users.title')}</h1>
            <p>${t('users.subtitle')}</p>
          </div>
          <button type="button" class="btn btn-primary" data-testid="new-user-button" @click=${this.openCreate}>
            ${iconPlus()} ${t('users.new')}
          </button>
        </div>
        ${this.notice ? html`<div class="alert alert-success" role="status" data-testid="users-notice">${this.notice}</div>` : nothing}
        <section class="card">
          <div class="toolbar">
            <div class="field">
              <label class="field-label" for="type-filter">${t('users.filterType')}</label>
              <select id="type-filter" class="select" data-testid="users-type-filter" @change=${this.changeType}>
                <option value="" ?selected=${this.typeFilter === ''}>${t('users.allTypes')}</option>
                ${USER_TYPES.map(
                  (type) =>
                    html`<option value=${type} ?selected=${this.typeFilter === type}>${t(`users.types.${type}`)}</option>`,
                )}
              </select>
            </div>
            <div class="field search grow">
              <label class="field-label" for="search">${t('users.search')}</label>
              ${iconSearch()}
              <input
                id="search"
                type="search"
                class="input"
                data-testid="users-search"
                placeholder=${t('users.searchPlaceholder')}
                .value=${this.query}
                @input=${this.changeQuery}
              />
            </div>
            ${this.loading ? nothing : html`<span class="count" role="status">${this.countText()}</span>`}
          </div>
          ${this.renderTable()}
        </section>
      </div>
      ${this.renderDialog()}
    `;
  }
}

customElements.define('gf-admin-users-page', AdminUsersPage);
