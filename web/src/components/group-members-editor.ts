/**
 * Edits one group's members. Every change is saved immediately with its own request (PUT per member, DELETE to
 * remove), matching the kernel's per-member endpoints, and the kernel's answer becomes the new state.
 * @module
 */
import { css, html, nothing } from 'lit';
import { live } from 'lit/directives/live.js';
import { ApiError } from '../api/client.js';
import { removeMembership, setMembership } from '../api/groups.js';
import {
  ADMIN_GROUP,
  fullName,
  type Group,
  type GroupMember,
  PERMISSIONS,
  type Permission,
  type User,
} from '../api/types.js';
import { t } from '../i18n/i18n.js';
import { LocalizedElement } from '../i18n/localized-element.js';
import { narrow } from '../theme/breakpoints.js';
import { sharedStyles } from '../theme/shared-styles.js';
import { type FormError, formErrorFrom, renderFormError } from './form-error.js';
import { iconPlus } from './icons.js';

function withPermission(current: Permission[], permission: Permission, granted: boolean): Permission[] {
  const next = new Set(current);
  if (granted) next.add(permission);
  else next.delete(permission);
  return PERMISSIONS.filter((p) => next.has(p));
}

export class GroupMembersEditor extends LocalizedElement {
  static override properties = {
    group: { attribute: false },
    users: { attribute: false },
    busy: { state: true },
    error: { state: true },
    addPermissions: { state: true },
    pending: { state: true },
  };

  declare group: Group | null;
  /** Every user who could be added; members are filtered out when rendering the choice. */
  declare users: User[];
  declare busy: boolean;
  declare error: FormError | null;
  declare addPermissions: Permission[];
  /** Permissions being saved, shown at once so a checkbox does not flick back while the request runs. */
  declare pending: ReadonlyMap<number, Permission[]>;

  constructor() {
    super();
    this.group = null;
    this.users = [];
    this.busy = false;
    this.error = null;
    this.addPermissions = ['ro'];
    this.pending = new Map();
  }

  static override styles = [
    sharedStyles,
    css`
      :host {
        display: block;
      }

      .editor {
        display: flex;
        flex-direction: column;
        gap: var(--gf-space-4);
      }

      .members {
        border: var(--gf-border-width) solid var(--gf-color-border);
        border-radius: var(--gf-radius);
        overflow-x: auto;
      }

      .login {
        display: block;
        font-size: var(--gf-font-size-xs);
        color: var(--gf-color-text-muted);
      }

      td.perm,
      th.perm {
        width: 1%;
        text-align: center;
        white-space: nowrap;
      }

      /* The labels end in the permission keys (ro, rw, move_into…), which must keep their case. */
      th.perm {
        text-transform: none;
        letter-spacing: normal;
      }

      /* The user, then the six keys wrapping as the width allows, with the button at the end of their row. */
      .add {
        display: grid;
        grid-template-columns: minmax(0, 1fr) auto;
        align-items: end;
        gap: var(--gf-space-3);
        padding: var(--gf-space-4);
        border-radius: var(--gf-radius);
        background: var(--gf-color-surface-muted);
        border: var(--gf-border-width) solid var(--gf-color-border);
      }

      .add .checkbox {
        min-height: var(--gf-size-control);
      }

      .add h3 {
        grid-column: 1 / -1;
        font-size: var(--gf-font-size-md);
      }

      .add .field {
        grid-column: 1 / -1;
      }

      fieldset {
        display: flex;
        flex-wrap: wrap;
        gap: var(--gf-space-1) var(--gf-space-4);
        min-width: 0;
        margin: 0;
        padding: 0;
        border: 0;
      }

      @media ${narrow} {
        .add {
          grid-template-columns: 1fr;
        }
      }
    `,
  ];

  private emitChanged(group: Group): void {
    this.group = group;
    this.dispatchEvent(
      new CustomEvent('gf-group-changed', { detail: { group }, bubbles: true, composed: true }),
    );
  }

