/**
 * The ticket list's filters, sort and page as they live in the URL (`/tickets?queue=3&stateType=open&page=2`),
 * and as the API wants them. The URL uses the API's own parameter names, lists comma-separated, so a link to a
 * filtered list is also readable as the API call behind it; only the created range differs: the URL holds days
 * (`2024-05-01`), the API instants. Pure functions, so they are unit tested without a browser.
 * @module
 */
import type { QueryValue } from '@goatflow/sdk/widget';
import { STATE_TYPES, type StateType, TICKET_SORTS, type TicketSort } from './types.js';

/** What the list shows; every list is empty when it does not filter. */
export interface ListFilters {
  queue: number[];
  state: number[];
  stateType: StateType[];
  priority: number[];
  type: number[];
  /** Agent ids, or `me` for the signed-in agent. */
  owner: ('me' | number)[];
  customerUser: number[];
  customerCompany: number[];
  /** First day of the created range, `YYYY-MM-DD` in the user's time zone. */
  createdFrom: string;
  /** Last day of the created range (inclusive). */
  createdTo: string;
  /** Full-text search, at least {@link MIN_SEARCH_LENGTH} characters to count. */
  q: string;
  sort: TicketSort;
  page: number;
  perPage: number;
}

/** The list's order when the URL names none: by relevance for a search (as the API does), else newest change. */
export function defaultSort(q: string): TicketSort {
  return q ? 'relevance' : '-changed';
}
export const DEFAULT_PER_PAGE = 25;
export const PER_PAGE_OPTIONS = [10, 25, 50, 100] as const;
/** The API serves pages 1–400. */
export const MAX_PAGE = 400;
export const MIN_SEARCH_LENGTH = 2;
/** The API takes at most this many values per list. */
const MAX_LIST = 50;

const ID_LISTS = ['queue', 'state', 'priority', 'type', 'customerUser', 'customerCompany'] as const;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

export function emptyFilters(): ListFilters {
  return {
    queue: [],
    state: [],
    stateType: [],
    priority: [],
    type: [],
    owner: [],
    customerUser: [],
    customerCompany: [],
    createdFrom: '',
    createdTo: '',
    q: '',
    sort: '-changed',
    page: 1,
    perPage: DEFAULT_PER_PAGE,
  };
}

function values(query: URLSearchParams, key: string): string[] {
  return query
    .getAll(key)
    .flatMap((value) => value.split(','))
    .map((value) => value.trim())
    .filter(Boolean);
}

function ids(list: string[]): number[] {
  const out: number[] = [];
  for (const value of list) {
    const id = /^\d+$/.test(value) ? Number(value) : Number.NaN;
    if (Number.isSafeInteger(id) && id > 0 && !out.includes(id)) out.push(id);
  }
  return out.slice(0, MAX_LIST);
}

function whole(value: string | null, fallback: number, min: number, max: number): number {
  const n = value && /^\d+$/.test(value) ? Number(value) : Number.NaN;
  return Number.isSafeInteger(n) && n >= min && n <= max ? n : fallback;
}

function isDay(value: string | null): value is string {
  return value !== null && DAY.test(value) && !Number.isNaN(new Date(`${value}T00:00:00`).getTime());
}

/**
 * Reads the filters from a URL query. Whatever does not fit (an unknown sort, a page of `x`, a malformed date) is
 * dropped rather than sent, so a hand-edited or outdated link still shows a list.
 * @param query - the page's URL search parameters
 */
export function filtersFromQuery(query: URLSearchParams): ListFilters {
  const filters = emptyFilters();
  for (const key of ID_LISTS) filters[key] = ids(values(query, key));
  filters.stateType = [
    ...new Set(
      values(query, 'stateType').filter((v): v is StateType => STATE_TYPES.includes(v as StateType)),
    ),
  ];
  const owners: ('me' | number)[] = [];
  for (const value of values(query, 'owner')) {
    if (value === 'me') {
      if (!owners.includes('me')) owners.push('me');
    } else owners.push(...ids([value]).filter((id) => !owners.includes(id)));
  }
  filters.owner = owners.slice(0, MAX_LIST);
  const from = query.get('createdFrom');
  const to = query.get('createdTo');
  if (isDay(from)) filters.createdFrom = from;
  if (isDay(to)) filters.createdTo = to;
  const q = (query.get('q') ?? '').trim().slice(0, 200);
  if (q.length >= MIN_SEARCH_LENGTH) filters.q = q;
  const sort = query.get('sort');
  filters.sort =
    TICKET_SORTS.includes(sort as TicketSort) && (sort !== 'relevance' || filters.q)
      ? (sort as TicketSort)
      : defaultSort(filters.q);
  filters.page = whole(query.get('page'), 1, 1, MAX_PAGE);
  const perPage = whole(query.get('perPage'), DEFAULT_PER_PAGE, 1, 100);
  filters.perPage = perPage;
  return filters;
}

/**
 * The URL query for `filters`, leaving out what is empty or the default so links stay short.
 * @param filters - what the list shows
 */
export function queryFromFilters(filters: ListFilters): URLSearchParams {
  const query = new URLSearchParams();
  const lists: [string, readonly (string | number)[]][] = [
    ['queue', filters.queue],
    ['state', filters.state],
    ['stateType', filters.stateType],
    ['priority', filters.priority],
    ['type', filters.type],
    ['owner', filters.owner],
    ['customerUser', filters.customerUser],
    ['customerCompany', filters.customerCompany],
  ];
  for (const [key, list] of lists) if (list.length) query.set(key, list.join(','));
  if (filters.createdFrom) query.set('createdFrom', filters.createdFrom);
  if (filters.createdTo) query.set('createdTo', filters.createdTo);
  if (filters.q) query.set('q', filters.q);
  if (filters.sort !== defaultSort(filters.q)) query.set('sort', filters.sort);
  if (filters.page !== 1) query.set('page', String(filters.page));
  if (filters.perPage !== DEFAULT_PER_PAGE) query.set('perPage', String(filters.perPage));
  return query;
}

/** The start of a local day as an instant. */
function startOfDay(day: string): Date {
  return new Date(`${day}T00:00:00`);
}

/**
 * The query of `GET /api/v1/tickets` for `filters`: the created range becomes instants in the user's time zone
 * (from the first day's midnight to the midnight after the last day, which the API excludes), and the sort is
 * always named, so the API's default cannot differ from what the page shows.
 * @param filters - what the list shows
 */
export function apiQuery(filters: ListFilters): Record<string, QueryValue> {
  const query: Record<string, QueryValue> = {};
  for (const [key, value] of queryFromFilters({ ...filters, createdFrom: '', createdTo: '' })) {
    query[key] = value;
  }
  query.sort = filters.sort;
  if (filters.createdFrom) query.createdFrom = startOfDay(filters.createdFrom).toISOString();
  if (filters.createdTo) {
    const end = startOfDay(filters.createdTo);
    end.setDate(end.getDate() + 1);
    query.createdTo = end.toISOString();
  }
  return query;
}

/**
 * Whether two filter sets ask the API for the same page; the list reloads only when they do not.
 * @param a - one filter set
 * @param b - the other
 */
export function sameRequest(a: ListFilters, b: ListFilters): boolean {
  return JSON.stringify(apiQuery(a)) === JSON.stringify(apiQuery(b));
}
