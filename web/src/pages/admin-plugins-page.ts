/**
 * Plugin administration: every discovered plugin with its state, health, requested versus granted permissions
 * and manifest problems; enable, disable, grant what it asks for, edit its settings (a form generated from the
 * JSON Schema its manifest declares), read its log, upload a packed plugin, and remove an uploaded one that is
 * not running (after a confirmation; its data stays). Enabling or disabling announces that the shell's plugin
 * contributions changed, so menus and widgets follow at once.
 * @module
 */
import { css, html, nothing, type TemplateResult } from 'lit';
import { ApiError } from '../api/client.js';
import {
  disablePlugin,
  enablePlugin,
  grantPlugin,
  listPlugins,
  type PermissionKind,
  type PluginAction,
  type PluginState,
  type PluginStatus,
  permissionNames,
  removePlugin,
  savePluginSettings,
} from '../api/plugins.js';
import { errorMessage } from '../i18n/error-message.js';
import { t } from '../i18n/i18n.js';
import { LocalizedElement } from '../i18n/localized-element.js';
import { announceContributionsStale } from '../plugins/contributions.js';
import { pageStyles, sharedStyles } from '../theme/shared-styles.js';
import '../components/json-schema-form.js';
import '../components/modal-dialog.js';
import '../components/plugin-log-viewer.js';
import '../components/plugin-upload-form.js';
import './not-found-page.js';
import {
  iconAlert,
  iconCheck,
  iconList,
  iconRefresh,
  iconSettings,
  iconShield,
  iconTrash,
  iconUpload,
} from '../components/icons.js';
import type { JsonObject } from '../components/json-schema-fields.js';
import type { UploadedEventDetail } from '../components/plugin-upload-form.js';

interface ActionError {
  message: string;
  detail: string;
}

const STATE_BADGE: Record<PluginState, string> = {
  installed: 'badge-neutral',
  enabled: 'badge-success',
  disabled: 'badge-neutral',
  degraded: 'badge-warning',
  quarantined: 'badge-danger',
  failed: 'badge-danger',
};

/** States in which the plugin's runtime is up, so the way out is Disable rather than Enable. */
const RUNNING: ReadonlySet<PluginState> = new Set<PluginState>(['enabled', 'degraded', 'quarantined']);

type LifecycleAction = Exclude<PluginAction, 'grant'>;
/** The label of a lifecycle action's button while it runs. */
const IN_PROGRESS: Record<LifecycleAction, string> = {
  enable: 'enabling',
  disable: 'disabling',
  remove: 'removing',
};

/** The kernel's own sentence, when it sent one: it says exactly which grant or manifest field is the problem. */
function kernelDetail(error: unknown): string {
  if (error instanceof ApiError && error.status > 0 && error.code !== 'bad_response' && error.message) {
    return error.message;
  }
  return errorMessage(error);
}

export class AdminPluginsPage extends LocalizedElement {
  static override properties = {
    plugins: { state: true },
    loading: { state: true },
    loadError: { state: true },
    hidden404: { state: true },
    busy: { state: true },
    notice: { state: true },
    actionError: { state: true },
    logsFor: { state: true },
    settingsFor: { state: true },
    uploading: { state: true },
    uploaded: { state: true },
    removing: { state: true },
  };

  declare plugins: PluginStatus[];
  declare loading: boolean;
  declare loadError: string;
  /** The kernel answered 404: the page must look like it does not exist. */
  declare hidden404: boolean;
  /** The action under way per plugin id; that plugin's buttons wait for it. */
  declare busy: Readonly<Record<string, PluginAction>>;
  declare notice: string;
  declare actionError: ActionError | null;
  declare logsFor: PluginStatus | null;
  /** The plugin whose settings dialog is open, as of its last save. */
  declare settingsFor: PluginStatus | null;
  /** The upload dialog is open. */
  declare uploading: boolean;
  /** The id of the plugin just uploaded: its row stands out until the next upload. */
  declare uploaded: string;
  /** The plugin whose removal awaits the admin's confirmation. */
  declare removing: PluginStatus | null;

  private loadToken = 0;

  constructor() {
    super();
    this.plugins = [];
    this.loading = true;
    this.loadError = '';
    this.hidden404 = false;
    this.busy = {};
    this.notice = '';
    this.actionError = null;
    this.logsFor = null;
    this.settingsFor = null;
    this.uploading = false;
    this.uploaded = '';
    this.removing = null;
  }

