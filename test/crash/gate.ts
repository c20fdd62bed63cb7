/**
 * A pass-through HTTP proxy in front of the sample portal that can hold requests: a crash test
 * shuts the gate on the requests it names (the listing pages: discovery; the report files: fetch)
 * so that a worker is caught in the middle of that work, waiting on the network as a worker on a
 * slow portal does, and is killed there. Nothing in the worker knows: no hook in the code path.
 * Open, it forwards every request and response untouched (conditional requests, gzip, headers).
 */
import { type IncomingMessage, type ServerResponse, createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Gate {
  /** The proxy's address: what the workers' configuration names as the portal. */
  baseUrl: string;
  /** Hold every request whose path matches, from now until open(). */
  shut(match: (path: string) => boolean): void;
  /** Let the held requests through (those whose client is still there) and hold no more. */
  open(): void;
  /** Paths of the requests held now, their clients still waiting. */
  held(): string[];
  stop(): Promise<void>;
}

export async function startGate(target: string): Promise<Gate> {
  const to = new URL(target);
  let match: ((path: string) => boolean) | null = null;
  const waiting = new Set<{ path: string; go: () => void; req: IncomingMessage }>();

  const forward = (req: IncomingMessage, res: ServerResponse) => {
    const up = request({ host: to.hostname, port: to.port, method: req.method, path: req.url, headers: { ...req.headers, host: to.host } }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    up.on('error', () => res.destroy());
    res.on('close', () => up.destroy());
    req.pipe(up);
  };

  const server = createServer((req, res) => {
    const path = req.url ?? '/';
    if (!match?.(path)) return forward(req, res);
    const entry = { path, req, go: () => forward(req, res) };
    waiting.add(entry);
    // A client that goes away (its worker killed) is held no more.
    res.on('close', () => waiting.delete(entry));
  });
  server.on('connection', (socket) => socket.on('error', () => {}));
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    shut(m) {
      match = m;
    },
    open() {
      match = null;
      for (const w of [...waiting]) {
        waiting.delete(w);
        if (!w.req.destroyed) w.go();
      }
    },
    held: () => [...waiting].filter((w) => !w.req.destroyed).map((w) => w.path),
    stop: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
