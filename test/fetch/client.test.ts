/** The HTTP client against real loopback servers: every failure mode ends as a typed result. */
import { gzipSync } from 'node:zlib';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createFetcher } from '../../src/fetch/client.js';
import type { Resolver } from '../../src/fetch/lookup.js';
import type { FetchPolicy, FetchResult } from '../../src/fetch/types.js';
import { serve, type TestServer } from './server.js';

const LOCAL: FetchPolicy = { allowedHosts: ['127.0.0.1'], allowPrivate: true };
const fast = { retries: 0, backoffBaseMs: 5, backoffMaxMs: 20 };

function failed(r: FetchResult) {
  if (r.ok) throw new Error(`expected a failure, got HTTP ${r.status} from ${r.finalUrl}`);
  return r;
}
function succeeded(r: FetchResult) {
  if (!r.ok) throw new Error(`expected success, got ${r.reason}: ${r.message}`);
  return r;
}

let srv: TestServer;
const state = { count: new Map<string, number>() };
const bump = (k: string) => {
  const n = (state.count.get(k) ?? 0) + 1;
  state.count.set(k, n);
  return n;
};
const fetcher = createFetcher({ limits: fast });

beforeAll(async () => {
  srv = await serve((req, res) => {
    const u = new URL(req.url!, 'http://x');
    const p = u.pathname;
    if (p === '/ok') {
      if (req.headers['if-none-match'] === '"v1"') return res.writeHead(304).end();
      res.writeHead(200, { 'content-type': 'text/html', etag: '"v1"', 'last-modified': 'Wed, 01 Jan 2025 00:00:00 GMT' });
      return res.end('<p>你好</p>');
    }
    if (p === '/slow-headers') return void setTimeout(() => res.end('late'), 1500);
    if (p === '/stall-body') {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.write('start…');
      return; // never ends
    }
    if (p === '/trickle') {
      res.writeHead(200, { 'content-type': 'text/plain' });
      const t = setInterval(() => res.write('.'), 50);
      res.on('close', () => clearInterval(t));
      return;
    }
    if (p === '/429') {
      if (bump(`429${u.search}`) === 1) {
        res.writeHead(429, { 'retry-after': u.searchParams.get('after') ?? '1' });
        return res.end('slow down');
      }
      return res.end('ok now');
    }
    if (p === '/503-then-ok') {
      if (bump('503') < 3) {
        res.writeHead(503);
        return res.end();
      }
      return res.end('recovered');
    }
    if (p === '/500') {
      res.writeHead(500);
      return res.end();
    }
    if (p === '/404') {
      res.writeHead(404);
      return res.end('no');
    }
    if (p.startsWith('/chain/')) {
      const n = Number(p.split('/')[2]);
      if (n === 0) return res.end('end of chain');
      res.writeHead(302, { location: `/chain/${n - 1}` });
      return res.end();
    }
    if (p === '/loop-a') return res.writeHead(301, { location: '/loop-b' }).end();
    if (p === '/loop-b') return res.writeHead(301, { location: '/loop-a' }).end();
    if (p === '/to') return res.writeHead(302, { location: u.searchParams.get('u')! }).end();
    if (p === '/big-declared') {
      res.writeHead(200, { 'content-length': String(5_000_000) });
      return res.end(Buffer.alloc(5_000_000));
    }
    if (p === '/big-streamed') {
      res.writeHead(200, { 'content-type': 'application/pdf' });
      let sent = 0;
      const pump = () => {
        while (sent < 5_000_000) {
          sent += 65536;
          if (!res.write(Buffer.alloc(65536, 0x41))) return void res.once('drain', pump);
        }
        res.end();
      };
      res.on('error', () => {});
      return pump();
    }
    if (p === '/gzip') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-encoding': 'gzip' });
      return res.end(gzipSync(Buffer.from('<p>压缩的页面</p>')));
    }
    if (p === '/bomb') {
      res.writeHead(200, { 'content-type': 'text/html', 'content-encoding': 'gzip' });
      return res.end(gzipSync(Buffer.alloc(64 * 1024 * 1024)));
    }
    if (p === '/reset') return void req.socket.destroy();
    if (p === '/reset-mid-body') {
      res.writeHead(200, { 'content-length': '100000' });
      res.write(Buffer.alloc(1000));
      return void setTimeout(() => req.socket.destroy(), 20);
    }
    res.writeHead(404);
    res.end();
  });
});
afterAll(async () => {
  await fetcher.close();
  await srv.close();
});
afterEach(() => state.count.clear());