  static override styles = [
    sharedStyles,
    pageStyles,
    css`
      td {
        vertical-align: top;
      }

      .name-line {
        display: flex;
        align-items: center;
        flex-wrap: wrap;
        gap: var(--gf-space-2);
      }

      .name {
        font-weight: var(--gf-font-weight-bold);
      }

      .meta {
        display: flex;
        white-space: nowrap;
        gap: var(--gf-space-1) var(--gf-space-2);
        margin-top: var(--gf-space-1);
        color: var(--gf-color-text-muted);
        font-size: var(--gf-font-size-sm);
      }

      .meta > * + *::before {
        content: '·';
        margin-right: var(--gf-space-2);
        color: var(--gf-color-text-subtle);
      }

      code,
      .mono {
        font-family: var(--gf-font-family-mono);
        font-size: var(--gf-font-size-sm);
      }

      .health {
        margin-top: var(--gf-space-1);
        color: var(--gf-color-text-muted);
        font-size: var(--gf-font-size-sm);
        white-space: nowrap;
      }

      .health-error {
        max-width: var(--gf-size-table-text-max);
        color: var(--gf-color-danger);
        white-space: normal;
        overflow-wrap: anywhere;
      }

      .perms {
        display: flex;
        flex-wrap: wrap;
        gap: var(--gf-space-1);
        margin: 0;
        padding: 0;
        list-style: none;
      }

      .perm {
        display: inline-flex;
        align-items: center;
        gap: var(--gf-space-1);
        padding: var(--gf-space-px) var(--gf-space-2);
        border: var(--gf-border-width) solid transparent;
        border-radius: var(--gf-radius-sm);
        font-family: var(--gf-font-family-mono);
        font-size: var(--gf-font-size-xs);
        white-space: nowrap;
      }

      .perm.granted {
        background: var(--gf-color-success-soft);
        color: var(--gf-color-success-soft-text);
      }

      .perm.missing {
        background: var(--gf-color-warning-soft);
        border-color: var(--gf-color-warning-soft-text);
        color: var(--gf-color-warning-soft-text);
        font-weight: var(--gf-font-weight-bold);
      }

      .perm-summary {
        margin-top: var(--gf-space-1);
        font-size: var(--gf-font-size-xs);
        color: var(--gf-color-warning-soft-text);
      }

      .grant {
        margin-top: var(--gf-space-2);
      }

      .problems {
        display: flex;
        flex-direction: column;
        gap: var(--gf-space-2);
        max-width: var(--gf-size-table-text-max);
        font-size: var(--gf-font-size-sm);
      }

      .problems ul {
        display: flex;
        flex-direction: column;
        gap: var(--gf-space-1);
        margin: 0;
        padding: 0;
        list-style: none;
      }

      .problems code {
        padding: 0 var(--gf-space-1);
        border-radius: var(--gf-radius-sm);
        background: var(--gf-color-danger-soft);
        color: var(--gf-color-danger-soft-text);
        font-size: var(--gf-font-size-xs);
      }

      .problem-label {
        display: block;
        color: var(--gf-color-text-muted);
        font-size: var(--gf-font-size-xs);
        font-weight: var(--gf-font-weight-bold);
        text-transform: uppercase;
        letter-spacing: var(--gf-letter-spacing-wide);
      }

      .last-error {
        color: var(--gf-color-danger);
        overflow-wrap: anywhere;
      }

      td.actions {
        width: 1%;
      }

      .action-buttons {
        display: flex;
        flex-direction: column;
        align-items: stretch;
        gap: var(--gf-space-2);
      }

      .toolbar {
        align-items: center;
        justify-content: space-between;
      }

      .summary {
        color: var(--gf-color-text-muted);
        font-size: var(--gf-font-size-sm);
      }

      .legend {
        display: flex;
        align-items: center;
        flex-wrap: wrap;
        gap: var(--gf-space-2);
      }

      .legend .perm {
        font-family: inherit;
        font-weight: var(--gf-font-weight-medium);
      }

      tr.uploaded > td {
        background: var(--gf-color-surface-muted);
      }

      tr.uploaded > td:first-child {
        box-shadow: inset var(--gf-space-1) 0 0 var(--gf-color-primary);
      }

      .header-actions {
        display: flex;
        flex-wrap: wrap;
        gap: var(--gf-space-2);
      }

      .alert-row {
        display: flex;
        align-items: flex-start;
        justify-content: space-between;
        gap: var(--gf-space-3);
      }
    `,
  ];

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  private async load(): Promise<void> {
    const token = ++this.loadToken;
    this.loading = true;
    try {
      const result = await listPlugins();
      if (token !== this.loadToken) return;
      this.plugins = [...result.items].sort(
        (a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id),
      );
      this.loadError = '';
    } catch (error) {
      if (token !== this.loadToken) return;
      if (error instanceof ApiError && error.status === 404) this.hidden404 = true;
      else this.loadError = errorMessage(error);
    } finally {
      if (token === this.loadToken) this.loading = false;
    }
  }

