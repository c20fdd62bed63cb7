/**
 * The offline sample portal: samples/portal/site served on 127.0.0.1 by node:http, with the
 * behaviours the crawler must cope with — ETag/Last-Modified and 304s, gzip, a download servlet
 * with Content-Disposition (routes.json), real 404s, and a report that can be published while the
 * server runs (manifest.json "unpublished"). Every request is logged for tests to inspect.
 *
 *   const portal = await startPortalServer();   // random port
 *   portal.baseUrl                              // http://127.0.0.1:40123
 */
import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { packageRoot } from '../package-root.js';
import { gzipSync } from 'node:zlib';

export const SAMPLE_PORTAL_DIR = join(packageRoot(), 'samples/portal');

export interface PortalServerOptions {
  /** Folder holding site/, routes.json and manifest.json. */
  root?: string;
  host?: string;
  /** 0 (default): a free port. */
  port?: number;
  /** Answer conditional requests with 304 (default true). Off: a server that ignores them. */
  conditional?: boolean;
  /** Gzip text when the client accepts it (default true). */
  gzip?: boolean;
}

export interface RequestRecord {
  method: string;
  /** Path and query, as requested. */
  url: string;
  /** Epoch milliseconds with sub-millisecond precision (monotonic). */
  at: number;
  status: number;
  /** The request carried If-None-Match or If-Modified-Since. */
  conditional: boolean;
  userAgent: string;
}

export interface PortalServer {
  baseUrl: string;
  host: string;
  port: number;
  requests: RequestRecord[];
  /** Make an unpublished report (manifest.json) appear: its page is served and listed. */
  publish(url: string): Promise<void>;
  close(): Promise<void>;
}

interface Route {
  file: string;
  headers: Record<string, string>;
}

interface Unpublished {
  url: string;
  listing: string;
  file: string;
  listingItem: string;
}

interface Resource {
  body: Buffer;
  headers: Record<string, string>;
  modified: Date;
}

const TYPES: Record<string, string> = {
  // No charset on HTML, as many government servers send it: pages must declare their own (or not).
  '.html': 'text/html',
  '.htm': 'text/html',
  '.json': 'application/json; charset=utf-8',
  '.css': 'text/css',
  '.js': 'application/javascript',
  '.txt': 'text/plain',
  '.pdf': 'application/pdf',
  '.doc': 'application/msword',
  '.docx': 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  '.png': 'image/png',
};

const COMPRESSIBLE = /^(text\/|application\/(json|javascript))/;
const LIST_MARK = '<!-- list:start -->';

/** Header values must be Latin-1: send UTF-8 file names as raw bytes, as many servers do. */
function latin1(v: string): string {
  return /[^\u0000-\u00ff]/.test(v) ? Buffer.from(v, 'utf8').toString('latin1') : v;
}

