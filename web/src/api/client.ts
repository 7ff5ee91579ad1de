/**
 * The one way the shell talks to the kernel: JSON in and out (form data for uploads), the session cookie sent
 * automatically, the CSRF token attached to every state-changing request, and every failure turned into an
 * {@link ApiError}.
 * @module
 */

import type { ApiFieldIssue } from '@goatflow/sdk';
import { ApiRequestError as ApiError, apiRequestErrorFrom } from '@goatflow/sdk/widget';

export type FieldIssue = ApiFieldIssue;

/**
 * A failed request: the SDK's `ApiRequestError`, the very class plugin widgets' calls fail with, so the shell and
 * the widgets read an error body alike. `network` and `bad_response` are client-side codes: the kernel never sends
 * them, they describe a request that never reached it or an answer that was not the kernel's JSON (a proxy error
 * page, for instance).
 */
export { ApiError };

export interface RequestOptions {
  signal?: AbortSignal;
  /** Set for requests where a 401 is an expected answer, such as probing for an existing session. */
  ignoreUnauthenticated?: boolean;
}

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

let csrfToken: string | null = null;
let unauthenticatedHandler: (() => void) | null = null;

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

export function getCsrfToken(): string | null {
  return csrfToken;
}

/** Registers what happens when the session turns out to be gone mid-use (the app sends the user to login). */
export function onUnauthenticated(handler: (() => void) | null): void {
  unauthenticatedHandler = handler;
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

export async function request<T>(
  method: Method,
  path: string,
  body?: unknown,
  options: RequestOptions = {},
): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  // The browser sets a multipart body's Content-Type itself, with the boundary the parts are separated by.
  const multipart = typeof FormData !== 'undefined' && body instanceof FormData;
  if (body !== undefined && !multipart) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['X-CSRF-Token'] = csrfToken;

  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      body: body === undefined ? null : multipart ? body : JSON.stringify(body),
      signal: options.signal ?? null,
    });
  } catch (cause) {
    if (cause instanceof DOMException && cause.name === 'AbortError') throw cause;
    throw new ApiError(0, 'network', cause instanceof Error ? cause.message : 'Network error.');
  }

  if (response.status === 204) return undefined as T;

  const data = await readJson(response);
  if (response.ok) {
    if (data === undefined) throw new ApiError(response.status, 'bad_response', 'Expected a JSON response.');
    return data as T;
  }

  const error = apiRequestErrorFrom(response.status, data);
  if (error.code === 'unauthenticated' && !options.ignoreUnauthenticated) unauthenticatedHandler?.();
  throw error;
}

export const api = {
  get: <T>(path: string, options?: RequestOptions) => request<T>('GET', path, undefined, options),
  post: <T>(path: string, body?: unknown, options?: RequestOptions) =>
    request<T>('POST', path, body, options),
  patch: <T>(path: string, body: unknown, options?: RequestOptions) =>
    request<T>('PATCH', path, body, options),
  put: <T>(path: string, body: unknown, options?: RequestOptions) => request<T>('PUT', path, body, options),
  /** A `multipart/form-data` POST, for file uploads; the CSRF token goes along like with any other POST. */
  postForm: <T>(path: string, form: FormData, options?: RequestOptions) =>
    request<T>('POST', path, form, options),
  delete: <T = void>(path: string, options?: RequestOptions) =>
    request<T>('DELETE', path, undefined, options),
};

/** Builds a query string from the defined, non-empty values only, so filters left blank are not sent. */
export function withQuery(path: string, params: Record<string, string | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== '') search.set(key, value);
  }
  const query = search.toString();
  return query ? `${path}?${query}` : path;
}
