/**
 * The Host API's front door: every host call of every plugin, from either runtime, comes through here. The
 * call is checked against the calling plugin's grant, bound to the invocation's user, run, and answered as
 * `{ok: true, value}` or `{ok: false, error}`. Nothing a plugin sends can make it throw.
 * @module
 */
import type { PluginPermissions } from '@goatflow/sdk';
import type { i18n as I18n } from 'i18next';
import type { AuditLog } from '../audit/audit-log.js';
import type {
  HostCallHandler,
  HostCallInfo,
  HostCallResult,
  InvocationContext,
} from '../runtimes/contract.js';
import type { PluginCache } from './cache-capability.js';
import type { PluginDatabase } from './db-capability.js';
import { parseTransaction } from './db-transaction.js';
import type { Mailer } from './email-capability.js';
import type { EventBus } from './event-bus.js';
import { HostApiError, notGranted } from './host-api-error.js';
import type { HttpFetcher } from './http-capability.js';
import type { IdentityReader } from './identity-capability.js';
import { LOG_LEVELS, type PluginLog } from './plugin-log.js';
import type { PluginCaller } from './plugins-call-capability.js';

/** What the dispatcher needs to know about the plugin a call comes from. */
export interface CallingPlugin {
  id: string;
  /** Replaced in place when an admin changes the grant: the next call is checked against the new one. */
  granted: PluginPermissions;
  /** The settings in effect now. */
  settings: () => Record<string, unknown>;
  /** Takes newly saved settings (the defaults are applied on top); absent for plugins that cannot change. */
  updateSettings?: (saved: Record<string, unknown>) => void;
  i18n: I18n | undefined;
}

export interface HostServices {
  db: PluginDatabase;
  cache: PluginCache;
  log: PluginLog;
  audit: AuditLog;
  identity: IdentityReader;
  events: EventBus;
  http: HttpFetcher;
  email: Mailer;
  plugins: PluginCaller;
}

type Args = Record<string, unknown>;
type Capability = (
  plugin: CallingPlugin,
  args: Args,
  ctx: InvocationContext,
  info: HostCallInfo,
) => Promise<unknown> | unknown;

function need(condition: boolean | undefined, permission: string, fn: string): void {
  if (!condition) throw notGranted(fn, permission);
}

/** The database functions need either of the db grants. */
function needDb(p: CallingPlugin, fn: string): void {
  need(p.granted.db?.own || (p.granted.db?.read?.length ?? 0) > 0, 'db.own', fn);
}

/** Refuses an event name the plugin was not granted; `fn` and `field` say where it came from. */
function needEvent(granted: readonly string[], name: unknown, fn: string, field?: string): void {
  if (typeof name === 'string' && !granted.includes(name)) {
    throw new HostApiError(
      'permission_denied',
      `${fn} may not publish "${name.slice(0, 200)}"${field ? ` (${field})` : ''}: it is not in this ` +
        "plugin's events.publish grant",
    );
  }
}

function text(args: Args, name: string, max = 10_000): string {
  const v = args[name];
  if (typeof v !== 'string' || v.length > max) {
    throw new HostApiError('invalid_argument', `"${name}" must be a string of at most ${max} characters`);
  }
  return v;
}

