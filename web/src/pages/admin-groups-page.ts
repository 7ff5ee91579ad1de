/**
 * Group administration: the group list, create/edit dialogs and the membership editor.
 * @module
 */
import { css, html, nothing } from 'lit';
import { ApiError } from '../api/client.js';
import { listGroups } from '../api/groups.js';
import type { Group, User } from '../api/types.js';
import { listUsers } from '../api/users.js';
import { errorMessage } from '../i18n/error-message.js';
import { t } from '../i18n/i18n.js';
import { LocalizedElement } from '../i18n/localized-element.js';
import { pageStyles, sharedStyles } from '../theme/shared-styles.js';
import '../components/group-form.js';
import '../components/group-members-editor.js';
import '../components/modal-dialog.js';
import './not-found-page.js';
import { iconPlus, iconUsers } from '../components/icons.js';

/** The kernel's largest page: the member picker offers every user up to this many. */
const MAX_USERS = 500;

/** Members are looked up by id on every render so the editor always shows the latest saved group. */
type Dialog =
  | { kind: 'create' }
  | { kind: 'edit'; group: Group }
  | { kind: 'members'; groupId: number }
  | null;

export class AdminGroupsPage extends LocalizedElement {
  static override properties = {
    groups: { state: true },
    users: { state: true },
    loading: { state: true },
    loadError: { state: true },
    usersError: { state: true },
    hidden404: { state: true },
    dialog: { state: true },
    notice: { state: true },
  };

  declare groups: Group[];
  declare users: User[];
  declare loading: boolean;
  declare loadError: string;
  /** Only the membership editor needs users, so failing to load them must not hide the groups. */
  declare usersError: string;
  /** The kernel answered 404: the page must look like it does not exist. */
  declare hidden404: boolean;
  declare dialog: Dialog;
  declare notice: string;

