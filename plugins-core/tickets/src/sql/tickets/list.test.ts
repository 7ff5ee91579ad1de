import { describe, expect, it } from 'vitest';
import { buildTicketExport, buildTicketList, EXPORT_CAP, TOTAL_CAP } from './list.js';

/** The `$n` a statement uses. */
function placeholders(sql: string): number[] {
  return [...new Set([...sql.matchAll(/\$(\d+)/g)].map((m) => Number(m[1])))].sort((a, b) => a - b);
}

describe('buildTicketList', () => {
  it('uses every parameter it adds, and no other', () => {
    for (const request of [
      { sort: '-changed' as const, page: 1, perPage: 25 },
      {
        sort: 'relevance' as const,
        page: 3,
        perPage: 10,
        q: 'printer',
        queue: [1, 2],
        owner: ['me' as const, 4],
        createdFrom: '2024-01-01T00:00:00Z',
      },
    ]) {
      const { sql, params } = buildTicketList(request);
      expect(placeholders(sql)).toEqual(params.map((_, i) => i + 1));
    }
  });

  it('without filters reads every visible ticket, newest change first, counting up to the cap', () => {
    const { sql, params } = buildTicketList({ sort: '-changed', page: 2, perPage: 25 });
    expect(sql).toContain('where true');
    expect(sql).toContain(`limit ${TOTAL_CAP + 1}`);
    expect(sql).toContain('order by t.changed_at desc, t.id desc');
    expect(sql).not.toContain('websearch_to_tsquery');
    expect(params).toEqual([25, 25]);
  });

  it('searches, ranks and highlights only with q; relevance without q falls back to the newest change', () => {
    const search = buildTicketList({ sort: 'relevance', page: 1, perPage: 25, q: 'printer' });
    expect(search.sql).toContain('article_scope');
    expect(search.sql).toContain('order by rank desc');
    expect(search.sql).toContain('"titleHighlight"');
    expect(search.params).toContain('printer');
    const none = buildTicketList({ sort: 'relevance', page: 1, perPage: 25 });
    expect(none.sql).toContain('order by t.changed_at desc, t.id desc');
    expect(none.sql).not.toContain('rank');
  });

  it('puts "me" among the owners as the acting user, not as a value', () => {
    const { sql, params } = buildTicketList({ sort: 'tn', page: 1, perPage: 25, owner: ['me'] });
    expect(sql).toContain('t.owner_id = (select a.id from goatflow.acting_user a)');
    expect(params).not.toContain('me');
  });
});

describe('buildTicketExport', () => {
  it('has the filters and order of the list, no count and the export cap', () => {
    const { sql, params } = buildTicketExport({ sort: '-title', stateType: ['open'] });
    expect(sql).toContain(`limit ${EXPORT_CAP}`);
    expect(sql).not.toContain('count(*)');
    expect(sql).toContain('t.title desc');
    expect(params).toEqual(['open']);
  });
});

describe('ticketSource through the builders', () => {
  it('compares one value with = (so an index can stop after the page) and several with = any', () => {
    const one = buildTicketList({ sort: '-changed', page: 1, perPage: 25, queue: [3], stateType: ['open'] });
    expect(one.sql).toContain('t.queue_id = $1::int');
    expect(one.sql).toContain('t.state_type = $2::text');
    expect(one.params.slice(0, 2)).toEqual([3, 'open']);
    const two = buildTicketList({ sort: '-changed', page: 1, perPage: 25, queue: [3, 4] });
    expect(two.sql).toContain('t.queue_id = any($1::int[])');
    expect(two.params[0]).toEqual([3, 4]);
  });

  it('matches articles once, in a CTE that serves the candidates and the rank', () => {
    const { sql } = buildTicketList({ sort: 'relevance', page: 1, perPage: 25, q: 'printer' });
    expect(sql.startsWith('with hits as (')).toBe(true);
    expect(sql.match(/from article_scope a where a\.search @@/g)).toHaveLength(1);
    // The candidates reach ticket_scope as an array: a restriction the planner pushes into the view's branches.
    expect(sql).toContain('t.id = any(array(select s.id from ticket_scope s where s.search @@');
    expect(sql).toContain('left join hits m on m.ticket_id = t.id');
  });
});