export function capabilities(s: HostServices): Record<string, Capability> {
  const query = async (p: CallingPlugin, a: Args, ctx: InvocationContext, fn: string) => {
    needDb(p, fn);
    const params = a.params ?? [];
    return s.db.query(
      { pluginId: p.id, readableViews: p.granted.db?.read ?? [] },
      ctx.user?.id ?? null,
      text(a, 'sql', 100_000),
      params as unknown[],
    );
  };
  return {
    'db.query': (p, a, ctx) => query(p, a, ctx, 'db.query'),
    'db.exec': async (p, a, ctx) => ({ rowCount: (await query(p, a, ctx, 'db.exec')).rowCount }),
    'db.transaction': (p, a, ctx, info) => {
      needDb(p, 'db.transaction');
      const request = parseTransaction(a);
      if (request.events.length > 0) {
        const granted = p.granted.events?.publish ?? [];
        need(granted.length > 0, 'events.publish', 'db.transaction');
        for (const [i, e] of request.events.entries()) {
          needEvent(granted, e.name, 'db.transaction', `events[${i}]`);
        }
      }
      return s.db.transaction(
        { pluginId: p.id, readableViews: p.granted.db?.read ?? [] },
        ctx.user?.id ?? null,
        request,
        s.events,
        info.deadline,
      );
    },
    'cache.get': (p, a) => {
      need(p.granted.cache, 'cache', 'cache.get');
      return s.cache.get(p.id, a.key);
    },
    'cache.set': (p, a) => {
      need(p.granted.cache, 'cache', 'cache.set');
      s.cache.set(p.id, a.key, a.value, a.ttlSeconds);
      return true;
    },
    'cache.delete': (p, a) => {
      need(p.granted.cache, 'cache', 'cache.delete');
      return s.cache.delete(p.id, a.key);
    },
    log: async (p, a) => {
      const level = (LOG_LEVELS as readonly string[]).includes(String(a.level))
        ? (a.level as 'info')
        : 'info';
      await s.log.write(p.id, { level, message: text(a, 'message', 4000) });
      return true;
    },
    'config.get': (p) => p.settings(),
    'i18n.t': (p, a, ctx) => {
      need(p.granted.i18n, 'i18n', 'i18n.t');
      if (!p.i18n) throw new HostApiError('not_found', 'the plugin declares no translation bundles');
      const locale = typeof a.locale === 'string' ? a.locale : ctx.locale;
      const params = a.params && typeof a.params === 'object' ? (a.params as Record<string, unknown>) : {};
      // Only the caller's values are interpolated: i18next's own options (lng, ns…) cannot be smuggled in.
      return p.i18n.t(text(a, 'key', 200), { replace: params, lng: locale });
    },
    'identity.getUser': async (p, a) => {
      need(p.granted.identity?.read, 'identity.read', 'identity.getUser');
      const id = Number(a.id);
      if (!Number.isInteger(id) || id < 1)
        throw new HostApiError('invalid_argument', '"id" must be a user id');
      const user = await s.identity.user(id);
      if (!user) throw new HostApiError('not_found', `no user ${id}`);
      return user;
    },
    'audit.record': async (p, a, ctx) => {
      need(p.granted.audit, 'audit', 'audit.record');
      const action = text(a, 'action', 100);
      if (!/^[a-z][a-z0-9_.]*$/.test(action)) {
        throw new HostApiError('invalid_argument', '"action" must be lower-case words joined by . or _');
      }
      await s.audit.record({
        action: `plugin.${p.id}.${action}`,
        targetType: typeof a.targetType === 'string' ? a.targetType.slice(0, 100) : undefined,
        targetId: typeof a.targetId === 'string' || typeof a.targetId === 'number' ? a.targetId : undefined,
        details: a.details && typeof a.details === 'object' ? (a.details as Record<string, unknown>) : {},
        actor: { id: ctx.user?.id ?? null, login: ctx.user?.login ?? null },
      });
      return true;
    },
    'events.publish': async (p, a) => {
      const granted = p.granted.events?.publish ?? [];
      need(granted.length > 0, 'events.publish', 'events.publish');
      needEvent(granted, a.name, 'events.publish');
      const { id } = await s.events.publish(p.id, a.name, a.payload);
      return { id };
    },
    'http.fetch': (p, a) => s.http.fetch(p.granted, a),
    'email.send': (p, a, ctx) => s.email.send(p.id, p.granted, ctx.user?.id ?? null, a),
    'plugins.call': (p, a, ctx) => s.plugins.call(p.id, p.granted, a, ctx),
  };
}

/** Builds the {@link HostCallHandler} a runtime calls for one plugin. */
export function hostCallHandler(plugin: CallingPlugin, services: HostServices): HostCallHandler {
  const table = capabilities(services);
  return async (fn, args, ctx, info = {}): Promise<HostCallResult> => {
    const capability = Object.hasOwn(table, fn) ? table[fn] : undefined;
    try {
      if (!capability) throw new HostApiError('unknown_function', `there is no Host API function "${fn}"`);
      const a = args && typeof args === 'object' && !Array.isArray(args) ? (args as Args) : {};
      return { ok: true, value: (await capability(plugin, a, ctx, info)) ?? null };
    } catch (err) {
      const e =
        err instanceof HostApiError
          ? err
          : new HostApiError('internal', 'the Host API failed; see the kernel log');
      if (
        e.code === 'permission_denied' ||
        e.code === 'sql_denied' ||
        e.code === 'depth_exceeded' ||
        e.code === 'internal'
      ) {
        // Denials are the operator's business: they show up in the plugin's log at /admin/plugins.
        await services.log
          .write(plugin.id, { level: 'warn', message: `host call ${fn} refused: ${e.message}` })
          .catch(() => {});
      }
      return {
        ok: false,
        error: { code: e.code, message: e.message, ...(e.details ? { details: e.details } : {}) },
      };
    }
  };
}
