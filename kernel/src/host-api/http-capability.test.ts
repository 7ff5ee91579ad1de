import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emailDomainMatches, httpHostMatches } from './host-patterns.js';
import { HttpFetcher, type Resolver } from './http-capability.js';

describe('host patterns', () => {
  it('match a host exactly, or below a wildcard, on the default port unless one is given', () => {
    expect(httpHostMatches('api.example.com', 'api.example.com', 443, 443)).toBe(true);
    expect(httpHostMatches('api.example.com', 'API.example.com', 443, 443)).toBe(true);
    expect(httpHostMatches('api.example.com', 'api.example.com', 8443, 443)).toBe(false);
    expect(httpHostMatches('api.example.com:8443', 'api.example.com', 8443, 443)).toBe(true);
    expect(httpHostMatches('api.example.com:8443', 'api.example.com', 443, 443)).toBe(false);
    expect(httpHostMatches('*.example.com', 'a.example.com', 80, 80)).toBe(true);
    expect(httpHostMatches('*.example.com', 'a.b.example.com', 80, 80)).toBe(true);
    expect(httpHostMatches('*.example.com', 'example.com', 80, 80)).toBe(false);
    expect(httpHostMatches('*.example.com', 'evilexample.com', 80, 80)).toBe(false);
    expect(httpHostMatches('example.com', 'example.com.evil.org', 80, 80)).toBe(false);
  });

  it('match recipient domains, never with a port', () => {
    expect(emailDomainMatches('example.com', 'Example.COM')).toBe(true);
    expect(emailDomainMatches('*.example.com', 'mail.example.com')).toBe(true);
    expect(emailDomainMatches('*.example.com', 'example.com')).toBe(false);
    expect(emailDomainMatches('example.com:25', 'example.com')).toBe(false);
  });
});

describe('HttpFetcher', () => {
  let server: http.Server;
  let port: number;
  let hits = 0;
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      hits++;
      res.end(`host=${req.headers.host}`);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('resolves once and connects to the address it checked, whatever the name resolves to later', async () => {
    const answers = [
      [{ address: '127.0.0.1', family: 4 }],
      // A rebinding DNS server would answer differently the second time; nobody may ask it again.
      [{ address: '10.9.9.9', family: 4 }],
    ];
    let lookups = 0;
    const resolver: Resolver = async () => answers[Math.min(lookups++, 1)]!;
    const fetcher = new HttpFetcher(resolver);
    const before = hits;
    const res = await fetcher.fetch(
      { http: [`rebind.test:${port}`], httpPrivate: true },
      { url: `http://rebind.test:${port}/` },
    );
    expect(res).toMatchObject({ status: 200, body: `host=rebind.test:${port}` });
    expect(lookups).toBe(1);
    expect(hits).toBe(before + 1);
  });

  it('refuses a name when any of its addresses is private, before connecting', async () => {
    const fetcher = new HttpFetcher(async () => [
      { address: '93.184.216.34', family: 4 },
      { address: 'fd00::1', family: 6 },
    ]);
    await expect(
      fetcher.fetch({ http: ['mixed.test'] }, { url: 'http://mixed.test/' }),
    ).rejects.toMatchObject({
      code: 'permission_denied',
      message: expect.stringContaining('fd00::1, a unique-local address'),
    });
  });

  it('counts the name lookup against the timeout', async () => {
    const fetcher = new HttpFetcher(() => new Promise(() => {}));
    await expect(
      fetcher.fetch({ http: ['slow-dns.test'] }, { url: 'http://slow-dns.test/', timeoutMs: 50 }),
    ).rejects.toMatchObject({ code: 'timeout', message: 'resolving slow-dns.test took longer than 50 ms' });
  });

  it('answers network_error when the name does not resolve', async () => {
    const fetcher = new HttpFetcher(async () => {
      throw Object.assign(new Error('not found'), { code: 'ENOTFOUND' });
    });
    await expect(fetcher.fetch({ http: ['nx.test'] }, { url: 'http://nx.test/' })).rejects.toMatchObject({
      code: 'network_error',
      message: 'http.fetch could not resolve nx.test: ENOTFOUND',
    });
  });
});
