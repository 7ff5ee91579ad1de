/**
 * The start page after login: a greeting and the dashboard's widget slots. Plugins will contribute the widgets;
 * until a registry feeds them, the slots receive empty lists and show their empty state.
 * @module
 */
import { css, html } from 'lit';
import type { User } from '../api/types.js';
import { t } from '../i18n/i18n.js';
import { LocalizedElement } from '../i18n/localized-element.js';
import { medium } from '../theme/breakpoints.js';
import { pageStyles, sharedStyles } from '../theme/shared-styles.js';
import { SLOTS, type SlotName } from '../widgets/slots.js';
import type { WidgetDescriptor } from '../widgets/widget-loader.js';
import '../components/widget-slot.js';

export class DashboardPage extends LocalizedElement {
  static override properties = {
    user: { attribute: false },
    widgets: { attribute: false },
  };

  declare user: User | null;
  declare widgets: Partial<Record<SlotName, WidgetDescriptor[]>>;

  constructor() {
    super();
    this.user = null;
    this.widgets = {};
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
