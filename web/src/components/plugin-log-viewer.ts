/**
 * A plugin's log, newest line first: a minimum-level filter, a refresh button, and polling while it is shown
 * (on by default, can be switched off to read lines without them moving).
 * @module
 */
import { css, html, nothing } from 'lit';
import { LOG_LEVELS, type LogLevel, type PluginLogLine, pluginLogs } from '../api/plugins.js';
import { errorMessage } from '../i18n/error-message.js';
import { currentLanguage, t } from '../i18n/i18n.js';
import { LocalizedElement } from '../i18n/localized-element.js';
import { sharedStyles } from '../theme/shared-styles.js';

/** How often the open log looks for new lines. */
export const LOG_POLL_MS = 5000;
const LOG_LIMIT = 200;

const LEVEL_BADGE: Record<LogLevel, string> = {
  trace: 'badge-neutral',
  debug: 'badge-neutral',
  info: 'badge-primary',
  warn: 'badge-warning',
  error: 'badge-danger',
};

export class PluginLogViewer extends LocalizedElement {
  static override properties = {
    pluginId: { type: String, attribute: 'plugin-id' },
    level: { state: true },
    lines: { state: true },
    loading: { state: true },
    loadError: { state: true },
    polling: { state: true },
  };

  declare pluginId: string;
  declare level: LogLevel;
  declare lines: PluginLogLine[];
  declare loading: boolean;
  declare loadError: string;
  declare polling: boolean;

  private abort: AbortController | null = null;
  private timer: ReturnType<typeof setInterval> | undefined;

  constructor() {
    super();
    this.pluginId = '';
    this.level = 'trace';
    this.lines = [];
    this.loading = false;
    this.loadError = '';
    this.polling = true;
  }

  static override styles = [
    sharedStyles,
    css`
      :host {
        display: flex;
        flex-direction: column;
        gap: var(--gf-space-3);
      }

      .toolbar {
        display: flex;
        align-items: flex-end;
        flex-wrap: wrap;
        gap: var(--gf-space-3);
      }

      .toolbar .field {
        min-width: var(--gf-size-toolbar-field-min);
      }

      .toolbar .checkbox {
        min-height: var(--gf-size-control);
      }

      .toolbar .btn {
        min-height: var(--gf-size-control);
      }

      .count {
        margin-left: auto;
        align-self: center;
        color: var(--gf-color-text-muted);
        font-size: var(--gf-font-size-sm);
      }

      .log {
        max-height: var(--gf-size-log-max-height);
        margin: 0;
        padding: 0;
        overflow: auto;
        list-style: none;
        border: var(--gf-border-width) solid var(--gf-color-border);
        border-radius: var(--gf-radius);
        background: var(--gf-color-surface-muted);
      }

      .line {
        display: grid;
        grid-template-columns: max-content var(--gf-size-log-level) minmax(0, 1fr);
        align-items: baseline;
        gap: var(--gf-space-3);
        padding: var(--gf-space-2) var(--gf-space-3);
        border-bottom: var(--gf-border-width) solid var(--gf-color-border);
        font-size: var(--gf-font-size-sm);
      }

      .line:last-child {
        border-bottom: none;
      }

      time {
        color: var(--gf-color-text-muted);
        font-variant-numeric: tabular-nums;
        white-space: nowrap;
      }

      .line .badge {
        justify-content: center;
        text-transform: uppercase;
        letter-spacing: var(--gf-letter-spacing-wide);
      }

      .message {
        font-family: var(--gf-font-family-mono);
        white-space: pre-wrap;
        overflow-wrap: anywhere;
      }

      .empty-state {
        border: var(--gf-border-width) dashed var(--gf-color-border-strong);
        border-radius: var(--gf-radius);
      }
    `,
  ];

  override connectedCallback(): void {
    super.connectedCallback();
    this.schedule();
  }

  override disconnectedCallback(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    this.abort?.abort();
    super.disconnectedCallback();
  }

