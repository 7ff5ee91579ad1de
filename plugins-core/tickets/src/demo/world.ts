/**
 * The demo world, computed without touching the database: queues, companies, which customer belongs where, and
 * 300 tickets with their articles and history. Everything is drawn from `mulberry32(42)`, so the content is the
 * same on every machine; only the kernel's ids (from the `kernel.demo_data.seeded` payload) and the moment of
 * seeding differ. Times are seconds before the seeding transaction's `now()`, which keeps a ticket's events in
 * order and the whole set within the last 90 days whenever it is written.
 * @module
 */
import { between, mulberry32, pick, type Random, weighted } from './prng.js';
import {
  AGENT_REPLIES,
  CUSTOMER_FOLLOW_UPS,
  type DemoLanguage,
  fill,
  INTERNAL_NOTES,
  PRODUCTS,
  REPLY_PREFIX,
  TOPICS,
} from './templates.js';

/** What the kernel's `kernel.demo_data.seeded` event tells: its demo groups, agents and customers by name. */
export interface DemoDirectory {
  groups: Record<string, number>;
  agents: Record<string, number>;
  customers: Record<string, number>;
}

export interface DemoQueue {
  name: string;
  groupId: number;
  comment: string;
  customerSelectable: boolean;
}

export interface DemoCompany {
  name: string;
  city: string;
  country: string;
  url: string;
}

export interface DemoCustomerUser {
  userId: number;
  company: string;
  companyAccess: boolean;
}

export interface DemoArticle {
  senderType: 'agent' | 'customer' | 'system';
  authorUserId: number | null;
  internal: boolean;
  subject: string;
  body: string;
  ago: number;
}

/** A history row; for `created` and `state` the values are state names, turned into ids when written. */
export interface DemoHistory {
  action: 'created' | 'state' | 'owner';
  oldValue: string | null;
  newValue: string | null;
  actorUserId: number | null;
  ago: number;
}

export interface DemoTicket {
  title: string;
  queue: string;
  state: string;
  /** A ticket type's name (seeded by 0001_reference.sql). */
  type: string;
  priorityId: number;
  ownerId: number | null;
  customerUserId: number;
  createdBy: number | null;
  changedBy: number | null;
  createdAgo: number;
  changedAgo: number;
  /** Seconds after `now()`, for pending states. */
  pendingIn: number | null;
  articles: DemoArticle[];
  history: DemoHistory[];
}

export interface DemoWorld {
  queues: DemoQueue[];
  companies: DemoCompany[];
  customerUsers: DemoCustomerUser[];
  /** Oldest first, so ticket numbers grow with creation time. */
  tickets: DemoTicket[];
}

export const DEMO_SEED = 42;
export const DEMO_TICKET_COUNT = 300;

const MINUTE = 60;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** The five demo queues and the kernel group each belongs to. */
export const DEMO_QUEUES = [
  {
    name: 'Support',
    types: ['Incident', 'Service request'],
    group: 'support',
    comment: 'First-level support',
    customerSelectable: true,
    share: 35,
    owners: ['alice', 'bernd'],
  },
  {
    name: 'Billing',
    types: ['Service request'],
    group: 'billing',
    comment: 'Invoices and payments',
    customerSelectable: true,
    share: 20,
    owners: ['chloe'],
  },
  {
    name: 'Engineering',
    types: ['Problem', 'Incident'],
    group: 'engineering',
    comment: 'Second-level technical support',
    customerSelectable: false,
    share: 20,
    owners: ['bernd'],
  },
  {
    name: 'Sales',
    types: ['Service request'],
    group: 'support',
    comment: 'Quotes and upgrades',
    customerSelectable: true,
    share: 15,
    owners: ['alice', 'bernd'],
  },
  {
    name: 'Raw',
    types: ['Unclassified'],
    group: 'admin',
    comment: 'Incoming mail nobody has sorted yet',
    customerSelectable: false,
    // Only new tickets land here (RAW_SHARE_OF_NEW): nobody in the demo works this queue.
    share: 0,
    owners: [],
  },
] as const;

/** The share of new tickets that wait, unsorted, in Raw. */
const RAW_SHARE_OF_NEW = 0.4;

/** The groups the demo queues need in the event's payload. */
export const DEMO_GROUPS = [...new Set(DEMO_QUEUES.map((q) => q.group))];

