/**
 * History API routing. Route matching is a pure function of the path so it can be tested without a browser;
 * navigation is announced with one window event that the app shell listens to.
 * @module
 */
import { NAVIGATE_EVENT } from '@goatflow/sdk/widget';

export type RouteName =
  | 'login'
  | 'dashboard'
  | 'admin-users'
  | 'admin-groups'
  | 'admin-plugins'
  | 'api-reference'
  /** A page contributed by a plugin; only the shell knows these paths, once it has loaded the contributions. */
  | 'plugin-page'
  | 'not-found';

export interface Route {
  name: RouteName;
  /** Whether the route needs a signed-in user; anonymous visitors are sent to login and brought back after. */
  requiresAuth: boolean;
  /** Admin routes look like unknown ones to everybody else, mirroring the kernel's 404 for non-admins. */
  requiresAdmin: boolean;
}

const ROUTES: Record<string, Route> = {
  '/login': { name: 'login', requiresAuth: false, requiresAdmin: false },
  '/': { name: 'dashboard', requiresAuth: true, requiresAdmin: false },
  '/admin/users': { name: 'admin-users', requiresAuth: true, requiresAdmin: true },
  '/admin/groups': { name: 'admin-groups', requiresAuth: true, requiresAdmin: true },
  '/admin/plugins': { name: 'admin-plugins', requiresAuth: true, requiresAdmin: true },
  '/api-reference': { name: 'api-reference', requiresAuth: true, requiresAdmin: false },
};

const NOT_FOUND: Route = { name: 'not-found', requiresAuth: true, requiresAdmin: false };

/** The event plugins dispatch through `navigate()`; one name, defined by the SDK plugins build on. */
export { NAVIGATE_EVENT } from '@goatflow/sdk/widget';

export function normalizePath(pathname: string): string {
  const trimmed = pathname.replace(/\/+$/, '');
  return trimmed === '' ? '/' : trimmed;
}

export function matchRoute(pathname: string): Route {
  return ROUTES[normalizePath(pathname)] ?? NOT_FOUND;
}

/**
 * Accepts only same-origin, absolute paths as a post-login destination: `//host` and `/\host` would leave the
 * site, and sending the user back to /login would loop.
 */
export function safeNextPath(next: string | null | undefined): string {
  if (!next?.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return '/';
  if (matchRoute(next.split(/[?#]/)[0] ?? '/').name === 'login') return '/';
  return next;
}

export function loginPathFor(requested: string): string {
  const next = safeNextPath(requested);
  return next === '/' ? '/login' : `/login?next=${encodeURIComponent(next)}`;
}

export function currentPath(): string {
  return `${window.location.pathname}${window.location.search}${window.location.hash}`;
}

export function navigate(path: string, options: { replace?: boolean } = {}): void {
  if (path === currentPath()) return;
  if (options.replace) window.history.replaceState(null, '', path);
  else window.history.pushState(null, '', path);
  window.dispatchEvent(new Event(NAVIGATE_EVENT));
}

/**
 * Turns clicks on in-app links into History API navigation. Uses the composed path because links live in shadow
 * roots, where `event.target` is retargeted to the outermost host.
 */
export function interceptLinkClick(event: MouseEvent): void {
  if (event.defaultPrevented || event.button !== 0) return;
  if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  const anchor = event
    .composedPath()
    .find((node): node is HTMLAnchorElement => node instanceof HTMLAnchorElement);
  if (!anchor?.href || anchor.hasAttribute('download')) return;
  if (anchor.target && anchor.target !== '_self') return;
  const url = new URL(anchor.href);
  if (url.origin !== window.location.origin || url.pathname.startsWith('/api/')) return;
  event.preventDefault();
  navigate(`${url.pathname}${url.search}${url.hash}`);
}
