/**
 * `GET /api/admin/outbox`: the mails plugins sent through `email.send`, newest first — kept unsent when no SMTP
 * server is configured, otherwise with their delivery status and the SMTP error. Mounted behind `requireAdmin`.
 * @module
 */
import { Router } from 'express';
import { z } from 'zod';
import type { KernelOrm } from '../../db/orm.js';
import { listOutbox } from '../../host-api/email-capability.js';
import { parseInput } from '../validate.js';

const outboxQuery = z.strictObject({
  status: z.enum(['unsent', 'sending', 'sent', 'failed']).optional(),
  plugin: z
    .string()
    .regex(/^[a-z][a-z0-9-]{1,38}[a-z0-9]$/, 'is not a plugin id')
    .optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  offset: z.coerce.number().int().min(0).default(0),
});

export function adminOutboxRoutes(orm: KernelOrm): Router {
  const router = Router();
  router.get('/', async (req, res) => {
    const q = parseInput(outboxQuery, req.query, 'query');
    res.json(await listOutbox(orm, q));
  });
  return router;
}
