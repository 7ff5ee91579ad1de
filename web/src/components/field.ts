/**
 * Renders a labelled form field with its hint and error wired up through `aria-describedby`, so every form in the
 * shell gets the same accessible structure without a wrapper element breaking label/input association across
 * shadow roots.
 * @module
 */
import { html, nothing, type TemplateResult } from 'lit';

export interface FieldOptions {
  id: string;
  label: string;
  /** The error element gets `<testid>-error`, so tests can find the message next to a particular field. */
  testid: string;
  error?: string | undefined;
  hint?: string | undefined;
  className?: string;
  /** Marks the label with an asterisk; the control itself should carry `required` for assistive technology. */
  required?: boolean;
}

export interface ControlAttributes {
  describedBy: string | typeof nothing;
  invalid: 'true' | 'false';
}

export function renderField(
  options: FieldOptions,
  control: (attributes: ControlAttributes) => TemplateResult,
): TemplateResult {
  const hintId = `${options.id}-hint`;
  const errorId = `${options.id}-error`;
  const describedBy = [options.error ? errorId : '', options.hint ? hintId : ''].filter(Boolean).join(' ');
  return html`
    <div class="field ${options.className ?? ''}">
      <label class="field-label" for=${options.id}
        >${options.label}${options.required ? html`<span class="required-mark" aria-hidden="true"> *</span>` : nothing}</label
      >
      ${control({ describedBy: describedBy || nothing, invalid: options.error ? 'true' : 'false' })}
      ${options.hint ? html`<span class="field-hint" id=${hintId}>${options.hint}</span>` : nothing}
      ${
        options.error
          ? html`<span class="field-error" id=${errorId} role="alert" data-testid="${options.testid}-error"
              >${options.error}</span
            >`
          : nothing
      }
    </div>
  `;
}
