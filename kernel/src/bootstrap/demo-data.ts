/**
 * Sample groups, agents and customers for trying GoatFlow out (GOATFLOW_DEMO_DATA=true). Seeded once: a marker in
 * sysconfig keeps a restart from seeding again or resurrecting what an admin deleted.
 * @module
 */

import { GroupEntity, GroupMembershipEntity, SysconfigEntity, UserEntity } from '../db/entities/index.js';
import type { KernelOrm } from '../db/orm.js';
import { hashPassword } from '../identity/passwords.js';

const MARKER = 'kernel.demo_data.seeded';
/** Every demo account signs in with this password; the operator guide says so. */
export const DEMO_PASSWORD = 'demo-password';

const GROUPS = [
  { name: 'support', comment: 'First-level support' },
  { name: 'billing', comment: 'Invoices and payments' },
  { name: 'engineering', comment: 'Second-level technical support' },
];

const AGENTS = [
  {
    login: 'alice',
    firstName: 'Alice',
    lastName: 'Lindqvist',
    locale: 'en',
    groups: { support: ['ro', 'rw'], billing: ['ro'] },
  },
  {
    login: 'bernd',
    firstName: 'Bernd',
    lastName: 'Schäfer',
    locale: 'de',
    groups: { support: ['ro', 'rw'], engineering: ['ro', 'rw'] },
  },
  { login: 'chloe', firstName: 'Chloé', lastName: 'Martin', locale: 'en', groups: { billing: ['ro', 'rw'] } },
  { login: 'dmitri', firstName: 'Dmitri', lastName: 'Volkov', locale: 'en', groups: { engineering: ['ro'] } },
] as const;

const CUSTOMERS = [
  { login: 'erin@acme.example', firstName: 'Erin', lastName: 'Okafor', locale: 'en' },
  { login: 'felix@acme.example', firstName: 'Felix', lastName: 'Braun', locale: 'de' },
  { login: 'grace@globex.example', firstName: 'Grace', lastName: 'Hopper', locale: 'en' },
  { login: 'hiro@initech.example', firstName: 'Hiro', lastName: 'Tanaka', locale: 'en' },
] as const;

export async function seedDemoData(orm: KernelOrm): Promise<boolean> {
  const em = orm.em.fork();
  if (await em.findOne(SysconfigEntity, { key: MARKER })) return false;
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  await em.transactional(async (tx) => {
    const groups = new Map<string, number>();
    for (const g of GROUPS) {
      const existing = await tx.findOne(GroupEntity, { name: g.name });
      const group = existing ?? tx.create(GroupEntity, { ...g, active: true });
      await tx.flush();
      groups.set(g.name, group.id);
    }
    const add = async (
      login: string,
      type: 'agent' | 'customer',
      first: string,
      last: string,
      locale: string,
    ) => {
      if (await tx.findOne(UserEntity, { login })) return undefined;
      const email = login.includes('@') ? login : `${login}@goatflow.example`;
      const user = tx.create(UserEntity, {
        login,
        type,
        firstName: first,
        lastName: last,
        email,
        passwordHash,
        locale: locale as 'en' | 'de',
        active: true,
      });
      await tx.flush();
      return user;
    };
    for (const a of AGENTS) {
      const user = await add(a.login, 'agent', a.firstName, a.lastName, a.locale);
      if (!user) continue;
      for (const [group, keys] of Object.entries(a.groups)) {
        for (const key of keys) {
          tx.create(GroupMembershipEntity, {
            groupId: groups.get(group)!,
            userId: user.id,
            permissionKey: key,
          });
        }
      }
    }
    for (const c of CUSTOMERS) await add(c.login, 'customer', c.firstName, c.lastName, c.locale);
    tx.create(SysconfigEntity, { key: MARKER, value: { at: new Date().toISOString() } });
  });
  return true;
}
