/**
 * A fault-injecting HTTP server on loopback: every way a government server misbehaves, on
 * demand, per path (and optionally per Host, so invented host names the fetcher resolves to
 * 127.0.0.1 can be told apart). It is also a small portal: tests route a listing, article pages
 * and report files onto it and run the real pipeline against it. Every request is logged with
 * the server's own timestamp, so rate limits and Retry-After waits are measured where they
 * matter — at the server.
 *
 *   const srv = await startFaultServer();
 *   srv.route('/ndbg/index.html', fault.ok(listingHtml(...)));
 *   srv.route('/files/a.pdf', fault.status(503));
 *   srv.url('www.faults.test', '/ndbg/index.html')   // http://www.faults.test:40123/ndbg/index.html
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';

export interface FaultHit {
  /** Host header without the port. */
  host: string;
  /** Path and query as requested. */
  path: string;
  /** performance.timeOrigin + performance.now() when the request arrived (monotonic ms). */
  at: number;
  /** Status sent, 0 when the connection was cut before a response. */
  status: number;
  conditional: boolean;
}

/** What one path answers. `n` counts this route's requests, from 1. */
export type Handler = (req: IncomingMessage, res: ServerResponse, ctx: { n: number; night: number; hit: FaultHit }) => void;

export interface FaultServer {
  port: number;
  /** Address the server listens on (127.0.0.1 or ::1). */
  address: string;
  hits: FaultHit[];
  /** Route `path` (path + query) to `handler`, on every host or only on `host`. */
  route(path: string, handler: Handler, host?: string): void;
  /** A URL on this server under a host name the fetcher resolves to it. */
  url(host: string, path: string): string;
  /** Requests for `path` (on `host`, when given). */
  hitsOf(path: string, host?: string): FaultHit[];
  /** The night the portal is in: `fault.nightly` answers by it. */
  night: number;
  close(): Promise<void>;
}

const now = () => performance.timeOrigin + performance.now();

