/**
 * Politeness as the server sees it: a host's rate limit spaces the requests that are sent there,
 * not only the moments the crawler decides to let them start. One host, a slow first DNS answer
 * (400 ms, common for small government name servers), a limit of 4 requests per second.
 * Checked on the limiter's decisions against the actual sends (test/helpers/limiter.ts) and the
 * server's record of request order, not on intervals measured under load; the farm tests
 * (*.slow.test.ts) measure arrival rates on the server's own clock.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { intervalBreaches, recordingLimiter, sendsOf } from '../helpers/limiter.js';
import { openPipeline, testPortal, testResolver, type TestPipeline } from './harness.js';
import { listingHtml, reportTitle } from './portal.js';
import { htmlReport } from './reports.js';
import { type FaultServer, fault, startFaultServer } from './server.js';

const HOST = 'slowdns.politeness.test';
const INTERVAL_MS = 250;

describe('a host with a slow name server and a 4 requests/second limit', () => {
  let srv: FaultServer;
  let p: TestPipeline;
  const starts: string[] = [];
  const limiter = recordingLimiter();

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
    p = await openPipeline([portal], { limiter, fetcher: { resolve: slowOnce, onRequest: (i) => starts.push(new URL(i.url).pathname) } });
    await p.run();
  }, 180_000);

  afterAll(async () => {
    await p?.close();
    await srv?.close();
  });

  const host = () => new URL(srv.url(HOST, '/')).host;

  it('the crawler sends its requests in order, one slot each', () => {
    // Each report page once: discovery's response is the document's fetch (src/crawl: fetched once per crawl).
    expect(starts).toEqual(['/robots.txt', '/ndbg/index.html', '/ndbg/t0.html', '/ndbg/t1.html']);
    expect(sendsOf(limiter.slots, host()).map((s) => s.minIntervalMs)).toEqual(starts.map(() => INTERVAL_MS));
  });

  // Was a bug (src/crawl/politeness.ts, src/fetch/client.ts): the interval ran from the moment the
  // limiter let robots.txt start; its DNS answer then took 400 ms, and the listing — allowed to
  // start 250 ms after robots.txt was — went out the moment robots.txt's answer was in: the server
  // saw the two a few ms apart. Now the interval runs from each actual send.
  it('no request is let go before 250 ms from the previous send, the slow DNS answer included', () => {
    expect(intervalBreaches(limiter.slots, host())).toEqual([]);
  });

  it('the server receives exactly those requests, in that order', () => {
    expect(srv.hits.map((h) => h.path)).toEqual(starts);
  });
});
