/**
 * `plugins.call`: one plugin runs a handler of another, for the same end user. The call carries the caller's
 * invocation context (user, scopes, locale, request id), so whatever the target checks, it checks for the real
 * user, and the target's own host calls are checked against the target's own grant. If the handler serves
 * routes, the user must also meet one of those routes' auth levels: a plugin cannot lend a customer the use of
 * another plugin's admin handler. Chains are limited in depth, which ends A→B→A loops.
 * @module
 */
import type { AuthLevel, PluginManifest, PluginPermissions } from '@goatflow/sdk';
import {
  type InvocationContext,
  type InvocationUser,
  type PluginInstance,
  RuntimeError,
} from '../runtimes/contract.js';
import { HostApiError, type HostApiErrorCode, notGranted } from './host-api-error.js';

/** How many plugins.call hops one request may chain (A→B is 1). */
export const MAX_CALL_DEPTH = 4;

const MAX_INPUT_BYTES = 1024 * 1024;
const PLUGIN_ID = /^[a-z][a-z0-9-]{1,38}[a-z0-9]$/;
const HANDLER = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

/** What plugins.call needs to know about the enabled plugins. */
export interface CallablePlugins {
  activePlugin(id: string): { manifest: PluginManifest; instance: PluginInstance } | undefined;
}

/** The chain of plugins.call hops that led to an invocation context (absent: not reached through a call). */
const chains = new WeakMap<InvocationContext, string[]>();

const RUNTIME_CODES: Record<RuntimeError['code'], HostApiErrorCode> = {
  deadline_exceeded: 'timeout',
  plugin_unavailable: 'unavailable',
  load_failed: 'unavailable',
  unknown_handler: 'not_found',
  plugin_error: 'plugin_error',
  host_call_limit: 'plugin_error',
};

function routeAllows(level: AuthLevel, user: InvocationUser | null): boolean {
  if (level === 'public') return true;
  if (!user) return false;
  if (level === 'user') return true;
  if (level === 'admin') return user.isAdmin && user.type === 'agent';
  return user.type === level;
}

export class PluginCaller {
  constructor(private readonly plugins: () => CallablePlugins) {}

  async call(
    callerId: string,
    granted: PluginPermissions,
    args: Record<string, unknown>,
    ctx: InvocationContext,
  ): Promise<unknown> {
    const target = args.plugin;
    if (typeof target !== 'string' || !PLUGIN_ID.test(target)) {
      throw new HostApiError('invalid_argument', '"plugin" must be a plugin id');
    }
    const handler = args.handler;
    if (typeof handler !== 'string' || !HANDLER.test(handler)) {
      throw new HostApiError('invalid_argument', '"handler" must be a handler name (letters, digits, _)');
    }
    const allowed = granted.plugins?.call ?? [];
    if (!allowed.includes(target)) {
      throw allowed.length === 0
        ? notGranted('plugins.call', 'plugins.call')
        : new HostApiError(
            'permission_denied',
            `plugins.call may not call "${target}": it is not in this plugin's plugins.call grant`,
          );
    }
    const input = args.input ?? null;
    let size: number;
    try {
      size = Buffer.byteLength(JSON.stringify(input));
    } catch {
      throw new HostApiError('invalid_argument', '"input" must be JSON');
    }
    if (size > MAX_INPUT_BYTES) {
      throw new HostApiError('invalid_argument', `"input" may be at most ${MAX_INPUT_BYTES} bytes of JSON`);
    }
    const chain = [...(chains.get(ctx) ?? [callerId]), target];
    if (chain.length - 1 > MAX_CALL_DEPTH) {
      throw new HostApiError(
        'depth_exceeded',
        `plugins.call chains may be at most ${MAX_CALL_DEPTH} calls deep (${chain.join(' → ')})`,
      );
    }
    const active = this.plugins().activePlugin(target);
    if (!active) throw new HostApiError('unavailable', `the plugin "${target}" is not enabled`);
    const routes = (active.manifest.contributes.routes ?? []).filter((r) => r.handler === handler);
    if (routes.length > 0 && !routes.some((r) => routeAllows(r.auth, ctx.user))) {
      throw new HostApiError(
        'permission_denied',
        `the acting user may not use "${target}"'s handler "${handler}": its routes need ` +
          [...new Set(routes.map((r) => r.auth))].join(' or '),
      );
    }
    const context: InvocationContext = {
      pluginId: target,
      handler,
      user: ctx.user,
      scopes: ctx.scopes,
      locale: ctx.locale,
      requestId: ctx.requestId,
    };
    chains.set(context, chain);
    try {
      return await active.instance.invoke(handler, input, context);
    } catch (err) {
      if (err instanceof RuntimeError) throw new HostApiError(RUNTIME_CODES[err.code], err.message);
      throw err;
    }
  }
}
