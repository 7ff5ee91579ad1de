/**
 * A form generated from a JSON Schema of `type: "object"`, such as a plugin's settings: one labelled control per
 * property (see json-schema-fields.ts for which), nested objects as fieldsets, anything else as JSON. Save hands
 * the typed values to the owner's `save` callback; the kernel is the validator, and the field errors it answers
 * with appear at the fields they name. Reset returns to `value`, the values in effect, which the owner replaces
 * after a successful save.
 * @module
 */
import { css, html, nothing, type TemplateResult } from 'lit';
import { t } from '../i18n/i18n.js';
import { LocalizedElement } from '../i18n/localized-element.js';
import { sharedStyles } from '../theme/shared-styles.js';
import { type ControlAttributes, renderField } from './field.js';
import { type FormError, formErrorFrom, renderFormError } from './form-error.js';
import {
  type Draft,
  describeSchema,
  draftFrom,
  type JsonObject,
  type ObjectField,
  type ObjectShape,
  type SchemaField,
  type SelectField,
  schemaFieldErrors,
  valuesFrom,
} from './json-schema-fields.js';

export type SaveValues = (values: JsonObject) => Promise<unknown>;

export class JsonSchemaForm extends LocalizedElement {
  static override properties = {
    schema: { attribute: false },
    value: { attribute: false },
    save: { attribute: false },
    testid: { type: String },
    errorPrefix: { type: String, attribute: 'error-prefix' },
    draft: { state: true },
    saving: { state: true },
    saved: { state: true },
    fieldErrors: { state: true },
    formError: { state: true },
  };

  declare schema: JsonObject | null;
  /** The values in effect; the form starts from them and Reset returns to them. */
  declare value: JsonObject;
  /** Sends the values; rejects with the kernel's error, whose field issues the form shows. */
  declare save: SaveValues | null;
  /** Prefix of the test ids: `<testid>-field-<key>`, `<testid>-submit`, `<testid>-saved`, … */
  declare testid: string;
  /** What the kernel puts before a field's key in an issue path (`settings.smtp.port`). */
  declare errorPrefix: string;
  declare draft: Draft;
  declare saving: boolean;
  declare saved: boolean;
  declare fieldErrors: Record<string, string>;
  declare formError: FormError | null;

  private shape: ObjectShape = { fields: [], closed: false };

  constructor() {
    super();
    this.schema = null;
    this.value = {};
    this.save = null;
    this.testid = 'schema-form';
    this.errorPrefix = 'settings';
    this.draft = {};
    this.saving = false;
    this.saved = false;
    this.fieldErrors = {};
    this.formError = null;
  }

  static override styles = [
    sharedStyles,
    css`
      .fields {
        display: flex;
        flex-direction: column;
        gap: var(--gf-space-4);
      }

      .intro {
        margin: 0;
        color: var(--gf-color-text-muted);
      }

      fieldset {
        display: flex;
        flex-direction: column;
        gap: var(--gf-space-3);
        min-width: 0;
        margin: 0;
        padding: var(--gf-space-3) var(--gf-space-4) var(--gf-space-4);
        border: var(--gf-border-width) solid var(--gf-color-border);
        border-radius: var(--gf-radius);
      }

      fieldset[aria-invalid='true'] {
        border-color: var(--gf-color-danger);
      }

      legend {
        padding: 0 var(--gf-space-1);
        font-size: var(--gf-font-size-sm);
        font-weight: var(--gf-font-weight-bold);
      }

      .mono {
        font-family: var(--gf-font-family-mono);
        font-size: var(--gf-font-size-sm);
      }

      .form-actions {
        justify-content: space-between;
      }
    `,
  ];

  protected override willUpdate(changed: Map<PropertyKey, unknown>): void {
    if (changed.has('schema')) this.shape = describeSchema(this.schema ?? {});
    if (changed.has('schema') || changed.has('value')) {
      this.draft = draftFrom(this.shape, this.value ?? {});
      this.fieldErrors = {};
      this.formError = null;
    }
  }

  /** Back to the values in effect, dropping edits and messages. */
  reset(): void {
    this.draft = draftFrom(this.shape, this.value ?? {});
    this.fieldErrors = {};
    this.formError = null;
    this.saved = false;
  }

  private set(key: string, value: string | boolean): void {
    this.draft = { ...this.draft, [key]: value };
    this.saved = false;
  }

