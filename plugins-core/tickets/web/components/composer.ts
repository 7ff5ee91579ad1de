/**
 * `<gf-tickets-composer>`: writes a reply to the customer or, where `allow-note` is set, an internal note, with
 * attachments. It fires `compose` with `detail` shaped as the API's article body (`{subject?, body, internal,
 * attachments}`, files base64-encoded); the page sends it, then calls `reset()` or sets `errors` (field paths as
 * the API names them, without `body.`: `body`, `subject`, `attachments.0.filename`…).
 * Without `allow-note` there is no note control at all: the portal's composer cannot send one.
 * @module
 */
import { css, html, nothing, type PropertyValues } from 'lit';
import { otherFieldErrors } from '../lib/errors.js';
import { formatBytes } from '../lib/format.js';
import { ticketsStyles } from '../lib/styles.js';
import { TicketsElement } from '../lib/tickets-element.js';
import type { ArticleInput, AttachmentInput } from '../lib/types.js';

/** The API takes at most this many attachments per article. */
export const MAX_ATTACHMENTS = 10;

/**
 * Reads a file as base64, for the JSON body.
 * @param file - a file the user picked
 */
export function readBase64(file: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => {
      const url = String(reader.result);
      resolve(url.slice(url.indexOf(',') + 1));
    };
    reader.onerror = () => reject(reader.error ?? new Error('The file could not be read.'));
    reader.readAsDataURL(file);
  });
}

/**
 * The attachments of an article, read from the picked files.
 * @param files - what the file input holds
 */
export async function attachmentsFrom(files: readonly File[]): Promise<AttachmentInput[]> {
  return Promise.all(
    files.map(async (file) => ({
      filename: file.name,
      contentType: /^[\w.+-]+\/[\w.+-]+$/.test(file.type) ? file.type : 'application/octet-stream',
      contentBase64: await readBase64(file),
    })),
  );
}

const SHOWN_FIELDS = ['subject', 'body', 'internal', 'attachments'];

export class TicketsComposer extends TicketsElement {
  static override properties = {
    ...TicketsElement.properties,
    allowReply: { type: Boolean, attribute: 'allow-reply' },
    allowNote: { type: Boolean, attribute: 'allow-note' },
    busy: { type: Boolean },
    errors: { attribute: false },
    heading: { type: String },
    submitLabel: { type: String, attribute: 'submit-label' },
    internal: { state: true },
    files: { state: true },
  };

  declare allowReply: boolean;
  declare allowNote: boolean;
  /** Disables the form while the page sends. */
  declare busy: boolean;
  declare errors: Record<string, string>;
  declare heading: string;
  /** The send button's words, when the article is part of something bigger (a new ticket). */
  declare submitLabel: string;
  declare private internal: boolean;
  declare private files: File[];

  constructor() {
    super();
    this.allowReply = true;
    this.allowNote = false;
    this.busy = false;
    this.errors = {};
    this.heading = '';
    this.submitLabel = '';
    this.internal = false;
    this.files = [];
  }

  static override styles = [
    ticketsStyles,
    css`
      form {
        display: flex;
        flex-direction: column;
        gap: var(--gf-space-3, 12px);
      }

      fieldset {
        display: flex;
        flex-wrap: wrap;
        gap: var(--gf-space-4, 16px);
        margin: 0;
        padding: 0;
        border: none;
      }

      legend {
        margin-bottom: var(--gf-space-1, 4px);
        font-weight: var(--gf-font-weight-medium, 500);
      }

      form.internal textarea {
        background: var(--gf-color-warning-soft, #fff4d6);
      }

      .files {
        margin: 0;
        padding: 0;
        list-style: none;
      }
    `,
  ];

  protected override willUpdate(changed: PropertyValues): void {
    // Only what is allowed can be chosen: a note when replying is not allowed, never a note when notes are not.
    if (!changed.has('allowNote') && !changed.has('allowReply')) return;
    if (!this.allowNote) this.internal = false;
    else if (!this.allowReply) this.internal = true;
  }

  /** Empties the form after the article was sent. */
  reset(): void {
    this.renderRoot.querySelector('form')?.reset();
    this.files = [];
    this.errors = {};
    this.internal = !this.allowReply && this.allowNote;
  }

  private readonly onFiles = (event: Event): void => {
    const input = event.target as HTMLInputElement;
    this.files = [...this.files, ...Array.from(input.files ?? [])].slice(0, MAX_ATTACHMENTS);
    input.value = '';
  };

