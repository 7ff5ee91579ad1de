/**
 * Uploads a packed plugin with its SHA-256 checksum file. The kernel checks both, unpacks the package safely and
 * installs the plugin disabled; what it refuses comes back as field errors (a wrong checksum), a list of the
 * problems it found in the package (manifest fields, archive entries), or a conflict with what is installed.
 * @module
 */
import { css, html, nothing } from 'lit';
import { ApiError, type FieldIssue } from '../api/client.js';
import { type PluginUploadResult, uploadPlugin } from '../api/plugins.js';
import { errorMessage } from '../i18n/error-message.js';
import { fieldIssueMessage, sentence } from '../i18n/field-message.js';
import { t } from '../i18n/i18n.js';
import { LocalizedElement } from '../i18n/localized-element.js';
import { sharedStyles } from '../theme/shared-styles.js';
import { renderField } from './field.js';

const FIELDS: ReadonlySet<string> = new Set(['package', 'checksum']);

/** Refusals whose kernel sentence says which rule the package broke (the id is bundled, it would downgrade, …). */
const EXPLAINED = new Set(['invalid_package', 'conflict', 'payload_too_large']);

/**
 * `invalid` is the kernel's catch-all code: for a package the specifics are in its words (which manifest field is
 * wrong and why, which checksum it computed), so those are shown rather than a translated "not valid". Codes
 * with a meaning of their own are translated as everywhere else.
 */
function issueText(issue: FieldIssue): string {
  return issue.code === 'invalid' && issue.message ? sentence(issue.message) : fieldIssueMessage(issue);
}

export type UploadedEventDetail = PluginUploadResult;

export class PluginUploadForm extends LocalizedElement {
  static override properties = {
    uploading: { state: true },
    fieldErrors: { state: true },
    failure: { state: true },
  };

  declare uploading: boolean;
  declare fieldErrors: Record<string, string>;
  /** The refusal: a translated headline, the kernel's sentence where it helps, and the problems it listed. */
  declare failure: { message: string; detail: string; issues: FieldIssue[] } | null;

  constructor() {
    super();
    this.uploading = false;
    this.fieldErrors = {};
    this.failure = null;
  }

  static override styles = [
    sharedStyles,
    css`
      .intro {
        margin: 0;
        color: var(--gf-color-text-muted);
      }

      .issues {
        display: flex;
        flex-direction: column;
        gap: var(--gf-space-1);
        margin: var(--gf-space-2) 0 0;
        padding: 0;
        list-style: none;
        font-size: var(--gf-font-size-sm);
      }

      .issues code {
        font-family: var(--gf-font-family-mono);
        font-size: var(--gf-font-size-xs);
        overflow-wrap: anywhere;
      }

      input[type='file'] {
        padding: var(--gf-space-1) var(--gf-space-2);
      }
    `,
  ];

  protected override firstUpdated(): void {
    this.renderRoot.querySelector<HTMLInputElement>('#package')?.focus();
  }

  private cancel(): void {
    this.dispatchEvent(new CustomEvent('gf-cancel', { bubbles: true, composed: true }));
  }

  private file(id: string): File | undefined {
    return this.renderRoot.querySelector<HTMLInputElement>(`#${id}`)?.files?.[0];
  }

  private async submit(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    if (this.uploading) return;
    this.uploading = true;
    this.fieldErrors = {};
    this.failure = null;
    try {
      const result = await uploadPlugin({ package: this.file('package'), checksum: this.file('checksum') });
      this.dispatchEvent(
        new CustomEvent<UploadedEventDetail>('gf-uploaded', {
          detail: result,
          bubbles: true,
          composed: true,
        }),
      );
    } catch (error) {
      this.showError(error);
    } finally {
      this.uploading = false;
    }
  }

  private showError(error: unknown): void {
    const byField: Record<string, string> = {};
    const issues: FieldIssue[] = [];
    for (const issue of error instanceof ApiError ? error.details : []) {
      if (!FIELDS.has(issue.path)) issues.push(issue);
      else byField[issue.path] ??= issueText(issue);
    }
    this.fieldErrors = byField;
    // An invalid package's sentence only strings its problems together; the list shows them one by one.
    const explained =
      error instanceof ApiError &&
      EXPLAINED.has(error.code) &&
      (issues.length === 0 || error.code !== 'invalid_package');
    this.failure = {
      message: errorMessage(error),
      detail: explained ? error.message : '',
      issues,
    };
  }

  private renderFailure() {
    const failure = this.failure;
    if (!failure) return nothing;
    return html`<div class="alert alert-danger" role="alert" data-testid="plugin-upload-error">
      ${failure.message}
      ${failure.detail ? html`<span class="alert-detail" data-testid="plugin-upload-error-detail">${failure.detail}</span>` : nothing}
      ${
        failure.issues.length > 0
          ? html`<ul class="issues" data-testid="plugin-upload-issues">
              ${failure.issues.map(
                (issue) =>
                  html`<li>${issue.path && issue.path !== 'body' ? html`<code>${issue.path}</code> ` : nothing}${issueText(issue)}</li>`,
              )}
            </ul>`
          : nothing
      }
    </div>`;
  }

  override render() {
    return html`
      <form class="form" data-testid="plugin-upload-form" novalidate @submit=${this.submit}>
        <p class="intro">${t('pluginAdmin.upload.intro')}</p>
        ${this.renderFailure()}
        ${renderField(
          {
            id: 'package',
            label: t('pluginAdmin.upload.package'),
            hint: t('pluginAdmin.upload.packageHint'),
            testid: 'plugin-upload-package',
            error: this.fieldErrors.package,
            required: true,
          },
          (a) => html`<input
            id="package"
            name="package"
            type="file"
            class="input"
            accept=".tgz,.tar.gz,application/gzip,application/x-gzip"
            data-testid="plugin-upload-package"
            required
            aria-describedby=${a.describedBy}
            aria-invalid=${a.invalid}
          />`,
        )}
        ${renderField(
          {
            id: 'checksum',
            label: t('pluginAdmin.upload.checksum'),
            hint: t('pluginAdmin.upload.checksumHint'),
            testid: 'plugin-upload-checksum',
            error: this.fieldErrors.checksum,
            required: true,
          },
          (a) => html`<input
            id="checksum"
            name="checksum"
            type="file"
            class="input"
            data-testid="plugin-upload-checksum"
            required
            aria-describedby=${a.describedBy}
            aria-invalid=${a.invalid}
          />`,
        )}
        <div class="form-actions">
          <button type="button" class="btn" data-testid="plugin-upload-cancel" @click=${this.cancel}>
            ${t('common.cancel')}
          </button>
          <button type="submit" class="btn btn-primary" data-testid="plugin-upload-submit" ?disabled=${this.uploading}>
            ${this.uploading ? t('pluginAdmin.upload.uploading') : t('pluginAdmin.upload.submit')}
          </button>
        </div>
      </form>
    `;
  }
}

customElements.define('gf-plugin-upload-form', PluginUploadForm);
