/**
 * <gf-hello-wasm-greeting>: the hello-wasm dashboard widget. It shows what `GET /greeting` answers (already
 * translated into the user's language by the plugin) and a button that counts one more greeting with
 * `POST /count`. `GoatflowWidget` does the rest: loading and error states with Retry, the CSRF token on the POST,
 * the shell's theme tokens, and `refresh()` (which the dashboard calls every `refreshSeconds` of the manifest).
 *
 * `goatflow-plugin build` bundles it, Lit included, into assets/hello-wasm-greeting.js.
 */
import { GoatflowWidget } from '@goatflow/sdk/widget';
import { css, html } from 'lit';
import type { GreetAnswer, GreetingAnswer } from '../src/plugin.js';

class HelloWasmGreeting extends GoatflowWidget<GreetingAnswer> {
  static override pluginId = 'hello-wasm';

  static override properties = {
    ...GoatflowWidget.properties,
    busy: { state: true },
    failure: { state: true },
  };

  static override styles = [
    GoatflowWidget.styles,
    css`
      p {
        margin: 0;
      }
      .greeting {
        font-size: var(--gf-font-size-lg, 1.125rem);
        font-weight: var(--gf-font-weight-medium, 500);
      }
      .count {
        margin-top: var(--gf-space-1, 4px);
        color: var(--gf-color-text-muted, #5c6975);
        font-size: var(--gf-font-size-sm, 0.8125rem);
      }
      .count.error {
        color: var(--gf-color-danger, #b3261e);
      }
      button {
        margin-top: var(--gf-space-3, 12px);
      }
    `,
  ];

  /** A POST /count is in flight: the button is disabled so one click counts once. */
  declare private busy: boolean;
  /** Why the last POST /count failed, shown in place of the count until the next greeting. */
  declare private failure: string | undefined;

  constructor() {
    super();
    this.busy = false;
    this.failure = undefined;
  }

  protected override load(signal: AbortSignal): Promise<GreetingAnswer> {
    return this.api.get<GreetingAnswer>('/greeting', { signal });
  }

  protected override renderContent(data: GreetingAnswer) {
    return html`
      <p class="greeting" data-testid="hello-wasm-greeting" aria-live="polite">${data.greeting}</p>
      <p class="count ${this.failure ? 'error' : ''}" data-testid="hello-wasm-count">
        ${this.failure ?? data.countText}
      </p>
      <button
        type="button"
        class="gf-widget-button gf-widget-button-primary"
        data-testid="hello-wasm-greet"
        ?disabled=${this.busy}
        @click=${this.greet}
      >
        ${data.action}
      </button>
    `;
  }

  /** Counts one more greeting, then shows the new count (or why it could not be counted). */
  private readonly greet = async (): Promise<void> => {
    this.busy = true;
    this.failure = undefined;
    let failure: string | undefined;
    try {
      await this.api.post<GreetAnswer>('/count');
    } catch (error) {
      failure = error instanceof Error ? error.message : String(error);
    }
    this.busy = false;
    await this.refresh();
    this.failure = failure;
  };
}

if (!customElements.get('gf-hello-wasm-greeting')) {
  customElements.define('gf-hello-wasm-greeting', HelloWasmGreeting);
}
