/**
 * The message at the top of a form after a failed save: a headline in the user's language first, then details
 * for what the form could not show next to a field. The kernel's English `message` is only ever secondary: it
 * appears below a translated headline, and only where no translation says the same thing.
 * @module
 */
import { html, nothing, type TemplateResult } from 'lit';
import { ApiError, type FieldIssue } from '../api/client.js';
import { errorMessage } from '../i18n/error-message.js';
import { fieldIssueMessage } from '../i18n/field-message.js';

export interface FormError {
  message: string;
  details: string[];
}

export interface FormErrorOptions {
  /**
   * The translated reason for a 409 without field details, from a form that knows the one rule that can cause
   * it (e.g. removing your own admin rights). The kernel sends no code for such rules, only English prose.
   */
  conflict?: string | undefined;
}

function detailOf(issue: FieldIssue): string {
  const message = fieldIssueMessage(issue);
  // `body` is the kernel's path for rules about the request as a whole, which read fine without it.
  return issue.path && issue.path !== 'body' ? `${issue.path}: ${message}` : message;
}

export function formErrorFrom(
  error: unknown,
  unmatched: FieldIssue[],
  options: FormErrorOptions = {},
): FormError {
  const details = unmatched.map(detailOf);
  // With field details the translated field messages say it all; without them the kernel's sentence is the only
  // explanation, so it stays, in English, below the translated headline unless the form knows the reason.
  if (error instanceof ApiError && error.code === 'conflict' && error.details.length === 0) {
    if (options.conflict) return { message: options.conflict, details };
    if (error.message) details.push(error.message);
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
