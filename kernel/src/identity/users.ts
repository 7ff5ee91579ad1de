/**
 * Creating, changing and listing users. Every change writes an audit row in the same transaction, and a password
 * reset or a deactivation ends the user's sessions at once. Changes go through {@link IdentityWrites}, so no
 * instance keeps serving a cached principal the change made wrong.
 * @module
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import type { AuditLog } from '../audit/audit-log.js';
import { SessionEntity, UserEntity } from '../db/entities/index.js';
import type { KernelOrm } from '../db/orm.js';
import { conflictOnDuplicate } from '../db/unique-violation.js';
import { ConflictError, NotFoundError } from '../errors/index.js';
import { loadUserViews, type UserView } from './directory.js';
import type { IdentityWrites } from './identity-writes.js';
import { hashPassword } from './passwords.js';
import type { CreateUserInput, ListUsersQuery, UpdateUserInput } from './schemas.js';

export class UserService {
  constructor(
    private readonly orm: KernelOrm,
    private readonly audit: AuditLog,
    private readonly writes: IdentityWrites,
  ) {}

  async list(query: ListUsersQuery): Promise<{ items: UserView[]; total: number }> {
    const em = this.orm.em.fork();
    const where: Record<string, unknown> = {};
    if (query.type) where.type = query.type;
    if (query.q) {
      const like = `%${query.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      where.$or = [
        { login: { $ilike: like } },
        { firstName: { $ilike: like } },
        { lastName: { $ilike: like } },
        { email: { $ilike: like } },
      ];
    }
    const [users, total] = await em.findAndCount(UserEntity, where, {
      orderBy: { login: 'asc' },
      limit: query.limit,
      offset: query.offset,
    });
    return { items: await loadUserViews(em, users), total };
  }

  async get(id: number, em: EntityManager = this.orm.em.fork()): Promise<UserView> {
    const user = await em.findOne(UserEntity, { id });
    if (!user) throw new NotFoundError(`No user with id ${id}.`);
    const [view] = await loadUserViews(em, [user]);
    return view!;
  }

  async create(input: CreateUserInput): Promise<UserView> {
    const passwordHash = await hashPassword(input.password);
    const created = () =>
      this.writes.transaction(async (em) => {
        await this.assertLoginFree(em, input.login);
        const user = em.create(UserEntity, {
          login: input.login,
          type: input.type,
          firstName: input.firstName,
          lastName: input.lastName,
          email: input.email,
          passwordHash,
          locale: input.locale,
          active: true,
        });
        await em.flush();
        await this.audit.record(
          {
            action: 'user.created',
            targetType: 'user',
            targetId: user.id,
            details: { login: user.login, type: user.type },
          },
          em,
        );
        return this.get(user.id, em);
      });
    return conflictOnDuplicate(created, `The login "${input.login}" is taken.`, {
      path: 'login',
      message: 'is already taken',
      code: 'taken',
    });
  }

  /** `actorId` is the admin making the change: an admin may not deactivate their own account. */
  async update(id: number, input: UpdateUserInput, actorId: number | undefined): Promise<UserView> {
    const passwordHash = input.password ? await hashPassword(input.password) : undefined;
    return this.writes.transaction(async (em) => {
      const user = await em.findOne(UserEntity, { id });
      if (!user) throw new NotFoundError(`No user with id ${id}.`);
      if (input.active === false && id === actorId) {
        throw new ConflictError('You cannot deactivate your own account.', [
          { path: 'active', message: 'cannot deactivate yourself', code: 'self_deactivation' },
        ]);
      }
      const changed: string[] = [];
      for (const field of ['firstName', 'lastName', 'email', 'locale', 'active'] as const) {
        const value = input[field];
        if (value !== undefined && value !== user[field]) {
          (user as Record<string, unknown>)[field] = value;
          changed.push(field);
        }
      }
      if (passwordHash) {
        user.passwordHash = passwordHash;
        changed.push('password');
      }
      const endSessions = passwordHash !== undefined || input.active === false;
      if (endSessions) await em.nativeDelete(SessionEntity, { userId: id });
      await em.flush();
      if (changed.length) {
        await this.audit.record(
          {
            action: passwordHash
              ? 'user.password_reset'
              : input.active === false
                ? 'user.deactivated'
                : 'user.updated',
            targetType: 'user',
            targetId: id,
            details: { login: user.login, changed },
          },
          em,
        );
      }
      return this.get(id, em);
    });
  }

  /** Changes the caller's own preferences (not an admin change, so no admin rights needed). */
  async updatePreferences(id: number, prefs: { locale: UserView['locale'] }): Promise<UserView> {
    // The locale is part of the cached user view (the UI's language, plugins' context), so this is a write too,
    // but of this user's entries only: any user may make it, as often as they like.
    return this.writes.transaction(
      async (em) => {
        const user = await em.findOne(UserEntity, { id });
        if (!user) throw new NotFoundError(`No user with id ${id}.`);
        user.locale = prefs.locale;
        await em.flush();
        return this.get(id, em);
      },
      { kind: 'user', id },
    );
  }

  private async assertLoginFree(em: EntityManager, login: string): Promise<void> {
    const rows = await em.execute<{ id: number }[]>(
      'select id from kernel.users where lower(login) = lower(?)',
      [login],
    );
    if (rows.length > 0) {
      throw new ConflictError(`The login "${login}" is taken.`, [
        { path: 'login', message: 'is already taken', code: 'taken' },
      ]);
    }
  }
}
