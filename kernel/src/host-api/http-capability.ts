/**
 * `http.fetch`: an outbound HTTP(S) request for a plugin, to hosts its `http` grant lists and nowhere else.
 *
 * The name is resolved once and every address it resolves to is checked: private, loopback, link-local,
 * unique-local, unspecified, multicast and reserved addresses (IPv4 and IPv6, IPv4-mapped included) need the
 * `httpPrivate` grant. The connection then goes to exactly the address that was checked (the socket's lookup
 * answers with it), so a DNS answer that changes between the check and the connect cannot redirect the request.
 * Redirects are returned, never followed; the request has a timeout, and request and response bodies are capped.
 * @module
 */
import dns from 'node:dns/promises';
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import net from 'node:net';
import { StringDecoder } from 'node:string_decoder';
import type { PluginPermissions } from '@goatflow/sdk';
import { HostApiError, notGranted } from './host-api-error.js';
import { httpHostMatches } from './host-patterns.js';
import { classifyAddress } from './net-address.js';

export const HTTP_LIMITS = {
  defaultTimeoutMs: 10_000,
  maxTimeoutMs: 30_000,
  /** Response bytes returned by default; the rest is cut off and `truncated` is set. */
  defaultMaxResponseBytes: 512 * 1024,
  maxResponseBytes: 4 * 1024 * 1024,
  maxRequestBodyBytes: 1024 * 1024,
  maxUrlLength: 8192,
  maxHeaders: 50,
  maxHeaderValueLength: 8192,
} as const;

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,100}$/;
/** Headers the kernel sets itself or that would change how the connection works. */
const FORBIDDEN_HEADERS = new Set([
  'host',
  'connection',
  'content-length',
  'transfer-encoding',
  'te',
  'trailer',
  'upgrade',
  'keep-alive',
  'expect',
  'proxy-authorization',
  'proxy-connection',
  'accept-encoding',
]);

export interface HttpFetchResult {
  status: number;
  headers: Record<string, string>;
  body: string;
  truncated: boolean;
}

interface Request {
  url: URL;
  method: string;
  headers: Record<string, string>;
  body: string | undefined;
  timeoutMs: number;
  maxBytes: number;
}

function invalid(message: string): never {
  throw new HostApiError('invalid_argument', message);
}

function intArg(value: unknown, name: string, min: number, max: number, fallback: number): number {
  if (value === undefined || value === null) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    invalid(`"${name}" must be an integer from ${min} to ${max}`);
  }
  return value;
}

