/**
 * Styles shared by every component's shadow root: buttons, form controls, tables, badges and alerts. Shadow DOM
 * keeps document CSS out, so each component adopts this sheet (constructed once, shared by reference).
 * @module
 */
import { css } from 'lit';

export const sharedStyles = css`
  :host {
    font-family: var(--gf-font-family);
    font-size: var(--gf-font-size-md);
    line-height: var(--gf-line-height);
    color: var(--gf-color-text);
  }

  *,
  *::before,
  *::after {
    box-sizing: border-box;
  }

  [hidden] {
    display: none !important;
  }

  h1,
  h2,
  h3 {
    margin: 0;
    font-weight: var(--gf-font-weight-bold);
    line-height: var(--gf-line-height-heading);
  }

  h1 {
    font-size: var(--gf-font-size-2xl);
  }

  h2 {
    font-size: var(--gf-font-size-xl);
  }

  h3 {
    font-size: var(--gf-font-size-lg);
  }

  p {
    margin: 0;
  }

  a {
    color: var(--gf-color-primary);
  }

  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    padding: 0;
    margin: -1px;
    overflow: hidden;
    clip: rect(0, 0, 0, 0);
    white-space: nowrap;
    border: 0;
  }

  /* Icons from components/icons.ts carry no size of their own. */
  .icon {
    flex: none;
    width: var(--gf-size-icon);
    height: var(--gf-size-icon);
  }

  .icon-sm {
    width: var(--gf-size-icon-sm);
    height: var(--gf-size-icon-sm);
  }

  .icon-lg {
    width: var(--gf-size-icon-lg);
    height: var(--gf-size-icon-lg);
  }

  .icon-xl {
    width: var(--gf-size-icon-xl);
    height: var(--gf-size-icon-xl);
  }

  .muted {
    color: var(--gf-color-text-muted);
  }

  /* Buttons */
  .btn {
    display: inline-flex;
    align-items: center;
    justify-content: center;
    gap: var(--gf-space-2);
    min-height: var(--gf-size-button);
    padding: 0 var(--gf-space-4);
    border: var(--gf-border-width) solid var(--gf-color-border-strong);
    border-radius: var(--gf-radius);
    background: var(--gf-color-surface);
    color: var(--gf-color-text);
    font: inherit;
    font-weight: var(--gf-font-weight-medium);
    white-space: nowrap;
    vertical-align: middle;
    cursor: pointer;
    transition:
      background var(--gf-transition),
      border-color var(--gf-transition),
      box-shadow var(--gf-transition);
  }

  .btn:hover {
    background: var(--gf-color-surface-hover);
  }

  .btn:focus-visible,
  .input:focus-visible,
  .select:focus-visible,
  input[type='checkbox']:focus-visible {
    outline: none;
    box-shadow: 0 0 0 var(--gf-focus-ring-width) var(--gf-color-focus-ring);
  }

  .btn:disabled {
    opacity: 0.6;
    cursor: not-allowed;
  }

  .btn-primary {
    background: var(--gf-color-primary);
    border-color: var(--gf-color-primary);
    color: var(--gf-color-primary-contrast);
  }

  .btn-primary:hover:not(:disabled) {
    background: var(--gf-color-primary-hover);
    border-color: var(--gf-color-primary-hover);
  }

  .btn-danger {
    color: var(--gf-color-danger);
  }

  .btn-danger:hover:not(:disabled) {
    background: var(--gf-color-danger-soft);
    border-color: var(--gf-color-danger);
  }

  .btn-small {
    min-height: var(--gf-size-control-sm);
    padding: 0 var(--gf-space-3);
    font-size: var(--gf-font-size-sm);
  }

  .btn-block {
    width: 100%;
  }

  /* Form controls */
  .form {
    display: flex;
    flex-direction: column;
    gap: var(--gf-space-4);
  }

  .form-grid {
    display: grid;
    grid-template-columns: repeat(2, minmax(0, 1fr));
    gap: var(--gf-space-4);
  }

  .form-grid .span-2 {
    grid-column: span 2;
  }

  .field {
    display: flex;
    flex-direction: column;
    gap: var(--gf-space-1);
    min-width: 0;
  }

  .field-label {
    font-size: var(--gf-font-size-sm);
    font-weight: var(--gf-font-weight-medium);
    color: var(--gf-color-text);
  }

  .required-mark {
    color: var(--gf-color-danger);
  }

  .field-hint {
    font-size: var(--gf-font-size-xs);
    color: var(--gf-color-text-muted);
  }

  .field-error {
    font-size: var(--gf-font-size-xs);
    color: var(--gf-color-danger);
  }

  .input,
  .select {
    width: 100%;
    min-height: var(--gf-size-control);
    padding: var(--gf-space-2) var(--gf-space-3);
    border: var(--gf-border-width) solid var(--gf-color-border-strong);
    border-radius: var(--gf-radius);
    background: var(--gf-color-surface);
    color: var(--gf-color-text);
    font: inherit;
    transition:
      border-color var(--gf-transition),
      box-shadow var(--gf-transition);
  }

  .input:focus-visible,
  .select:focus-visible {
    border-color: var(--gf-color-primary);
  }

  .input[aria-invalid='true'],
  .select[aria-invalid='true'] {
    border-color: var(--gf-color-danger);
  }

  textarea.input {
    resize: vertical;
  }

  .input:read-only {
    background: var(--gf-color-surface-muted);
    color: var(--gf-color-text-muted);
  }

  .checkbox {
    display: inline-flex;
    align-items: center;
    gap: var(--gf-space-2);
    cursor: pointer;
  }

  input[type='checkbox'] {
    width: var(--gf-size-checkbox);
    height: var(--gf-size-checkbox);
    margin: 0;
    accent-color: var(--gf-color-primary);
  }

  .form-actions {
    display: flex;
    justify-content: flex-end;
    gap: var(--gf-space-2);
    padding-top: var(--gf-space-2);
  }

  /* Alerts */
  .alert {
    padding: var(--gf-space-3) var(--gf-space-4);
    border-radius: var(--gf-radius);
    border: var(--gf-border-width) solid transparent;
    font-size: var(--gf-font-size-md);
  }

  .alert-danger {
    background: var(--gf-color-danger-soft);
    border-color: var(--gf-color-danger);
    color: var(--gf-color-danger-soft-text);
  }

  .alert-warning {
    background: var(--gf-color-warning-soft);
    color: var(--gf-color-warning-soft-text);
  }

  .alert-success {
    background: var(--gf-color-success-soft);
    color: var(--gf-color-success-soft-text);
  }

  .alert-detail {
    display: block;
    margin-top: var(--gf-space-1);
    font-size: var(--gf-font-size-sm);
    opacity: 0.9;
  }

  /* Cards and tables */
  .card {
    background: var(--gf-color-surface);
    border: var(--gf-border-width) solid var(--gf-color-border);
    border-radius: var(--gf-radius-lg);
    box-shadow: var(--gf-shadow-sm);
  }

  /* Positioned, so visually hidden labels in cells scroll with the table instead of widening the document. */
  .table-wrap {
    position: relative;
    overflow-x: auto;
  }

  table {
    width: 100%;
    border-collapse: collapse;
  }

  th,
  td {
    padding: var(--gf-space-3) var(--gf-space-4);
    text-align: left;
    vertical-align: middle;
    border-bottom: var(--gf-border-width) solid var(--gf-color-border);
  }

  th {
    background: var(--gf-color-surface-muted);
    color: var(--gf-color-text-muted);
    font-size: var(--gf-font-size-xs);
    font-weight: var(--gf-font-weight-bold);
    text-transform: uppercase;
    letter-spacing: var(--gf-letter-spacing-wide);
    white-space: nowrap;
  }

  tbody tr:last-child td {
    border-bottom: none;
  }

  tbody tr:hover td {
    background: var(--gf-color-surface-muted);
  }

  td.actions {
    text-align: right;
    white-space: nowrap;
  }

  .badge {
    display: inline-flex;
    align-items: center;
    padding: var(--gf-space-px) var(--gf-space-2);
    border-radius: var(--gf-radius-pill);
    font-size: var(--gf-font-size-xs);
    font-weight: var(--gf-font-weight-medium);
    white-space: nowrap;
  }

  .badge-success {
    background: var(--gf-color-success-soft);
    color: var(--gf-color-success-soft-text);
  }

  .badge-neutral {
    background: var(--gf-color-neutral-soft);
    color: var(--gf-color-neutral-soft-text);
  }

  .badge-primary {
    background: var(--gf-color-primary-soft);
    color: var(--gf-color-primary-soft-text);
  }

  .badge-danger {
    background: var(--gf-color-danger-soft);
    color: var(--gf-color-danger-soft-text);
  }

  .badge-warning {
    background: var(--gf-color-warning-soft);
    color: var(--gf-color-warning-soft-text);
  }

  .empty-state {
    padding: var(--gf-space-6) var(--gf-space-4);
    text-align: center;
    color: var(--gf-color-text-muted);
  }
`;

/** The frame every page shares: a title row with actions, then content. */
export const pageStyles = css`
  :host {
    display: block;
  }

  .page {
    max-width: var(--gf-content-max-width);
    margin: 0 auto;
    padding: var(--gf-space-5) var(--gf-space-5) var(--gf-space-7);
    display: flex;
    flex-direction: column;
    gap: var(--gf-space-4);
  }

  .page-header {
    display: flex;
    align-items: flex-end;
    justify-content: space-between;
    gap: var(--gf-space-4);
    flex-wrap: wrap;
  }

  .page-header p {
    margin-top: var(--gf-space-1);
    color: var(--gf-color-text-muted);
  }

  .toolbar {
    display: flex;
    align-items: flex-end;
    gap: var(--gf-space-3);
    flex-wrap: wrap;
    padding: var(--gf-space-3) var(--gf-space-4);
    border-bottom: var(--gf-border-width) solid var(--gf-color-border);
  }

  .toolbar .field {
    min-width: var(--gf-size-toolbar-field-min);
  }

  .toolbar .grow {
    flex: 1;
  }
`;