  private async submit(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    if (this.saving || !this.save) return;
    const { values, invalidJson } = valuesFrom(this.shape, this.draft, this.value ?? {});
    this.saved = false;
    this.formError = null;
    this.fieldErrors = Object.fromEntries(invalidJson.map((key) => [key, t('schemaForm.invalidJson')]));
    if (invalidJson.length > 0) {
      this.formError = { message: t('errors.validation_failed'), details: [] };
      return;
    }
    this.saving = true;
    try {
      await this.save(values);
      this.saved = true;
    } catch (error) {
      const { byField, other } = schemaFieldErrors(error, this.shape, this.errorPrefix);
      this.fieldErrors = byField;
      this.formError = formErrorFrom(error, other);
    } finally {
      this.saving = false;
    }
  }

  private fieldTestid(field: SchemaField): string {
    return `${this.testid}-field-${field.key}`;
  }

  private options(field: SchemaField, hint?: string) {
    const hints = [field.description, hint].filter(Boolean).join(' ');
    return {
      id: field.domId,
      label: field.label,
      testid: this.fieldTestid(field),
      error: this.fieldErrors[field.key],
      hint: hints || undefined,
      required: field.required,
    };
  }

  private text(field: SchemaField): string {
    const value = this.draft[field.key];
    return typeof value === 'string' ? value : '';
  }

  private onInput(field: SchemaField) {
    return (event: Event) =>
      this.set(field.key, (event.target as HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement).value);
  }

  private renderSelect(field: SelectField, a: ControlAttributes): TemplateResult {
    const current = this.text(field);
    const known = field.options.some((option) => option.value === current);
    return html`<select
      id=${field.domId}
      class="select"
      data-testid=${this.fieldTestid(field)}
      ?required=${field.required}
      ?disabled=${field.readOnly}
      aria-describedby=${a.describedBy}
      aria-invalid=${a.invalid}
      @change=${this.onInput(field)}
    >
      ${
        !field.required || current === ''
          ? html`<option value="" ?selected=${current === ''}>${t('schemaForm.notSet')}</option>`
          : nothing
      }
      ${
        // A value in effect that is not among the choices stays visible instead of being replaced silently.
        current !== '' && !known ? html`<option value=${current} selected>${current}</option>` : nothing
      }
      ${field.options.map(
        (option) =>
          html`<option value=${option.value} ?selected=${option.value === current}>${option.label}</option>`,
      )}
    </select>`;
  }

  private renderObject(field: ObjectField): TemplateResult {
    const error = this.fieldErrors[field.key];
    const descriptionId = `${field.domId}-hint`;
    const errorId = `${field.domId}-error`;
    const describedBy = [field.description ? descriptionId : '', error ? errorId : '']
      .filter(Boolean)
      .join(' ');
    return html`<fieldset
      data-testid=${this.fieldTestid(field)}
      aria-describedby=${describedBy || nothing}
      aria-invalid=${error ? 'true' : 'false'}
    >
      <legend>
        ${field.label}${field.required ? html`<span class="required-mark" aria-hidden="true"> *</span>` : nothing}
      </legend>
      ${field.description ? html`<span class="field-hint" id=${descriptionId}>${field.description}</span>` : nothing}
      ${
        error
          ? html`<span class="field-error" id=${errorId} role="alert" data-testid="${this.fieldTestid(field)}-error"
              >${error}</span
            >`
          : nothing
      }
      ${field.shape.fields.map((inner) => this.renderField(inner))}
    </fieldset>`;
  }

