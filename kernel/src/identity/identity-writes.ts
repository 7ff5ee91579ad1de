/**
 * The one way identity data is written: users, passwords, the admin flag (admin group membership), groups,
 * memberships and a user's sessions all change in a transaction run here, and afterwards every instance forgets
 * the principals it remembered, since any of these writes may change who a principal is or what they may do.
 * Forgetting everything is simple and safe because such writes are rare next to the requests they would serve.
 * @module
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import type { KernelOrm } from '../db/orm.js';
import type { PrincipalCache, PrincipalInvalidation } from './principal-cache.js';

export class IdentityWrites {
  constructor(
    private readonly orm: KernelOrm,
    private readonly principals: PrincipalCache,
  ) {}

  /**
   * Runs `work` in one transaction, then drops the cached principals here and on the other instances. They are
   * dropped even when it failed: a commit whose outcome is unknown may have landed, and an extra miss costs little.
   * Dropped after the commit, not before: a request in between would otherwise cache what was about to change.
   * @param forget - what to drop: every principal unless the write touches only one user's own view
   */
  async transaction<T>(
    work: (em: EntityManager) => Promise<T>,
    forget: PrincipalInvalidation = { kind: 'identity' },
  ): Promise<T> {
    try {
      return await this.orm.em.fork().transactional(work);
    } finally {
      await this.principals.invalidate(forget);
    }
  }
}
