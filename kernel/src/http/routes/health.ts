import { Router } from 'express';
import type { KernelOrm } from '../../db/orm.js';

/** `GET /api/health`: 200 when the database answers, 503 when it does not; load balancers watch this. */
export function healthRoutes(orm: KernelOrm, version: string): Router {
  const router = Router();
  router.get('/', async (_req, res) => {
    let database: 'ok' | 'unavailable' = 'ok';
    try {
      await orm.em.fork().execute('select 1');
    } catch {
      database = 'unavailable';
    }
    res
      .status(database === 'ok' ? 200 : 503)
      .json({ status: database === 'ok' ? 'ok' : 'degraded', database, version });
  });
  return router;
}
