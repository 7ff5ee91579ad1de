/**
 * The audit log: who did what to which object, from where. Rows are written in the caller's transaction when
 * one is given, so an admin change and its audit row commit or roll back together.
 * @module
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { currentContext } from '../context/request-context.js';
import { type AuditEntry, AuditEntryEntity } from '../db/entities/index.js';
import type { KernelOrm } from '../db/orm.js';

export interface AuditRecord {
  action: string;
  targetType?: string;
  targetId?: string | number;
  details?: Record<string, unknown>;
  /** Overrides the request's principal, e.g. for a failed login where nobody is signed in yet. */
  actor?: { id: number | null; login: string | null };
}

export interface AuditQuery {
  action?: string;
  limit: number;
  offset: number;
}

export class AuditLog {
  constructor(private readonly orm: KernelOrm) {}

  /** Adds the row to `em` (flushed by the caller's transaction) or writes it at once when `em` is omitted. */
  async record(entry: AuditRecord, em?: EntityManager): Promise<void> {
    const ctx = currentContext();
    const target = em ?? this.orm.em.fork();
    target.create(AuditEntryEntity, {
      actorUserId: entry.actor ? entry.actor.id : (ctx?.principal?.id ?? null),
      actorLogin: entry.actor ? entry.actor.login : (ctx?.principal?.login ?? null),
      action: entry.action,
      targetType: entry.targetType ?? null,
      targetId: entry.targetId === undefined ? null : String(entry.targetId),
      ip: ctx?.ip ?? null,
      requestId: ctx?.requestId ?? null,
      details: entry.details ?? {},
    });
    if (!em) await target.flush();
  }

  async list(query: AuditQuery): Promise<{ items: AuditEntry[]; total: number }> {
    const em = this.orm.em.fork();
    const where = query.action ? { action: query.action } : {};
    const [items, total] = await em.findAndCount(AuditEntryEntity, where, {
      orderBy: { id: 'desc' },
      limit: query.limit,
      offset: query.offset,
    });
    return { items, total };
  }
}
