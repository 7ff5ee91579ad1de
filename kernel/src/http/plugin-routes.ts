/**
 * Plugin routes: `/api/plugins/<id>/…`, and the top-level prefixes first-party plugins claim (`/api/v1/tickets`).
 * The kernel authenticates, checks the route's auth level and token scope, and only then invokes the plugin;
 * a disabled plugin's routes are gone (404) the moment it is disabled.
 * @module
 */
import type { AuthLevel, PluginRoute } from '@goatflow/sdk';
import type { Request, RequestHandler, Response } from 'express';
import { currentContext, type Principal } from '../context/request-context.js';
import { KernelError, UnauthenticatedError } from '../errors/index.js';
import type { UserView } from '../identity/directory.js';
import type { ActivePlugin, PluginManager } from '../plugins/plugin-manager.js';
import { type InvocationContext, RuntimeError } from '../runtimes/contract.js';
import { routeNotFound } from './errors.js';
import { sendFile } from './file-reply.js';

interface Match {
  plugin: ActivePlugin;
  route: PluginRoute;
  params: Record<string, string>;
}

/** Matches `/items/:id` against `/items/42`; segments are compared exactly, `:name` takes one segment. */
export function matchPath(pattern: string, path: string): Record<string, string> | undefined {
  const want = pattern.split('/').filter(Boolean);
  const have = path.split('/').filter(Boolean);
  if (want.length !== have.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    const w = want[i]!;
    if (w.startsWith(':')) params[w.slice(1)] = have[i]!;
    else if (w !== have[i]) return undefined;
  }
  return params;
}

function findRoute(plugins: PluginManager, req: Request): Match | undefined {
  const method = req.method === 'HEAD' ? 'GET' : req.method;
  const full = req.baseUrl + req.path;
  const own = /^\/api\/plugins\/([a-z][a-z0-9-]*)(\/.*)?$/.exec(full);
  const candidates = own
    ? [plugins.activePlugin(own[1]!)].filter((p) => p !== undefined)
    : plugins.activePlugins();
  for (const plugin of candidates) {
    for (const route of plugin.manifest.contributes.routes ?? []) {
      if (route.method !== method) continue;
      const absolute = route.path.startsWith('/api/');
      if (own ? absolute : !absolute) continue;
      const params = matchPath(route.path, own ? (own[2] ?? '/') : full);
      if (params) return { plugin, route, params };
    }
  }
  return undefined;
}

/** Whether the caller meets a route's auth level; `undefined` means "not signed in". */
function allowed(level: AuthLevel, principal: Principal | undefined): boolean | undefined {
  if (level === 'public') return true;
  if (!principal) return undefined;
  if (level === 'user') return true;
  if (level === 'admin') return principal.isAdmin && principal.type === 'agent';
  return principal.type === level;
}

function invocationContext(
  m: Match,
  principal: Principal | undefined,
  user: UserView | undefined,
): InvocationContext {
  const ctx = currentContext()!;
  return {
    pluginId: m.plugin.id,
    handler: m.route.handler,
    user: principal
      ? {
          id: principal.id,
          login: principal.login,
          type: principal.type,
          isAdmin: principal.isAdmin,
          groups: user?.groups.map((g) => g.name) ?? [],
        }
      : null,
    scopes: principal?.scopes ?? [],
    locale: user?.locale ?? 'en',
    requestId: ctx.requestId,
  };
}

const RUNTIME_CODES: Record<RuntimeError['code'], KernelError['code']> = {
  deadline_exceeded: 'plugin_timeout',
  plugin_unavailable: 'plugin_unavailable',
  plugin_error: 'plugin_error',
  unknown_handler: 'plugin_error',
  host_call_limit: 'plugin_error',
  load_failed: 'plugin_unavailable',
};

/**
 * A handler answers any JSON (sent as 200), `{status, body}` to choose the status, or `{status, file}` to send
 * bytes (see {@link sendFile}).
 */
function send(res: Response, output: unknown, pluginId: string): void {
  const o = output as { status?: unknown; body?: unknown; file?: unknown } | null;
  if (o && typeof o === 'object' && typeof o.status === 'number' && ('body' in o || 'file' in o)) {
    const status = o.status >= 200 && o.status <= 599 ? o.status : 502;
    if ('file' in o) sendFile(res, status, o.file, pluginId);
    else res.status(status).json(o.body ?? null);
    return;
  }
  res.json(output ?? null);
}

/** The largest request body a matched plugin route accepts, if it sets one (`maxBodyBytes`). */
export function pluginRouteBodyLimit(plugins: PluginManager): (req: Request) => number | undefined {
  return (req) => {
    const match = findRoute(plugins, req);
    // Only a caller the route accepts gets its larger limit; anyone else is answered 401/404 by the route anyway.
    return match && allowed(match.route.auth, currentContext()?.principal)
      ? match.route.maxBodyBytes
      : undefined;
  };
}

export function pluginRoutes(plugins: PluginManager): RequestHandler {
  return async (req, res, next) => {
    const match = findRoute(plugins, req);
    if (!match) {
      next();
      return;
    }
    const principal = currentContext()?.principal;
    const ok = allowed(match.route.auth, principal);
    if (ok === undefined) throw new UnauthenticatedError();
    // A token without the route's scope, or the wrong kind of user, may not see the route at all.
    const scopeOk = !match.route.scope || !principal?.scopes || principal.scopes.includes(match.route.scope);
    if (!ok || !scopeOk) throw routeNotFound(req);
    const input = {
      method: req.method,
      path: req.path,
      params: match.params,
      query: req.query,
      body: req.body ?? null,
    };
    try {
      const output = await match.plugin.instance.invoke(
        match.route.handler,
        input,
        invocationContext(match, principal, res.locals.user as UserView | undefined),
      );
      send(res, output, match.plugin.id);
    } catch (err) {
      if (!(err instanceof RuntimeError)) throw err;
      throw new KernelError(
        RUNTIME_CODES[err.code],
        `The plugin ${match.plugin.id} could not answer: ${err.message}`,
      );
    }
  };
}