export async function startPortalServer(opts: PortalServerOptions = {}): Promise<PortalServer> {
  const root = opts.root ?? SAMPLE_PORTAL_DIR;
  const site = join(root, 'site');
  const routes = JSON.parse(await readFile(join(root, 'routes.json'), 'utf8')) as Record<string, Route>;
  const manifest = JSON.parse(await readFile(join(root, 'manifest.json'), 'utf8')) as { unpublished?: Unpublished[] };
  const conditional = opts.conditional ?? true;
  const gzip = opts.gzip ?? true;
  const requests: RequestRecord[] = [];
  const overlays = new Map<string, Resource>();
  const inserted = new Map<string, { items: string[]; modified: Date }>();

  async function load(path: string, query: string): Promise<Resource | null> {
    const route = routes[path + query];
    if (route) {
      const file = join(root, 'site', route.file);
      return { body: await readFile(file), headers: Object.fromEntries(Object.entries(route.headers).map(([k, v]) => [k, latin1(v)])), modified: (await stat(file)).mtime };
    }
    const overlay = overlays.get(path);
    if (overlay) return overlay;
    let rel = decodeURIComponent(path);
    if (rel.endsWith('/')) rel += 'index.html';
    const file = normalize(join(site, rel));
    if (!file.startsWith(site + sep)) return null;
    try {
      const st = await stat(file);
      if (!st.isFile()) return null;
      let body = await readFile(file);
      let modified = st.mtime;
      const extra = inserted.get(path);
      if (extra) {
        body = Buffer.from(body.toString('utf8').replace(LIST_MARK, `${LIST_MARK}\n${extra.items.join('\n')}`), 'utf8');
        modified = extra.modified;
      }
      return { body, headers: { 'Content-Type': TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream' }, modified };
    } catch {
      return null;
    }
  }

  function respond(req: IncomingMessage, res: ServerResponse, status: number, headers: Record<string, string>, body: Buffer): void {
    const type = headers['Content-Type'] ?? '';
    let out = body;
    if (gzip && status === 200 && COMPRESSIBLE.test(type) && /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''))) {
      out = gzipSync(body);
      headers['Content-Encoding'] = 'gzip';
      headers.Vary = 'Accept-Encoding';
    }
    headers['Content-Length'] = String(out.length);
    res.writeHead(status, headers);
    res.end(req.method === 'HEAD' ? undefined : out);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<number> {
    const u = new URL(req.url ?? '/', 'http://x');
    const r = await load(u.pathname, u.search);
    if (!r) {
      respond(req, res, 404, { 'Content-Type': 'text/html; charset=utf-8' }, Buffer.from('<html><head><title>404</title></head><body><h1>404 您访问的页面不存在</h1></body></html>'));
      return 404;
    }
    const etag = `"${createHash('sha1').update(r.body).digest('hex').slice(0, 16)}"`;
    const lastModified = r.modified.toUTCString();
    const headers = { ...r.headers, ETag: etag, 'Last-Modified': lastModified, 'Cache-Control': 'no-cache' };
    if (conditional) {
      const inm = req.headers['if-none-match'];
      const ims = req.headers['if-modified-since'];
      // RFC 9110: If-None-Match, when present, decides; If-Modified-Since only without it.
      const fresh = inm !== undefined ? inm.split(',').some((t) => t.trim().replace(/^W\//, '') === etag) : ims !== undefined && Math.floor(r.modified.getTime() / 1000) <= Math.floor(Date.parse(ims) / 1000);
      if (fresh) {
        res.writeHead(304, { ETag: etag, 'Last-Modified': lastModified });
        res.end();
        return 304;
      }
    }
    respond(req, res, 200, headers, r.body);
    return 200;
  }

  const server = createServer((req, res) => {
    const at = performance.timeOrigin + performance.now();
    const rec: RequestRecord = {
      method: req.method ?? 'GET',
      url: req.url ?? '/',
      at,
      status: 0,
      conditional: req.headers['if-none-match'] !== undefined || req.headers['if-modified-since'] !== undefined,
      userAgent: String(req.headers['user-agent'] ?? ''),
    };
    requests.push(rec);
    handle(req, res).then(
      (status) => (rec.status = status),
      () => {
        rec.status = 500;
        if (!res.headersSent) res.writeHead(500);
        res.end();
      },
    );
  });
  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => ok());
  });
  const addr = server.address() as AddressInfo;
  const host = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;

  return {
    baseUrl: `http://${host}:${addr.port}`,
    host: addr.address,
    port: addr.port,
    requests,
    async publish(url) {
      const entry = manifest.unpublished?.find((e) => e.url === url);
      if (!entry) throw new Error(`not an unpublished report in manifest.json: ${url}`);
      const now = new Date();
      overlays.set(entry.url, { body: await readFile(join(root, entry.file)), headers: { 'Content-Type': 'text/html' }, modified: now });
      const prev = inserted.get(entry.listing);
      // Last-Modified has one-second resolution: make sure the listing's date moves forward.
      const modified = new Date(Math.max(now.getTime(), (prev?.modified.getTime() ?? 0) + 1000, Date.now() + 1000));
      inserted.set(entry.listing, { items: [entry.listingItem, ...(prev?.items ?? [])], modified });
    },
    close: () =>
      new Promise<void>((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}