/** Companies for the customers' mail domains; a domain not listed here is named after its first label. */
const KNOWN_COMPANIES: Record<string, Omit<DemoCompany, 'url'>> = {
  'acme.example': { name: 'Acme Corporation', city: 'Springfield', country: 'US' },
  'globex.example': { name: 'Globex', city: 'Cypress Creek', country: 'US' },
  'initech.example': { name: 'Initech', city: 'Austin', country: 'US' },
  'umbrella.example': { name: 'Umbrella GmbH', city: 'Köln', country: 'DE' },
};

/** The final states in their shares of all tickets (section 5 of the design: 45/20/15/10/10). */
const STATE_MIX: [string, number][] = [
  ['closed successful', 45],
  ['open', 20],
  ['new', 15],
  ['pending reminder', 10],
  ['closed unsuccessful', 6],
  ['pending auto close', 4],
];

const PRIORITY_MIX: [number, number][] = [
  [1, 5],
  [2, 15],
  [3, 55],
  [4, 18],
  [5, 7],
];

/** How far back a ticket in a final state was opened: new tickets are recent, closed ones up to 90 days old. */
const CREATED_AGO: Record<string, [number, number]> = {
  new: [10 * MINUTE, 10 * DAY],
  open: [HOUR, 30 * DAY],
  'pending reminder': [DAY, 45 * DAY],
  'pending auto close': [DAY, 45 * DAY],
  'closed successful': [DAY, 89 * DAY],
  'closed unsuccessful': [DAY, 89 * DAY],
};

/**
 * A follow-up article is an internal note this often. The first article is always the customer's, and new
 * tickets get no notes, so this is above 15 % to make 15 % of all articles internal.
 */
const NOTE_SHARE = 0.21;

function companyOf(domain: string): DemoCompany {
  const known = KNOWN_COMPANIES[domain];
  const label = domain.split('.')[0]!;
  const fallback = { name: label.charAt(0).toUpperCase() + label.slice(1), city: 'Berlin', country: 'DE' };
  return { ...(known ?? fallback), url: `https://www.${domain}` };
}

/** "erin@acme.example" → "Erin"; "alice" → "Alice". */
function displayName(login: string): string {
  const local = login.split('@')[0]!;
  return local.charAt(0).toUpperCase() + local.slice(1);
}

