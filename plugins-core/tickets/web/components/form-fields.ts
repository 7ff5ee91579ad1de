/**
 * The form fields the plugin's forms share (the new-ticket form, a ticket's fields, the list's bulk bar): a
 * line of text, a select of reference entries and the date-time a pending state waits until. Each is labelled,
 * marks itself invalid and points at its error, which stands right below it. The `id` names the control; its
 * test id is the same, and its error's is `<id>-error`. Values are strings as the controls hold them (a
 * select's is the chosen entry's id, `''` for its empty choice); the form turns them into numbers when it sends.
 * @module
 */
import { html, nothing, type TemplateResult } from 'lit';

/** What every shared field takes. */
interface FieldOptions {
  /** The control's element id and test id. */
  id: string;
  label: string;
  value: string;
  /** The field's error message, if the last send named it. */
  error?: string | undefined;
  onChange: (value: string) => void;
}

/** A select of reference entries (by id), optionally with an empty first choice. */
export interface SelectFieldOptions extends FieldOptions {
  options: readonly { id: number; name: string }[];
  /** The label of the empty choice (`''`); without it there is none. */
  empty?: string | undefined;
  /** Marks the field required (and its label with an asterisk). */
  required?: boolean;
}

/** A line of text; `onChange` hears every keystroke, so what a send reads is what the field shows. */
export interface TextFieldOptions extends FieldOptions {
  /** The longest value the API takes. */
  maxLength: number;
  /** Marks the field required (and its label with an asterisk). */
  required?: boolean;
  /** Spans the whole row of a form grid. */
  wide?: boolean;
}

function fieldLabel(id: string, label: string, required: boolean | undefined) {
  return html`<label for=${id}>${label}${required ? html`<span aria-hidden="true"> *</span>` : nothing}</label>`;
}

function fieldError(id: string, error: string | undefined) {
  return error
    ? html`<span class="field-error" id="${id}-error" data-testid="${id}-error">${error}</span>`
    : nothing;
}

/** A labelled line of text. */
export function textField(o: TextFieldOptions): TemplateResult {
  const { id, error } = o;
  return html`<div class=${o.wide ? 'field wide' : 'field'}>
    ${fieldLabel(id, o.label, o.required)}
    <input
      id=${id}
      data-testid=${id}
      maxlength=${o.maxLength}
      ?required=${o.required ?? false}
      aria-invalid=${error ? 'true' : 'false'}
      aria-describedby=${error ? `${id}-error` : nothing}
      .value=${o.value}
      @input=${(e: Event) => o.onChange((e.target as HTMLInputElement).value)}
    />
    ${fieldError(id, error)}
  </div>`;
}

/** A labelled select of reference entries. */
export function selectField(o: SelectFieldOptions): TemplateResult {
  const { id, error, value } = o;
  return html`<div class="field">
    ${fieldLabel(id, o.label, o.required)}
    <select
      id=${id}
      data-testid=${id}
      ?required=${o.required ?? false}
      aria-invalid=${error ? 'true' : 'false'}
      aria-describedby=${error ? `${id}-error` : nothing}
      @change=${(e: Event) => o.onChange((e.target as HTMLSelectElement).value)}
    >
      ${o.empty !== undefined ? html`<option value="" ?selected=${value === ''}>${o.empty}</option>` : nothing}
      ${o.options.map((opt) => html`<option value=${opt.id} ?selected=${value === String(opt.id)}>${opt.name}</option>`)}
    </select>
    ${fieldError(id, error)}
  </div>`;
}

/** The required local date-time a pending state waits until (`value` as a `datetime-local` input holds it). */
export function pendingUntilField(o: FieldOptions): TemplateResult {
  const { id, error } = o;
  return html`<div class="field">
    <label for=${id}>${o.label}</label>
    <input
      id=${id}
      type="datetime-local"
      required
      data-testid=${id}
      aria-invalid=${error ? 'true' : 'false'}
      aria-describedby=${error ? `${id}-error` : nothing}
      .value=${o.value}
      @change=${(e: Event) => o.onChange((e.target as HTMLInputElement).value)}
    />
    ${fieldError(id, error)}
  </div>`;
}
