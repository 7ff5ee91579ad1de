/**
 * What the web shell shows from plugins: `GET /api/ui/contributions` lists the widgets, menu entries and pages of
 * the enabled plugins that the current user may see, with titles translated into the user's language, and
 * `/plugins/:id/assets/*` serves the modules that define their custom elements.
 * @module
 */
import path from 'node:path';
import express, { Router } from 'express';
import { currentContext, type Principal } from '../../context/request-context.js';
import { NotFoundError } from '../../errors/index.js';
import type { ActivePlugin, PluginManager } from '../../plugins/plugin-manager.js';
import { localeOf, requireUser } from '../auth-middleware.js';

type Audience = 'customer' | 'agent' | 'user' | 'admin';

function sees(audience: Audience, p: Principal): boolean {
  if (audience === 'user') return true;
  if (audience === 'admin') return p.isAdmin && p.type === 'agent';
  return p.type === audience;
}

function translate(plugin: ActivePlugin, key: string, locale: string): string {
  return plugin.i18n ? plugin.i18n.t(key, { lng: locale }) : key;
}

function assetUrl(plugin: ActivePlugin, module: string): string {
  const assets = plugin.manifest.contributes.assets ?? '';
  const relative = path.posix.relative(assets, module);
  return `/plugins/${plugin.id}/assets/${relative}`;
}

export function uiContributionRoutes(plugins: PluginManager): Router {
  const router = Router();
  router.get('/contributions', requireUser, (_req, res) => {
    const principal = currentContext()!.principal!;
    const locale = localeOf(res);
    const widgets = [];
    const menu = [];
    const pages = [];
    for (const plugin of plugins.activePlugins()) {
      const c = plugin.manifest.contributes;
      for (const w of c.widgets ?? []) {
        if (!sees(w.auth, principal)) continue;
        widgets.push({
          plugin: plugin.id,
          id: w.id,
          slot: w.slot,
          title: translate(plugin, w.title, locale),
          size: w.size,
          element: w.element,
          module: assetUrl(plugin, w.module),
          refreshSeconds: w.refreshSeconds ?? null,
        });
      }
      for (const m of c.menu ?? []) {
        const audience: Audience =
          m.location === 'agent' ? 'agent' : m.location === 'customer' ? 'customer' : 'admin';
        if (!sees(audience, principal)) continue;
        menu.push({
          plugin: plugin.id,
          id: m.id,
          label: translate(plugin, m.label, locale),
          path: m.path,
          location: m.location,
          order: m.order,
        });
      }
      for (const p of c.pages ?? []) {
        if (!sees(p.auth, principal)) continue;
        pages.push({
          plugin: plugin.id,
          id: p.id,
          path: p.path,
          title: translate(plugin, p.title, locale),
          element: p.element,
          module: assetUrl(plugin, p.module),
        });
      }
    }
    menu.sort((a, b) => a.order - b.order || a.label.localeCompare(b.label));
    res.json({ widgets, menu, pages });
  });
  return router;
}

/** Serves an enabled plugin's declared assets folder; everything else about the plugin stays unreachable. */
export function pluginAssetRoutes(plugins: PluginManager): Router {
  const router = Router();
  router.use('/:id/assets', (req, res, next) => {
    const plugin = plugins.activePlugin(req.params.id ?? '');
    const folder = plugin?.manifest.contributes.assets;
    if (!plugin || !folder) {
      next(new NotFoundError('No such plugin asset.'));
      return;
    }
    express.static(path.join(plugin.dir, folder), {
      index: false,
      dotfiles: 'deny',
      fallthrough: false,
      // Revalidated on every load (a 304 when unchanged): an upgrade, an upload or a `goatflow-plugin dev`
      // reload keeps the same URLs, and a cached old widget next to a new plugin's routes would break.
      maxAge: 0,
    })(req, res, (err?: unknown) => next(err ? new NotFoundError('No such plugin asset.') : undefined));
  });
  return router;
}
