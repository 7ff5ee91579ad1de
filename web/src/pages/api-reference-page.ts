/**
 * `/api-reference`: the HTTP API of the enabled plugins, read from the kernel's merged OpenAPI document
 * (`GET /api/v1/openapi.json`) and shown by tag — each operation with its method, path, summary, who may call
 * it, parameters, request body and responses, schemas as indented rows. Built in, so it needs no viewer from a
 * CDN (the CSP allows only this origin); every text of the document is rendered as text, never as markup.
 * @module
 */
import { AUTH_LEVELS } from '@goatflow/sdk';
import { css, html, nothing } from 'lit';
import { styleMap } from 'lit/directives/style-map.js';
import { api } from '../api/client.js';
import { iconSearch } from '../components/icons.js';
import { errorMessage } from '../i18n/error-message.js';
import { t } from '../i18n/i18n.js';
import { LocalizedElement } from '../i18n/localized-element.js';
import { pageStyles, sharedStyles } from '../theme/shared-styles.js';
import {
  type Constraint,
  filterGroups,
  groupByTag,
  type OpenApiDocument,
  type OperationView,
  type SchemaRow,
  type TagGroup,
} from './api-reference-model.js';

/** Where the kernel serves the merged document. */
export const OPENAPI_URL = '/api/v1/openapi.json';

const KNOWN_AUTH: ReadonlySet<string> = new Set(AUTH_LEVELS);

export class ApiReferencePage extends LocalizedElement {
  static override properties = {
    document: { state: true },
    loading: { state: true },
    loadError: { state: true },
    query: { state: true },
  };

  declare document: OpenApiDocument | null;
  declare loading: boolean;
  declare loadError: string;
  declare query: string;
  /** Grouped once per document: filtering and language changes re-render without redoing it. */
  private groups: TagGroup[] = [];

  constructor() {
    super();
    this.document = null;
    this.loading = true;
    this.loadError = '';
    this.query = '';
  }

  static override styles = [
    sharedStyles,
    pageStyles,
    css`
      .search {
        position: relative;
      }

      .search svg {
        position: absolute;
        left: var(--gf-space-3);
        bottom: calc((var(--gf-size-control) - var(--gf-size-icon)) / 2);
        color: var(--gf-color-text-subtle);
        pointer-events: none;
      }

      .search .input {
        padding-left: calc(var(--gf-space-3) + var(--gf-size-icon) + var(--gf-space-2));
      }

      .tag-header {
        padding: var(--gf-space-4);
        border-bottom: var(--gf-border-width) solid var(--gf-color-border);
      }

      .tag-header p {
        margin-top: var(--gf-space-1);
        color: var(--gf-color-text-muted);
      }

      details.operation {
        border-bottom: var(--gf-border-width) solid var(--gf-color-border);
      }

      details.operation:last-child {
        border-bottom: none;
      }

      details.operation > summary {
        display: flex;
        align-items: center;
        gap: var(--gf-space-3);
        padding: var(--gf-space-3) var(--gf-space-4);
        cursor: pointer;
        flex-wrap: wrap;
      }

      details.operation > summary:hover {
        background: var(--gf-color-surface-muted);
      }

      details.operation > summary:focus-visible {
        outline: none;
        box-shadow: inset 0 0 0 var(--gf-focus-ring-width-inset) var(--gf-color-focus-ring);
      }

      .method {
        min-width: 4.5em;
        justify-content: center;
        font-family: var(--gf-font-family-mono);
        font-weight: var(--gf-font-weight-bold);
      }

      code,
      .mono {
        font-family: var(--gf-font-family-mono);
        font-size: var(--gf-font-size-sm);
        overflow-wrap: anywhere;
      }

      .summary-text {
        color: var(--gf-color-text-muted);
      }

      .operation-body {
        display: flex;
        flex-direction: column;
        gap: var(--gf-space-3);
        padding: var(--gf-space-2) var(--gf-space-4) var(--gf-space-4);
      }

      .operation-body h3 {
        font-size: var(--gf-font-size-sm);
        font-weight: var(--gf-font-weight-bold);
        text-transform: uppercase;
        letter-spacing: var(--gf-letter-spacing-wide);
        color: var(--gf-color-text-muted);
      }

      .prose {
        white-space: pre-line;
        max-width: var(--gf-size-prose-max);
      }

      .facts {
        display: flex;
        flex-wrap: wrap;
        gap: var(--gf-space-2);
        align-items: center;
      }

      th,
      td {
        padding: var(--gf-space-2) var(--gf-space-3);
        vertical-align: top;
      }

      .name {
        padding-left: calc(var(--gf-space-3) + var(--depth, 0) * var(--gf-space-4));
        white-space: nowrap;
      }

      .constraints {
        display: flex;
        flex-wrap: wrap;
        gap: var(--gf-space-1);
      }

      .response {
        display: flex;
        flex-direction: column;
        gap: var(--gf-space-2);
      }

      .response-line {
        display: flex;
        gap: var(--gf-space-2);
        align-items: baseline;
      }

      .bordered {
        border: var(--gf-border-width) solid var(--gf-color-border);
        border-radius: var(--gf-radius);
      }
    `,
  ];

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  private async load(): Promise<void> {
    this.loading = true;
    this.loadError = '';
    try {
      this.document = await api.get<OpenApiDocument>(OPENAPI_URL);
      this.groups = groupByTag(this.document);
    } catch (error) {
      this.loadError = errorMessage(error);
    } finally {
      this.loading = false;
    }
  }

