/**
 * Retry-After through the pipeline, measured by the server's own clock: a 429 or 503 with
 * Retry-After (seconds or an HTTP date) is retried no sooner than asked; one asking longer than
 * the fetcher waits fails at once as http_429 and holds back every later request to that host
 * (and only that host) for as long as the server asked.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InProcessHostLimiter } from '../../src/crawl/politeness.js';
import type { RunSummary } from '../../src/pipeline/summary.js';
import { openPipeline, testPortal, type TestPipeline } from './harness.js';
import { listingHtml, reportTitle } from './portal.js';
import { type KnownReport, expectKnown, sampleReport } from './reports.js';
import { type FaultServer, fault, startFaultServer } from './server.js';

/** Longest Retry-After the fetcher waits for; longer ones fail the fetch. */
const CAP_MS = 2500;

/** A limiter that remembers every deferral it was asked for. */
class RecordingLimiter extends InProcessHostLimiter {
  readonly deferred: { host: string; ms: number }[] = [];
  override defer(host: string, delayMs: number): void {
    this.deferred.push({ host, ms: delayMs });
    super.defer(host, delayMs);
  }
}

describe('Retry-After through the pipeline', () => {
  let srv: FaultServer;
  let p: TestPipeline;
  let run: RunSummary;
  const limiter = new RecordingLimiter();
  let sentDate = 0;
  const docs: { host: string; path: string; known: KnownReport }[] = [
    { host: 'ra1.faults.test', path: '/files/seconds.pdf', known: sampleReport('pdf', 'chromium-2021-blank') },
    { host: 'ra2.faults.test', path: '/files/date.pdf', known: sampleReport('pdf', 'chromium-2021-split') },
    { host: 'ra4.faults.test', path: '/files/503-seconds.pdf', known: sampleReport('pdf', 'libreoffice-2021-docx') },
    { host: 'ra3.faults.test', path: '/files/after-long.pdf', known: sampleReport('pdf', 'chromium-2021-aggregated') },
  ];
  const LONG = { host: 'ra3.faults.test', path: '/files/long.pdf' };
  const gap = (path: string, host: string) => {
    const [a, b] = srv.hitsOf(path, host);
    return b!.at - a!.at;
  };

  beforeAll(async () => {
    srv = await startFaultServer();
    const ok = (k: KnownReport) => fault.ok(k.bytes, k.type);
    srv.route('/files/seconds.pdf', fault.failing(1, fault.retryAfter(429, () => '1'), ok(docs[0]!.known)), 'ra1.faults.test');
    // An HTTP date has one-second resolution: "2 s from now" means between 1 and 2 s.
    const date = () => {
      sentDate = Math.floor((Date.now() + 2000) / 1000) * 1000;
      return new Date(sentDate).toUTCString();
    };
    srv.route('/files/date.pdf', fault.failing(1, fault.retryAfter(429, date), ok(docs[1]!.known)), 'ra2.faults.test');
    srv.route('/files/503-seconds.pdf', fault.failing(1, fault.retryAfter(503, () => '1'), ok(docs[2]!.known)), 'ra4.faults.test');
    srv.route(LONG.path, fault.retryAfter(429, () => '3'), LONG.host);
    srv.route('/files/after-long.pdf', ok(docs[3]!.known), 'ra3.faults.test');
    // Listed in this order: on ra3, the long 429 is requested before the report after it.
    const items = [{ href: srv.url(LONG.host, LONG.path), title: reportTitle('示例县限流局', 2023) }, ...docs.map((d) => ({ href: srv.url(d.host, d.path), title: reportTitle(d.known.agency, d.known.year) }))];
    // The listing itself first answers 429 with Retry-After: 1.
    srv.route('/ndbg/index.html', fault.failing(1, fault.retryAfter(429, () => '1'), fault.ok(listingHtml(items))), 'www.faults.test');
    const portal = testPortal({
      id: 'ra',
      entries: [srv.url('www.faults.test', '/ndbg/index.html')],
      allowedHosts: ['www.faults.test', '*.faults.test'],
      allowPrivate: true,
      // One request at a time per host: what the server's clock sees is the order the limiter allowed.
      rateLimit: { requestsPerSecond: 50, concurrency: 1 },
      limits: { retries: 2, timeoutMs: 10_000 },
    });
    p = await openPipeline([portal], { limiter, fetcher: { limits: { maxRetryAfterMs: CAP_MS } } });
    run = await p.run();
  }, 180_000);

  afterAll(async () => {
    await p?.close();
    await srv?.close();
  });

  it('429 with Retry-After in seconds: retried after at least that long (server clock), then stored', async () => {
    expect(srv.hitsOf('/files/seconds.pdf', 'ra1.faults.test').map((h) => h.status)).toEqual([429, 200]);
    expect(gap('/files/seconds.pdf', 'ra1.faults.test')).toBeGreaterThanOrEqual(1000);
    expectKnown(await p.store.getRecord(srv.url('ra1.faults.test', '/files/seconds.pdf')), docs[0]!.known, 'seconds.pdf');
  });

  it('429 with Retry-After as an HTTP date: retried no sooner than the date, then stored', async () => {
    expect(srv.hitsOf('/files/date.pdf', 'ra2.faults.test').map((h) => h.status)).toEqual([429, 200]);
    expect(gap('/files/date.pdf', 'ra2.faults.test')).toBeGreaterThanOrEqual(990);
    // The server's clock (epoch ms) at the retry is past the date it sent, give or take clock rounding.
    expect(srv.hitsOf('/files/date.pdf', 'ra2.faults.test')[1]!.at).toBeGreaterThanOrEqual(sentDate - 10);
    expectKnown(await p.store.getRecord(srv.url('ra2.faults.test', '/files/date.pdf')), docs[1]!.known, 'date.pdf');
  });

  it('503 with Retry-After: the same', async () => {
    expect(srv.hitsOf('/files/503-seconds.pdf', 'ra4.faults.test').map((h) => h.status)).toEqual([503, 200]);
    expect(gap('/files/503-seconds.pdf', 'ra4.faults.test')).toBeGreaterThanOrEqual(1000);
    expectKnown(await p.store.getRecord(srv.url('ra4.faults.test', '/files/503-seconds.pdf')), docs[2]!.known, '503-seconds.pdf');
  });

  it('a listing page answering 429 is retried after its Retry-After and the crawl goes on', () => {
    expect(srv.hitsOf('/ndbg/index.html', 'www.faults.test').map((h) => h.status)).toEqual([429, 200]);
    expect(gap('/ndbg/index.html', 'www.faults.test')).toBeGreaterThanOrEqual(1000);
    expect(run.reportsFound).toBe(docs.length + 1);
  });

  it('a Retry-After beyond the cap fails at once as http_429, stored with its status', async () => {
    expect(srv.hitsOf(LONG.path, LONG.host).map((h) => h.status)).toEqual([429]);
    expect(await p.doc(srv.url(LONG.host, LONG.path))).toMatchObject({ status: 'failed', errorCode: 'http_429', httpStatus: 429, attempts: 1 });
    expect(run.failures).toEqual([expect.objectContaining({ stage: 'fetch', url: srv.url(LONG.host, LONG.path), reason: 'http_429' })]);
    expect(run.failures[0]!.message).toMatch(/Retry-After 3 s is longer than we wait/);
  });

  it('…and that host is deferred as long as the server asked: its next request comes 3 s later', async () => {
    const host = `${LONG.host}:${srv.port}`;
    expect(limiter.deferred.filter((d) => d.host === host)).toEqual([{ host, ms: 3000 }]);
    const at429 = srv.hitsOf(LONG.path, LONG.host)[0]!.at;
    const later = srv.hits.filter((h) => h.host === LONG.host && h.at > at429);
    expect(later.map((h) => h.path)).toEqual(['/files/after-long.pdf']);
    expect(later[0]!.at - at429).toBeGreaterThanOrEqual(3000);
    expectKnown(await p.store.getRecord(srv.url('ra3.faults.test', '/files/after-long.pdf')), docs[3]!.known, 'after-long.pdf');
  });

  it('every deferral the fetcher asked for is one the servers sent', () => {
    const byHost = Object.fromEntries(limiter.deferred.map((d) => [d.host.replace(/:\d+$/, ''), d.ms]));
    expect(Object.keys(byHost).sort()).toEqual(['ra1.faults.test', 'ra2.faults.test', 'ra3.faults.test', 'ra4.faults.test', 'www.faults.test']);
    expect(byHost['ra1.faults.test']).toBe(1000);
    expect(byHost['ra2.faults.test']).toBeGreaterThan(900);
    expect(byHost['ra2.faults.test']).toBeLessThanOrEqual(2000);
  });
});
