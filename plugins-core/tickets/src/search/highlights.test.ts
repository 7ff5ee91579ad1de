import { describe, expect, it } from 'vitest';
import { FRAGMENT_BREAK as B, STOP_MATCH as E, START_MATCH as S } from '../sql/tickets/headline.js';
import { ELLIPSIS, fragmentsOf, highlightsOf } from './highlights.js';

describe('fragmentsOf', () => {
  it('splits marked text into matched and unmatched fragments, in order', () => {
    expect(fragmentsOf(`the ${S}printer${E} ate my ${S}invoice${E}`)).toEqual([
      { text: 'the ', match: false },
      { text: 'printer', match: true },
      { text: ' ate my ', match: false },
      { text: 'invoice', match: true },
    ]);
  });

  it('merges adjacent matches and turns excerpt breaks into an ellipsis', () => {
    expect(fragmentsOf(`${S}a${E}${S}b${E} x${B}y ${S}c${E}`)).toEqual([
      { text: 'ab', match: true },
      { text: ` x${ELLIPSIS}y `, match: false },
      { text: 'c', match: true },
    ]);
  });

  it('answers nothing when no word matched or there is no text', () => {
    expect(fragmentsOf('the start of a long body')).toBeUndefined();
    expect(fragmentsOf('')).toBeUndefined();
    expect(fragmentsOf(null)).toBeUndefined();
  });

  it('keeps markup as text: nothing is interpreted', () => {
    expect(fragmentsOf(`<b>${S}x${E}</b>`)).toEqual([
      { text: '<b>', match: false },
      { text: 'x', match: true },
      { text: '</b>', match: false },
    ]);
  });
});

describe('highlightsOf', () => {
  it('lists the title, then the article, only where they matched', () => {
    expect(highlightsOf({ titleHighlight: 'no match', articleHighlight: `${S}hit${E}` })).toEqual([
      { field: 'article', fragments: [{ text: 'hit', match: true }] },
    ]);
    expect(highlightsOf({ titleHighlight: `${S}t${E}`, articleHighlight: null }).map((h) => h.field)).toEqual(
      ['title'],
    );
    expect(highlightsOf({})).toEqual([]);
  });
});