  private changeQuery(event: Event): void {
    this.query = (event.target as HTMLInputElement).value;
  }

  private renderConstraint(c: Constraint) {
    return html`<span class="badge badge-neutral">${t(`apiReference.constraint.${c.key}`, { value: c.value })}</span>`;
  }

  private renderSchema(rows: SchemaRow[], testid: string) {
    if (rows.length === 0) return nothing;
    return html`<div class="table-wrap bordered">
      <table data-testid=${testid}>
        <thead>
          <tr>
            <th scope="col">${t('apiReference.field')}</th>
            <th scope="col">${t('apiReference.type')}</th>
            <th scope="col">${t('apiReference.details')}</th>
          </tr>
        </thead>
        <tbody>
          ${rows.map(
            (row) => html`<tr>
              <td class="name mono" style=${styleMap({ '--depth': String(row.depth) })}>
                ${row.name}${row.required && row.depth > 0 ? html`<span class="required-mark" title=${t('apiReference.required')}>*</span>` : nothing}
              </td>
              <td class="mono">${row.type}</td>
              <td>
                <div class="constraints">${row.constraints.map((c) => this.renderConstraint(c))}</div>
                ${row.description ? html`<div class="prose">${row.description}</div>` : nothing}
              </td>
            </tr>`,
          )}
        </tbody>
      </table>
    </div>`;
  }

  private renderParameters(op: OperationView) {
    if (op.parameters.length === 0) return html`<p class="muted">${t('apiReference.noParameters')}</p>`;
    return html`<div class="table-wrap bordered">
      <table data-testid="api-parameters">
        <thead>
          <tr>
            <th scope="col">${t('apiReference.name')}</th>
            <th scope="col">${t('apiReference.in')}</th>
            <th scope="col">${t('apiReference.type')}</th>
            <th scope="col">${t('apiReference.details')}</th>
          </tr>
        </thead>
        <tbody>
          ${op.parameters.map(
            (p) => html`<tr>
              <td class="mono">
                ${p.name}${p.required ? html`<span class="required-mark" title=${t('apiReference.required')}>*</span>` : nothing}
              </td>
              <td>${p.in}</td>
              <td class="mono">${p.type}</td>
              <td>
                <div class="constraints">${p.constraints.map((c) => this.renderConstraint(c))}</div>
                ${p.description ? html`<div class="prose">${p.description}</div>` : nothing}
              </td>
            </tr>`,
          )}
        </tbody>
      </table>
    </div>`;
  }