  private replace(status: PluginStatus): void {
    this.plugins = this.plugins.map((plugin) => (plugin.id === status.id ? status : plugin));
  }

  private async run(plugin: PluginStatus, action: PluginAction): Promise<void> {
    if (this.busy[plugin.id]) return;
    this.busy = { ...this.busy, [plugin.id]: action };
    this.notice = '';
    this.actionError = null;
    try {
      if (action === 'remove') {
        await removePlugin(plugin.id);
        this.plugins = this.plugins.filter((p) => p.id !== plugin.id);
        this.notice = t('pluginAdmin.done.remove', { name: plugin.name });
        return;
      }
      const status =
        action === 'enable'
          ? await enablePlugin(plugin.id)
          : action === 'disable'
            ? await disablePlugin(plugin.id)
            : await grantPlugin(plugin.id, plugin.requested);
      this.replace(status);
      this.notice = t(`pluginAdmin.done.${action}`, { name: status.name });
      if (action !== 'grant') announceContributionsStale(this);
    } catch (error) {
      this.actionError = {
        message: t(`pluginAdmin.failed.${action}`, { name: plugin.name }),
        detail: kernelDetail(error),
      };
      // A failed start leaves the plugin `failed` with its reason: show the kernel's current view of it.
      void this.load();
    } finally {
      const { [plugin.id]: _done, ...rest } = this.busy;
      this.busy = rest;
    }
  }

  private confirmRemove(): void {
    const plugin = this.removing;
    this.removing = null;
    if (plugin) void this.run(plugin, 'remove');
  }

  private openLogs(plugin: PluginStatus): void {
    this.logsFor = plugin;
  }

  private closeLogs(): void {
    this.logsFor = null;
  }

  private openSettings(plugin: PluginStatus): void {
    this.settingsFor = plugin;
  }

  private closeSettings(): void {
    this.settingsFor = null;
  }

  /** The form's `save`: the row and the form follow what the kernel now has in effect. */
  private async saveSettings(plugin: PluginStatus, settings: JsonObject): Promise<void> {
    const status = await savePluginSettings(plugin.id, settings);
    this.replace(status);
    if (this.settingsFor?.id === status.id) this.settingsFor = status;
  }

  private async onUploaded(event: CustomEvent<UploadedEventDetail>): Promise<void> {
    const { plugin, package: pkg } = event.detail;
    this.uploading = false;
    this.actionError = null;
    this.uploaded = plugin.id;
    this.notice = t(`pluginAdmin.upload.done.${pkg.outcome}`, {
      name: plugin.name,
      version: pkg.version,
      previous: pkg.previousVersion ?? '',
    });
    await this.load();
    await this.updateComplete;
    this.renderRoot
      .querySelector(`tr[data-testid="plugin-row-${CSS.escape(plugin.id)}"]`)
      ?.scrollIntoView({ block: 'nearest' });
  }

  private summaryText(): string {
    const enabled = this.plugins.filter((plugin) => RUNNING.has(plugin.state)).length;
    return t('pluginAdmin.summary', { count: this.plugins.length, enabled });
  }

  private renderHealth(plugin: PluginStatus) {
    const health = plugin.health;
    if (!health) return nothing;
    const parts = [t(`pluginAdmin.health.${health.state}`)];
    if (health.pid !== undefined) parts.push(t('pluginAdmin.pid', { pid: health.pid }));
    if (health.restarts) parts.push(t('pluginAdmin.restarts', { count: health.restarts }));
    return html`
      <div class="health" data-testid="plugin-health-${plugin.id}">${parts.join(' · ')}</div>
      ${health.lastError ? html`<div class="health health-error">${health.lastError}</div>` : nothing}
    `;
  }

