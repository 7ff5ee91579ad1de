import { describe, expect, it } from 'vitest';
import { mulberry32 } from './prng.js';
import { DEMO_BATCH, DEMO_MARKER, demoStatements } from './seed.js';
import { buildDemoWorld, DEMO_TICKET_COUNT, type DemoDirectory } from './world.js';

const DAY = 86_400;
const DOMAINS = ['acme.example', 'globex.example', 'initech.example', 'umbrella.example'];
const directory: DemoDirectory = {
  groups: { admin: 1, support: 2, billing: 3, engineering: 4 },
  agents: { alice: 10, bernd: 11, chloe: 12, dmitri: 13, emil: 14 },
  customers: Object.fromEntries(
    DOMAINS.flatMap((d, i) => ['a', 'b', 'c'].map((l, j) => [`${l}${i}@${d}`, 100 + 3 * i + j])),
  ),
};

describe('mulberry32', () => {
  it('repeats its sequence for a seed and differs between seeds', () => {
    const a = mulberry32(42);
    const b = mulberry32(42);
    const first = Array.from({ length: 5 }, a);
    expect(Array.from({ length: 5 }, b)).toEqual(first);
    expect(Array.from({ length: 5 }, mulberry32(43))).not.toEqual(first);
    expect(first.every((n) => n >= 0 && n < 1)).toBe(true);
  });
});

describe('buildDemoWorld', () => {
  const world = buildDemoWorld(directory);

  it('is the same world every time', () => {
    expect(buildDemoWorld(directory)).toEqual(world);
  });

  it('has the five queues on their groups, and every customer in a company, half with company access', () => {
    expect(world.queues.map((q) => [q.name, q.groupId])).toEqual([
      ['Support', 2],
      ['Billing', 3],
      ['Engineering', 4],
      ['Sales', 2],
      ['Raw', 1],
    ]);
    expect(world.companies).toHaveLength(4);
    expect(world.customerUsers).toHaveLength(12);
    const names = new Set(world.companies.map((c) => c.name));
    expect(world.customerUsers.every((c) => names.has(c.company))).toBe(true);
    expect(world.customerUsers.filter((c) => c.companyAccess)).toHaveLength(6);
  });

  it('mixes the states as designed', () => {
    const share = (state: string) =>
      world.tickets.filter((t) => t.state === state).length / DEMO_TICKET_COUNT;
    expect(world.tickets).toHaveLength(DEMO_TICKET_COUNT);
    expect(share('closed successful')).toBeCloseTo(0.45, 1);
    expect(share('open')).toBeCloseTo(0.2, 1);
    expect(share('new')).toBeCloseTo(0.15, 1);
    expect(share('pending reminder')).toBeCloseTo(0.1, 1);
    expect(share('closed unsuccessful') + share('pending auto close')).toBeCloseTo(0.1, 1);
  });

  it('fills every queue, and leaves only new tickets unsorted in Raw', () => {
    const queues = new Set(world.tickets.map((t) => t.queue));
    expect([...queues].sort()).toEqual(['Billing', 'Engineering', 'Raw', 'Sales', 'Support']);
    expect(world.tickets.filter((t) => t.queue === 'Raw').every((t) => t.state === 'new')).toBe(true);
    expect(world.tickets.filter((t) => t.ownerId !== null).every((t) => t.state !== 'new')).toBe(true);
  });

  it('spreads the tickets over the last 90 days, oldest first, with their events in order', () => {
    const created = world.tickets.map((t) => t.createdAgo);
    expect(Math.max(...created)).toBeLessThan(90 * DAY);
    expect(Math.max(...created) - Math.min(...created)).toBeGreaterThan(80 * DAY);
    expect([...created].sort((a, b) => b - a)).toEqual(created);
    for (const t of world.tickets) {
      expect(t.changedAgo).toBeGreaterThan(0);
      expect(t.changedAgo).toBeLessThanOrEqual(t.createdAgo);
      for (const e of [...t.articles, ...t.history]) {
        expect(e.ago).toBeLessThanOrEqual(t.createdAgo);
        expect(e.ago).toBeGreaterThanOrEqual(t.changedAgo);
      }
      expect(t.history[0]).toMatchObject({ action: 'created', newValue: 'new', ago: t.createdAgo });
      expect(t.pendingIn !== null).toBe(t.state.startsWith('pending'));
    }
  });

  it('gives each ticket 1 to 6 articles, the first the customer’s, and about 15 % internal notes', () => {
    const articles = world.tickets.flatMap((t) => t.articles);
    for (const t of world.tickets) {
      expect(t.articles.length).toBeGreaterThanOrEqual(1);
      expect(t.articles.length).toBeLessThanOrEqual(6);
      expect(t.articles[0]).toMatchObject({ senderType: 'customer', internal: false, subject: t.title });
      expect(t.articles.every((a) => a.body.length > 0 && !a.body.includes('{'))).toBe(true);
    }
    const internal = articles.filter((a) => a.internal).length / articles.length;
    expect(internal).toBeGreaterThan(0.12);
    expect(internal).toBeLessThan(0.18);
    expect(articles.filter((a) => a.internal).every((a) => a.senderType !== 'customer')).toBe(true);
  });

  it('uses both languages', () => {
    const titles = world.tickets.map((t) => t.title);
    expect(titles.some((t) => /Rechnung|Drucker|Angebot|Anfrage/.test(t))).toBe(true);
    expect(titles.some((t) => /Invoice|Printer|Quote|question/.test(t))).toBe(true);
  });

  it('names the groups the payload lacks', () => {
    expect(() => buildDemoWorld({ ...directory, groups: { support: 2 } })).toThrow(
      /lacks the groups billing, engineering, admin/,
    );
  });
});

describe('demoStatements', () => {
  it('claims the marker first and stays within the transaction limits', () => {
    const statements = demoStatements(buildDemoWorld(directory));
    expect(statements[0]).toMatchObject({ expect: 'one', params: [DEMO_MARKER, expect.any(String)] });
    expect(statements.length).toBe(4 + DEMO_TICKET_COUNT / DEMO_BATCH);
    expect(statements.length).toBeLessThanOrEqual(32);
    expect(statements.every((s) => (s.params?.length ?? 0) <= 3)).toBe(true);
  });
});
