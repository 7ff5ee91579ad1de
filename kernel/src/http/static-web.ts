/**
 * Serves the built web shell and answers every non-API path with its index.html, so deep links such as
 * /admin/users work on reload. Hashed assets are cached for a year; index.html never.
 * @module
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import express, { type Router } from 'express';
import { NotFoundError } from '../errors/index.js';

export function resolveWebDir(configured: string | undefined): string {
  if (configured) return path.resolve(configured);
  const pkg = createRequire(import.meta.url).resolve('@goatflow/web/package.json');
  return path.join(path.dirname(pkg), 'dist');
}

export function staticWeb(webDir: string): Router {
  const router = express.Router();
  const index = path.join(webDir, 'index.html');
  router.use('/assets', express.static(path.join(webDir, 'assets'), { immutable: true, maxAge: '365d' }));
  router.use(express.static(webDir, { index: false, maxAge: '1h' }));
  router.get('/{*path}', (req, res, next) => {
    // A browser navigating (Accept: text/html) gets the app, also for deep links with a dot such as
    // /admin/users/carol.case; anything else asking for a missing file-like path (a module, an image) gets 404,
    // so a broken reference fails as "not found" rather than as a MIME-type error.
    const navigating = (req.get('accept') ?? '').includes('text/html');
    if (!navigating && /\.[A-Za-z0-9]+$/.test(req.path)) {
      next(new NotFoundError(`No file ${req.path}.`));
      return;
    }
    if (!fs.existsSync(index)) {
      res
        .status(503)
        .type('text/plain')
        .send(`The web UI is not built. Run "npm run build" (looked in ${webDir}).`);
      return;
    }
    res.set('Cache-Control', 'no-cache').sendFile(index);
  });
  return router;
}