  private renderPermissions(plugin: PluginStatus) {
    const requested = permissionNames(plugin.requested);
    if (requested.length === 0) return html`<span class="muted">${t('pluginAdmin.permissions.none')}</span>`;
    const missing = new Set(plugin.missingGrants);
    const kindLabel = (kind: PermissionKind) => t(`pluginAdmin.permissions.kinds.${kind}`);
    return html`
      <ul class="perms" data-testid="plugin-permissions-${plugin.id}">
        ${requested.map(({ name, kind }) => {
          const granted = !missing.has(name);
          const state = granted ? t('pluginAdmin.permissions.granted') : t('pluginAdmin.permissions.missing');
          return html`<li
            class="perm ${granted ? 'granted' : 'missing'}"
            data-permission=${name}
            data-granted=${granted ? 'true' : 'false'}
            title="${kindLabel(kind)} — ${state}"
          >
            ${granted ? iconCheck('sm') : iconAlert('sm')}${name}<span class="visually-hidden">(${state})</span>
          </li>`;
        })}
      </ul>
      ${
        missing.size > 0
          ? html`<div class="perm-summary">${t('pluginAdmin.permissions.missingCount', { count: missing.size })}</div>`
          : nothing
      }
      ${this.renderGrant(plugin)}
    `;
  }

  /** Offered while the grant falls short of the request: grants exactly what the plugin asks for. */
  private renderGrant(plugin: PluginStatus) {
    if (plugin.missingGrants.length === 0) return nothing;
    const busy = this.busy[plugin.id];
    return html`<button
      type="button"
      class="btn btn-small grant"
      data-testid="plugin-grant-${plugin.id}"
      aria-label=${t('pluginAdmin.grantLabel', { name: plugin.name })}
      title=${t('pluginAdmin.grantHint', { permissions: plugin.missingGrants.join(', ') })}
      ?disabled=${Boolean(busy)}
      @click=${() => this.run(plugin, 'grant')}
    >
      ${iconShield()} ${busy === 'grant' ? t('pluginAdmin.granting') : t('pluginAdmin.grant')}
    </button>`;
  }

  private renderProblems(plugin: PluginStatus) {
    if (plugin.issues.length === 0 && !plugin.lastError) {
      return html`<span class="muted">${t('pluginAdmin.noProblems')}</span>`;
    }
    return html`
      <div class="problems">
        ${
          plugin.issues.length > 0
            ? html`<div>
                <span class="problem-label">${t('pluginAdmin.issues')}</span>
                <ul data-testid="plugin-issues-${plugin.id}">
                  ${plugin.issues.map((issue) => html`<li><code>${issue.path}</code> ${issue.message}</li>`)}
                </ul>
              </div>`
            : nothing
        }
        ${
          plugin.lastError
            ? html`<div>
                <span class="problem-label">${t('pluginAdmin.lastError')}</span>
                <span class="last-error" data-testid="plugin-error-${plugin.id}">${plugin.lastError}</span>
              </div>`
            : nothing
        }
      </div>
    `;
  }

  /** A button for one of the plugin's lifecycle actions; it waits while any action of that plugin runs. */
  private actionButton(
    plugin: PluginStatus,
    action: LifecycleAction,
    variant: string,
    onClick: () => void,
    icon: TemplateResult | typeof nothing = nothing,
  ) {
    const busy = this.busy[plugin.id];
    return html`<button
      type="button"
      class="btn btn-small ${variant}"
      data-testid="plugin-${action}-${plugin.id}"
      aria-label=${t(`pluginAdmin.${action}Label`, { name: plugin.name })}
      ?disabled=${Boolean(busy)}
      @click=${onClick}
    >
      ${icon} ${busy === action ? t(`pluginAdmin.${IN_PROGRESS[action]}`) : t(`pluginAdmin.${action}`)}
    </button>`;
  }