  private renderField(field: SchemaField): TemplateResult {
    switch (field.kind) {
      case 'object':
        return this.renderObject(field);
      case 'boolean': {
        const error = this.fieldErrors[field.key];
        const hintId = `${field.domId}-hint`;
        const errorId = `${field.domId}-error`;
        const describedBy = [field.description ? hintId : '', error ? errorId : ''].filter(Boolean).join(' ');
        return html`<div class="field">
          <label class="checkbox">
            <input
              id=${field.domId}
              type="checkbox"
              data-testid=${this.fieldTestid(field)}
              .checked=${this.draft[field.key] === true}
              ?disabled=${field.readOnly}
              aria-describedby=${describedBy || nothing}
              aria-invalid=${error ? 'true' : 'false'}
              @change=${(event: Event) => this.set(field.key, (event.target as HTMLInputElement).checked)}
            />
            <span>${field.label}</span>
          </label>
          ${field.description ? html`<span class="field-hint" id=${hintId}>${field.description}</span>` : nothing}
          ${
            error
              ? html`<span class="field-error" id=${errorId} role="alert" data-testid="${this.fieldTestid(field)}-error"
                  >${error}</span
                >`
              : nothing
          }
        </div>`;
      }
      case 'select':
        return renderField(this.options(field), (a) => this.renderSelect(field, a));
      case 'number':
        return renderField(
          this.options(field),
          (a) => html`<input
            id=${field.domId}
            type="number"
            class="input"
            inputmode=${field.integer ? 'numeric' : 'decimal'}
            data-testid=${this.fieldTestid(field)}
            min=${field.minimum ?? nothing}
            max=${field.maximum ?? nothing}
            step=${field.step}
            ?required=${field.required}
            ?readonly=${field.readOnly}
            .value=${this.text(field)}
            aria-describedby=${a.describedBy}
            aria-invalid=${a.invalid}
            @input=${this.onInput(field)}
          />`,
        );
      case 'lines':
        return renderField(
          this.options(field, t('schemaForm.linesHint')),
          (a) => html`<textarea
            id=${field.domId}
            class="input"
            rows="4"
            data-testid=${this.fieldTestid(field)}
            ?required=${field.required}
            ?readonly=${field.readOnly}
            .value=${this.text(field)}
            aria-describedby=${a.describedBy}
            aria-invalid=${a.invalid}
            @input=${this.onInput(field)}
          ></textarea>`,
        );
      case 'json':
        return renderField(
          this.options(field, t('schemaForm.jsonHint')),
          (a) => html`<textarea
            id=${field.domId}
            class="input mono"
            rows="5"
            spellcheck="false"
            data-testid=${this.fieldTestid(field)}
            ?required=${field.required}
            ?readonly=${field.readOnly}
            .value=${this.text(field)}
            aria-describedby=${a.describedBy}
            aria-invalid=${a.invalid}
            @input=${this.onInput(field)}
          ></textarea>`,
        );
      case 'text':
        return renderField(
          this.options(field),
          (a) => html`<input
            id=${field.domId}
            type=${field.input}
            class="input"
            data-testid=${this.fieldTestid(field)}
            autocomplete=${field.input === 'password' ? 'new-password' : 'off'}
            spellcheck=${field.input === 'text' ? 'true' : 'false'}
            ?required=${field.required}
            ?readonly=${field.readOnly}
            .value=${this.text(field)}
            aria-describedby=${a.describedBy}
            aria-invalid=${a.invalid}
            @input=${this.onInput(field)}
          />`,
        );
    }
  }

  private hasRequired(shape: ObjectShape): boolean {
    return shape.fields.some(
      (field) => field.required || (field.kind === 'object' && this.hasRequired(field.shape)),
    );
  }

  override render() {
    const description = typeof this.schema?.description === 'string' ? this.schema.description : '';
    return html`
      <form class="form" data-testid=${this.testid} novalidate @submit=${this.submit}>
        ${description ? html`<p class="intro">${description}</p>` : nothing}
        ${renderFormError(this.formError, `${this.testid}-error`)}
        ${
          this.saved
            ? html`<div class="alert alert-success" role="status" data-testid="${this.testid}-saved">
                ${t('schemaForm.saved')}
              </div>`
            : nothing
        }
        ${
          this.shape.fields.length === 0
            ? html`<p class="empty-state">${t('schemaForm.noFields')}</p>`
            : html`<div class="fields">${this.shape.fields.map((field) => this.renderField(field))}</div>`
        }
        ${this.hasRequired(this.shape) ? html`<p class="field-hint">${t('schemaForm.requiredNote')}</p>` : nothing}
        <div class="form-actions">
          <button
            type="button"
            class="btn"
            data-testid="${this.testid}-reset"
            ?disabled=${this.saving}
            @click=${this.reset}
          >
            ${t('schemaForm.reset')}
          </button>
          <button type="submit" class="btn btn-primary" data-testid="${this.testid}-submit" ?disabled=${this.saving}>
            ${this.saving ? t('common.saving') : t('schemaForm.save')}
          </button>
        </div>
      </form>
    `;
  }
}

customElements.define('gf-json-schema-form', JsonSchemaForm);
