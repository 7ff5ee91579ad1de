/**
 * Route paths as OpenAPI names them: absolute (a relative route lives under `/api/plugins/<id>`, as the kernel
 * serves it) and with `{name}` templates instead of the kernel's `:name` segments.
 * @module
 */

/** Where the kernel serves a plugin's relative routes. */
export function pluginRoutePrefix(pluginId: string): string {
  return `/api/plugins/${pluginId}`;
}

/**
 * The OpenAPI path of a route: `/items/:id` of plugin `hello` → `/api/plugins/hello/items/{id}`; an absolute
 * `/api/v1/tickets/:id` → `/api/v1/tickets/{id}`. Empty segments are dropped, as the kernel's matcher drops them.
 * @param pluginId - the plugin's id
 * @param routePath - the route's `path` as the definition gives it
 */
export function openApiPath(pluginId: string, routePath: string): string {
  const absolute = routePath.startsWith('/api/') ? routePath : `${pluginRoutePrefix(pluginId)}/${routePath}`;
  const segments = absolute
    .split('/')
    .filter(Boolean)
    .map((s) => (s.startsWith(':') ? `{${s.slice(1)}}` : s));
  return `/${segments.join('/')}`;
}

/** The `:name` parameters of a route path, in order. */
export function pathParameterNames(routePath: string): string[] {
  return routePath
    .split('/')
    .filter((s) => s.startsWith(':'))
    .map((s) => s.slice(1));
}
