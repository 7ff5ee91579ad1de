/**
 * Moving to another page of the GoatFlow shell from a widget or plugin page, without reloading the document.
 * The shell owns routing; a plugin only changes the URL through the History API and tells the shell it did.
 * @module
 */

/**
 * The window event the shell listens for to show the page of the current URL. {@link navigate} dispatches it;
 * a plugin should call that rather than dispatch the event itself.
 */
export const NAVIGATE_EVENT = 'gf-navigate';

/** Options of {@link navigate}. */
export interface NavigateOptions {
  /**
   * Replace the current history entry instead of adding one: for a URL that only records the state of the page
   * already shown (a filter, a sort), so that Back leaves the page instead of undoing each change.
   */
  replace?: boolean;
}

/**
 * Whether `path` is something {@link navigate} accepts: an absolute path on this site (`/tickets?page=2`), not
 * a URL with a scheme and not a protocol-relative `//host` or `/\host`, which browsers read as another site.
 * @param path - the candidate path
 */
export function isShellPath(path: string): boolean {
  return path.startsWith('/') && !path.startsWith('//') && !path.startsWith('/\\');
}

/**
 * Shows another page of the shell: pushes `path` onto the browser history (or replaces the current entry) and
 * tells the shell, which renders the page for the new URL: a built-in page, another plugin's page, or the same
 * page with new `params` and `query`. Nothing happens when `path` is already the current URL.
 *
 * In-app links (`<a href="/tickets/7">`) need no call: the shell turns clicks on them into the same navigation.
 * Use this after an action, e.g. to open a ticket once it has been created.
 *
 * @param path - an absolute path on this site with optional query and fragment, e.g. `/tickets/7` or
 *   `/tickets?queue=3&page=2`
 * @param options - `replace: true` to replace the current history entry
 * @throws TypeError when `path` is not an absolute path on this site (see {@link isShellPath})
 * @example
 * ```ts
 * import { navigate } from '@goatflow/sdk/widget';
 * const ticket = await this.api.post<{ id: number }>('/api/v1/tickets', body);
 * navigate(`/tickets/${ticket.id}`);
 * ```
 */
export function navigate(path: string, options: NavigateOptions = {}): void {
  if (!isShellPath(path)) {
    throw new TypeError(
      `navigate() takes an absolute path on this site such as "/tickets/7", not "${path}"; ` +
        'use a link or window.location for other sites.',
    );
  }
  const { pathname, search, hash } = window.location;
  if (path === `${pathname}${search}${hash}`) return;
  if (options.replace) window.history.replaceState(null, '', path);
  else window.history.pushState(null, '', path);
  window.dispatchEvent(new Event(NAVIGATE_EVENT));
}
