/**
 * Viewport breakpoints for `@media` rules. Custom properties cannot be used in media queries, so these are the
 * only sizes that live outside tokens.css; components interpolate them into their `css` templates.
 * @module
 */
import { unsafeCSS } from 'lit';

/** Phones: the user menu drops the name, forms stack. */
export const narrow = unsafeCSS('(max-width: 640px)');
/** Small tablets: the header tightens and hides the admin label and word mark. */
export const compact = unsafeCSS('(max-width: 720px)');
/** Below this the dashboard's side column moves under the main one. */
export const medium = unsafeCSS('(max-width: 900px)');
