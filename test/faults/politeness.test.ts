/**
 * Politeness as the server sees it: a host's rate limit spaces the requests that arrive there,
 * not only the moments the crawler decides to send them. One host, a slow first DNS answer
 * (400 ms, common for small government name servers), a limit of 4 requests per second.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPipeline, testPortal, testResolver, type TestPipeline } from './harness.js';
import { listingHtml, reportTitle } from './portal.js';
import { htmlReport } from './reports.js';
import { type FaultServer, fault, startFaultServer } from './server.js';

const HOST = 'slowdns.politeness.test';
const INTERVAL_MS = 250;

describe('a host with a slow name server and a 4 requests/second limit', () => {
  let srv: FaultServer;
  let p: TestPipeline;
  const starts: { path: string; at: number }[] = [];

  beforeAll(async () => {
    srv = await startFaultServer();
    const reports = [htmlReport(7601, '示例县礼貌一局', 2023), htmlReport(7602, '示例县礼貌二局', 2023)];
    reports.forEach((r, i) => srv.route(`/ndbg/t${i}.html`, fault.ok(r.bytes, 'text/html')));
    srv.route('/ndbg/index.html', fault.ok(listingHtml(reports.map((r, i) => ({ href: `/ndbg/t${i}.html`, title: reportTitle(r.agency, r.year) })))));
    const dns = testResolver();
    let first = true;
    const slowOnce = async (name: string) => {
      if (first) {
        first = false;
        await new Promise((r) => setTimeout(r, 400));
      }
      return dns(name);
    };
    const portal = testPortal({ id: 'polite', entries: [srv.url(HOST, '/ndbg/index.html')], allowedHosts: [HOST], allowPrivate: true, rateLimit: { requestsPerSecond: 1000 / INTERVAL_MS, concurrency: 1 } });
    p = await openPipeline([portal], { fetcher: { resolve: slowOnce, onRequest: (i) => starts.push({ path: new URL(i.url).pathname, at: performance.timeOrigin + performance.now() }) } });
    await p.run();
  }, 30_000);

  afterAll(async () => {
    await p?.close();
    await srv?.close();
  });

  const gaps = (ts: number[]) => ts.slice(1).map((t, i) => t - ts[i]!);

  it('the crawler starts its requests at least 250 ms apart (its own clock)', () => {
    expect(starts.map((s) => s.path)).toEqual(['/robots.txt', '/ndbg/index.html', '/ndbg/t0.html', '/ndbg/t1.html', '/ndbg/t0.html', '/ndbg/t1.html']);
    expect(Math.min(...gaps(starts.map((s) => s.at)))).toBeGreaterThanOrEqual(INTERVAL_MS - 1);
  });

  // BUG (src/crawl/politeness.ts, src/fetch/client.ts): the interval runs from the moment the
  // limiter lets robots.txt start; its DNS answer then takes 400 ms, and the listing — allowed
  // to start 250 ms after robots.txt was — goes out the moment robots.txt's answer is in, on the
  // same kept-alive connection: the server sees robots.txt and the listing a few ms apart (the
  // later gaps are fine). Expected: requests arrive at least the interval apart (here, 250 ms
  // less a little jitter).
  it('the server receives them at least 250 ms apart', () => {
    expect(srv.hits.map((h) => h.path)).toEqual(starts.map((s) => s.path));
    expect(Math.min(...gaps(srv.hits.map((h) => h.at)))).toBeGreaterThanOrEqual(INTERVAL_MS - 10);
  });
});
