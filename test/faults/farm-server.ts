/**
 * The farm's HTTP server, in its own process (started by farm.ts with tsx): one node:http server
 * on 127.0.0.1 answering for every host of the farm by its Host header. A separate process keeps
 * its clock honest — request arrival times are taken on an event loop the crawler does not
 * block — and keeps its CPU and memory out of the crawler's measurements.
 *
 * IPC: parent → { type: 'start', options } | { type: 'hits' } | { type: 'reset' };
 *      child  → { type: 'ready', port } | { type: 'hits', hits }.
 */
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FarmHit } from './farm.js';
import { type FarmOptions, farmHosts, farmListing, farmPool, farmRobots, renderFarmPool } from './farm-layout.js';

interface Resource {
  body: Buffer;
  type: string;
  etag: string;
}

function resource(body: Buffer | string, type: string): Resource {
  const b = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  return { body: b, type, etag: `"${createHash('sha1').update(b).digest('hex').slice(0, 16)}"` };
}

function start(options: FarmOptions): void {
  const pool = farmPool(options);
  const pages = renderFarmPool(pool).map((b) => resource(b, 'text/html; charset=utf-8'));
  const hosts = new Map(farmHosts(options, pool).map((h) => [h.name, h]));
  const perPage = options.perPage ?? 5;
  const hits = new Map<string, FarmHit[]>();

  /** Listings and robots.txt are small and rendered on demand; report pages come from the pool. */
  function lookup(host: string, path: string): Resource | null {
    const h = hosts.get(host);
    if (!h) return null;
    if (path === '/robots.txt') return resource(farmRobots(h), 'text/plain');
    const p = h.listings.indexOf(path);
    if (p >= 0) return resource(farmListing(h, p, perPage), 'text/html; charset=utf-8');
    const r = h.reports.find((x) => x.path === path);
    return r ? pages[r.pool]! : null;
  }

  const server = createServer((req, res) => {
    const at = performance.timeOrigin + performance.now();
    const host = String(req.headers.host ?? '').replace(/:\d+$/, '');
    const path = req.url ?? '/';
    const hit: FarmHit = { path, at, status: 0 };
    let list = hits.get(host);
    if (!list) hits.set(host, (list = []));
    list.push(hit);
    const r = lookup(host, path);
    if (!r) {
      hit.status = 404;
      return void res.writeHead(404).end();
    }
    if (req.headers['if-none-match'] === r.etag) {
      hit.status = 304;
      return void res.writeHead(304, { ETag: r.etag }).end();
    }
    hit.status = 200;
    res.writeHead(200, { 'Content-Type': r.type, 'Content-Length': String(r.body.length), ETag: r.etag });
    res.end(r.body);
  });
  // As long as common servers keep idle connections (nginx: 75 s): a crawl under load reuses them.
  server.keepAliveTimeout = 65_000;
  server.listen(0, '127.0.0.1', () => process.send!({ type: 'ready', port: (server.address() as AddressInfo).port }));

  process.on('message', (m: { type: string }) => {
    if (m.type === 'hits') process.send!({ type: 'hits', hits: Object.fromEntries(hits) });
    else if (m.type === 'reset') hits.clear();
  });
}

process.once('message', (m: { type: string; options: FarmOptions }) => {
  if (m.type === 'start') start(m.options);
});
// The parent went away (test ended, or crashed): so does the farm.
process.on('disconnect', () => process.exit(0));
