/**
 * An HTTP client for a test kernel that behaves like a signed-in browser: it keeps the session cookie and sends
 * the CSRF token on every write, so a test only says what it asks for.
 * @module
 */

/** Test code reads fields of the bodies it knows, so bodies are untyped unless a type argument narrows them. */
// biome-ignore lint/suspicious/noExplicitAny: see above; `unknown` would make every `res.body.x` a cast.
type AnyBody = any;

/**
 * A response from the kernel.
 * @typeParam T - What the body is expected to be; JSON bodies are parsed, others are text.
 */
export interface TestResponse<T = AnyBody> {
  /** The HTTP status, e.g. 200. */
  status: number;
  /** The parsed JSON body, the text of any other body, or `undefined` when there is none. */
  body: T;
  /** The response headers. */
  headers: Headers;
}

/** Per-request options of {@link TestClient}. */
export interface TestRequestOptions {
  /** Extra request headers; a `content-type` given here is sent instead of `application/json`. */
  headers?: Record<string, string>;
}

/** A user's sign-in, for a client that signs in on its first request. */
export interface TestCredentials {
  login: string;
  password: string;
}

/**
 * Calls the kernel's HTTP API as one user (or as nobody). A client made with credentials signs in on its first
 * request and stays signed in; bodies are sent as JSON unless they are a string, `FormData`, `URLSearchParams`,
 * a `Blob` or bytes.
 *
 * ```ts
 * const res = await kernel.as('agent').get('/api/plugins/my-plugin/greeting');
 * expect(res.status).toBe(200);
 * ```
 */
export class TestClient {
  private readonly cookies = new Map<string, string>();
  private csrfToken: string | undefined;
  private signingIn: Promise<void> | undefined;

  /**
   * @param baseUrl - The kernel's URL, e.g. `http://127.0.0.1:39417`.
   * @param credentials - Who to sign in as before the first request; omit for an anonymous client.
   */
  constructor(
    readonly baseUrl: string,
    private readonly credentials?: TestCredentials,
  ) {}

  /** The login this client signs in as, or `undefined` for an anonymous client. */
  get login(): string | undefined {
    return this.credentials?.login;
  }

  /** `GET path`. */
  get<T = AnyBody>(path: string, options?: TestRequestOptions): Promise<TestResponse<T>> {
    return this.request<T>('GET', path, undefined, options);
  }

  /** `POST path` with `body`. */
  post<T = AnyBody>(path: string, body?: unknown, options?: TestRequestOptions): Promise<TestResponse<T>> {
    return this.request<T>('POST', path, body, options);
  }

  /** `PUT path` with `body`. */
  put<T = AnyBody>(path: string, body?: unknown, options?: TestRequestOptions): Promise<TestResponse<T>> {
    return this.request<T>('PUT', path, body, options);
  }

  /** `PATCH path` with `body`. */
  patch<T = AnyBody>(path: string, body?: unknown, options?: TestRequestOptions): Promise<TestResponse<T>> {
    return this.request<T>('PATCH', path, body, options);
  }

  /** `DELETE path`. */
  delete<T = AnyBody>(path: string, options?: TestRequestOptions): Promise<TestResponse<T>> {
    return this.request<T>('DELETE', path, undefined, options);
  }

  /** Sends any request; the methods above are shortcuts for it. `path` starts with `/`, e.g. `/api/health`. */
  async request<T = AnyBody>(
    method: string,
    path: string,
    body?: unknown,
    options: TestRequestOptions = {},
  ): Promise<TestResponse<T>> {
    if (this.credentials && !this.signingIn) this.signingIn = this.signIn(this.credentials);
    await this.signingIn;
    return this.send<T>(method, path, body, options.headers ?? {});
  }

  private async signIn({ login, password }: TestCredentials): Promise<void> {
    const res = await this.send('POST', '/api/auth/login', { login, password }, {});
    if (res.status !== 200) {
      this.signingIn = undefined;
      throw new Error(`signing in as "${login}" failed: ${res.status} ${JSON.stringify(res.body)}`);
    }
  }

  private async send<T>(
    method: string,
    path: string,
    body: unknown,
    given: Record<string, string>,
  ): Promise<TestResponse<T>> {
    const headers: Record<string, string> = { ...given };
    const named = (name: string) => Object.keys(headers).some((h) => h.toLowerCase() === name);
    const raw = isRawBody(body);
    // A string is sent as it is, as JSON text (a test may send JSON the kernel should refuse).
    if (body !== undefined && (!raw || typeof body === 'string') && !named('content-type')) {
      headers['content-type'] = 'application/json';
    }
    if (this.cookies.size && !named('cookie')) headers.cookie = this.cookieHeader();
    // The kernel refuses writes without the session's CSRF token, as a browser's would be without it.
    if (this.csrfToken && method !== 'GET' && method !== 'HEAD' && !named('x-csrf-token')) {
      headers['x-csrf-token'] = this.csrfToken;
    }
    const res = await fetch(new URL(path, this.baseUrl), {
      method,
      headers,
      body: body === undefined ? undefined : raw ? (body as BodyInit) : JSON.stringify(body),
    });
    this.keepCookies(res.headers);
    const parsed = await readBody(res);
    const token = (parsed as { csrfToken?: unknown } | undefined)?.csrfToken;
    if (typeof token === 'string') this.csrfToken = token;
    return { status: res.status, body: parsed as T, headers: res.headers };
  }

  private keepCookies(headers: Headers): void {
    for (const line of headers.getSetCookie()) {
      const [pair = '', ...attributes] = line.split(';').map((s) => s.trim());
      const eq = pair.indexOf('=');
      if (eq <= 0) continue;
      const name = pair.slice(0, eq);
      const value = pair.slice(eq + 1);
      const expired = attributes.some((a) => /^max-age=0$/i.test(a));
      if (!value || expired) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  private cookieHeader(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }
}

/** Bodies fetch sends as they are; anything else is JSON. */
function isRawBody(body: unknown): boolean {
  return (
    typeof body === 'string' ||
    body instanceof FormData ||
    body instanceof URLSearchParams ||
    body instanceof Blob ||
    body instanceof Uint8Array ||
    body instanceof ArrayBuffer
  );
}

async function readBody(res: Response): Promise<unknown> {
  const text = await res.text();
  if (!text) return undefined;
  if (!/\bjson\b/i.test(res.headers.get('content-type') ?? '')) return text;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
