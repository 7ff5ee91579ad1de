import { describe, expect, it } from 'vitest';
import {
  apiQuery,
  emptyFilters,
  filtersFromQuery,
  MAX_PAGE,
  queryFromFilters,
  sameRequest,
} from '../../web/lib/list-query.js';

const q = (search: string) => new URLSearchParams(search);

describe('filtersFromQuery', () => {
  it('reads every filter, lists repeated or comma-separated, as the API does', () => {
    const filters = filtersFromQuery(
      q(
        'queue=3,4&queue=5&state=2&stateType=open,pending_reminder&priority=4&type=1&owner=me,7' +
          '&customerUser=11&customerCompany=2&createdFrom=2024-05-01&createdTo=2024-05-31&q=printer%20jam' +
          '&sort=-priority&page=3&perPage=50',
      ),
    );
    expect(filters).toEqual({
      queue: [3, 4, 5],
      state: [2],
      stateType: ['open', 'pending_reminder'],
      priority: [4],
      type: [1],
      owner: ['me', 7],
      customerUser: [11],
      customerCompany: [2],
      createdFrom: '2024-05-01',
      createdTo: '2024-05-31',
      q: 'printer jam',
      sort: '-priority',
      page: 3,
      perPage: 50,
    });
  });

  it('drops what does not fit instead of sending it, so an old or edited link still shows a list', () => {
    const filters = filtersFromQuery(
      q(
        'queue=x,0,-1,3,3&stateType=bogus,closed&owner=you&createdFrom=2024-13-45&createdTo=May' +
          '&q=a&sort=relevance&page=0&perPage=1000&unknown=1',
      ),
    );
    expect(filters).toEqual({ ...emptyFilters(), queue: [3], stateType: ['closed'] });
    expect(filtersFromQuery(q(`page=${MAX_PAGE + 1}`)).page).toBe(1);
  });

  it('ranks a search by relevance unless the URL names another order', () => {
    expect(filtersFromQuery(q('q=printer')).sort).toBe('relevance');
    expect(filtersFromQuery(q('q=printer&sort=-created')).sort).toBe('-created');
    expect(filtersFromQuery(q('')).sort).toBe('-changed');
  });
});

describe('queryFromFilters', () => {
  it('leaves out what is empty or the default, and round-trips', () => {
    expect(queryFromFilters(emptyFilters()).toString()).toBe('');
    const filters = {
      ...emptyFilters(),
      queue: [3, 4],
      owner: ['me' as const],
      q: 'jam',
      sort: 'relevance' as const,
      page: 2,
    };
    const query = queryFromFilters(filters);
    expect(query.toString()).toBe('queue=3%2C4&owner=me&q=jam&page=2');
    expect(filtersFromQuery(query)).toEqual(filters);
  });

  it('keeps an order that differs from the default of a search', () => {
    expect(queryFromFilters({ ...emptyFilters(), q: 'jam', sort: '-changed' }).get('sort')).toBe('-changed');
    expect(queryFromFilters({ ...emptyFilters(), q: 'jam', sort: 'relevance' }).has('sort')).toBe(false);
  });
});

describe('apiQuery', () => {
  it('turns the day range into instants, the end exclusive, and always names the sort', () => {
    const query = apiQuery({
      ...emptyFilters(),
      createdFrom: '2024-05-01',
      createdTo: '2024-05-31',
      stateType: ['open'],
    });
    expect(query).toEqual({
      stateType: 'open',
      sort: '-changed',
      createdFrom: new Date(2024, 4, 1).toISOString(),
      createdTo: new Date(2024, 5, 1).toISOString(),
    });
  });
});

describe('sameRequest', () => {
  it('tells a real change from a URL that asks for the same page', () => {
    const a = filtersFromQuery(q('queue=3&sort=-changed'));
    const b = filtersFromQuery(q('queue=3'));
    expect(sameRequest(a, b)).toBe(true);
    expect(sameRequest(a, filtersFromQuery(q('queue=3&page=2')))).toBe(false);
  });
});
