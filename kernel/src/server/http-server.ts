/**
 * The HTTP listener with a graceful stop: refuse new connections, let requests in flight finish (their responses
 * close the connection instead of keeping it alive), close idle keep-alive sockets at once, and cut whatever is
 * still open when the grace period ends.
 * @module
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';

export interface RunningServer {
  port: number;
  close(graceMs: number): Promise<void>;
}

export function listen(app: Express, port: number, host: string): Promise<RunningServer> {
  const server = http.createServer(app);
  server.keepAliveTimeout = 5_000;
  const inFlight = new Set<http.ServerResponse>();
  let closing = false;
  server.on('request', (_req, res: http.ServerResponse) => {
    if (closing) res.shouldKeepAlive = false;
    inFlight.add(res);
    res.on('close', () => inFlight.delete(res));
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve({
        port: (server.address() as AddressInfo).port,
        close: (graceMs) =>
          new Promise<void>((done) => {
            closing = true;
            for (const res of inFlight) res.shouldKeepAlive = false;
            const timer = setTimeout(() => server.closeAllConnections(), graceMs);
            server.close(() => {
              clearTimeout(timer);
              done();
            });
            server.closeIdleConnections();
          }),
      });
    });
  });
}
