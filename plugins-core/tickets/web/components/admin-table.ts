/**
 * `<gf-tickets-admin-table>`: one kind of reference data for admins (queues, states, types, companies, customer
 * users) as a table with an edit button per row and, where the kind can be created, a "New" button; both open a
 * dialog with the kind's form. What a kind looks like (columns, fields, endpoint) is an {@link AdminKind} the
 * admin page describes; set `kind` once, before the element is connected (the admin page makes one element per
 * tab). A 400 or 409 shows each field's error next to it.
 * @module
 */
import { css, html, nothing, type TemplateResult } from 'lit';
import { V1 } from '../lib/api.js';
import { otherFieldErrors } from '../lib/errors.js';
import { TicketsWidget } from '../lib/tickets-widget.js';
import './dialog.js';
import './pagination.js';
import './toast.js';

/** A form field of a kind. */
export interface AdminField {
  key: string;
  /** Message key of the label. */
  label: string;
  kind: 'text' | 'textarea' | 'checkbox' | 'select';
  required?: boolean;
  maxLength?: number;
  /** For `select`: the choices, `''` for none when `empty` is set. */
  options?: () => readonly { value: string; label: string }[];
  /** For `select`: the label of the empty choice, a message key; without it a value is required. */
  empty?: string;
  /** Shown only on create, or only on edit. */
  only?: 'create' | 'edit';
}

/** A column of a kind's table. */
export interface AdminColumn<T> {
  label: string;
  value: (row: T) => string | TemplateResult;
}

/** One kind of reference data, as the admin page edits it. */
export interface AdminKind<T> {
  /** Names the kind's messages: `admin.newItem.<id>`, `admin.editItem.<id>`. */
  id: string;
  /** Under `/api/v1`, e.g. `/queues`. */
  path: string;
  /** The row's id, as used in `path/:id`. */
  key: (row: T) => number;
  /** The row's name, for the edit button's accessible name. */
  name: (row: T) => string;
  /** Message key of the table's name and the dialog's heading. */
  title: string;
  columns: readonly AdminColumn<T>[];
  fields: readonly AdminField[];
  /** Whether new entries can be made here (customer users are made as kernel users). */
  creatable: boolean;
  /** How an edit is sent: `PATCH` (the API takes any subset of the fields) or `PUT` (the whole link). */
  update: 'PATCH' | 'PUT';
  /** Whether the list is paged and searchable (`q`, `page`, `perPage`). */
  paged: boolean;
  /** The form's values for a row. */
  values: (row: T) => Record<string, string | boolean>;
  /** The API body for the form's values. */
  body: (values: Record<string, string | boolean>, mode: 'create' | 'edit') => Record<string, unknown>;
  /** Loads what the form's selects offer, before the table is shown. */
  prepare?: (signal: AbortSignal) => Promise<void>;
}

interface Loaded<T> {
  items: T[];
  total: number;
  page: number;
  perPage: number;
}

const PER_PAGE = 25;

export class TicketsAdminTable<T = unknown> extends TicketsWidget<Loaded<T>> {
  static override properties = {
    ...TicketsWidget.properties,
    kind: { attribute: false },
    editing: { state: true },
    values: { state: true },
    errors: { state: true },
    saving: { state: true },
    q: { state: true },
    page: { state: true },
  };

  declare kind: AdminKind<T> | undefined;
  /** The row being edited, `null` for a new one, `undefined` when the dialog is closed. */
  declare private editing: T | null | undefined;
  declare private values: Record<string, string | boolean>;
  declare private errors: Record<string, string>;
  declare private saving: boolean;
  declare private q: string;
  declare private page: number;

  constructor() {
    super();
    this.kind = undefined;
    this.editing = undefined;
    this.values = {};
    this.errors = {};
    this.saving = false;
    this.q = '';
    this.page = 1;
  }

  static override styles = [
    TicketsWidget.styles,
    css`
      .head {
        display: flex;
        flex-wrap: wrap;
        align-items: flex-end;
        justify-content: space-between;
        gap: var(--gf-space-3, 12px);
        margin-bottom: var(--gf-space-3, 12px);
      }

      .head form {
        display: flex;
        align-items: flex-end;
        gap: var(--gf-space-2, 8px);
      }

      .wrap {
        overflow-x: auto;
      }

      .dialog-form {
        display: flex;
        flex-direction: column;
        gap: var(--gf-space-3, 12px);
      }
    `,
  ];