describe('success and conditional requests', () => {
  it('returns bytes, sha256 and validators; a conditional request gets 304', async () => {
    const r = succeeded(await fetcher.fetch({ url: `${srv.base}/ok`, policy: LOCAL }));
    expect(Buffer.from(r.body).toString()).toBe('<p>你好</p>');
    expect(r.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(r.etag).toBe('"v1"');
    const again = succeeded(await fetcher.fetch({ url: `${srv.base}/ok`, policy: LOCAL, validators: { etag: r.etag, lastModified: r.lastModified } }));
    expect(again.notModified).toBe(true);
    expect(again.status).toBe(304);
    expect(again.body.length).toBe(0);
    expect(srv.hits.at(-1)!.headers['if-none-match']).toBe('"v1"');
    expect(srv.hits.at(-1)!.headers['if-modified-since']).toBe('Wed, 01 Jan 2025 00:00:00 GMT');
  });

  it('undoes gzip', async () => {
    const r = succeeded(await fetcher.fetch({ url: `${srv.base}/gzip`, policy: LOCAL }));
    expect(Buffer.from(r.body).toString()).toBe('<p>压缩的页面</p>');
  });

  it('maps 404 and 5xx to reasons, keeping the URL', async () => {
    const nf = failed(await fetcher.fetch({ url: `${srv.base}/404`, policy: LOCAL }));
    expect(nf).toMatchObject({ reason: 'http_404', status: 404, url: `${srv.base}/404`, attempts: 1 });
    const se = failed(await fetcher.fetch({ url: `${srv.base}/500`, policy: LOCAL, limits: { retries: 2 } }));
    expect(se).toMatchObject({ reason: 'http_5xx', status: 500, attempts: 3 });
  });

  it('refuses non-http schemes and junk URLs', async () => {
    expect(failed(await fetcher.fetch({ url: 'ftp://127.0.0.1/x', policy: LOCAL })).reason).toBe('unsupported_scheme');
    expect(failed(await fetcher.fetch({ url: 'not a url', policy: LOCAL })).reason).toBe('invalid_url');
  });
});

describe('timeouts', () => {
  it('gives up waiting for headers', async () => {
    const r = failed(await fetcher.fetch({ url: `${srv.base}/slow-headers`, policy: LOCAL, limits: { headersTimeoutMs: 200 } }));
    expect(r.reason).toBe('timeout');
  });

  it('gives up on a body that stalls', async () => {
    const r = failed(await fetcher.fetch({ url: `${srv.base}/stall-body`, policy: LOCAL, limits: { bodyTimeoutMs: 200 } }));
    expect(r.reason).toBe('timeout');
  });

  it('enforces an overall deadline on a body that trickles forever', async () => {
    const t0 = Date.now();
    const r = failed(await fetcher.fetch({ url: `${srv.base}/trickle`, policy: LOCAL, limits: { bodyTimeoutMs: 1000, totalTimeoutMs: 400 } }));
    expect(r.reason).toBe('timeout');
    // Ends at the 400 ms deadline, not never (the body would trickle forever); generous for load.
    expect(Date.now() - t0).toBeLessThan(10_000);
  });
});

describe('retries', () => {
  it('429 with Retry-After in seconds: waits that long, tells the limiter, then succeeds', async () => {
    const deferred: [string, number][] = [];
    const r = succeeded(await fetcher.fetch({ url: `${srv.base}/429?after=1`, policy: LOCAL, limits: { retries: 2 }, onRetryAfter: (h, ms) => deferred.push([h, ms]) }));
    expect(Buffer.from(r.body).toString()).toBe('ok now');
    expect(r.attempts).toBe(2);
    expect(deferred).toEqual([[`127.0.0.1:${srv.port}`, 1000]]);
    const [a, b] = srv.hits.filter((h) => h.url.startsWith('/429'));
    expect(b!.at - a!.at).toBeGreaterThanOrEqual(990);
  });

  it('429 with Retry-After as an HTTP date', async () => {
    const when = new Date(Date.now() + 2000).toUTCString();
    const r = succeeded(await fetcher.fetch({ url: `${srv.base}/429?after=${encodeURIComponent(when)}`, policy: LOCAL, limits: { retries: 1 } }));
    expect(r.attempts).toBe(2);
    const [a, b] = srv.hits.filter((h) => h.url.startsWith('/429?after=' + encodeURIComponent(when).slice(0, 5)));
    expect(b!.at - a!.at).toBeGreaterThanOrEqual(900); // the date has one-second resolution
  });

  it('a Retry-After beyond the cap fails at once with retryAfterMs', async () => {
    const r = failed(await fetcher.fetch({ url: `${srv.base}/429?after=3600`, policy: LOCAL, limits: { retries: 3, maxRetryAfterMs: 60_000 } }));
    expect(r).toMatchObject({ reason: 'http_429', status: 429, retryAfterMs: 3_600_000, attempts: 1 });
  });

  it('503 is retried with backoff until it recovers', async () => {
    const r = succeeded(await fetcher.fetch({ url: `${srv.base}/503-then-ok`, policy: LOCAL, limits: { retries: 3, backoffBaseMs: 20 } }));
    expect(r.attempts).toBe(3);
    expect(Buffer.from(r.body).toString()).toBe('recovered');
  });

  it('a connection reset before any response is a connection_reset, after retries', async () => {
    const r = failed(await fetcher.fetch({ url: `${srv.base}/reset`, policy: LOCAL, limits: { retries: 1 } }));
    expect(r.reason).toBe('connection_reset');
    expect(r.attempts).toBe(2);
    expect(srv.hits.filter((h) => h.url === '/reset')).toHaveLength(2);
  });

  it('a connection reset mid-body is a connection_reset', async () => {
    const r = failed(await fetcher.fetch({ url: `${srv.base}/reset-mid-body`, policy: LOCAL }));
    expect(r.reason).toBe('connection_reset');
  });
});

describe('redirects', () => {
  it('follows a short chain and reports it', async () => {
    const r = succeeded(await fetcher.fetch({ url: `${srv.base}/chain/3`, policy: LOCAL }));
    expect(r.finalUrl).toBe(`${srv.base}/chain/0`);
    expect(r.redirects).toEqual([`${srv.base}/chain/3`, `${srv.base}/chain/2`, `${srv.base}/chain/1`]);
  });

  it('stops after maxRedirects', async () => {
    const r = failed(await fetcher.fetch({ url: `${srv.base}/chain/10`, policy: LOCAL, limits: { maxRedirects: 3 } }));
    expect(r.reason).toBe('too_many_redirects');
    expect(srv.hits.filter((h) => /^\/chain\/(10|9|8|7|6)$/.test(h.url)).map((h) => h.url)).toEqual(['/chain/10', '/chain/9', '/chain/8', '/chain/7']);
  });

  it('detects a loop', async () => {
    const r = failed(await fetcher.fetch({ url: `${srv.base}/loop-a`, policy: LOCAL }));
    expect(r.reason).toBe('redirect_loop');
    expect(r.message).toContain('loop-a');
  });

  it('refuses a redirect to a host outside allowedHosts, without requesting it', async () => {
    const resolve: Resolver = async () => [{ address: '127.0.0.1', family: 4 }];
    const f = createFetcher({ limits: fast, resolve });
    const target = `http://elsewhere.test:${srv.port}/ok`;
    const r = failed(await f.fetch({ url: `${srv.base}/to?u=${encodeURIComponent(target)}`, policy: LOCAL }));
    await f.close();
    expect(r.reason).toBe('host_not_allowed');
    expect(r.finalUrl).toBe(target);
    expect(srv.hits.some((h) => h.host.startsWith('elsewhere.test'))).toBe(false);
  });
});

describe('private addresses', () => {
  // 127.0.0.1 plays a public server and 127.0.0.2 the internal network, which really listens:
  // a refusal must come from the check, not from a closed port.
  const internal = (ip: string) => ip === '127.0.0.2' || ip === '::ffff:127.0.0.2';
  const resolve: Resolver = async (host) => [{ address: host === 'rebind.test' ? '127.0.0.2' : '127.0.0.1', family: 4 }];
  const policy: FetchPolicy = { allowedHosts: ['127.0.0.1', '127.0.0.2', 'public.test', 'rebind.test'], allowPrivate: false };
  let inner: TestServer;
  beforeAll(async () => {
    inner = await serve((_req, res) => res.end('internal secret'), '127.0.0.2');
  });
  afterAll(() => inner.close());
  const redirectTo = (target: string) => `http://public.test:${srv.port}/to?u=${encodeURIComponent(target)}`;

  it('refuses loopback for a portal without allowPrivate (literal IP and DNS name)', async () => {
    const f = createFetcher({ limits: fast });
    expect(failed(await f.fetch({ url: `${srv.base}/ok`, policy: { allowedHosts: ['127.0.0.1'] } })).reason).toBe('private_address');
    const viaDns = failed(await f.fetch({ url: `http://localhost:${srv.port}/ok`, policy: { allowedHosts: ['localhost'] } }));
    await f.close();
    expect(viaDns.reason).toBe('private_address');
    expect(srv.hits.some((h) => h.host.startsWith('localhost'))).toBe(false);
  });

  it('refuses a redirect to a private IP literal', async () => {
    const f = createFetcher({ limits: fast, resolve, isForbiddenAddress: internal });
    const r = failed(await f.fetch({ url: redirectTo(`${inner.base}/`), policy }));
    await f.close();
    expect(r.reason).toBe('private_address');
    expect(r.redirects).toEqual([redirectTo(`${inner.base}/`)]);
    expect(inner.hits).toHaveLength(0);
  });

  it('refuses a name that resolves to a private address at connect time (DNS rebinding)', async () => {
    const f = createFetcher({ limits: fast, resolve, isForbiddenAddress: internal });
    const direct = failed(await f.fetch({ url: `http://rebind.test:${inner.port}/`, policy }));
    const viaRedirect = failed(await f.fetch({ url: redirectTo(`http://rebind.test:${inner.port}/`), policy }));
    await f.close();
    expect(direct.reason).toBe('private_address');
    expect(direct.message).toContain('127.0.0.2');
    expect(viaRedirect.reason).toBe('private_address');
    expect(inner.hits).toHaveLength(0);
  });

  it('connects when the portal sets allowPrivate', async () => {
    const f = createFetcher({ limits: fast, resolve, isForbiddenAddress: internal });
    const r = succeeded(await f.fetch({ url: redirectTo(`http://rebind.test:${inner.port}/`), policy: { ...policy, allowPrivate: true } }));
    await f.close();
    expect(Buffer.from(r.body).toString()).toBe('internal secret');
    expect(inner.hits).toHaveLength(1);
  });
});

describe('size limits', () => {
  it('refuses a declared Content-Length over the limit without reading it', async () => {
    const r = failed(await fetcher.fetch({ url: `${srv.base}/big-declared`, policy: LOCAL, limits: { maxBytes: 1_000_000 } }));
    expect(r.reason).toBe('too_large');
  });

  it('aborts a streamed body past the limit', async () => {
    const r = failed(await fetcher.fetch({ url: `${srv.base}/big-streamed`, policy: LOCAL, limits: { maxBytes: 200_000 } }));
    expect(r.reason).toBe('too_large');
  });

  it('stops a gzip bomb by its inflated size', async () => {
    const r = failed(await fetcher.fetch({ url: `${srv.base}/bomb`, policy: LOCAL, limits: { maxBytes: 1_000_000, maxDecompressedBytes: 4_000_000 } }));
    expect(r.reason).toBe('decompression_bomb');
    expect(r.message).toMatch(/decompression bomb/);
  });
});
