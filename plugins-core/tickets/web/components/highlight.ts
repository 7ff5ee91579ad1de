/**
 * Search highlights as the API sends them, `{field, fragments: [{text, match}]}`, rendered as text with `<mark>`
 * around the matches: Lit escapes every fragment, so nothing a ticket contains is ever parsed as HTML.
 * @module
 */
import { html, nothing } from 'lit';
import type { Highlight } from '../lib/types.js';

/**
 * The fragments of one highlight, matches marked.
 * @param highlight - one field's fragments
 */
export function renderFragments(highlight: Highlight) {
  return highlight.fragments.map((fragment) =>
    fragment.match ? html`<mark>${fragment.text}</mark>` : html`${fragment.text}`,
  );
}

/**
 * The highlights of a ticket other than its title (the title is shown marked in place): an excerpt per field,
 * under the title in the list.
 * @param highlights - the ticket's highlights, if the list was a search
 * @param label - names the excerpt for screen readers, e.g. "Matches"
 */
export function renderExcerpts(highlights: readonly Highlight[] | undefined, label: string) {
  const excerpts = (highlights ?? []).filter((h) => h.field !== 'title' && h.fragments.length > 0);
  if (excerpts.length === 0) return nothing;
  return html`<p class="excerpt" data-testid="ticket-highlight" aria-label=${label}>
    ${excerpts.map((h) => html`<span>… ${renderFragments(h)} …</span>`)}
  </p>`;
}

/**
 * The ticket's title, with its matches marked when the search matched it.
 * @param title - the plain title
 * @param highlights - the ticket's highlights, if the list was a search
 */
export function renderTitle(title: string, highlights: readonly Highlight[] | undefined) {
  const marked = highlights?.find((h) => h.field === 'title' && h.fragments.some((f) => f.match));
  return marked ? renderFragments(marked) : title;
}
