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
  /**
   * Common table expressions the FROM items read (without the `with` keyword): for a search, `hits`, the best
   * match per ticket among its articles, computed once for the whole statement.
   */
  with?: string;
  /** The FROM items: `ticket_scope t`, and for a search its article matches (`m`, from `hits`). */
  from: string;
  /** The conditions, joined by `and` (`true` when there are none). */
  where: string;
  /** With search words: the relevance of a row. */
  rank?: string;
}

/**
 * The rows of `filter`: the scope's tickets, the filters as conditions and, with search words, the tickets whose
 * number or title matches or one of whose articles does; a match in the number or title weighs double.
 *
 * The search is shaped for the planner. The article matches (`hits`: one bitmap scan of the articles' GIN index,
 * grouped by ticket, read through `article_scope` so a customer never reaches an internal note) are computed
 * once and serve both the candidates and the rank. The candidates reach `ticket_scope` as an array
 * (`t.id = any(array(…))`): a restriction PostgreSQL pushes into each branch of the view's UNION ALL, where it
 * becomes an index condition on the primary key. As a join or `in (…)` it is a join clause, which PostgreSQL
 * cannot push into a UNION ALL of joins, so it hashed every ticket in scope (1.5 s at 1 000 000 tickets).
 * One value of a list filter is compared with `=`: `= any(…)` on a leading index column keeps the index from
 * returning rows in order, so the page could not stop early.
 * @param filter - what the caller asked for
 * @param params - where the values go
 */
export function ticketSource(filter: TicketFilter, params: Params): TicketSource {
  const where: string[] = [];
  const anyOf = (column: string, values: unknown[] | undefined, type: string) => {
    if (!values?.length) return;
    where.push(
      values.length === 1
        ? `${column} = ${params.add(values[0], type)}`
        : `${column} = any(${params.add(values, `${type}[]`)})`,
    );
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
  const conditions = () => (where.length ? where.join(' and ') : 'true');
  if (!filter.q) return { from: 'ticket_scope t', where: conditions() };
  const query = tsQuery(params.add(filter.q, 'text'));
  where.push(
    `t.id = any(array(select s.id from ticket_scope s where s.search @@ ${query}
                      union select h.ticket_id from hits h))`,
  );
  return {
    with: `hits as (select a.ticket_id, max(ts_rank(a.search, ${query})) as rank
                      from article_scope a where a.search @@ ${query}
                     group by a.ticket_id)`,
    from: 'ticket_scope t left join hits m on m.ticket_id = t.id',
    where: conditions(),
    rank: `2 * ts_rank(t.search, ${query}) + coalesce(m.rank, 0)`,
  };
}
