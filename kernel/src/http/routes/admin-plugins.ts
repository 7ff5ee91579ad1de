/**
 * `/api/admin/plugins`: list, inspect, grant, configure, enable, disable, reload from disk, and read a plugin's
 * log. Mounted behind `requireAdmin`.
 * @module
 */
import { permissionsSchema } from '@goatflow/sdk';
import { type Response, Router } from 'express';
import { z } from 'zod';
import type { AuditLog } from '../../audit/audit-log.js';
import { currentContext } from '../../context/request-context.js';
import { ConflictError, NotFoundError } from '../../errors/index.js';
import { LOG_LEVELS, type PluginLog } from '../../host-api/plugin-log.js';
import { PluginLifecycleError, type PluginManager, type PluginStatus } from '../../plugins/plugin-manager.js';
import { localeOf } from '../auth-middleware.js';
import { parseInput } from '../validate.js';

/** A plugin id in a path (`:id`). */
export const pluginId = z.string().regex(/^[a-z][a-z0-9@-]{0,80}$/, 'is not a plugin id');
const logQuery = z.strictObject({
  level: z.enum(LOG_LEVELS).default('trace'),
  limit: z
    .string()
    .regex(/^[1-9][0-9]{0,3}$/, 'must be 1 to 1000')
    .transform(Number)
    .pipe(z.number().max(1000))
    .default(200),
});

/** Settings are a JSON object; what is in it is checked against the plugin's own schema. */
const settingsBody = z.record(z.string(), z.unknown(), 'must be a JSON object of settings');

async function lifecycle<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (!(err instanceof PluginLifecycleError)) throw err;
    if (err.code === 'not_found') throw new NotFoundError(err.message);
    throw new ConflictError(err.message);
  }
}

export function adminPluginRoutes(plugins: PluginManager, log: PluginLog, audit: AuditLog): Router {
  const router = Router();
  const actor = () => currentContext()?.principal?.id;
  const audited = async <T>(action: string, id: string, work: () => Promise<T>, details = {}): Promise<T> => {
    const result = await lifecycle(work);
    await audit.record({ action, targetType: 'plugin', targetId: id, details });
    return result;
  };

  // Every status answered carries its settings form in the admin's language.
  const answer = async (res: Response, status: PluginStatus) => {
    res.json(await plugins.inLocale(status, localeOf(res)));
  };
  router.get('/', async (_req, res) => {
    const locale = localeOf(res);
    const items = await Promise.all((await plugins.list()).map((p) => plugins.inLocale(p, locale)));
    res.json({ items, total: items.length });
  });
  router.get('/:id', async (req, res) => {
    const id = parseInput(pluginId, req.params.id, 'id');
    await answer(res, await lifecycle(() => plugins.get(id)));
  });
  router.put('/:id/grants', async (req, res) => {
    const id = parseInput(pluginId, req.params.id, 'id');
    const granted = parseInput(permissionsSchema, req.body);
    await answer(
      res,
      await audited('plugin.granted', id, () => plugins.grant(id, granted, actor()), { granted }),
    );
  });
  router.put('/:id/settings', async (req, res) => {
    const id = parseInput(pluginId, req.params.id, 'id');
    const settings = parseInput(settingsBody, req.body, 'settings');
    await answer(
      res,
      await audited('plugin.settings_changed', id, () => plugins.saveSettings(id, settings, actor()), {
        keys: Object.keys(settings),
      }),
    );
  });
  router.post('/:id/enable', async (req, res) => {
    const id = parseInput(pluginId, req.params.id, 'id');
    await answer(res, await audited('plugin.enabled', id, () => plugins.enable(id, actor())));
  });
  router.post('/:id/disable', async (req, res) => {
    const id = parseInput(pluginId, req.params.id, 'id');
    await answer(res, await audited('plugin.disabled', id, () => plugins.disable(id, actor())));
  });
  // Re-reads the plugin's folder and restarts it with the new code (goatflow-plugin dev). Answers its status, also
  // when the new version does not start: that is the plugin's state (failed, with lastError and issues), not an
  // error of the request. An uploaded package answers 409: a new upload replaces it.
  router.post('/:id/reload', async (req, res) => {
    const id = parseInput(pluginId, req.params.id, 'id');
    const status = await lifecycle(() => plugins.reload(id, actor()));
    const details = {
      version: status.version ?? null,
      state: status.state,
      lastError: status.lastError ?? null,
    };
    await audit.record({ action: 'plugin.reloaded', targetType: 'plugin', targetId: id, details });
    await answer(res, status);
  });
  router.get('/:id/logs', async (req, res) => {
    const id = parseInput(pluginId, req.params.id, 'id');
    await lifecycle(() => plugins.get(id));
    const q = parseInput(logQuery, req.query, 'query');
    const items = await log.read(id, q.level, q.limit);
    res.json({ items, total: items.length });
  });
  return router;
}