  protected override async load(signal: AbortSignal): Promise<Loaded<T>> {
    const kind = this.kind;
    if (!kind) return { items: [], total: 0, page: 1, perPage: PER_PAGE };
    const query = kind.paged ? { q: this.q || undefined, page: this.page, perPage: PER_PAGE } : {};
    const [answer] = await Promise.all([
      this.api.get<{ items: T[]; total?: number; page?: number; perPage?: number }>(`${V1}${kind.path}`, {
        signal,
        query,
      }),
      kind.prepare?.(signal),
    ]);
    return {
      items: answer.items,
      total: answer.total ?? answer.items.length,
      page: answer.page ?? 1,
      perPage: answer.perPage ?? answer.items.length,
    };
  }

  private open(row: T | null): void {
    const kind = this.kind;
    if (!kind) return;
    this.editing = row;
    this.errors = {};
    const empty: Record<string, string | boolean> = {};
    for (const field of kind.fields)
      empty[field.key] = field.kind === 'checkbox' ? field.key === 'valid' : '';
    this.values = row ? { ...empty, ...kind.values(row) } : empty;
  }

  private close(): void {
    this.editing = undefined;
  }

  private readonly onSave = async (event: Event): Promise<void> => {
    event.preventDefault();
    const kind = this.kind;
    if (!kind || this.editing === undefined) return;
    const mode = this.editing === null ? 'create' : 'edit';
    const body = kind.body(this.values, mode);
    this.saving = true;
    this.errors = {};
    try {
      if (this.editing === null) await this.api.post(`${V1}${kind.path}`, body);
      else {
        const url = `${V1}${kind.path}/${kind.key(this.editing)}`;
        if (kind.update === 'PUT') await this.api.put(url, body);
        else await this.api.patch(url, body);
      }
      this.toast?.show(this.t(mode === 'create' ? 'admin.created' : 'admin.saved'));
      this.close();
      await this.refresh();
    } catch (error) {
      this.errors = this.fieldErrorsOf(error);
      // A 409 for a taken name names the field too.
      if (Object.keys(this.errors).length === 0) this.errors = { form: this.errorMessageOf(error) };
      void this.updateComplete.then(() =>
        this.renderRoot.querySelector<HTMLElement>('.dialog-form [aria-invalid="true"]')?.focus(),
      );
    } finally {
      this.saving = false;
    }
  };

  private renderField(field: AdminField) {
    const mode = this.editing === null ? 'create' : 'edit';
    if (field.only && field.only !== mode) return nothing;
    const id = `admin-${field.key}`;
    const error = this.errors[field.key];
    const value = this.values[field.key];
    const set = (v: string | boolean) => {
      this.values = { ...this.values, [field.key]: v };
    };
    const describedBy = error ? `${id}-error` : nothing;
    const errorLine = error
      ? html`<span class="field-error" id="${id}-error" data-testid="${id}-error">${error}</span>`
      : nothing;
    if (field.kind === 'checkbox') {
      return html`<div class="field">
        <label class="check">
          <input
            id=${id}
            type="checkbox"
            data-testid=${id}
            .checked=${value === true}
            aria-describedby=${describedBy}
            @change=${(e: Event) => set((e.target as HTMLInputElement).checked)}
          />
          ${this.t(field.label)}
        </label>
        ${errorLine}
      </div>`;
    }
    const label = html`<label for=${id}
      >${this.t(field.label)}${field.required ? html`<span aria-hidden="true"> *</span>` : nothing}</label
    >`;
    if (field.kind === 'select') {
      const options = field.options?.() ?? [];
      return html`<div class="field">
        ${label}
        <select
          id=${id}
          data-testid=${id}
          ?required=${field.required}
          aria-invalid=${error ? 'true' : 'false'}
          aria-describedby=${describedBy}
          @change=${(e: Event) => set((e.target as HTMLSelectElement).value)}
        >
          ${field.empty !== undefined ? html`<option value="" ?selected=${value === ''}>${this.t(field.empty)}</option>` : nothing}
          ${field.empty === undefined && value === '' ? html`<option value="" selected disabled>${this.t('admin.choose')}</option>` : nothing}
          ${options.map((o) => html`<option value=${o.value} ?selected=${value === o.value}>${o.label}</option>`)}
        </select>
        ${errorLine}
      </div>`;
    }
    const common = {
      id,
      required: field.required === true,
      max: field.maxLength ?? 2000,
    };
    return html`<div class="field">
      ${label}
      ${
        field.kind === 'textarea'
          ? html`<textarea
              id=${common.id}
              data-testid=${id}
              maxlength=${common.max}
              ?required=${common.required}
              aria-invalid=${error ? 'true' : 'false'}
              aria-describedby=${describedBy}
              .value=${String(value ?? '')}
              @input=${(e: Event) => set((e.target as HTMLTextAreaElement).value)}
            ></textarea>`
          : html`<input
              id=${common.id}
              data-testid=${id}
              maxlength=${common.max}
              ?required=${common.required}
              aria-invalid=${error ? 'true' : 'false'}
              aria-describedby=${describedBy}
              .value=${String(value ?? '')}
              @input=${(e: Event) => set((e.target as HTMLInputElement).value)}
            />`
      }
      ${errorLine}
    </div>`;
  }