  private renderOperation(op: OperationView) {
    const testid = `api-operation-${op.operationId || `${op.method}-${op.path}`}`;
    const auth = KNOWN_AUTH.has(op.auth) ? t(`apiReference.auth.${op.auth}`) : '';
    return html`<details class="operation" data-testid=${testid}>
      <summary>
        <span class="badge method ${op.method === 'GET' ? 'badge-primary' : op.method === 'DELETE' ? 'badge-danger' : 'badge-success'}"
          >${op.method}</span
        >
        <code data-testid="api-operation-path">${op.path}</code>
        ${op.summary ? html`<span class="summary-text">${op.summary}</span>` : nothing}
      </summary>
      <div class="operation-body">
        ${op.description ? html`<p class="prose">${op.description}</p>` : nothing}
        <div class="facts">
          ${auth ? html`<span class="badge badge-warning" data-testid="api-operation-auth">${auth}</span>` : nothing}
          ${op.scope ? html`<span class="badge badge-neutral">${t('apiReference.scope', { scope: op.scope })}</span>` : nothing}
          ${op.operationId ? html`<span class="muted mono">${op.operationId}</span>` : nothing}
        </div>
        <h3>${t('apiReference.parameters')}</h3>
        ${this.renderParameters(op)}
        ${
          op.body
            ? html`<h3>
                  ${t('apiReference.requestBody')}
                  <span class="badge badge-neutral"
                    >${op.body.required ? t('apiReference.required') : t('apiReference.optional')}</span
                  >
                </h3>
                ${this.renderSchema(op.body.schema, 'api-request-body')}`
            : nothing
        }
        <h3>${t('apiReference.responses')}</h3>
        ${op.responses.map(
          (r) => html`<div class="response" data-testid="api-response-${r.status}">
            <div class="response-line">
              <span class="badge ${r.status.startsWith('2') ? 'badge-success' : 'badge-danger'} mono">${r.status}</span>
              <span>${r.description}</span>
              ${r.schemaName ? html`<code data-testid="api-response-shared-${r.status}">${r.schemaName}</code>` : nothing}
            </div>
            ${this.renderSchema(r.schema, `api-response-schema-${r.status}`)}
          </div>`,
        )}
      </div>
    </details>`;
  }

  private renderGroup(group: TagGroup) {
    return html`<section class="card" data-testid="api-tag-${group.name || 'untagged'}">
      <header class="tag-header">
        <h2>${group.name || t('apiReference.untagged')}</h2>
        ${group.description ? html`<p class="prose">${group.description}</p>` : nothing}
      </header>
      ${group.operations.map((op) => this.renderOperation(op))}
    </section>`;
  }

  private renderContent() {
    if (this.loading) return html`<div class="empty-state" role="status">${t('apiReference.loading')}</div>`;
    if (this.loadError) {
      return html`<div class="alert alert-danger" role="alert" data-testid="api-reference-error">
        ${t('apiReference.loadFailed')} ${this.loadError}
      </div>`;
    }
    if (this.groups.length === 0) {
      return html`<div class="card empty-state" data-testid="api-reference-empty">${t('apiReference.empty')}</div>`;
    }
    const shown = filterGroups(this.groups, this.query);
    return html`
      <section class="card">
        <div class="toolbar">
          <div class="field search grow">
            <label class="field-label" for="api-filter">${t('apiReference.filter')}</label>
            ${iconSearch()}
            <input
              id="api-filter"
              type="search"
              class="input"
              data-testid="api-reference-filter"
              placeholder=${t('apiReference.filterPlaceholder')}
              .value=${this.query}
              @input=${this.changeQuery}
            />
          </div>
        </div>
      </section>
      ${
        shown.length === 0
          ? html`<div class="card empty-state" role="status">${t('apiReference.noMatch')}</div>`
          : shown.map((group) => this.renderGroup(group))
      }
    `;
  }

  override render() {
    const version = this.document?.info?.version;
    return html`
      <div class="page" data-testid="api-reference">
        <div class="page-header">
          <div>
            <h1>${t('apiReference.title')}</h1>
            <p>${t('apiReference.subtitle')}</p>
          </div>
          <div class="facts">
            ${version ? html`<span class="muted">${t('apiReference.version', { version })}</span>` : nothing}
            <a class="btn" href=${OPENAPI_URL} target="_blank" rel="noopener" data-testid="api-reference-json"
              >${t('apiReference.openJson')}</a
            >
          </div>
        </div>
        ${this.renderContent()}
      </div>
    `;
  }
}

customElements.define('gf-api-reference-page', ApiReferencePage);