  private renderActions(plugin: PluginStatus) {
    const running = RUNNING.has(plugin.state);
    return html`
      <div class="action-buttons">
        ${
          running
            ? this.actionButton(plugin, 'disable', 'btn-danger', () => this.run(plugin, 'disable'))
            : this.actionButton(plugin, 'enable', 'btn-primary', () => this.run(plugin, 'enable'))
        }
        ${
          plugin.settingsSchema
            ? html`<button
                type="button"
                class="btn btn-small"
                data-testid="plugin-settings-${plugin.id}"
                aria-label=${t('pluginAdmin.settings.openLabel', { name: plugin.name })}
                @click=${() => this.openSettings(plugin)}
              >
                ${iconSettings()} ${t('pluginAdmin.settings.open')}
              </button>`
            : nothing
        }
        <button
          type="button"
          class="btn btn-small"
          data-testid="plugin-logs-${plugin.id}"
          aria-label=${t('pluginAdmin.logsLabel', { name: plugin.name })}
          @click=${() => this.openLogs(plugin)}
        >
          ${iconList()} ${t('pluginAdmin.logs.open')}
        </button>
        ${
          // Only an uploaded package can be removed here, and only while it does not run (the kernel says so too).
          plugin.source === 'upload' && !running
            ? this.actionButton(plugin, 'remove', 'btn-danger', () => (this.removing = plugin), iconTrash())
            : nothing
        }
      </div>
    `;
  }

  private renderRow(plugin: PluginStatus) {
    return html`
      <tr
        class=${this.uploaded === plugin.id ? 'uploaded' : ''}
        data-testid="plugin-row-${plugin.id}"
        data-uploaded=${this.uploaded === plugin.id ? 'true' : nothing}
      >
        <td>
          <div class="name-line">
            <span class="name">${plugin.name}</span>
            ${
              plugin.firstParty
                ? html`<span class="badge badge-primary" data-testid="plugin-first-party-${plugin.id}"
                    >${t('pluginAdmin.firstParty')}</span
                  >`
                : html`<span class="badge badge-neutral">${t('pluginAdmin.thirdParty')}</span>`
            }
            ${
              this.uploaded === plugin.id
                ? html`<span class="badge badge-success" data-testid="plugin-uploaded-${plugin.id}"
                    >${t('pluginAdmin.upload.badge')}</span
                  >`
                : nothing
            }
          </div>
          <div class="meta">
            <span class="mono">${plugin.id}</span>
            <span>${plugin.version ? t('pluginAdmin.version', { version: plugin.version }) : t('pluginAdmin.noVersion')}</span>
            <span>${plugin.runtime ? t(`pluginAdmin.runtimes.${plugin.runtime}`) : t('pluginAdmin.unknownRuntime')}</span>
          </div>
        </td>
        <td>
          <span class="badge ${STATE_BADGE[plugin.state] ?? 'badge-neutral'}" data-testid="plugin-state-${plugin.id}"
            >${t(`pluginAdmin.states.${plugin.state}`)}</span
          >
          ${this.renderHealth(plugin)}
        </td>
        <td>${this.renderPermissions(plugin)}</td>
        <td>${this.renderProblems(plugin)}</td>
        <td class="actions">${this.renderActions(plugin)}</td>
      </tr>
    `;
  }

  private renderTable() {
    if (this.loadError) {
      return html`<div class="alert alert-danger" role="alert" data-testid="plugins-load-error">
        ${this.loadError}
        <button type="button" class="btn btn-small" @click=${this.load}>${t('common.retry')}</button>
      </div>`;
    }
    if (this.plugins.length === 0) {
      return this.loading
        ? html`<p class="empty-state">${t('common.loading')}</p>`
        : html`<p class="empty-state" data-testid="plugins-empty">${t('pluginAdmin.empty')}</p>`;
    }
    return html`
      <div class="table-wrap" aria-busy=${this.loading ? 'true' : 'false'}>
        <table data-testid="plugins-table">
          <thead>
            <tr>
              <th scope="col">${t('pluginAdmin.columns.plugin')}</th>
              <th scope="col">${t('pluginAdmin.columns.state')}</th>
              <th scope="col">${t('pluginAdmin.columns.permissions')}</th>
              <th scope="col">${t('pluginAdmin.columns.problems')}</th>
              <th scope="col"><span class="visually-hidden">${t('common.actions')}</span></th>
            </tr>
          </thead>
          <tbody>
            ${this.plugins.map((plugin) => this.renderRow(plugin))}
          </tbody>
        </table>
      </div>
    `;
  }

  private renderMessages() {
    return html`
      ${
        this.notice
          ? html`<div class="alert alert-success" role="status" data-testid="plugins-notice">${this.notice}</div>`
          : nothing
      }
      ${
        this.actionError
          ? html`<div class="alert alert-danger alert-row" role="alert" data-testid="plugins-error">
              <div>
                ${this.actionError.message}
                <span class="alert-detail" data-testid="plugins-error-detail">${this.actionError.detail}</span>
              </div>
              <button type="button" class="btn btn-small" @click=${() => (this.actionError = null)}>
                ${t('common.close')}
              </button>
            </div>`
          : nothing
      }
    `;
  }