  protected override willUpdate(changed: Map<PropertyKey, unknown>): void {
    if (changed.has('pluginId')) {
      this.lines = [];
      void this.load();
    }
  }

  private schedule(): void {
    clearInterval(this.timer);
    this.timer = this.polling ? setInterval(() => void this.load({ quiet: true }), LOG_POLL_MS) : undefined;
  }

  /** `quiet` polls keep the current lines on screen instead of showing the loading state. */
  async load(options: { quiet?: boolean } = {}): Promise<void> {
    if (!this.pluginId) return;
    if (options.quiet && this.loading) return;
    this.abort?.abort();
    const abort = new AbortController();
    this.abort = abort;
    if (!options.quiet) this.loading = true;
    try {
      const result = await pluginLogs(this.pluginId, this.level, LOG_LIMIT, abort.signal);
      this.lines = result.items;
      this.loadError = '';
    } catch (error) {
      if (abort.signal.aborted) return;
      this.loadError = errorMessage(error);
    } finally {
      if (this.abort === abort) this.loading = false;
    }
  }

  private changeLevel(event: Event): void {
    const value = (event.target as HTMLSelectElement).value;
    this.level = (LOG_LEVELS as readonly string[]).includes(value) ? (value as LogLevel) : 'trace';
    void this.load();
  }

  private togglePolling(event: Event): void {
    this.polling = (event.target as HTMLInputElement).checked;
    this.schedule();
  }

  private formatTime(at: string): string {
    const date = new Date(at);
    if (Number.isNaN(date.getTime())) return at;
    return new Intl.DateTimeFormat(currentLanguage(), { dateStyle: 'short', timeStyle: 'medium' }).format(
      date,
    );
  }

  private renderLines() {
    if (this.loadError) {
      return html`<div class="alert alert-danger" role="alert" data-testid="plugin-log-error">
        ${this.loadError}
      </div>`;
    }
    if (this.lines.length === 0) {
      return html`<p class="empty-state" data-testid="plugin-log-empty">
        ${this.loading ? t('common.loading') : t('pluginAdmin.logs.empty')}
      </p>`;
    }
    return html`
      <ol class="log" data-testid="plugin-log" aria-label=${t('pluginAdmin.logs.linesLabel')}>
        ${this.lines.map(
          (line) => html`<li class="line" data-testid="plugin-log-line" data-level=${line.level}>
            <time datetime=${line.at}>${this.formatTime(line.at)}</time>
            <span class="badge ${LEVEL_BADGE[line.level] ?? 'badge-neutral'}">${t(`pluginAdmin.logs.levels.${line.level}`)}</span>
            <span class="message">${line.message}</span>
          </li>`,
        )}
      </ol>
    `;
  }

  override render() {
    return html`
      <div class="toolbar">
        <div class="field">
          <label class="field-label" for="level">${t('pluginAdmin.logs.level')}</label>
          <select id="level" class="select" data-testid="plugin-log-level" @change=${this.changeLevel}>
            ${LOG_LEVELS.map(
              (level) =>
                html`<option value=${level} ?selected=${level === this.level}>
                  ${t(`pluginAdmin.logs.levels.${level}`)}
                </option>`,
            )}
          </select>
        </div>
        <label class="checkbox">
          <input
            type="checkbox"
            data-testid="plugin-log-polling"
            .checked=${this.polling}
            @change=${this.togglePolling}
          />
          ${t('pluginAdmin.logs.autoRefresh')}
        </label>
        <button
          type="button"
          class="btn"
          data-testid="plugin-log-refresh"
          ?disabled=${this.loading}
          @click=${() => void this.load()}
        >
          ${t('pluginAdmin.logs.refresh')}
        </button>
        ${
          this.loadError || this.lines.length === 0
            ? nothing
            : html`<span class="count" role="status">${t('pluginAdmin.logs.count', { count: this.lines.length })}</span>`
        }
      </div>
      ${this.renderLines()}
    `;
  }
}

customElements.define('gf-plugin-log-viewer', PluginLogViewer);
