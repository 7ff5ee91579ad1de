/**
 * The base styles of every GoatFlow widget, written with the shell's `--gf-*` theme tokens. Custom properties
 * inherit into shadow roots, so a widget follows the shell's theme and dark mode without importing anything
 * from it. Each `var()` has a fallback (the Classic light value) so a widget still looks right outside the
 * shell, in a plugin's own test page for instance.
 * @module
 */
import { css } from 'lit';

/**
 * `:host` typography and colour, and the loading, error and Retry chrome that `GoatflowWidget` renders. Extend
 * it in a subclass: `static styles = [GoatflowWidget.styles, css\`…\`]`.
 */
export const widgetStyles = css`
  :host {
    display: block;
    font-family: var(--gf-font-family, system-ui, sans-serif);
    font-size: var(--gf-font-size-md, 0.875rem);
    line-height: var(--gf-line-height, 1.5);
    color: var(--gf-color-text, #1c2630);
  }

  :host([hidden]) {
    display: none;
  }

  *,
  *::before,
  *::after {
    box-sizing: border-box;
  }

  .gf-widget-status {
    display: flex;
    align-items: center;
    gap: var(--gf-space-2, 8px);
    color: var(--gf-color-text-muted, #5c6975);
  }

  .gf-widget-spinner {
    flex: none;
    width: var(--gf-size-icon, 16px);
    height: var(--gf-size-icon, 16px);
    border: 2px solid var(--gf-color-border, #dce2e8);
    border-top-color: var(--gf-color-primary, #0f7a6b);
    border-radius: 50%;
    animation: gf-widget-spin 0.8s linear infinite;
  }

  @media (prefers-reduced-motion: reduce) {
    .gf-widget-spinner {
      animation: none;
    }
  }

  @keyframes gf-widget-spin {
    to {
      transform: rotate(360deg);
    }
  }

  .gf-widget-error {
    display: flex;
    flex-direction: column;
    align-items: flex-start;
    gap: var(--gf-space-2, 8px);
    margin-bottom: var(--gf-space-3, 12px);
    padding: var(--gf-space-3, 12px);
    border-radius: var(--gf-radius, 6px);
    background: var(--gf-color-danger-soft, #fcebea);
    color: var(--gf-color-danger-soft-text, #8f2420);
  }

  .gf-widget-error p {
    margin: 0;
  }

  .gf-widget-error-title {
    font-weight: var(--gf-font-weight-bold, 600);
  }

  .gf-widget-button {
    display: inline-flex;
    align-items: center;
    justify-content: center;
    min-height: var(--gf-size-button, 34px);
    padding: 0 var(--gf-space-4, 16px);
    border: var(--gf-border-width, 1px) solid var(--gf-color-border-strong, #c3ccd5);
    border-radius: var(--gf-radius, 6px);
    background: var(--gf-color-surface, #ffffff);
    color: var(--gf-color-text, #1c2630);
    font: inherit;
    font-weight: var(--gf-font-weight-medium, 500);
    cursor: pointer;
  }

  .gf-widget-button:hover:not(:disabled) {
    background: var(--gf-color-surface-hover, #eef2f5);
  }

  .gf-widget-button:focus-visible {
    outline: none;
    box-shadow: 0 0 0 var(--gf-focus-ring-width, 3px) var(--gf-color-focus-ring, rgba(15, 122, 107, 0.35));
  }

  .gf-widget-button:disabled {
    opacity: 0.6;
    cursor: not-allowed;
  }

  .gf-widget-button-primary {
    border-color: var(--gf-color-primary, #0f7a6b);
    background: var(--gf-color-primary, #0f7a6b);
    color: var(--gf-color-primary-contrast, #ffffff);
  }

  .gf-widget-button-primary:hover:not(:disabled) {
    background: var(--gf-color-primary-hover, #0b6358);
  }

  .gf-widget-content[aria-busy='true'] {
    opacity: 0.7;
    transition: opacity var(--gf-transition, 120ms ease-out);
  }
`;
