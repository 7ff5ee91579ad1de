/**
 * Sample groups, agents and customers for trying GoatFlow out (GOATFLOW_DEMO_DATA=true). Seeded once: a marker in
 * sysconfig keeps a restart from seeding again or resurrecting what an admin deleted. Plugins seed their own demo
 * data on the event `kernel.demo_data.seeded`, published on every start (see {@link announceDemoData}).
 * @module
 */

import type { PermissionKey } from '@goatflow/sdk';
import { GroupEntity, GroupMembershipEntity, SysconfigEntity, UserEntity } from '../db/entities/index.js';
import type { KernelOrm } from '../db/orm.js';
import { ADMIN_GROUP } from '../identity/directory.js';
import { hashPassword } from '../identity/passwords.js';

const MARKER = 'kernel.demo_data.seeded';
/** Every demo account signs in with this password; the operator guide says so. */
export const DEMO_PASSWORD = 'demo-password';

const GROUPS = [
  { name: 'support', comment: 'First-level support' },
  { name: 'billing', comment: 'Invoices and payments' },
  { name: 'engineering', comment: 'Second-level technical support' },
];

/**
 * Mixed permission keys, so every rule of a plugin that reads them (e.g. the tickets plugin's queues) has someone
 * to show it: alice writes support and reads billing; chloe writes billing and may read and annotate support;
 * dmitri reads engineering and may open tickets there; emil may only move tickets into support.
 */
const AGENTS: readonly {
  login: string;
  firstName: string;
  lastName: string;
  locale: 'en' | 'de';
  groups: Record<string, PermissionKey[]>;
}[] = [
  {
    login: 'alice',
    firstName: 'Alice',
    lastName: 'Lindqvist',
    locale: 'en',
    groups: { support: ['rw'], billing: ['ro'] },
  },
  {
    login: 'bernd',
    firstName: 'Bernd',
    lastName: 'Schäfer',
    locale: 'de',
    groups: { support: ['ro', 'rw'], engineering: ['ro', 'rw'] },
  },
  {
    login: 'chloe',
    firstName: 'Chloé',
    lastName: 'Martin',
    locale: 'en',
    groups: { billing: ['rw'], support: ['ro', 'note'] },
  },
  {
    login: 'dmitri',
    firstName: 'Dmitri',
    lastName: 'Volkov',
    locale: 'en',
    groups: { engineering: ['ro', 'create'] },
  },
  { login: 'emil', firstName: 'Emil', lastName: 'Nyström', locale: 'de', groups: { support: ['move_into'] } },
];

/** Twelve customers, three in each of four companies' email domains. */
const CUSTOMERS: readonly { login: string; firstName: string; lastName: string; locale: 'en' | 'de' }[] = [
  { login: 'erin@acme.example', firstName: 'Erin', lastName: 'Okafor', locale: 'en' },
  { login: 'felix@acme.example', firstName: 'Felix', lastName: 'Braun', locale: 'de' },
  { login: 'ines@acme.example', firstName: 'Ines', lastName: 'Moreau', locale: 'en' },
  { login: 'grace@globex.example', firstName: 'Grace', lastName: 'Hopper', locale: 'en' },
  { login: 'jonas@globex.example', firstName: 'Jonas', lastName: 'Weber', locale: 'de' },
  { login: 'kate@globex.example', firstName: 'Kate', lastName: 'Nguyen', locale: 'en' },
  { login: 'hiro@initech.example', firstName: 'Hiro', lastName: 'Tanaka', locale: 'en' },
  { login: 'lena@initech.example', firstName: 'Lena', lastName: 'Fischer', locale: 'de' },
  { login: 'marco@initech.example', firstName: 'Marco', lastName: 'Rossi', locale: 'en' },
  { login: 'nadia@umbrella.example', firstName: 'Nadia', lastName: 'Haddad', locale: 'en' },
  { login: 'oskar@umbrella.example', firstName: 'Oskar', lastName: 'Lindgren', locale: 'de' },
  { login: 'paula@umbrella.example', firstName: 'Paula', lastName: 'Costa', locale: 'en' },
];

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
      locale: 'en' | 'de',
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
        locale,
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

/** The demo's rows by name, as they are now: what plugins seeding their own demo data refer to. */
export interface DemoDataSeeded {
  /** The demo groups and `admin`, by name. */
  groups: Record<string, number>;
  /** The demo agents, by login. */
  agents: Record<string, number>;
  /** The demo customers, by login. */
  customers: Record<string, number>;
}

/**
 * The ids of the demo groups, agents and customers that exist now (one an admin deleted is left out), for the
 * event `kernel.demo_data.seeded`.
 */
export async function demoDataIds(orm: KernelOrm): Promise<DemoDataSeeded> {
  const em = orm.em.fork();
  const groups = await em.find(GroupEntity, { name: { $in: [...GROUPS.map((g) => g.name), ADMIN_GROUP] } });
  const users = await em.find(UserEntity, {
    login: { $in: [...AGENTS.map((a) => a.login), ...CUSTOMERS.map((c) => c.login)] },
  });
  const byLogin = (type: 'agent' | 'customer') =>
    Object.fromEntries(users.filter((u) => u.type === type).map((u) => [u.login, u.id]));
  return {
    groups: Object.fromEntries(groups.map((g) => [g.name, g.id])),
    agents: byLogin('agent'),
    customers: byLogin('customer'),
  };
}

/** The kernel event plugins seed their demo data on; the same name as the seeding marker. */
export const DEMO_DATA_EVENT = MARKER;

/**
 * Publishes `kernel.demo_data.seeded` with {@link demoDataIds}. Called on every start with demo data, once the
 * plugins have started: deliveries are made only for subscribers enabled when it is published, so a plugin
 * enabled later gets it on the next start. Subscribers must therefore be idempotent.
 */
export async function announceDemoData(
  orm: KernelOrm,
  publish: (name: string, payload: DemoDataSeeded) => Promise<unknown>,
): Promise<void> {
  await publish(DEMO_DATA_EVENT, await demoDataIds(orm));
}
