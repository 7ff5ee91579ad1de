/**
 * `TicketsWidget`: the base of the plugin's data-loading elements (pages, dashboard widgets, the admin table).
 * It names the plugin, its message tables and its styles once, and gives the elements that render a
 * `<gf-tickets-toast>` one way to report a failed call.
 * @module
 */
import { GoatflowWidget } from '@goatflow/sdk/widget';
import type { CSSResultGroup } from 'lit';
import type { TicketsToast } from '../components/toast.js';
import { PLUGIN_ID } from './api.js';
import { errorMessage, fieldErrors } from './errors.js';
import { MESSAGES } from './messages.js';
import { ticketsStyles } from './styles.js';

export abstract class TicketsWidget<T> extends GoatflowWidget<T> {
  static override pluginId: string | undefined = PLUGIN_ID;
  static override messages = MESSAGES;
  /** The SDK's widget styles and the plugin's; extend with `static styles = [TicketsWidget.styles, css\`…\`]`. */
  static override styles: CSSResultGroup = [GoatflowWidget.styles, ticketsStyles];

  /** The element's toast, if it renders one. */
  protected get toast(): TicketsToast | null {
    return this.renderRoot.querySelector('gf-tickets-toast');
  }

  /** The messages of a failed call's fields, by field path, in the page's language. */
  protected fieldErrorsOf(error: unknown): Record<string, string> {
    return fieldErrors(error, (key, params) => this.t(key, params));
  }

  /** A failed call's message for a form or toast, in the page's language. */
  protected errorMessageOf(error: unknown): string {
    return errorMessage(error, (key, params) => this.t(key, params));
  }

  /**
   * Says in the toast that an action failed.
   * @param key - the failure's message, with a `{{message}}` placeholder for the error's own
   * @param error - what the call threw
   */
  protected toastFailure(key: string, error: unknown): void {
    this.toast?.show(this.t(key, { message: this.errorMessageOf(error) }), 'error');
  }
}
