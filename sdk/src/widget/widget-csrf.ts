/**
 * The session's CSRF token for widget writes. A widget reads it from `GET /api/auth/me` instead of reaching into
 * the shell (the SDK must not depend on the web app), once per page: every widget shares the same token.
 * @module
 */
import { ApiRequestError, apiRequestErrorFrom } from './api-request-error.js';

/** The `fetch` a widget uses; a parameter so tests can answer without a server. */
export type FetchFunction = (input: string, init?: RequestInit) => Promise<Response>;

/** Where writes get their CSRF token from. */
export interface CsrfTokenSource {
  /**
   * The token to send as `X-CSRF-Token`, fetched on first use and then cached; `null` when the session has
   * none (a request authenticated some other way needs no header).
   */
  get(): Promise<string | null>;
  /** Forgets the cached token, so the next {@link CsrfTokenSource.get} asks again (after a `csrf_failed`). */
  invalidate(): void;
}

/** The path that tells the signed-in user and their session's CSRF token. */
export const AUTH_ME_PATH = '/api/auth/me';

/**
 * Makes a token source that asks `GET /api/auth/me` once and caches the answer. A failed look-up is not cached,
 * so the next write tries again.
 * @param fetchFn - the fetch to use; defaults to the page's `fetch`, looked up at call time
 */
export function createCsrfTokenSource(fetchFn?: FetchFunction): CsrfTokenSource {
  let pending: Promise<string | null> | undefined;
  const lookUp = async (): Promise<string | null> => {
    const doFetch = fetchFn ?? ((input, init) => globalThis.fetch(input, init));
    let response: Response;
    try {
      response = await doFetch(AUTH_ME_PATH, {
        credentials: 'same-origin',
        headers: { Accept: 'application/json' },
      });
    } catch (cause) {
      throw new ApiRequestError(0, 'network', cause instanceof Error ? cause.message : 'Network error.');
    }
    const body: unknown = await response.json().catch(() => undefined);
    if (!response.ok) throw apiRequestErrorFrom(response.status, body);
    const token = (body as { csrfToken?: unknown } | undefined)?.csrfToken;
    return typeof token === 'string' && token !== '' ? token : null;
  };
  return {
    get() {
      if (!pending) {
        const attempt = lookUp();
        pending = attempt;
        attempt.catch(() => {
          if (pending === attempt) pending = undefined;
        });
      }
      return pending;
    },
    invalidate() {
      pending = undefined;
    },
  };
}

/** The one token source of the page, shared by every widget. */
export const sharedCsrfToken: CsrfTokenSource = createCsrfTokenSource();