  constructor() {
    super();
    this.groups = [];
    this.users = [];
    this.loading = true;
    this.loadError = '';
    this.usersError = '';
    this.hidden404 = false;
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

      .comment {
        color: var(--gf-color-text-muted);
        max-width: var(--gf-size-comment-max);
      }

      td.number {
        font-variant-numeric: tabular-nums;
      }

      td.actions .btn + .btn {
        margin-left: var(--gf-space-2);
      }

      .count {
        color: var(--gf-color-text-muted);
        font-size: var(--gf-font-size-sm);
      }
    `,
  ];

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  private async load(): Promise<void> {
    this.loading = true;
    this.loadError = '';
    this.usersError = '';
    const [groups, users] = await Promise.allSettled([listGroups(), listUsers({ limit: MAX_USERS })]);
    if (groups.status === 'fulfilled') {
      this.groups = groups.value.items;
    } else if (groups.reason instanceof ApiError && groups.reason.status === 404) {
      this.hidden404 = true;
    } else {
      this.loadError = errorMessage(groups.reason);
    }
    if (users.status === 'fulfilled') this.users = users.value.items;
    else this.usersError = errorMessage(users.reason);
    this.loading = false;
  }

  private openCreate(): void {
    this.notice = '';
    this.dialog = { kind: 'create' };
  }

  private openEdit(group: Group): void {
    this.notice = '';
    this.dialog = { kind: 'edit', group };
  }

  private openMembers(group: Group): void {
    this.notice = '';
    this.dialog = { kind: 'members', groupId: group.id };
  }

  private closeDialog(): void {
    this.dialog = null;
  }

  private replaceGroup(group: Group): void {
    const exists = this.groups.some((g) => g.id === group.id);
    this.groups = exists ? this.groups.map((g) => (g.id === group.id ? group : g)) : [...this.groups, group];
  }

  private onSaved(event: CustomEvent<{ group: Group; created: boolean }>): void {
    const { group, created } = event.detail;
    this.dialog = null;
    this.replaceGroup(group);
    this.notice = t(created ? 'groups.created' : 'groups.updated', { name: group.name });
  }

  private onGroupChanged(event: CustomEvent<{ group: Group }>): void {
    this.replaceGroup(event.detail.group);
  }

  private renderRow(group: Group) {
    return html`
      <tr data-testid="group-row-${group.name}">
        <td class="name">${group.name}</td>
        <td class="comment">${group.comment}</td>
        <td>
          <span class="badge ${group.active ? 'badge-success' : 'badge-neutral'}">
            ${group.active ? t('common.active') : t('common.inactive')}
          </span>
        </td>
        <td class="number" data-testid="group-member-count-${group.name}">${group.members.length}</td>
        <td class="actions">
          <button
            type="button"
            class="btn btn-small"
            data-testid="group-members-${group.name}"
            aria-label=${t('groups.membersLabel', { name: group.name })}
            @click=${() => this.openMembers(group)}
          >
            ${iconUsers()} ${t('groups.members')}
          </button>
          <button
            type="button"
            class="btn btn-small"
            data-testid="group-edit-${group.name}"
            aria-label=${t('groups.editLabel', { name: group.name })}
            @click=${() => this.openEdit(group)}
          >
            ${t('common.edit')}
          </button>
        </td>
      </tr>
    `;
  }

  private renderTable() {
    if (this.loadError) {
      return html`<div class="alert alert-danger" role="alert" data-testid="groups-load-error">
        ${this.loadError}
        <button type="button" class="btn btn-small" @click=${this.load}>${t('common.retry')}</button>
      </div>`;
    }
    if (this.loading) return html`<p class="empty-state">${t('common.loading')}</p>`;
    if (this.groups.length === 0)
      return html`<p class="empty-state" data-testid="groups-empty">${t('groups.empty')}</p>`;
    const groups = [...this.groups].sort((a, b) => a.name.localeCompare(b.name));
    return html`
      <div class="table-wrap">
        <table data-testid="groups-table">
          <thead>
            <tr>
              <th scope="col">${t('groups.columns.name')}</th>
              <th scope="col">${t('groups.columns.comment')}</th>
              <th scope="col">${t('groups.columns.active')}</th>
              <th scope="col">${t('groups.columns.members')}</th>
              <th scope="col"><span class="visually-hidden">${t('common.actions')}</span></th>
            </tr>
          </thead>
          <tbody>
            ${groups.map((group) => this.renderRow(group))}
          </tbody>
        </table>
      </div>
    `;
  }

  private dialogHeading(dialog: NonNullable<Dialog>, group: Group | undefined): string {
    switch (dialog.kind) {
      case 'create':
        return t('groupForm.createTitle');
      case 'edit':
        return t('groupForm.editTitle', { name: dialog.group.name });
      case 'members':
        return t('members.title', { name: group?.name ?? '' });
    }
  }

  private renderDialog() {
    const dialog = this.dialog;
    const membersGroup =
      dialog?.kind === 'members' ? this.groups.find((group) => group.id === dialog.groupId) : undefined;
    return html`
      <gf-modal-dialog
        ?open=${dialog !== null}
        ?wide=${dialog?.kind === 'members'}
        heading=${dialog ? this.dialogHeading(dialog, membersGroup) : ''}
        @gf-close=${this.closeDialog}
      >
        ${
          dialog?.kind === 'create' || dialog?.kind === 'edit'
            ? html`<gf-group-form
              .group=${dialog.kind === 'edit' ? dialog.group : null}
              @gf-cancel=${this.closeDialog}
              @gf-saved=${this.onSaved}
            ></gf-group-form>`
            : nothing
        }
        ${
          membersGroup
            ? html`
                ${this.usersError ? html`<div class="alert alert-danger" role="alert">${this.usersError}</div>` : nothing}
                <gf-group-members-editor
                  .group=${membersGroup}
                  .users=${this.users}
                  @gf-group-changed=${this.onGroupChanged}
                ></gf-group-members-editor>
              `
            : nothing
        }
      </gf-modal-dialog>
    `;
  }

  override render() {
    if (this.hidden404) return html`<gf-not-found-page></gf-not-found-page>`;
    return html`
      <div class="page" data-testid="admin-groups">
        <div class="page-header">
          <div>
            <h1>${t('groups.title')}</h1>
            <p>${t('groups.subtitle')}</p>
          </div>
          <button type="button" class="btn btn-primary" data-testid="new-group-button" @click=${this.openCreate}>
            ${iconPlus()} ${t('groups.new')}
          </button>
        </div>
        ${this.notice ? html`<div class="alert alert-success" role="status" data-testid="groups-notice">${this.notice}</div>` : nothing}
        <section class="card">
          <div class="toolbar">
            <span class="count">${this.loading ? t('common.loading') : t('groups.count', { count: this.groups.length })}</span>
          </div>
          ${this.renderTable()}
        </section>
      </div>
      ${this.renderDialog()}
    `;
  }
}

customElements.define('gf-admin-groups-page', AdminGroupsPage);
