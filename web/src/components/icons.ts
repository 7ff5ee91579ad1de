/**
 * Inline SVG icons: decorative only (aria-hidden), coloured by `currentColor` and sized by the `.icon` rules of
 * sharedStyles (the `--gf-size-icon*` tokens), so they follow the theme. Only use them in a shadow root that adopts
 * sharedStyles.
 * @module
 */
import { svg, type TemplateResult } from 'lit';

/** `sm` is `--gf-size-icon-sm`, `md` is `--gf-size-icon`, `lg` is `--gf-size-icon-lg`, `xl` is `--gf-size-icon-xl`. */
type IconSize = 'sm' | 'md' | 'lg' | 'xl';

const sizeClass: Record<IconSize, string> = {
  sm: 'icon icon-sm',
  md: 'icon',
  lg: 'icon icon-lg',
  xl: 'icon icon-xl',
};

function icon(paths: TemplateResult, size: IconSize = 'md'): TemplateResult {
  return svg`<svg class=${sizeClass[size]} viewBox="0 0 24 24" fill="none" stroke="currentColor"
    stroke-width="2" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true" focusable="false">${paths}</svg>`;
}

export const iconChevronDown = (): TemplateResult => icon(svg`<path d="m6 9 6 6 6-6" />`);
export const iconClose = (): TemplateResult => icon(svg`<path d="M18 6 6 18M6 6l12 12" />`, 'lg');
export const iconPlus = (): TemplateResult => icon(svg`<path d="M12 5v14M5 12h14" />`);
export const iconLogout = (): TemplateResult =>
  icon(
    svg`<path d="M9 21H5a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2h4" /><path d="m16 17 5-5-5-5" /><path d="M21 12H9" />`,
  );
export const iconSearch = (): TemplateResult =>
  icon(svg`<circle cx="11" cy="11" r="7" /><path d="m20 20-3.5-3.5" />`);
export const iconUsers = (): TemplateResult =>
  icon(
    svg`<path d="M16 21v-2a4 4 0 0 0-4-4H6a4 4 0 0 0-4 4v2" /><circle cx="9" cy="7" r="4" />
      <path d="M22 21v-2a4 4 0 0 0-3-3.87" /><path d="M16 3.13a4 4 0 0 1 0 7.75" />`,
  );
export const iconGrid = (): TemplateResult =>
  icon(
    svg`<rect x="3" y="3" width="7" height="7" rx="1" /><rect x="14" y="3" width="7" height="7" rx="1" />
      <rect x="3" y="14" width="7" height="7" rx="1" /><rect x="14" y="14" width="7" height="7" rx="1" />`,
  );
export const iconShield = (): TemplateResult =>
  icon(svg`<path d="M12 22s8-4 8-10V5l-8-3-8 3v7c0 6 8 10 8 10z" />`);
export const iconCheck = (size: IconSize = 'md'): TemplateResult =>
  icon(svg`<path d="M20 6 9 17l-5-5" />`, size);
export const iconAlert = (size: IconSize = 'md'): TemplateResult =>
  icon(svg`<circle cx="12" cy="12" r="9" /><path d="M12 8v4M12 16h.01" />`, size);
export const iconRefresh = (): TemplateResult =>
  icon(svg`<path d="M21 12a9 9 0 1 1-2.64-6.36L21 8" /><path d="M21 3v5h-5" />`);
export const iconList = (): TemplateResult =>
  icon(svg`<path d="M8 6h13M8 12h13M8 18h13" /><path d="M3 6h.01M3 12h.01M3 18h.01" />`);
export const iconPuzzle = (): TemplateResult =>
  icon(
    svg`<path d="M19.4 11H18V7a1 1 0 0 0-1-1h-4V4.6a2.1 2.1 0 1 0-4 0V6H5a1 1 0 0 0-1 1v3.6h1.4a2.1 2.1 0 1 1 0 4H4V19a1 1 0 0 0 1 1h4v-1.4a2.1 2.1 0 1 1 4 0V20h4a1 1 0 0 0 1-1v-4h1.4a2.1 2.1 0 1 0 0-4z" />`,
    'xl',
  );
export const iconSettings = (): TemplateResult =>
  icon(svg`<path d="M4 21v-7M4 10V3M12 21v-9M12 8V3M20 21v-5M20 12V3" /><path d="M1 14h6M9 8h6M17 16h6" />`);
export const iconUpload = (): TemplateResult =>
  icon(
    svg`<path d="M21 15v4a2 2 0 0 1-2 2H5a2 2 0 0 1-2-2v-4" /><path d="m17 8-5-5-5 5" /><path d="M12 3v12" />`,
  );
export const iconTrash = (): TemplateResult =>
  icon(
    svg`<path d="M3 6h18" /><path d="M19 6v14a2 2 0 0 1-2 2H7a2 2 0 0 1-2-2V6" /><path d="M8 6V4a2 2 0 0 1 2-2h4a2 2 0 0 1 2 2v2" />`,
  );