export async function startFaultServer(opts: { host?: string } = {}): Promise<FaultServer> {
  const routes = new Map<string, { handler: Handler; n: number }>();
  const hits: FaultHit[] = [];
  const state = { night: 1 };
  const server = createServer((req, res) => {
    const host = String(req.headers.host ?? '').replace(/:\d+$/, '').toLowerCase();
    const path = req.url ?? '/';
    const hit: FaultHit = { host, path, at: now(), status: 0, conditional: req.headers['if-none-match'] !== undefined || req.headers['if-modified-since'] !== undefined };
    hits.push(hit);
    res.on('finish', () => (hit.status = res.statusCode));
    // A client that gives up (timeout, size limit) must not crash the server's writes.
    res.on('error', () => {});
    const r = routes.get(`${host}${path}`) ?? routes.get(path);
    if (!r) {
      res.writeHead(404, { 'Content-Type': 'text/html; charset=utf-8' });
      res.end('<html><body><h1>404 您访问的页面不存在</h1></body></html>');
      return;
    }
    r.n++;
    r.handler(req, res, { n: r.n, night: state.night, hit });
  });
  server.keepAliveTimeout = 30_000;
  // Once per connection, not per request: a kept-alive socket serves many requests (one listener
  // each overflowed the socket's listener limit: MaxListenersExceededWarning).
  server.on('connection', (socket) => socket.on('error', () => {}));
  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(0, opts.host ?? '127.0.0.1', () => ok());
  });
  const { port, address } = server.address() as AddressInfo;
  return {
    port,
    address,
    hits,
    route(path, handler, host) {
      routes.set(`${host?.toLowerCase() ?? ''}${path}`, { handler, n: 0 });
    },
    url: (host, path) => `http://${host}:${port}${path}`,
    hitsOf: (path, host) => hits.filter((h) => h.path === path && (host === undefined || h.host === host.toLowerCase())),
    get night() {
      return state.night;
    },
    set night(n: number) {
      state.night = n;
    },
    close: () =>
      new Promise<void>((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}

// ---------------------------------------------------------------------------------------------
// Faults

const etagOf = (b: Uint8Array) => `"${createHash('sha1').update(b).digest('hex').slice(0, 16)}"`;
const LAST_MODIFIED = 'Mon, 06 Jan 2025 08:00:00 GMT';

let bombCache: { inflated: number; gz: Buffer } | null = null;

/** Gzip of `inflated` zero bytes: ~1/1000 of its size on the wire. Made once per process. */
function gzipBombBytes(inflated: number): Buffer {
  if (bombCache?.inflated !== inflated) bombCache = { inflated, gz: gzipSync(Buffer.alloc(inflated), { level: 9 }) };
  return bombCache.gz;
}

function streamZeros(res: ServerResponse, total: number): void {
  const chunk = Buffer.alloc(64 * 1024, 0x20);
  let sent = 0;
  const pump = () => {
    while (sent < total && !res.destroyed) {
      const n = Math.min(chunk.length, total - sent);
      sent += n;
      if (!res.write(n === chunk.length ? chunk : chunk.subarray(0, n))) return void res.once('drain', pump);
    }
    if (!res.destroyed) res.end();
  };
  pump();
}

export const fault = {
  /**
   * A healthy answer: 200 with ETag and Last-Modified, and 304 to a request carrying the same
   * ETag. `type` null sends no Content-Type at all.
   */
  ok(body: Uint8Array | string, type: string | null = 'text/html; charset=utf-8', headers: Record<string, string> = {}): Handler {
    const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : Buffer.from(body);
    const etag = etagOf(bytes);
    return (req, res) => {
      if (req.headers['if-none-match'] === etag) return void res.writeHead(304, { ETag: etag, 'Last-Modified': LAST_MODIFIED }).end();
      res.writeHead(200, { ...(type ? { 'Content-Type': type } : {}), 'Content-Length': String(bytes.length), ETag: etag, 'Last-Modified': LAST_MODIFIED, ...headers });
      res.end(bytes);
    };
  },

  /** A plain status with a small body (500, 503, 404, 410, 403…). */
  status(code: number, headers: Record<string, string> = {}): Handler {
    return (_req, res) => {
      res.writeHead(code, { 'Content-Type': 'text/html; charset=utf-8', ...headers });
      res.end(`<html><body><h1>${code}</h1></body></html>`);
    };
  },

  /** The first `times` requests get `failure`, the later ones `then`. */
  failing(times: number, failure: Handler, then: Handler): Handler {
    return (req, res, ctx) => (ctx.n <= times ? failure(req, res, ctx) : then(req, res, ctx));
  },

  /** 429 (or 503) with Retry-After; `value` is computed when the response is sent (an HTTP date moves). */
  retryAfter(code: 429 | 503, value: () => string): Handler {
    return (_req, res) => {
      res.writeHead(code, { 'Content-Type': 'text/plain', 'Retry-After': value() });
      res.end('slow down');
    };
  },

  /** Headers only after `ms`. */
  slowHeaders(ms: number, then: Handler): Handler {
    return (req, res, ctx) => {
      const t = setTimeout(() => then(req, res, ctx), ms);
      res.on('close', () => clearTimeout(t));
    };
  },

  /** Headers and a first chunk, then nothing, ever. */
  stall(type = 'application/pdf'): Handler {
    return (_req, res) => {
      res.writeHead(200, { 'Content-Type': type, 'Content-Length': '100000' });
      res.write('%PDF-1.7\n');
    };
  },

  /** A body that trickles one byte every `everyMs`, never ending: no single gap is long. */
  trickle(everyMs: number, type = 'application/pdf'): Handler {
    return (_req, res) => {
      res.writeHead(200, { 'Content-Type': type });
      res.write('%PDF-1.7\n');
      const t = setInterval(() => res.write('.'), everyMs);
      res.on('close', () => clearInterval(t));
    };
  },

  /** Content-Length of the whole body, part of it sent, then a TCP reset. */
  resetMidBody(body: Uint8Array, sentFraction = 0.3, type = 'application/pdf'): Handler {
    return (req, res) => {
      res.writeHead(200, { 'Content-Type': type, 'Content-Length': String(body.length) });
      res.write(Buffer.from(body).subarray(0, Math.floor(body.length * sentFraction)));
      setTimeout(() => req.socket.resetAndDestroy(), 20);
    };
  },

  /** Content-Length larger than what is sent; the connection is then closed cleanly (FIN). */
  truncated(body: Uint8Array, sentFraction = 0.5, type = 'application/pdf'): Handler {
    return (req, res) => {
      res.writeHead(200, { 'Content-Type': type, 'Content-Length': String(body.length) });
      res.write(Buffer.from(body).subarray(0, Math.floor(body.length * sentFraction)), () => req.socket.end());
    };
  },

  redirect(location: string, code: 301 | 302 | 303 | 307 | 308 = 302): Handler {
    return (_req, res) => void res.writeHead(code, { Location: location }).end();
  },

  /** `bytes` of body, announced in Content-Length (`declared`) or streamed chunked. */
  large(bytes: number, declared: boolean, type = 'application/pdf'): Handler {
    return (_req, res) => {
      res.writeHead(200, { 'Content-Type': type, ...(declared ? { 'Content-Length': String(bytes) } : {}) });
      streamZeros(res, bytes);
    };
  },

  /** A small gzip body that inflates to `inflated` bytes. */
  gzipBomb(inflated: number, type = 'text/html; charset=utf-8'): Handler {
    // Compressed now, while the test sets up: compressing 64 MiB blocks this process (the
    // crawler's too) for seconds on a loaded machine, which ran requests past their deadlines.
    const gz = gzipBombBytes(inflated);
    return (_req, res) => {
      res.writeHead(200, { 'Content-Type': type, 'Content-Encoding': 'gzip', 'Content-Length': String(gz.length) });
      res.end(gz);
    };
  },

  /** Gzip a healthy body (a server that compresses: the fetcher must undo it). */
  gzipped(body: Uint8Array | string, type = 'text/html; charset=utf-8'): Handler {
    const gz = gzipSync(typeof body === 'string' ? Buffer.from(body, 'utf8') : body);
    return (_req, res) => void res.writeHead(200, { 'Content-Type': type, 'Content-Encoding': 'gzip', 'Content-Length': String(gz.length) }).end(gz);
  },

  /** Answer by the server's `night` (a portal whose listing changes from one nightly crawl to the next). */
  nightly(byNight: (night: number) => Handler): Handler {
    return (req, res, ctx) => byNight(ctx.night)(req, res, ctx);
  },
};
