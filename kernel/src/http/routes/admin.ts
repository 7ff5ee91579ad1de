/**
 * `/api/admin`: users, groups, memberships and the audit log. Mounted behind `requireAdmin`, so nobody else can
 * tell these routes exist.
 * @module
 */
import { Router } from 'express';
import { z } from 'zod';
import type { AuditLog } from '../../audit/audit-log.js';
import { currentContext } from '../../context/request-context.js';
import type { GroupService } from '../../identity/groups.js';
import {
  createGroupInput,
  createUserInput,
  idParam,
  listUsersQuery,
  membershipInput,
  updateGroupInput,
  updateUserInput,
} from '../../identity/schemas.js';
import type { UserService } from '../../identity/users.js';
import { parseInput } from '../validate.js';

const auditQuery = z.strictObject({
  action: z.string().trim().max(100).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  offset: z.coerce.number().int().min(0).default(0),
});

export function adminRoutes(users: UserService, groups: GroupService, audit: AuditLog): Router {
  const router = Router();
  const actorId = () => currentContext()?.principal?.id;

  router.get('/users', async (req, res) => {
    res.json(await users.list(parseInput(listUsersQuery, req.query, 'query')));
  });
  router.post('/users', async (req, res) => {
    res.status(201).json(await users.create(parseInput(createUserInput, req.body)));
  });
  router.get('/users/:id', async (req, res) => {
    res.json(await users.get(parseInput(idParam, req.params.id, 'id')));
  });
  router.patch('/users/:id', async (req, res) => {
    const id = parseInput(idParam, req.params.id, 'id');
    res.json(await users.update(id, parseInput(updateUserInput, req.body), actorId()));
  });

  router.get('/groups', async (_req, res) => {
    res.json(await groups.list());
  });
  router.post('/groups', async (req, res) => {
    res.status(201).json(await groups.create(parseInput(createGroupInput, req.body)));
  });
  router.get('/groups/:id', async (req, res) => {
    res.json(await groups.get(parseInput(idParam, req.params.id, 'id')));
  });
  router.patch('/groups/:id', async (req, res) => {
    const id = parseInput(idParam, req.params.id, 'id');
    res.json(await groups.update(id, parseInput(updateGroupInput, req.body)));
  });
  router.put('/groups/:id/members/:userId', async (req, res) => {
    const id = parseInput(idParam, req.params.id, 'id');
    const userId = parseInput(idParam, req.params.userId, 'userId');
    const { permissions } = parseInput(membershipInput, req.body);
    res.json(await groups.setMembership(id, userId, permissions, actorId()));
  });
  router.delete('/groups/:id/members/:userId', async (req, res) => {
    const id = parseInput(idParam, req.params.id, 'id');
    const userId = parseInput(idParam, req.params.userId, 'userId');
    await groups.removeMembership(id, userId, actorId());
    res.status(204).end();
  });

  router.get('/audit', async (req, res) => {
    const q = parseInput(auditQuery, req.query, 'query');
    const { items, total } = await audit.list(q);
    res.json({ items, total });
  });

  return router;
}
