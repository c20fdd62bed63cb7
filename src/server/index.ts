/**
 * The review UI and queue board (`nianbao serve`): `createApp` builds the express app from a
 * store, the artifacts and optionally the queues; `listen` runs it with a graceful close.
 */
import type { AddressInfo } from 'node:net';
import { createServer, type Server } from 'node:http';
import type { Express } from 'express';

export { createApp, type AppDeps } from './app.js';
export { generateToken, parseBasicAuth, type AuthConfig } from './auth.js';
export { isLoopback } from './security.js';
export { openQueues, enqueueExtract, type UiQueues } from './queues.js';

export interface RunningServer {
  server: Server;
  /** http://host:port with the address actually bound (port 0 → the chosen port). */
  url: string;
  /** Stop accepting, let requests in flight finish (up to graceMs), then drop what is left. */
  close(graceMs?: number): Promise<void>;
}

export function urlHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

export function listen(app: Express, opts: { host: string; port: number }): Promise<RunningServer> {
  const server = createServer(app);
  // A slow client must not hold a socket forever.
  server.headersTimeout = 20_000;
  server.requestTimeout = 120_000;
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => {
      server.off('error', reject);
      const port = (server.address() as AddressInfo).port;
      resolve({
        server,
        url: `http://${urlHost(opts.host)}:${port}`,
        close: (graceMs = 5000) =>
          new Promise<void>((done) => {
            const force = setTimeout(() => server.closeAllConnections(), graceMs);
            force.unref();
            server.close(() => {
              clearTimeout(force);
              done();
            });
            server.closeIdleConnections();
          }),
      });
    });
  });
}