  private renderDialog(kind: AdminKind<T>) {
    const open = this.editing !== undefined;
    const shown = kind.fields.map((f) => f.key);
    const other = [this.errors.form, otherFieldErrors(this.errors, [...shown, 'form'])]
      .filter(Boolean)
      .join(' ');
    return html`<gf-tickets-dialog
      .open=${open}
      .heading=${this.t(`admin.${this.editing === null ? 'newItem' : 'editItem'}.${kind.id}`)}
      @close=${() => this.close()}
    >
      ${
        open
          ? html`<form id="admin-form" class="dialog-form" data-testid="admin-form" @submit=${this.onSave}>
              ${kind.fields.map((field) => this.renderField(field))}
              ${other ? html`<p class="alert" role="alert">${other}</p>` : nothing}
            </form>`
          : nothing
      }
      <button
        slot="footer"
        type="submit"
        form="admin-form"
        class="btn btn-primary"
        data-testid="admin-save"
        ?disabled=${this.saving}
      >
        ${this.t('admin.save')}
      </button>
    </gf-tickets-dialog>`;
  }

  protected override renderContent(data: Loaded<T>) {
    const kind = this.kind;
    if (!kind) return nothing;
    return html`<div class="head">
        <h3>${this.t(kind.title)}</h3>
        ${
          kind.paged
            ? html`<form
                role="search"
                @submit=${(e: Event) => {
                  e.preventDefault();
                  this.q = String(new FormData(e.target as HTMLFormElement).get('q') ?? '').trim();
                  this.page = 1;
                  void this.refresh();
                }}
              >
                <div class="field">
                  <label for="admin-q">${this.t('filter.q')}</label>
                  <input id="admin-q" name="q" type="search" maxlength="200" .value=${this.q} />
                </div>
                <button type="submit" class="btn">${this.t('filter.apply')}</button>
              </form>`
            : nothing
        }
        ${
          kind.creatable
            ? html`<button type="button" class="btn btn-primary" data-testid="admin-new" @click=${() => this.open(null)}>
                ${this.t(`admin.newItem.${kind.id}`)}
              </button>`
            : nothing
        }
      </div>
      ${
        data.items.length === 0
          ? html`<p class="empty">${this.t('admin.empty')}</p>`
          : html`<div class="wrap">
              <table data-testid="admin-table-${kind.id}">
                <caption class="visually-hidden">${this.t(kind.title)}</caption>
                <thead>
                  <tr>
                    ${kind.columns.map((c) => html`<th scope="col">${this.t(c.label)}</th>`)}
                    <th scope="col"><span class="visually-hidden">${this.t('admin.actions')}</span></th>
                  </tr>
                </thead>
                <tbody>
                  ${data.items.map(
                    (row) => html`<tr data-testid="admin-row">
                      ${kind.columns.map((c) => html`<td>${c.value(row)}</td>`)}
                      <td>
                        <button
                          type="button"
                          class="btn btn-small"
                          data-testid="admin-edit"
                          aria-label=${this.t('admin.editRow', { name: kind.name(row) })}
                          @click=${() => this.open(row)}
                        >
                          ${this.t('admin.editButton')}
                        </button>
                      </td>
                    </tr>`,
                  )}
                </tbody>
              </table>
            </div>`
      }
      ${
        kind.paged
          ? html`<gf-tickets-pagination
              .page=${data.page}
              .perPage=${data.perPage || PER_PAGE}
              .total=${data.total}
              .totalExact=${true}
              .shown=${data.items.length}
              @page-change=${(e: CustomEvent<{ page: number }>) => {
                this.page = e.detail.page;
                void this.refresh();
              }}
            ></gf-tickets-pagination>`
          : nothing
      }
      ${this.renderDialog(kind)}
      <gf-tickets-toast></gf-tickets-toast>`;
  }
}

if (!customElements.get('gf-tickets-admin-table')) {
  customElements.define('gf-tickets-admin-table', TicketsAdminTable);
}