  override render() {
    if (this.hidden404) return html`<gf-not-found-page></gf-not-found-page>`;
    const logsFor = this.logsFor;
    const settingsFor = this.settingsFor;
    const removing = this.removing;
    return html`
      <div class="page" data-testid="admin-plugins">
        <div class="page-header">
          <div>
            <h1>${t('pluginAdmin.title')}</h1>
            <p>${t('pluginAdmin.subtitle')}</p>
          </div>
          <div class="header-actions">
            <button
              type="button"
              class="btn"
              data-testid="plugins-refresh"
              ?disabled=${this.loading}
              @click=${this.load}
            >
              ${iconRefresh()} ${t('pluginAdmin.refresh')}
            </button>
            <button
              type="button"
              class="btn btn-primary"
              data-testid="plugins-upload"
              @click=${() => (this.uploading = true)}
            >
              ${iconUpload()} ${t('pluginAdmin.upload.open')}
            </button>
          </div>
        </div>
        ${this.renderMessages()}
        <section class="card">
          <div class="toolbar">
            <span class="summary" role="status">${this.loading && this.plugins.length === 0 ? nothing : this.summaryText()}</span>
            <span class="legend" aria-hidden="true">
              <span class="perm granted">${iconCheck('sm')}${t('pluginAdmin.permissions.granted')}</span>
              <span class="perm missing">${iconAlert('sm')}${t('pluginAdmin.permissions.missing')}</span>
            </span>
          </div>
          ${this.renderTable()}
        </section>
      </div>
      <gf-modal-dialog
        wide
        ?open=${logsFor !== null}
        heading=${logsFor ? t('pluginAdmin.logs.title', { name: logsFor.name }) : ''}
        @gf-close=${this.closeLogs}
      >
        ${logsFor ? html`<gf-plugin-log-viewer plugin-id=${logsFor.id}></gf-plugin-log-viewer>` : nothing}
      </gf-modal-dialog>
      <gf-modal-dialog
        wide
        ?open=${settingsFor !== null}
        heading=${settingsFor ? t('pluginAdmin.settings.title', { name: settingsFor.name }) : ''}
        @gf-close=${this.closeSettings}
      >
        ${
          settingsFor
            ? html`<gf-json-schema-form
                testid="plugin-settings"
                error-prefix="settings"
                .schema=${settingsFor.settingsSchema}
                .value=${settingsFor.settings}
                .save=${(settings: JsonObject) => this.saveSettings(settingsFor, settings)}
              ></gf-json-schema-form>`
            : nothing
        }
      </gf-modal-dialog>
      <gf-modal-dialog
        ?open=${this.uploading}
        heading=${t('pluginAdmin.upload.title')}
        @gf-close=${() => (this.uploading = false)}
      >
        ${
          this.uploading
            ? html`<gf-plugin-upload-form
                @gf-cancel=${() => (this.uploading = false)}
                @gf-uploaded=${this.onUploaded}
              ></gf-plugin-upload-form>`
            : nothing
        }
      </gf-modal-dialog>
      <gf-modal-dialog
        ?open=${removing !== null}
        heading=${removing ? t('pluginAdmin.removeDialog.title', { name: removing.name }) : ''}
        @gf-close=${() => (this.removing = null)}
      >
        ${
          removing
            ? html`<div data-testid="plugin-remove-dialog">
                <p>${t('pluginAdmin.removeDialog.body', { name: removing.name, version: removing.version ?? '' })}</p>
                <p>${t('pluginAdmin.removeDialog.kept')}</p>
                <div class="form-actions">
                  <button
                    type="button"
                    class="btn"
                    data-testid="plugin-remove-cancel"
                    @click=${() => (this.removing = null)}
                  >
                    ${t('common.cancel')}
                  </button>
                  <button
                    type="button"
                    class="btn btn-danger"
                    data-testid="plugin-remove-confirm"
                    @click=${this.confirmRemove}
                  >
                    ${t('pluginAdmin.removeDialog.confirm')}
                  </button>
                </div>
              </div>`
            : nothing
        }
      </gf-modal-dialog>
    `;
  }
}

customElements.define('gf-admin-plugins-page', AdminPluginsPage);
