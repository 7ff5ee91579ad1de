/**
 * The message at the top of a form after a failed save: the translated headline for the error code, plus the
 * kernel's own words where they say something the headline cannot (which login is taken, which field is off).
 * @module
 */
import { html, nothing, type TemplateResult } from 'lit';
import { ApiError, type FieldIssue } from '../api/client.js';
import { errorMessage } from '../i18n/error-message.js';
import { sentence } from './field.js';

export interface FormError {
  message: string;
  details: string[];
}

export function formErrorFrom(error: unknown, unmatched: FieldIssue[]): FormError {
  // `body` is the kernel's path for rules about the request as a whole, which read fine without it.
  const details = unmatched.map((issue) =>
    issue.path && issue.path !== 'body' ? `${issue.path} ${issue.message}` : sentence(issue.message),
  );
  if (error instanceof ApiError && error.code === 'conflict' && error.message && details.length === 0) {
    details.push(error.message);
  }
  return { message: errorMessage(error), details };
}

export function renderFormError(error: FormError | null, testid: string): TemplateResult | typeof nothing {
  if (!error) return nothing;
  return html`
    <div class="alert alert-danger" role="alert" data-testid=${testid}>
      ${error.message}
      ${error.details.map((detail) => html`<span class="alert-detail">${detail}</span>`)}
    </div>
  `;
}
