/**
 * Search highlights from PostgreSQL's `ts_headline`, marked with control characters instead of HTML: the text is
 * stripped of those characters first, so every marker in the answer is one PostgreSQL put there, and
 * `src/search/highlights.ts` turns the marked text into `{text, match}` fragments the UI renders as text.
 * @module
 */
import { tsQuery } from './filters.js';
import type { Params } from './params.js';

/** Starts a match. */
export const START_MATCH = '\u0001';
/** Ends a match. */
export const STOP_MATCH = '\u0002';
/** Separates two excerpts of a long text. */
export const FRAGMENT_BREAK = '\u0003';

const MARKERS = `${START_MATCH}${STOP_MATCH}${FRAGMENT_BREAK}`;
const TITLE_OPTIONS = `StartSel=${START_MATCH}, StopSel=${STOP_MATCH}, HighlightAll=true`;
const BODY_OPTIONS = `StartSel=${START_MATCH}, StopSel=${STOP_MATCH}, MaxFragments=3, FragmentDelimiter=${FRAGMENT_BREAK}, MaxWords=20, MinWords=6`;

/**
 * Select-list items for a page row `t`: `titleHighlight` over the title, and `articleHighlight` over the best
 * matching article the acting user may see (through `article_scope`, so never a customer's view of an internal
 * note). Computed in the outer query only, so only the page's rows pay for `ts_headline`.
 * @param q - the placeholder holding the search words
 */
export function headlineColumns(q: string, params: Params): string {
  const query = tsQuery(q);
  const markers = params.add(MARKERS, 'text');
  return `, ts_headline('simple', translate(t.title, ${markers}, ''), ${query}, ${params.add(TITLE_OPTIONS, 'text')}) as "titleHighlight",
    (select ts_headline('simple', translate(concat_ws(' ', a.subject, left(a.body, 100000)), ${markers}, ''), ${query},
                        ${params.add(BODY_OPTIONS, 'text')})
       from article_scope a where a.ticket_id = t.id and a.search @@ ${query}
      order by ts_rank(a.search, ${query}) desc, a.id limit 1) as "articleHighlight"`;
}