  private async run(action: () => Promise<void>): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    this.error = null;
    try {
      await action();
    } catch (error) {
      // The admin group's only bare 409 is an admin removing their own admin rights.
      this.error = formErrorFrom(error, error instanceof ApiError ? error.details : [], {
        conflict: this.group?.name === ADMIN_GROUP ? t('members.errors.ownAdminRights') : undefined,
      });
      // Checkboxes are bound with live(): re-rendering puts them back to the state the kernel last confirmed.
      this.requestUpdate();
    } finally {
      this.busy = false;
    }
  }

  private changePermission(member: GroupMember, permission: Permission, event: Event): void {
    const group = this.group;
    if (!group) return;
    const granted = (event.target as HTMLInputElement).checked;
    const permissions = withPermission(member.permissions, permission, granted);
    this.pending = new Map(this.pending).set(member.userId, permissions);
    void this.run(async () => {
      try {
        this.emitChanged(await setMembership(group.id, member.userId, permissions));
      } finally {
        const pending = new Map(this.pending);
        pending.delete(member.userId);
        this.pending = pending;
      }
    });
  }

  private removeMember(member: GroupMember): void {
    const group = this.group;
    if (!group) return;
    void this.run(async () => {
      await removeMembership(group.id, member.userId);
      this.emitChanged({ ...group, members: group.members.filter((m) => m.userId !== member.userId) });
    });
  }

  private toggleAddPermission(permission: Permission, event: Event): void {
    this.addPermissions = withPermission(
      this.addPermissions,
      permission,
      (event.target as HTMLInputElement).checked,
    );
  }

  private addMember(event: SubmitEvent): void {
    event.preventDefault();
    const group = this.group;
    if (!group) return;
    const form = event.target as HTMLFormElement;
    const login = String(new FormData(form).get('user') ?? '');
    const user = this.users.find((candidate) => candidate.login === login);
    if (!user) {
      this.error = { message: t('members.needUser'), details: [] };
      return;
    }
    if (this.addPermissions.length === 0) {
      this.error = { message: t('members.needPermission'), details: [] };
      return;
    }
    const permissions = this.addPermissions;
    void this.run(async () => {
      this.emitChanged(await setMembership(group.id, user.id, permissions));
      form.reset();
    });
  }

  private renderMember(member: GroupMember) {
    const name = fullName(member);
    const permissions = this.pending.get(member.userId) ?? member.permissions;
    return html`
      <tr data-testid="member-row-${member.login}">
        <td>
          ${name}
          <span class="login">${member.login}</span>
        </td>
        ${PERMISSIONS.map(
          (permission) => html`
            <td class="perm">
              <input
                type="checkbox"
                data-testid="member-${permission}-${member.login}"
                aria-label=${t(`members.${permission}For`, { name })}
                .checked=${live(permissions.includes(permission))}
                ?disabled=${this.busy}
                @change=${(event: Event) => this.changePermission(member, permission, event)}
              />
            </td>
          `,
        )}
        <td class="actions">
          <button
            type="button"
            class="btn btn-small btn-danger"
            data-testid="member-remove-${member.login}"
            aria-label=${t('members.removeFor', { name })}
            ?disabled=${this.busy}
            @click=${() => this.removeMember(member)}
          >
            ${t('members.remove')}
          </button>
        </td>
      </tr>
    `;
  }

  private renderAddForm(group: Group) {
    const memberIds = new Set(group.members.map((member) => member.userId));
    const candidates = this.users
      .filter((user) => !memberIds.has(user.id))
      .sort((a, b) => a.login.localeCompare(b.login));
    if (candidates.length === 0) return html`<p class="muted">${t('members.everyoneIsMember')}</p>`;
    return html`
      <form class="add" data-testid="member-add-form" novalidate @submit=${this.addMember}>
        <h3>${t('members.add')}</h3>
        <div class="field">
          <label class="field-label" for="member-add-user">${t('members.addUser')}</label>
          <select id="member-add-user" name="user" class="select" data-testid="member-add-user">
            <option value="">${t('members.chooseUser')}</option>
            ${candidates.map((user) => html`<option value=${user.login}>${fullName(user)} (${user.login})</option>`)}
          </select>
        </div>
        <fieldset>
          <legend class="visually-hidden">${t('members.permissions')}</legend>
          ${PERMISSIONS.map(
            (permission) => html`
              <label class="checkbox">
                <input
                  type="checkbox"
                  data-testid="member-add-${permission}"
                  .checked=${live(this.addPermissions.includes(permission))}
                  @change=${(event: Event) => this.toggleAddPermission(permission, event)}
                />
                <span>${t(`members.${permission}`)}</span>
              </label>
            `,
          )}
        </fieldset>
        <button type="submit" class="btn btn-primary" data-testid="member-add-submit" ?disabled=${this.busy}>
          ${iconPlus()} ${t('members.add')}
        </button>
      </form>
    `;
  }

  override render() {
    const group = this.group;
    if (!group) return nothing;
    const members = [...group.members].sort((a, b) => a.login.localeCompare(b.login));
    return html`
      <div class="editor" data-testid="group-members">
        ${renderFormError(this.error, 'members-error')}
        ${
          members.length === 0
            ? html`<p class="empty-state members">${t('members.empty')}</p>`
            : html`<div class="members">
                <table data-testid="members-table">
                  <thead>
                    <tr>
                      <th scope="col">${t('members.user')}</th>
                      ${PERMISSIONS.map((permission) => html`<th scope="col" class="perm">${t(`members.${permission}`)}</th>`)}
                      <th scope="col"><span class="visually-hidden">${t('common.actions')}</span></th>
                    </tr>
                  </thead>
                  <tbody>
                    ${members.map((member) => this.renderMember(member))}
                  </tbody>
                </table>
              </div>`
        }
        ${this.renderAddForm(group)}
      </div>
    `;
  }
}

customElements.define('gf-group-members-editor', GroupMembersEditor);
