/**
 * Requested versus granted permissions. A plugin runs only when its grant covers everything it asks for; an
 * upgrade that asks for more waits for the operator.
 * @module
 */
import type { PluginPermissions } from '@goatflow/sdk';

/** The permissions in `requested` that `granted` does not cover, as readable names (`http:api.example.com`). */
export function missingGrants(requested: PluginPermissions, granted: PluginPermissions): string[] {
  const missing: string[] = [];
  const flag = (name: string, want: boolean | undefined, have: boolean | undefined) => {
    if (want && !have) missing.push(name);
  };
  const list = (name: string, want: string[] | undefined, have: string[] | undefined) => {
    for (const item of want ?? []) if (!(have ?? []).includes(item)) missing.push(`${name}:${item}`);
  };
  flag('db.own', requested.db?.own, granted.db?.own);
  list('db.read', requested.db?.read, granted.db?.read);
  flag('cache', requested.cache, granted.cache);
  list('http', requested.http, granted.http);
  flag('httpPrivate', requested.httpPrivate, granted.httpPrivate);
  list('email', requested.email, granted.email);
  flag('i18n', requested.i18n, granted.i18n);
  list('events.publish', requested.events?.publish, granted.events?.publish);
  flag('auth.hooks', requested.auth?.hooks, granted.auth?.hooks);
  flag('identity.read', requested.identity?.read, granted.identity?.read);
  list('plugins.call', requested.plugins?.call, granted.plugins?.call);
  flag('audit', requested.audit, granted.audit);
  return missing;
}
