/**
 * The styles every tickets element shares: form controls, buttons, badges, tables and small utilities, written
 * with the shell's `--gf-*` theme tokens (with the Classic light values as fallbacks, as the SDK's base styles
 * do), so the plugin follows the shell's theme and dark mode.
 * @module
 */
import { css } from 'lit';

export const ticketsStyles = css`
  :host {
    display: block;
    font-family: var(--gf-font-family, system-ui, sans-serif);
    font-size: var(--gf-font-size-md, 0.875rem);
    line-height: var(--gf-line-height, 1.5);
    color: var(--gf-color-text, #1c2630);
  }

  *,
  *::before,
  *::after {
    box-sizing: border-box;
  }

  h2,
  h3 {
    margin: 0;
    line-height: var(--gf-line-height-heading, 1.25);
  }

  h2 {
    font-size: var(--gf-font-size-xl, 1.25rem);
  }

  h3 {
    font-size: var(--gf-font-size-lg, 1rem);
  }

  h2:focus,
  h3:focus {
    outline: none;
  }

  a {
    color: var(--gf-color-primary, #0f7a6b);
  }

  a:focus-visible,
  button:focus-visible,
  input:focus-visible,
  select:focus-visible,
  textarea:focus-visible,
  summary:focus-visible {
    outline: none;
    box-shadow: 0 0 0 var(--gf-focus-ring-width, 3px) var(--gf-color-focus-ring, rgba(15, 122, 107, 0.35));
  }

  .muted {
    color: var(--gf-color-text-muted, #5c6975);
  }

  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip-path: inset(50%);
    white-space: nowrap;
  }

  .btn {
    display: inline-flex;
    align-items: center;
    justify-content: center;
    gap: var(--gf-space-1, 4px);
    min-height: var(--gf-size-button, 34px);
    padding: 0 var(--gf-space-4, 16px);
    border: var(--gf-border-width, 1px) solid var(--gf-color-border-strong, #c3ccd5);
    border-radius: var(--gf-radius, 6px);
    background: var(--gf-color-surface, #ffffff);
    color: var(--gf-color-text, #1c2630);
    font: inherit;
    font-weight: var(--gf-font-weight-medium, 500);
    text-decoration: none;
    cursor: pointer;
    white-space: nowrap;
  }

  .btn:hover:not(:disabled) {
    background: var(--gf-color-surface-hover, #eef2f5);
  }

  .btn:disabled {
    opacity: 0.6;
    cursor: not-allowed;
  }

  .btn-primary {
    border-color: var(--gf-color-primary, #0f7a6b);
    background: var(--gf-color-primary, #0f7a6b);
    color: var(--gf-color-primary-contrast, #ffffff);
  }

  .btn-primary:hover:not(:disabled) {
    background: var(--gf-color-primary-hover, #0b6358);
  }

  .btn-small {
    min-height: var(--gf-size-control-sm, 28px);
    padding: 0 var(--gf-space-2, 8px);
  }

  .btn-link {
    min-height: 0;
    padding: 0;
    border: none;
    background: none;
    color: var(--gf-color-primary, #0f7a6b);
    text-decoration: underline;
  }

  .btn-link:hover:not(:disabled) {
    background: none;
  }

  input:not([type='checkbox']):not([type='radio']):not([type='file']),
  select,
  textarea {
    width: 100%;
    min-height: var(--gf-size-control, 34px);
    padding: var(--gf-space-1, 4px) var(--gf-space-2, 8px);
    border: var(--gf-border-width, 1px) solid var(--gf-color-border-strong, #c3ccd5);
    border-radius: var(--gf-radius, 6px);
    background: var(--gf-color-surface, #ffffff);
    color: inherit;
    font: inherit;
  }

  textarea {
    min-height: 8em;
    resize: vertical;
  }

  [aria-invalid='true'] {
    border-color: var(--gf-color-danger, #c0352b) !important;
  }

  .field {
    display: flex;
    flex-direction: column;
    gap: var(--gf-space-1, 4px);
    min-width: 0;
  }

  .field > label,
  .field-label {
    font-weight: var(--gf-font-weight-medium, 500);
  }

  .field-error {
    color: var(--gf-color-danger, #c0352b);
    font-size: var(--gf-font-size-sm, 0.8125rem);
  }

  .field-hint {
    color: var(--gf-color-text-muted, #5c6975);
    font-size: var(--gf-font-size-sm, 0.8125rem);
  }

  .check {
    display: inline-flex;
    align-items: center;
    gap: var(--gf-space-2, 8px);
  }

  .form-grid {
    display: grid;
    grid-template-columns: repeat(auto-fill, minmax(14rem, 1fr));
    gap: var(--gf-space-3, 12px);
  }

  .form-grid .wide {
    grid-column: 1 / -1;
  }

  .actions {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: var(--gf-space-2, 8px);
  }

  .alert {
    margin: 0 0 var(--gf-space-3, 12px);
    padding: var(--gf-space-3, 12px);
    border-radius: var(--gf-radius, 6px);
    background: var(--gf-color-danger-soft, #fcebea);
    color: var(--gf-color-danger-soft-text, #8f2420);
  }

  .empty {
    margin: 0;
    padding: var(--gf-space-5, 24px) 0;
    text-align: center;
    color: var(--gf-color-text-muted, #5c6975);
  }

  .badge {
    display: inline-block;
    padding: 0 var(--gf-space-2, 8px);
    border-radius: var(--gf-radius-pill, 999px);
    font-size: var(--gf-font-size-sm, 0.8125rem);
    white-space: nowrap;
    background: var(--gf-color-neutral-soft, #eef2f5);
    color: var(--gf-color-neutral-soft-text, #3d4a56);
  }

  .badge.new {
    background: var(--gf-color-primary-soft, #e0f2ef);
    color: var(--gf-color-primary-soft-text, #0b5248);
  }

  .badge.open {
    background: var(--gf-color-warning-soft, #fff4d6);
    color: var(--gf-color-warning-soft-text, #7a5200);
  }

  .badge.closed {
    background: var(--gf-color-success-soft, #e3f4ea);
    color: var(--gf-color-success-soft-text, #1e6b3c);
  }

  .badge.internal {
    background: var(--gf-color-danger-soft, #fcebea);
    color: var(--gf-color-danger-soft-text, #8f2420);
    font-weight: var(--gf-font-weight-bold, 600);
  }

  table {
    width: 100%;
    border-collapse: collapse;
  }

  th,
  td {
    padding: var(--gf-space-2, 8px);
    border-bottom: var(--gf-border-width, 1px) solid var(--gf-color-border, #dce2e8);
    text-align: left;
    vertical-align: top;
  }

  th {
    color: var(--gf-color-text-muted, #5c6975);
    font-size: var(--gf-font-size-sm, 0.8125rem);
    font-weight: var(--gf-font-weight-medium, 500);
    white-space: nowrap;
  }

  tbody tr:hover {
    background: var(--gf-color-surface-hover, #eef2f5);
  }

  .tabs {
    display: flex;
    gap: var(--gf-space-1, 4px);
    margin-bottom: var(--gf-space-4, 16px);
    border-bottom: var(--gf-border-width, 1px) solid var(--gf-color-border, #dce2e8);
  }

  .tabs [role='tab'] {
    padding: var(--gf-space-2, 8px) var(--gf-space-3, 12px);
    border: none;
    border-bottom: var(--gf-border-width-accent, 3px) solid transparent;
    background: none;
    color: var(--gf-color-text-muted, #5c6975);
    font: inherit;
    font-weight: var(--gf-font-weight-medium, 500);
    cursor: pointer;
  }

  .tabs [role='tab'][aria-selected='true'] {
    border-bottom-color: var(--gf-color-primary, #0f7a6b);
    color: var(--gf-color-text, #1c2630);
  }

  mark {
    padding: 0 1px;
    border-radius: var(--gf-radius-sm, 3px);
    background: var(--gf-color-warning-soft, #fff4d6);
    color: inherit;
  }
`;
