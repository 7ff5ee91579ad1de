/**
 * The ticket list (`GET /tickets`) and its CSV export as single statements over `ticket_scope`: filters, sort,
 * page and the capped total in one round trip, search ranked and highlighted. This module and what it imports
 * stay free of SDK imports: the benchmark's bare express server (`tests/bench/bare-tickets-server.ts`) runs
 * the very same statements, so the comparison measures the platform, not two different queries (types may come
 * from the API contract: type imports vanish at run time).
 * @module
 */
import type { TicketSort } from '../../api/tickets-schemas.js';
import { type TicketFilter, type TicketSource, ticketSource } from './filters.js';
import { headlineColumns } from './headline.js';
import { Params, type Statement } from './params.js';
import { SUMMARY_COLUMNS, SUMMARY_JOINS, type TicketSummaryRow } from './summary.js';

export type { TicketSort } from '../../api/tickets-schemas.js';
export type { TicketFilter } from './filters.js';
export type { Statement } from './params.js';
export type { TicketSummaryRow } from './summary.js';

/** Counting stops here: beyond it the total is "more than 10 000", which costs no more than 10 000 rows. */
export const TOTAL_CAP = 10_000;
/** The most rows an export holds. */
export const EXPORT_CAP = 10_000;

/** A page of a list. */
export interface TicketListRequest extends TicketFilter {
  sort: TicketSort;
  page: number;
  perPage: number;
}

/** A row of {@link buildTicketList}: the page's tickets, each carrying the total (one row of nulls when empty). */
export interface TicketListRow extends TicketSummaryRow {
  total: number;
  rank?: number;
  titleHighlight?: string | null;
  articleHighlight?: string | null;
}

/**
 * Each order twice: over the scope rows (`inner`, where the indexes serve it) and over the page's named columns
 * (`outer`, after the joins). Every order ends in the id, so pages never overlap.
 */
const ORDERS: Record<TicketSort, { inner: string; outer: string }> = {
  relevance: {
    inner: 'rank desc, t.changed_at desc, t.id desc',
    outer: 'p.rank desc, p."changedAt" desc, p.id desc',
  },
  '-changed': { inner: 't.changed_at desc, t.id desc', outer: 'p."changedAt" desc, p.id desc' },
  changed: { inner: 't.changed_at, t.id', outer: 'p."changedAt", p.id' },
  '-created': { inner: 't.created_at desc, t.id desc', outer: 'p."createdAt" desc, p.id desc' },
  created: { inner: 't.created_at, t.id', outer: 'p."createdAt", p.id' },
  '-priority': {
    inner: 't.priority_id desc, t.changed_at desc, t.id desc',
    outer: 'p."priorityId" desc, p."changedAt" desc, p.id desc',
  },
  priority: {
    inner: 't.priority_id, t.changed_at desc, t.id desc',
    outer: 'p."priorityId", p."changedAt" desc, p.id desc',
  },
  tn: { inner: 't.tn, t.id', outer: 'p.tn, p.id' },
  '-tn': { inner: 't.tn desc, t.id desc', outer: 'p.tn desc, p.id desc' },
  title: { inner: 't.title, t.id', outer: 'p.title, p.id' },
  '-title': { inner: 't.title desc, t.id desc', outer: 'p.title desc, p.id desc' },
};

/**
 * The order a request asks for, or the API's default: relevance for a search, the newest change first otherwise.
 * @param query - the list's `q` and `sort`
 */
export function sortOf(query: { q?: string | undefined; sort?: TicketSort | undefined }): TicketSort {
  return query.sort ?? (query.q ? 'relevance' : '-changed');
}

/** `relevance` without search words means the default order. */
function effectiveSort(request: { sort: TicketSort; q?: string | undefined }): TicketSort {
  return request.sort === 'relevance' && !request.q ? '-changed' : request.sort;
}

/** The statement's WITH clause, when the source has common table expressions. */
function withClause(source: TicketSource): string {
  return source.with ? `with ${source.with}\n` : '';
}

/**
 * The page of the rows matching `request`, with the total over at most {@link TOTAL_CAP} + 1 of them, in one
 * statement: the count and the page share the WHERE clause and its parameters. With search words, each row also
 * has its `rank` and its highlights.
 */
export function buildTicketList(request: TicketListRequest): Statement {
  const params = new Params();
  const source = ticketSource(request, params);
  const order = ORDERS[effectiveSort(request)];
  const limit = params.add(request.perPage, 'int');
  const offset = params.add((request.page - 1) * request.perPage, 'int');
  const highlights = request.q ? headlineColumns(params.add(request.q, 'text'), params) : '';
  const sql = `${withClause(source)}select c.total, p.*
  from (select count(*)::int as total
          from (select 1 from ${source.from} where ${source.where} limit ${TOTAL_CAP + 1}) x) c
  left join lateral (
    select ${SUMMARY_COLUMNS}${source.rank ? ', t.rank' : ''}${highlights}
      from (select t.*${source.rank ? `, ${source.rank} as rank` : ''}
              from ${source.from}
             where ${source.where}
             order by ${order.inner}
             limit ${limit} offset ${offset}) t
      ${SUMMARY_JOINS}
  ) p on true
  order by ${order.outer}`;
  return { sql, params: params.values };
}

/** The rows of an export: the list's filters and order, at most {@link EXPORT_CAP} rows, no count. */
export function buildTicketExport(request: TicketFilter & { sort: TicketSort }): Statement {
  const params = new Params();
  const source = ticketSource(request, params);
  const order = ORDERS[effectiveSort(request)];
  const sql = `${withClause(source)}select p.* from (
    select ${SUMMARY_COLUMNS}${source.rank ? ', t.rank' : ''}
      from (select t.*${source.rank ? `, ${source.rank} as rank` : ''}
              from ${source.from}
             where ${source.where}
             order by ${order.inner}
             limit ${EXPORT_CAP}) t
      ${SUMMARY_JOINS}) p
  order by ${order.outer}`;
  return { sql, params: params.values };
}

/** Every shape the builders make, for test/sql-lint.test.ts: no filter, every filter, search with highlights. */
const EVERY_FILTER: TicketListRequest = {
  queue: [1],
  state: [1],
  stateType: ['open'],
  priority: [3],
  type: [1],
  owner: ['me', 2],
  customerUser: [3],
  customerCompany: [4],
  createdFrom: '2024-01-01T00:00:00Z',
  createdTo: '2025-01-01T00:00:00Z',
  q: 'printer',
  sort: 'relevance',
  page: 2,
  perPage: 25,
};
export const LINT_SAMPLES = [
  buildTicketList({ sort: '-changed', page: 1, perPage: 25 }).sql,
  buildTicketList(EVERY_FILTER).sql,
  buildTicketExport({ sort: 'title' }).sql,
  buildTicketExport(EVERY_FILTER).sql,
];
