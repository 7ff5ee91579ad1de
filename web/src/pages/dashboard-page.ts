/**
 * The start page after login: a greeting and the dashboard's widget slots, filled with the widgets of the
 * enabled plugins. The app shell loads those each time the dashboard is shown, so a plugin enabled or disabled
 * meanwhile appears or disappears without reloading the page.
 * @module
 */
import { css, html, nothing } from 'lit';
import type { User } from '../api/types.js';
import { t } from '../i18n/i18n.js';
import { LocalizedElement } from '../i18n/localized-element.js';
import { announceContributionsStale } from '../plugins/contributions.js';
import { medium } from '../theme/breakpoints.js';
import { pageStyles, sharedStyles } from '../theme/shared-styles.js';
import { SLOTS, type SlotName } from '../widgets/slots.js';
import type { WidgetDescriptor } from '../widgets/widget-loader.js';
import '../components/widget-slot.js';

export class DashboardPage extends LocalizedElement {
  static override properties = {
    user: { attribute: false },
    widgets: { attribute: false },
    widgetsFailed: { type: Boolean },
  };

  declare user: User | null;
  declare widgets: Partial<Record<SlotName, WidgetDescriptor[]>>;
  /** The plugin widgets could not be loaded; the slots show what was loaded before, if anything. */
  declare widgetsFailed: boolean;

  constructor() {
    super();
    this.user = null;
    this.widgets = {};
    this.widgetsFailed = false;
  }

  static override styles = [
    sharedStyles,
    pageStyles,
    css`
      .columns {
        display: grid;
        grid-template-columns: minmax(0, 2fr) minmax(var(--gf-size-sidebar-min), 1fr);
        gap: var(--gf-space-5);
        align-items: start;
      }

      .alert {
        display: flex;
        align-items: center;
        justify-content: space-between;
        gap: var(--gf-space-3);
      }

      @media ${medium} {
        .columns {
          grid-template-columns: minmax(0, 1fr);
        }
      }
    `,
  ];

  override render() {
    const name = this.user?.firstName || this.user?.login || '';
    return html`
      <div class="page" data-testid="dashboard">
        <div class="page-header">
          <div>
            <h1 data-testid="dashboard-greeting">${t('dashboard.greeting', { name })}</h1>
            <p>${t('dashboard.subtitle')}</p>
          </div>
        </div>
        ${
          this.widgetsFailed
            ? html`<div class="alert alert-warning" role="alert" data-testid="dashboard-widgets-error">
                <span>${t('dashboard.widgetsFailed')}</span>
                <button type="button" class="btn btn-small" @click=${() => announceContributionsStale(this)}>
                  ${t('common.retry')}
                </button>
              </div>`
            : nothing
        }
        <div class="columns">
          <gf-widget-slot
            name=${SLOTS.dashboardMain}
            heading=${t('dashboard.mainSlot')}
            layout="grid"
            .widgets=${this.widgets[SLOTS.dashboardMain] ?? []}
          ></gf-widget-slot>
          <gf-widget-slot
            name=${SLOTS.dashboardSide}
            heading=${t('dashboard.sideSlot')}
            layout="stack"
            .widgets=${this.widgets[SLOTS.dashboardSide] ?? []}
          ></gf-widget-slot>
        </div>
      </div>
    `;
  }
}

customElements.define('gf-dashboard-page', DashboardPage);
