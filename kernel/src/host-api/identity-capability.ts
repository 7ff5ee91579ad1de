/**
 * `identity.getUser`: read-only facts about a user for plugins granted `identity.read` — never the password
 * hash, never sessions.
 * @module
 */
import type { ApiUser } from '@goatflow/sdk';
import { UserEntity } from '../db/entities/index.js';
import type { KernelOrm } from '../db/orm.js';
import { loadUserViews } from '../identity/directory.js';

export class IdentityReader {
  constructor(private readonly orm: KernelOrm) {}

  async user(id: number): Promise<ApiUser | undefined> {
    const em = this.orm.em.fork();
    const user = await em.findOne(UserEntity, { id });
    if (!user) return undefined;
    const [view] = await loadUserViews(em, [user]);
    return view;
  }
}