  private readonly onSubmit = async (event: Event): Promise<void> => {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const data = new FormData(form);
    const subject = String(data.get('subject') ?? '').trim();
    const body = String(data.get('body') ?? '');
    const detail: ArticleInput = {
      body,
      internal: this.internal,
      attachments: await attachmentsFrom(this.files),
      ...(subject ? { subject } : {}),
    };
    this.dispatchEvent(new CustomEvent('compose', { detail }));
  };

  private fileError(index: number): string {
    const prefix = `attachments.${index}`;
    return Object.entries(this.errors)
      .filter(([path]) => path.startsWith(`${prefix}.`) || path === prefix)
      .map(([, message]) => message)
      .join(' ');
  }

  override render() {
    if (!this.allowReply && !this.allowNote) return nothing;
    const e = this.errors;
    const other = otherFieldErrors(e, SHOWN_FIELDS);
    return html`<form
      class=${this.internal ? 'internal' : ''}
      aria-label=${this.heading || this.t('composer.label')}
      data-testid="composer"
      @submit=${this.onSubmit}
    >
      ${this.heading ? html`<h3>${this.heading}</h3>` : nothing}
      ${
        this.allowReply && this.allowNote
          ? html`<fieldset>
              <legend>${this.t('composer.kind')}</legend>
              <label class="check">
                <input
                  type="radio"
                  name="kind"
                  value="reply"
                  data-testid="composer-reply"
                  .checked=${!this.internal}
                  @change=${() => {
                    this.internal = false;
                  }}
                />
                ${this.t('composer.reply')}
              </label>
              <label class="check">
                <input
                  type="radio"
                  name="kind"
                  value="note"
                  data-testid="composer-note"
                  .checked=${this.internal}
                  @change=${() => {
                    this.internal = true;
                  }}
                />
                ${this.t('composer.note')}
              </label>
            </fieldset>`
          : nothing
      }
      ${
        this.internal
          ? html`<p class="muted" data-testid="composer-note-hint">${this.t('composer.noteHint')}</p>`
          : nothing
      }
      ${e.internal ? html`<p class="field-error">${e.internal}</p>` : nothing}
      <div class="field">
        <label for="composer-subject">${this.t('composer.subject')}</label>
        <input
          id="composer-subject"
          name="subject"
          maxlength="255"
          data-testid="composer-subject"
          aria-invalid=${e.subject ? 'true' : 'false'}
          aria-describedby=${e.subject ? 'composer-subject-error' : nothing}
        />
        ${e.subject ? html`<span class="field-error" id="composer-subject-error">${e.subject}</span>` : nothing}
      </div>
      <div class="field">
        <label for="composer-body"
          >${this.t(this.internal ? 'composer.noteBody' : 'composer.body')}<span aria-hidden="true"> *</span></label
        >
        <textarea
          id="composer-body"
          name="body"
          required
          maxlength="200000"
          data-testid="composer-body"
          aria-invalid=${e.body ? 'true' : 'false'}
          aria-describedby=${e.body ? 'composer-body-error' : nothing}
        ></textarea>
        ${
          e.body
            ? html`<span class="field-error" id="composer-body-error" data-testid="composer-body-error"
                >${e.body}</span
              >`
            : nothing
        }
      </div>
      <div class="field">
        <label for="composer-files">${this.t('composer.attachments')}</label>
        <input
          id="composer-files"
          type="file"
          multiple
          data-testid="composer-files"
          ?disabled=${this.files.length >= MAX_ATTACHMENTS}
          @change=${this.onFiles}
        />
        ${
          this.files.length
            ? html`<ul class="files">
                ${this.files.map(
                  (file, i) => html`<li data-testid="composer-file">
                    ${file.name} <span class="muted">(${formatBytes(file.size, this.locale)})</span>
                    <button
                      type="button"
                      class="btn-link btn"
                      aria-label=${this.t('composer.removeFile', { name: file.name })}
                      @click=${() => {
                        this.files = this.files.filter((_, j) => j !== i);
                      }}
                    >
                      ${this.t('composer.remove')}
                    </button>
                    ${this.fileError(i) ? html`<span class="field-error">${this.fileError(i)}</span>` : nothing}
                  </li>`,
                )}
              </ul>`
            : nothing
        }
        ${e.attachments ? html`<span class="field-error">${e.attachments}</span>` : nothing}
      </div>
      ${other ? html`<p class="field-error">${other}</p>` : nothing}
      <div class="actions">
        <button type="submit" class="btn btn-primary" data-testid="composer-send" ?disabled=${this.busy}>
          ${this.submitLabel || this.t(this.internal ? 'composer.sendNote' : 'composer.sendReply')}
        </button>
      </div>
    </form>`;
  }
}

if (!customElements.get('gf-tickets-composer')) customElements.define('gf-tickets-composer', TicketsComposer);
