/** A loopback HTTP server for fetch tests: one handler, every request logged with its time. */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Hit {
  url: string;
  host: string;
  at: number;
  headers: IncomingMessage['headers'];
}

export interface TestServer {
  base: string;
  port: number;
  hits: Hit[];
  close(): Promise<void>;
}

export async function serve(handler: (req: IncomingMessage, res: ServerResponse, hit: Hit) => void, host = '127.0.0.1'): Promise<TestServer> {
  const hits: Hit[] = [];
  const server: Server = createServer((req, res) => {
    const hit = { url: req.url ?? '/', host: String(req.headers.host ?? ''), at: performance.timeOrigin + performance.now(), headers: req.headers };
    hits.push(hit);
    handler(req, res, hit);
  });
  await new Promise<void>((ok) => server.listen(0, host, ok));
  const port = (server.address() as AddressInfo).port;
  return {
    base: `http://${host}:${port}`,
    port,
    hits,
    close: () =>
      new Promise<void>((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}
