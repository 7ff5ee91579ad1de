/**
 * Turns `ts_headline` output, marked with control characters by `src/sql/tickets/headline.ts`, into the API's
 * highlights: `{field, fragments: [{text, match}]}`. The UI renders fragments as text, so a ticket's content is
 * never parsed as HTML; a field where nothing matched is left out.
 * @module
 */
import type { Highlight } from '../api/tickets-schemas.js';
import { FRAGMENT_BREAK, START_MATCH, STOP_MATCH } from '../sql/tickets/headline.js';

/** Between two excerpts of one text: what the UI shows as the gap. */
export const ELLIPSIS = ' … ';

/**
 * The fragments of one marked text, adjacent pieces of the same kind merged; `undefined` when nothing in it
 * matched (`ts_headline` answers the start of the text then).
 * @param marked - `ts_headline` output, or null when the field was not searched
 */
export function fragmentsOf(marked: string | null | undefined): Highlight['fragments'] | undefined {
  if (!marked) return undefined;
  const fragments: Highlight['fragments'] = [];
  const push = (text: string, match: boolean) => {
    if (!text) return;
    const last = fragments[fragments.length - 1];
    if (last && last.match === match) last.text += text;
    else fragments.push({ text, match });
  };
  let inMatch = false;
  let text = '';
  for (const ch of marked) {
    if (ch === START_MATCH || ch === STOP_MATCH) {
      push(text, inMatch);
      text = '';
      inMatch = ch === START_MATCH;
    } else text += ch === FRAGMENT_BREAK ? ELLIPSIS : ch;
  }
  push(text, inMatch);
  return fragments.some((f) => f.match) ? fragments : undefined;
}

/**
 * The highlights of a list row: the title, then the best matching article, each only where the search matched.
 * @param row - the marked texts of a row of `buildTicketList`
 */
export function highlightsOf(row: {
  titleHighlight?: string | null | undefined;
  articleHighlight?: string | null | undefined;
}): Highlight[] {
  const out: Highlight[] = [];
  const title = fragmentsOf(row.titleHighlight);
  if (title) out.push({ field: 'title', fragments: title });
  const article = fragmentsOf(row.articleHighlight);
  if (article) out.push({ field: 'article', fragments: article });
  return out;
}
