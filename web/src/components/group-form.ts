/**
 * Creates a group or edits its name, comment and active flag. Membership has its own editor because it is saved
 * per member, not with the form.
 * @module
 */
import { html, nothing } from 'lit';
import { sortFieldErrors } from '../api/field-errors.js';
import { createGroup, type GroupChanges, updateGroup } from '../api/groups.js';
import { ADMIN_GROUP, type Group } from '../api/types.js';
import { t } from '../i18n/i18n.js';
import { LocalizedElement } from '../i18n/localized-element.js';
import { sharedStyles } from '../theme/shared-styles.js';
import { renderField } from './field.js';
import { type FormError, formErrorFrom, renderFormError } from './form-error.js';

const FIELDS = ['name', 'comment', 'active'] as const;

export class GroupForm extends LocalizedElement {
  static override properties = {
    group: { attribute: false },
    saving: { state: true },
    fieldErrors: { state: true },
    formError: { state: true },
  };

  /** The group being edited; `null` means the form creates a new one. */
  declare group: Group | null;
  declare saving: boolean;
  declare fieldErrors: Record<string, string>;
  declare formError: FormError | null;

  constructor() {
    super();
    this.group = null;
    this.saving = false;
    this.fieldErrors = {};
    this.formError = null;
  }

  static override styles = sharedStyles;

  protected override firstUpdated(): void {
    this.renderRoot.querySelector<HTMLInputElement>('#name')?.focus();
  }

  private cancel(): void {
    this.dispatchEvent(new CustomEvent('gf-cancel', { bubbles: true, composed: true }));
  }

  private async submit(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    if (this.saving) return;
    const data = new FormData(event.target as HTMLFormElement);
    const name = String(data.get('name') ?? '');
    const comment = String(data.get('comment') ?? '');
    this.saving = true;
    this.fieldErrors = {};
    this.formError = null;
    try {
      const existing = this.group;
      let saved: Group;
      if (existing) {
        const changes: GroupChanges = {};
        const active = data.get('active') === 'on';
        if (name !== existing.name) changes.name = name;
        if (comment !== existing.comment) changes.comment = comment;
        if (active !== existing.active) changes.active = active;
        saved = Object.keys(changes).length === 0 ? existing : await updateGroup(existing.id, changes);
      } else {
        saved = await createGroup(comment ? { name, comment } : { name });
      }
      this.dispatchEvent(
        new CustomEvent('gf-saved', {
          detail: { group: saved, created: !existing },
          bubbles: true,
          composed: true,
        }),
      );
    } catch (error) {
      const { byField, other } = sortFieldErrors(error, FIELDS);
      this.fieldErrors = byField;
      this.formError = formErrorFrom(error, other, {
        conflict: this.group?.name === ADMIN_GROUP ? t('groupForm.errors.adminGroup') : undefined,
      });
    } finally {
      this.saving = false;
    }
  }

  override render() {
    const group = this.group;
    return html`
      <form class="form" data-testid="group-form" novalidate @submit=${this.submit}>
        ${renderFormError(this.formError, 'group-form-error')}
        ${renderField(
          { id: 'name', label: t('groupForm.name'), testid: 'group-form-name', error: this.fieldErrors.name },
          (a) => html`<input
            id="name"
            name="name"
            class="input"
            data-testid="group-form-name"
            autocomplete="off"
            required
            .value=${group?.name ?? ''}
            aria-describedby=${a.describedBy}
            aria-invalid=${a.invalid}
          />`,
        )}
        ${renderField(
          {
            id: 'comment',
            label: t('groupForm.comment'),
            testid: 'group-form-comment',
            error: this.fieldErrors.comment,
          },
          (a) => html`<textarea
            id="comment"
            name="comment"
            class="input"
            rows="3"
            data-testid="group-form-comment"
            .value=${group?.comment ?? ''}
            aria-describedby=${a.describedBy}
            aria-invalid=${a.invalid}
          ></textarea>`,
        )}
        ${
          group
            ? html`<div class="field">
                <label class="checkbox">
                  <input
                    type="checkbox"
                    name="active"
                    data-testid="group-form-active"
                    .checked=${group.active}
                    aria-describedby="active-hint"
                  />
                  <span>${t('groupForm.active')}</span>
                </label>
                <span class="field-hint" id="active-hint">${t('groupForm.activeHint')}</span>
                ${
                  this.fieldErrors.active
                    ? html`<span class="field-error" role="alert" data-testid="group-form-active-error"
                        >${this.fieldErrors.active}</span
                      >`
                    : nothing
                }
              </div>`
            : nothing
        }
        <div class="form-actions">
          <button type="button" class="btn" data-testid="group-form-cancel" @click=${this.cancel}>
            ${t('common.cancel')}
          </button>
          <button type="submit" class="btn btn-primary" data-testid="group-form-submit" ?disabled=${this.saving}>
            ${this.saving ? t('common.saving') : group ? t('groupForm.submitEdit') : t('groupForm.submitCreate')}
          </button>
        </div>
      </form>
    `;
  }
}

customElements.define('gf-group-form', GroupForm);
