/**
 * <gf-hello-wasm-greeting>: the hello-wasm dashboard widget. It shows what GET /api/plugins/hello-wasm/greeting
 * answers (already translated into the user's language by the plugin) and a button that counts one more
 * greeting with POST /api/plugins/hello-wasm/count. A plain custom element with no build step and no imports;
 * it styles itself with the shell's --gf-* tokens, which inherit into its shadow root. The shell calls
 * `refresh()` every `refreshSeconds` of the manifest.
 */
const BASE = '/api/plugins/hello-wasm';

const template = document.createElement('template');
template.innerHTML = `
  <style>
    :host {
      display: block;
      font-family: var(--gf-font-family);
      color: var(--gf-color-text);
    }
    p {
      margin: 0;
    }
    .greeting {
      font-size: var(--gf-font-size-lg);
      font-weight: var(--gf-font-weight-medium);
    }
    .count {
      margin-top: var(--gf-space-1);
      color: var(--gf-color-text-muted);
      font-size: var(--gf-font-size-sm);
    }
    button {
      margin-top: var(--gf-space-3);
      min-height: var(--gf-size-button);
      padding: 0 var(--gf-space-4);
      border: var(--gf-border-width) solid var(--gf-color-primary);
      border-radius: var(--gf-radius);
      background: var(--gf-color-primary);
      color: var(--gf-color-primary-contrast);
      font: inherit;
      font-weight: var(--gf-font-weight-medium);
      cursor: pointer;
    }
    button:hover:not(:disabled) {
      background: var(--gf-color-primary-hover);
    }
    button:focus-visible {
      outline: none;
      box-shadow: 0 0 0 var(--gf-focus-ring-width) var(--gf-color-focus-ring);
    }
    button:disabled {
      opacity: 0.6;
      cursor: not-allowed;
    }
    button[hidden] {
      display: none;
    }
    .error {
      color: var(--gf-color-danger);
    }
  </style>
  <p class="greeting" data-testid="hello-wasm-greeting" aria-live="polite">…</p>
  <p class="count" data-testid="hello-wasm-count"></p>
  <button type="button" data-testid="hello-wasm-greet" hidden></button>
`;

async function json(response) {
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  return response.json();
}

/** The greeting for the signed-in user: `{greeting, count, countText, action, locale}`. */
export async function fetchGreeting() {
  return json(
    await fetch(`${BASE}/greeting`, { credentials: 'same-origin', headers: { Accept: 'application/json' } }),
  );
}

/**
 * Counts one more greeting. A cookie-authenticated write needs the session's CSRF token, which the widget
 * reads from GET /api/auth/me instead of reaching into the shell.
 */
export async function countGreeting() {
  const me = await json(await fetch('/api/auth/me', { credentials: 'same-origin' }));
  return json(
    await fetch(`${BASE}/count`, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { Accept: 'application/json', 'X-CSRF-Token': me.csrfToken ?? '' },
    }),
  );
}

class HelloWasmGreeting extends HTMLElement {
  constructor() {
    super();
    this.attachShadow({ mode: 'open' }).append(template.content.cloneNode(true));
    this.shadowRoot.querySelector('button').addEventListener('click', () => void this.greet());
  }

  connectedCallback() {
    void this.refresh();
  }

  async refresh() {
    const greeting = this.shadowRoot.querySelector('.greeting');
    const count = this.shadowRoot.querySelector('.count');
    const button = this.shadowRoot.querySelector('button');
    try {
      const answer = await fetchGreeting();
      greeting.textContent = answer.greeting;
      greeting.classList.remove('error');
      count.textContent = answer.countText;
      count.classList.remove('error');
      button.textContent = answer.action;
      button.hidden = false;
    } catch (error) {
      greeting.textContent = String(error.message);
      greeting.classList.add('error');
      count.textContent = '';
      button.hidden = true;
    }
  }

  async greet() {
    const button = this.shadowRoot.querySelector('button');
    button.disabled = true;
    let failure;
    try {
      await countGreeting();
    } catch (error) {
      failure = error;
    }
    button.disabled = false;
    await this.refresh();
    if (failure) {
      const count = this.shadowRoot.querySelector('.count');
      count.textContent = String(failure.message);
      count.classList.add('error');
    }
  }
}

if (!customElements.get('gf-hello-wasm-greeting')) {
  customElements.define('gf-hello-wasm-greeting', HelloWasmGreeting);
}
