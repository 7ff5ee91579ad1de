/**
 * Where the rows of a ticket list come from: every filter of `GET /tickets` (and of the CSV export) as SQL over a
 * row `t` of `ticket_scope`, which has already limited the rows to what the acting user may see. Lists are
 * parameters (`= any($n)`), so the statement text depends only on which filters are present: the guard's cached
 * verdicts and PostgreSQL's plans are reused.
 * @module
 */
import type { StateType } from '../../api/reference-schemas.js';
import type { Params } from './params.js';

/** The filters of a ticket list; an absent or empty list filters nothing. */
export interface TicketFilter {
  queue?: number[] | undefined;
  state?: number[] | undefined;
  stateType?: StateType[] | undefined;
  priority?: number[] | undefined;
  type?: number[] | undefined;
  /** Owner ids; `me` is the acting user. */
  owner?: (number | 'me')[] | undefined;
  customerUser?: number[] | undefined;
  customerCompany?: number[] | undefined;
  /** ISO 8601, inclusive. */
  createdFrom?: string | undefined;
  /** ISO 8601, exclusive. */
  createdTo?: string | undefined;
  /** Full-text search words (PostgreSQL `websearch_to_tsquery` syntax, `simple` configuration). */
  q?: string | undefined;
}

/** The search query of `q`, built once per statement from its parameter. */
export function tsQuery(placeholder: string): string {
  return `websearch_to_tsquery('simple', ${placeholder})`;
}

/** Where a list's rows come from and which of them it keeps, as {@link ticketSource} builds it. */
export interface TicketSource {
  /** The FROM items: `ticket_scope t`, and for a search the best match per ticket among its articles (`m`). */
  from: string;
  /** The conditions, joined by `and` (`true` when there are none). */
  where: string;
  /** With search words: the relevance of a row. */
  rank?: string;
}

/**
 * The rows of `filter`: the scope's tickets, the filters as conditions and, with search words, the articles
 * matched once for all tickets (a bitmap scan of their GIN index, grouped by ticket) rather than once per ticket.
 * Articles are read through `article_scope`, so a customer's search never reaches an internal note. A ticket
 * matches when its number or title does, or one of those articles; a match in the number or title weighs double.
 * @param filter - what the caller asked for
 * @param params - where the values go
 */
export function ticketSource(filter: TicketFilter, params: Params): TicketSource {
  const where: string[] = [];
  const anyOf = (column: string, values: unknown[] | undefined, type: string) => {
    if (values?.length) where.push(`${column} = any(${params.add(values, `${type}[]`)})`);
  };
  anyOf('t.queue_id', filter.queue, 'int');
  anyOf('t.state_id', filter.state, 'int');
  anyOf('t.state_type', filter.stateType, 'text');
  anyOf('t.priority_id', filter.priority, 'int');
  anyOf('t.type_id', filter.type, 'int');
  anyOf('t.customer_user_id', filter.customerUser, 'int');
  anyOf('t.customer_company_id', filter.customerCompany, 'int');
  if (filter.owner?.length) {
    const ids = filter.owner.filter((o): o is number => o !== 'me');
    const me = filter.owner.includes('me') ? ['t.owner_id = (select a.id from goatflow.acting_user a)'] : [];
    const some = ids.length ? [`t.owner_id = any(${params.add(ids, 'int[]')})`] : [];
    where.push(`(${[...some, ...me].join(' or ')})`);
  }
  if (filter.createdFrom) where.push(`t.created_at >= ${params.add(filter.createdFrom, 'timestamptz')}`);
  if (filter.createdTo) where.push(`t.created_at < ${params.add(filter.createdTo, 'timestamptz')}`);
  let from = 'ticket_scope t';
  let rank: string | undefined;
  if (filter.q) {
    const query = tsQuery(params.add(filter.q, 'text'));
    from += `
      left join lateral (select max(ts_rank(a.search, ${query})) as rank
                           from article_scope a
                          where a.ticket_id = t.id and a.search @@ ${query}) m on true`;
    // The candidates first, each from its own GIN index (a ticket's number and title, or one of its articles):
    // written as `t.search @@ … or m.ticket_id is not null` alone, the OR spans two relations and the planner
    // reads every ticket in scope to evaluate it.
    where.push(
      `t.id in (select s.id from ticket_scope s where s.search @@ ${query}
                union all select a.ticket_id from article_scope a where a.search @@ ${query})`,
    );
    rank = `2 * ts_rank(t.search, ${query}) + coalesce(m.rank, 0)`;
  }
  return { from, where: where.length ? where.join(' and ') : 'true', ...(rank ? { rank } : {}) };
}