function sortedEntries(record: Record<string, number>): [string, number][] {
  // Code-point order, not the locale's: the same world on every machine.
  return Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * Builds the demo world for the kernel's groups, agents and customers.
 * @throws Error naming the groups the payload lacks, or when it has no customers
 */
export function buildDemoWorld(directory: DemoDirectory, seed = DEMO_SEED): DemoWorld {
  const missing = DEMO_GROUPS.filter((g) => directory.groups[g] === undefined);
  if (missing.length > 0)
    throw new Error(`the demo payload lacks the groups ${missing.join(', ')}; the kernel seeds them first`);
  const customers = sortedEntries(directory.customers);
  if (customers.length === 0) throw new Error('the demo payload has no customers');
  const agents = sortedEntries(directory.agents);
  const random = mulberry32(seed);

  const queues: DemoQueue[] = DEMO_QUEUES.map((q) => ({
    name: q.name,
    groupId: directory.groups[q.group]!,
    comment: q.comment,
    customerSelectable: q.customerSelectable,
  }));
  const domains = [...new Set(customers.map(([login]) => login.split('@')[1] ?? 'example.com'))].sort();
  const companies = domains.map(companyOf);
  // Every other customer in login order sees their colleagues' tickets: half of them, in every company of two or more.
  const customerUsers = customers.map(([login, userId], i) => ({
    userId,
    company: companyOf(login.split('@')[1] ?? 'example.com').name,
    companyAccess: i % 2 === 0,
  }));

  const tickets = Array.from({ length: DEMO_TICKET_COUNT }, () => demoTicket(random, customers, agents));
  tickets.sort((a, b) => b.createdAgo - a.createdAgo);
  return { queues, companies, customerUsers, tickets };
}

function demoTicket(random: Random, customers: [string, number][], agents: [string, number][]): DemoTicket {
  const state = weighted(random, STATE_MIX);
  const queue = state === 'new' && random() < RAW_SHARE_OF_NEW ? DEMO_QUEUES[4] : weightedQueue(random);
  const lang: DemoLanguage = random() < 0.3 ? 'de' : 'en';
  const topic = pick(random, TOPICS[queue.name]![lang]);
  const [customerLogin, customerId] = pick(random, customers);
  // An agent who works the queue; any agent when the admin deleted those; the system when there is none at all.
  const owners = agents.filter(([login]) => (queue.owners as readonly string[]).includes(login));
  const candidates = owners.length > 0 ? owners : agents;
  const chosen = candidates.length > 0 ? pick(random, candidates) : undefined;
  const agent = chosen ? { login: chosen[0], id: chosen[1] } : null;
  const values = {
    customer: displayName(customerLogin),
    agent: agent ? displayName(agent.login) : 'GoatFlow',
    n: between(random, 2, 40),
    product: pick(random, PRODUCTS),
  };
  const title = fill(topic.title, values);

  const [minAgo, maxAgo] = CREATED_AGO[state]!;
  const createdAgo = between(random, minAgo, maxAgo);
  const settled = state.startsWith('closed') || state.startsWith('pending');
  // When the last thing happened: a settled ticket was handled within two weeks; others may be touched now.
  const lastAgo = settled
    ? Math.max(MINUTE, createdAgo - between(random, 10 * MINUTE, Math.min(createdAgo - MINUTE, 14 * DAY)))
    : between(random, MINUTE, createdAgo - MINUTE);
  const count =
    state === 'new' ? between(random, 1, 2) : between(random, state === 'closed unsuccessful' ? 1 : 2, 6);
  // Follow-up articles happen between creation and the last change, newest last.
  const times = Array.from({ length: count - 1 }, () =>
    between(random, settled ? lastAgo + 1 : lastAgo, createdAgo - 1),
  ).sort((a, b) => b - a);

  const articles: DemoArticle[] = [
    {
      senderType: 'customer',
      authorUserId: customerId,
      internal: false,
      subject: title,
      body: fill(topic.body, values),
      ago: createdAgo,
    },
  ];
  const history: DemoHistory[] = [
    { action: 'created', oldValue: null, newValue: 'new', actorUserId: customerId, ago: createdAgo },
  ];
  const reply = `${REPLY_PREFIX[lang]}${title}`.slice(0, 255);
  let current = 'new';
  times.forEach((ago, i) => {
    // New tickets have not been touched by an agent: their follow-ups are the customer's.
    const agentTurn = state !== 'new' && i % 2 === 0;
    if (state !== 'new' && random() < NOTE_SHARE) {
      articles.push({
        senderType: agent ? 'agent' : 'system',
        authorUserId: agent?.id ?? null,
        internal: true,
        subject: reply,
        body: fill(pick(random, INTERNAL_NOTES[lang]), values),
        ago,
      });
    } else if (agentTurn) {
      articles.push({
        senderType: agent ? 'agent' : 'system',
        authorUserId: agent?.id ?? null,
        internal: false,
        subject: reply,
        body: fill(pick(random, AGENT_REPLIES[lang]), values),
        ago,
      });
    } else {
      articles.push({
        senderType: 'customer',
        authorUserId: customerId,
        internal: false,
        subject: reply,
        body: fill(pick(random, CUSTOMER_FOLLOW_UPS[lang]), values),
        ago,
      });
    }
    if (i === 0 && state !== 'new') {
      // The agent's first touch opens the ticket and takes it.
      history.push({
        action: 'state',
        oldValue: 'new',
        newValue: 'open',
        actorUserId: agent?.id ?? null,
        ago,
      });
      current = 'open';
      if (agent)
        history.push({
          action: 'owner',
          oldValue: null,
          newValue: String(agent.id),
          actorUserId: agent.id,
          ago,
        });
    }
  });
  if (current !== state && state !== 'new') {
    history.push({
      action: 'state',
      oldValue: current,
      newValue: state,
      actorUserId: agent?.id ?? null,
      ago: lastAgo,
    });
  }
  const last = history.reduce((a, b) => (b.ago < a.ago ? b : a));
  const lastArticle = articles[articles.length - 1]!;
  const changedAgo = Math.min(last.ago, lastArticle.ago);
  const changedBy = lastArticle.ago < last.ago ? lastArticle.authorUserId : last.actorUserId;
  return {
    title,
    queue: queue.name,
    state,
    type: pick(random, queue.types),
    priorityId: weighted(random, PRIORITY_MIX),
    ownerId: history.some((h) => h.action === 'owner') ? (agent?.id ?? null) : null,
    customerUserId: customerId,
    createdBy: customerId,
    changedBy,
    createdAgo,
    changedAgo,
    pendingIn: state.startsWith('pending') ? between(random, DAY, 7 * DAY) : null,
    articles,
    history,
  };
}

function weightedQueue(random: Random): (typeof DEMO_QUEUES)[number] {
  const name = weighted(
    random,
    DEMO_QUEUES.map((q) => [q.name, q.share] as [string, number]),
  );
  return DEMO_QUEUES.find((q) => q.name === name)!;
}