function parseRequest(args: Record<string, unknown>): Request {
  if (typeof args.url !== 'string' || args.url.length === 0 || args.url.length > HTTP_LIMITS.maxUrlLength) {
    invalid(`"url" must be an http:// or https:// URL of at most ${HTTP_LIMITS.maxUrlLength} characters`);
  }
  let url: URL;
  try {
    url = new URL(args.url);
  } catch {
    invalid(`"url" is not a valid URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    invalid(`"url" must use http or https, not ${url.protocol.replace(/:$/, '')}`);
  }
  if (url.username || url.password) {
    invalid('"url" must not carry a user name or password; send credentials in a header');
  }
  const method = args.method === undefined || args.method === null ? 'GET' : args.method;
  if (typeof method !== 'string' || !METHODS.has(method.toUpperCase())) {
    invalid(`"method" must be one of ${[...METHODS].join(', ')}`);
  }
  const headers: Record<string, string> = {};
  if (args.headers !== undefined && args.headers !== null) {
    if (typeof args.headers !== 'object' || Array.isArray(args.headers)) {
      invalid('"headers" must be an object of header names to string values');
    }
    const entries = Object.entries(args.headers as Record<string, unknown>);
    if (entries.length > HTTP_LIMITS.maxHeaders) invalid(`at most ${HTTP_LIMITS.maxHeaders} headers`);
    for (const [name, value] of entries) {
      if (!TOKEN.test(name)) invalid(`header name "${name.slice(0, 100)}" is not a valid HTTP token`);
      const lower = name.toLowerCase();
      if (FORBIDDEN_HEADERS.has(lower) || lower.startsWith('proxy-')) {
        invalid(`header "${name}" is set by the kernel and may not be given`);
      }
      if (typeof value !== 'string' || value.length > HTTP_LIMITS.maxHeaderValueLength) {
        invalid(
          `header "${name}" must be a string of at most ${HTTP_LIMITS.maxHeaderValueLength} characters`,
        );
      }
      // CR, LF and NUL would split or end the header: refused rather than cleaned.
      if (/[\r\n\0]/.test(value)) invalid(`header "${name}" contains a line break or NUL`);
      if (Object.hasOwn(headers, lower)) invalid(`header "${name}" is given twice`);
      headers[lower] = value;
    }
  }
  let body: string | undefined;
  if (args.body !== undefined && args.body !== null) {
    if (typeof args.body !== 'string') invalid('"body" must be a string (serialise JSON yourself)');
    if (Buffer.byteLength(args.body) > HTTP_LIMITS.maxRequestBodyBytes) {
      invalid(`"body" may be at most ${HTTP_LIMITS.maxRequestBodyBytes} bytes`);
    }
    if (method.toUpperCase() === 'GET' || method.toUpperCase() === 'HEAD') {
      invalid(`a ${method.toUpperCase()} request has no body`);
    }
    body = args.body;
  }
  return {
    url,
    method: method.toUpperCase(),
    headers,
    body,
    timeoutMs: intArg(args.timeoutMs, 'timeoutMs', 1, HTTP_LIMITS.maxTimeoutMs, HTTP_LIMITS.defaultTimeoutMs),
    maxBytes: intArg(
      args.maxBytes,
      'maxBytes',
      1,
      HTTP_LIMITS.maxResponseBytes,
      HTTP_LIMITS.defaultMaxResponseBytes,
    ),
  };
}

/** Resolves a host name to the addresses to check; an IP literal is its own answer. */
export type Resolver = (hostname: string) => Promise<{ address: string; family: number }[]>;

const systemResolver: Resolver = (hostname) => dns.lookup(hostname, { all: true, verbatim: true });

export class HttpFetcher {
  constructor(private readonly resolve: Resolver = systemResolver) {}

  async fetch(granted: PluginPermissions, args: Record<string, unknown>): Promise<HttpFetchResult> {
    const req = parseRequest(args);
    const defaultPort = req.url.protocol === 'https:' ? 443 : 80;
    const port = req.url.port ? Number(req.url.port) : defaultPort;
    // WHATWG URL parsing has already lower-cased the name, turned IDNs into punycode and odd IPv4 forms
    // (http://2130706433/) into dotted quads, so the grant is matched against the name that is connected to.
    const hostname = req.url.hostname;
    const patterns = granted.http ?? [];
    if (!patterns.some((p) => httpHostMatches(p, hostname, port, defaultPort))) {
      throw patterns.length === 0
        ? notGranted('http.fetch', 'http')
        : new HostApiError(
            'permission_denied',
            `http.fetch may not reach ${hostname}:${port}: it is not covered by this plugin's http grant (${patterns.join(', ')})`,
          );
    }
    const started = Date.now();
    const literal = hostname.replace(/^\[(.*)\]$/, '$1');
    let addresses: { address: string; family: number }[];
    if (net.isIP(literal)) {
      addresses = [{ address: literal, family: net.isIP(literal) }];
    } else {
      let timer: NodeJS.Timeout | undefined;
      try {
        // The name lookup counts against the timeout too: a resolver that never answers must not hang the call.
        addresses = await Promise.race([
          this.resolve(hostname),
          new Promise<never>((_, reject) => {
            timer = setTimeout(
              () =>
                reject(
                  new HostApiError('timeout', `resolving ${hostname} took longer than ${req.timeoutMs} ms`),
                ),
              req.timeoutMs,
            );
          }),
        ]);
      } catch (err) {
        if (err instanceof HostApiError) throw err;
        throw new HostApiError(
          'network_error',
          `http.fetch could not resolve ${hostname}: ${(err as { code?: string }).code ?? 'lookup failed'}`,
        );
      } finally {
        clearTimeout(timer);
      }
      if (addresses.length === 0) throw new HostApiError('network_error', `${hostname} has no address`);
    }
    if (!granted.httpPrivate) {
      for (const { address } of addresses) {
        const kind = classifyAddress(address) ?? 'reserved';
        if (kind !== 'public') {
          throw new HostApiError(
            'permission_denied',
            `http.fetch refused ${hostname}: it resolves to ${address}, a ${kind} address; ` +
              'private and local addresses need the permission "httpPrivate"',
          );
        }
      }
    }
    // One timeout for the whole call: what the lookup used is gone.
    const remainingMs = Math.max(1, req.timeoutMs - (Date.now() - started));
    return send(req, hostname, port, addresses[0]!, remainingMs);
  }
}

