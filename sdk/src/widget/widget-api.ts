/**
 * The HTTP client a widget calls its plugin's routes with: JSON in and out, the session cookie, the CSRF token on
 * writes, and every failure turned into an {@link ApiRequestError}.
 * @module
 */
import { ApiRequestError, apiRequestErrorFrom, isAbortError } from './api-request-error.js';
import { type CsrfTokenSource, type FetchFunction, sharedCsrfToken } from './widget-csrf.js';

/** Values a query string can carry; `undefined` and `null` entries are left out. */
export type QueryValue = string | number | boolean | null | undefined;

/** Options of one API call. */
export interface WidgetRequestOptions {
  /** Aborts the request; pass the `signal` that `load()` receives so a superseded load stops its requests. */
  signal?: AbortSignal;
  /** Added to the URL as a query string, e.g. `{limit: 10}` → `?limit=10`. */
  query?: Record<string, QueryValue>;
  /** Extra request headers. */
  headers?: Record<string, string>;
}

/** The HTTP methods a widget can call. */
export type WidgetHttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/**
 * Calls the routes of one plugin. Paths are relative to the plugin's API, `/api/plugins/<id>`: `get('/greeting')`
 * requests `/api/plugins/<id>/greeting`. A path that starts with `/api/` is used as it is (a first-party plugin's
 * own prefix such as `/api/v1/tickets`, or a kernel endpoint). Resolves with the parsed JSON answer (`undefined`
 * for 204); rejects with an {@link ApiRequestError}, or with the `AbortError` of an aborted request.
 */
export interface WidgetApi {
  /** `GET` a route. */
  get<T = unknown>(path: string, options?: WidgetRequestOptions): Promise<T>;
  /** `POST` a JSON body (or none) to a route, with the CSRF token. */
  post<T = unknown>(path: string, body?: unknown, options?: WidgetRequestOptions): Promise<T>;
  /** `PUT` a JSON body to a route, with the CSRF token. */
  put<T = unknown>(path: string, body?: unknown, options?: WidgetRequestOptions): Promise<T>;
  /** `PATCH` a JSON body to a route, with the CSRF token. */
  patch<T = unknown>(path: string, body?: unknown, options?: WidgetRequestOptions): Promise<T>;
  /** `DELETE` a route, with the CSRF token. */
  delete<T = unknown>(path: string, options?: WidgetRequestOptions): Promise<T>;
  /** Any method, for the rare call the shortcuts do not cover. */
  request<T = unknown>(
    method: WidgetHttpMethod,
    path: string,
    body?: unknown,
    options?: WidgetRequestOptions,
  ): Promise<T>;
}

/** How {@link createWidgetApi} reaches the server. */
export interface WidgetApiOptions {
  /**
   * The plugin whose routes relative paths address; a function is asked on every request, so an element can
   * learn its plugin id after the client was made.
   */
  pluginId: string | (() => string | undefined);
  /** The fetch to use; defaults to the page's `fetch`. */
  fetch?: FetchFunction;
  /** Where writes get the CSRF token; defaults to the page-wide source that asks `GET /api/auth/me` once. */
  csrf?: CsrfTokenSource;
}

/**
 * The URL of a plugin route.
 * @param pluginId - the plugin's id, e.g. `hello-wasm`
 * @param path - relative to the plugin's API (`/greeting`), or absolute when it starts with `/api/`
 * @param query - optional query parameters; `undefined` and `null` values are left out
 */
export function pluginRouteUrl(
  pluginId: string | undefined,
  path: string,
  query?: Record<string, QueryValue>,
): string {
  let url: string;
  if (path.startsWith('/api/')) url = path;
  else {
    if (!pluginId) {
      throw new Error(
        `Cannot call "${path}": the widget does not know its plugin. Set \`static pluginId = '<id>'\` on the ` +
          'widget class (or its plugin-id attribute).',
      );
    }
    url = `/api/plugins/${encodeURIComponent(pluginId)}${path.startsWith('/') ? '' : '/'}${path}`;
  }
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value !== undefined && value !== null) search.append(key, String(value));
  }
  const text = search.toString();
  if (!text) return url;
  return `${url}${url.includes('?') ? '&' : '?'}${text}`;
}

async function readJson(response: Response): Promise<unknown> {
  const type = response.headers.get('content-type') ?? '';
  if (!type.includes('json')) return undefined;
  try {
    return await response.json();
  } catch {
    return undefined;
  }
}

/**
 * Makes the client of one plugin's routes (what `GoatflowWidget.api` is). Writes carry the session's CSRF
 * token; when the kernel answers `csrf_failed` (the user signed in again in another tab, say) the token is
 * fetched afresh and the write is sent once more.
 * @param options - the plugin, and optionally the fetch and token source to use
 */
export function createWidgetApi(options: WidgetApiOptions): WidgetApi {
  const csrf = options.csrf ?? sharedCsrfToken;
  const doFetch: FetchFunction = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const pluginId = () => (typeof options.pluginId === 'function' ? options.pluginId() : options.pluginId);

  async function send(
    method: WidgetHttpMethod,
    url: string,
    body: unknown,
    requestOptions: WidgetRequestOptions,
  ): Promise<Response> {
    const headers: Record<string, string> = { Accept: 'application/json', ...requestOptions.headers };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (method !== 'GET') {
      const token = await csrf.get();
      if (token) headers['X-CSRF-Token'] = token;
    }
    try {
      return await doFetch(url, {
        method,
        headers,
        credentials: 'same-origin',
        body: body === undefined ? null : JSON.stringify(body),
        signal: requestOptions.signal ?? null,
      });
    } catch (cause) {
      if (isAbortError(cause)) throw cause;
      throw new ApiRequestError(0, 'network', cause instanceof Error ? cause.message : 'Network error.');
    }
  }

  async function request<T>(
    method: WidgetHttpMethod,
    path: string,
    body?: unknown,
    requestOptions: WidgetRequestOptions = {},
  ): Promise<T> {
    const url = pluginRouteUrl(pluginId(), path, requestOptions.query);
    let response = await send(method, url, body, requestOptions);
    let data = response.status === 204 ? undefined : await readJson(response);
    if (
      method !== 'GET' &&
      response.status === 403 &&
      apiRequestErrorFrom(403, data).code === 'csrf_failed'
    ) {
      csrf.invalidate();
      response = await send(method, url, body, requestOptions);
      data = response.status === 204 ? undefined : await readJson(response);
    }
    if (response.status === 204) return undefined as T;
    if (!response.ok) throw apiRequestErrorFrom(response.status, data);
    if (data === undefined) {
      throw new ApiRequestError(response.status, 'bad_response', 'Expected a JSON response.');
    }
    return data as T;
  }

  return {
    request,
    get: (path, requestOptions) => request('GET', path, undefined, requestOptions),
    post: (path, body, requestOptions) => request('POST', path, body, requestOptions),
    put: (path, body, requestOptions) => request('PUT', path, body, requestOptions),
    patch: (path, body, requestOptions) => request('PATCH', path, body, requestOptions),
    delete: (path, requestOptions) => request('DELETE', path, undefined, requestOptions),
  };
}