function send(
  req: Request,
  hostname: string,
  port: number,
  target: { address: string; family: number },
  remainingMs: number,
): Promise<HttpFetchResult> {
  // The socket connects to the checked address whatever it asks; TLS still verifies the certificate against
  // the host name (servername), and the Host header still names it.
  const lookup: LookupFunction = (_name, options, callback) => {
    if (options.all) callback(null, [{ address: target.address, family: target.family }]);
    else callback(null, target.address, target.family);
  };
  const headers: Record<string, string> = {
    'user-agent': 'GoatFlow',
    ...req.headers,
    'accept-encoding': 'identity',
  };
  if (req.body !== undefined) headers['content-length'] = String(Buffer.byteLength(req.body));
  const options: https.RequestOptions = {
    protocol: req.url.protocol,
    hostname: hostname.replace(/^\[(.*)\]$/, '$1'),
    port,
    path: `${req.url.pathname}${req.url.search}`,
    method: req.method,
    headers,
    lookup,
    agent: false,
    // Plugins must not disable certificate checks; this is the default, stated for the reader.
    rejectUnauthorized: true,
  };
  const client = req.url.protocol === 'https:' ? https : http;
  return new Promise<HttpFetchResult>((resolve, reject) => {
    let done = false;
    const finish = (error: HostApiError | undefined, result?: HttpFetchResult) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      if (error) reject(error);
      else resolve(result!);
    };
    const request = client.request(options, (res) => {
      const decoder = new StringDecoder('utf8');
      let body = '';
      let received = 0;
      let truncated = false;
      const result = (): HttpFetchResult => ({
        status: res.statusCode ?? 0,
        headers: flattenHeaders(res.headers),
        body,
        truncated,
      });
      res.on('data', (chunk: Buffer) => {
        if (truncated) return;
        const room = req.maxBytes - received;
        if (chunk.length > room) {
          // A partial character at the cut is dropped by the decoder (write without end).
          body += decoder.write(chunk.subarray(0, room));
          received = req.maxBytes;
          truncated = true;
          finish(undefined, result());
          res.destroy();
          return;
        }
        received += chunk.length;
        body += decoder.write(chunk);
      });
      res.on('end', () => {
        body += decoder.end();
        finish(undefined, result());
      });
      res.on('error', (err) => finish(networkError(hostname, err)));
      res.on('aborted', () => finish(networkError(hostname, new Error('the connection was cut'))));
    });
    const timer = setTimeout(() => {
      finish(new HostApiError('timeout', `http.fetch to ${hostname} took longer than ${req.timeoutMs} ms`));
      request.destroy();
    }, remainingMs);
    request.on('error', (err) => finish(networkError(hostname, err)));
    request.end(req.body);
  });
}

function networkError(hostname: string, err: Error): HostApiError {
  const code = (err as { code?: string }).code;
  return new HostApiError(
    'network_error',
    `http.fetch to ${hostname} failed: ${code ? `${code} ` : ''}${err.message}`.slice(0, 500),
  );
}

function flattenHeaders(headers: http.IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    out[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}
