/**
 * The crawler against the offline sample portal (samples/portal), asserting against its manifest:
 * the exact reports, robots.txt, rate limits from the limiter's recorded decisions, conditional re-crawls.
 */
import { existsSync } from 'node:fs';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { crawlPortal } from '../../src/crawl/crawler.js';
import type { CrawlEvent } from '../../src/crawl/events.js';
import { createRobots } from '../../src/crawl/robots.js';
import { startPortalServer, type PortalServer } from '../../src/demo/portal-server.js';
import { launchBrowserRenderer, type PageRenderer } from '../../src/fetch/browser.js';
import { intervalBreaches, sendsOf } from '../helpers/limiter.js';
import { freshDeps, manifest, manifestKey, portalsFor, refKey } from './sample.js';

const expected = (portal: string) => manifest.reports.filter((r) => r.portal === portal).map(manifestKey).sort();
const path = (u: string, base: string) => (u.startsWith(base) ? u.slice(base.length) : u);

describe('crawlPortal on the sample portal', () => {
  let server: PortalServer;
  let deps: ReturnType<typeof freshDeps>;
  const clientStarts: { url: string }[] = [];
  beforeEach(async () => {
    server = await startPortalServer();
    clientStarts.length = 0;
    deps = freshDeps((i) => clientStarts.push(i));
  });
  afterEach(async () => {
    await deps.fetcher.close();
    await server.close();
  });

  it('finds exactly the reports the manifest lists, with year, agency and how they are published', async () => {
    const portal = (await portalsFor(server)).demo!;
    const events: CrawlEvent[] = [];
    const r = await crawlPortal(portal, { ...deps, onEvent: (e) => events.push(e) });
    expect(r.refs.map((x) => refKey(x, server.baseUrl)).sort()).toEqual(expected('demo'));
    expect(r.newRefs).toHaveLength(r.refs.length);
    // Dead links are errors with their reason; robots and foreign hosts are deliberate skips.
    expect(r.errors.map((e) => [path(e.url, server.baseUrl), e.reason])).toEqual(manifest.dead.filter((d) => d.portal === 'demo').map((d) => [d.url, 'http_404']));
    expect(r.skipped.map((s) => [path(s.url, server.baseUrl), s.reason]).sort()).toEqual(
      [...manifest.robotsDisallowed.map((d) => [d.url, 'robots_disallowed']), ...manifest.offHost.map((d) => [d.url, 'host_not_allowed'])].sort(),
    );
    expect(r.counters).toMatchObject({ listingPages: manifest.listings.demo!.length, reportsFound: r.refs.length, reportsNew: r.refs.length, notModified: 0, errors: { http_404: 1 } });
    // Every listing page, and only those, was visited; no page that is not a report was opened.
    const requested = new Set(server.requests.map((q) => q.url));
    for (const l of manifest.listings.demo!) expect(requested).toContain(l);
    for (const n of manifest.notReports) expect(requested).not.toContain(n.url);
    expect(events.filter((e) => e.type === 'report')).toHaveLength(r.refs.length);
  });

  it('honours robots.txt: fetched once, the disallowed path never requested', async () => {
    const portal = (await portalsFor(server)).demo!;
    await crawlPortal(portal, deps);
    expect(server.requests.filter((q) => q.url === '/robots.txt')).toHaveLength(1);
    for (const d of manifest.robotsDisallowed) expect(server.requests.map((q) => q.url)).not.toContain(d.url);
    expect(server.requests.every((q) => q.userAgent.startsWith('nianbao/'))).toBe(true);
  });

  // Checked on the limiter's own decisions (test/helpers/limiter.ts), not on intervals measured
  // under load: a busy machine delays callbacks and arrivals unevenly and would fake a breach.
  it('honours the rate limit: no request is let go before Crawl-delay (50 ms) from the previous send; the server saw exactly those requests', async () => {
    const portal = (await portalsFor(server)).demo!;
    expect(portal.rateLimit.requestsPerSecond).toBe(50); // 20 ms — robots.txt's Crawl-delay 0.05 is slower and wins
    await crawlPortal(portal, deps);
    const host = new URL(server.baseUrl).host;
    const sends = sendsOf(deps.limiter.slots, host);
    expect(sends.length).toBeGreaterThan(10);
    // robots.txt itself goes out before the Crawl-delay is known (at the portal's 20 ms); every later request at 50 ms.
    expect(sends.map((s) => s.minIntervalMs)).toEqual([20, ...sends.slice(1).map(() => 50)]);
    expect(intervalBreaches(deps.limiter.slots, host)).toEqual([]);
    // One send per request the client made and the server received: none went around the limiter.
    expect(clientStarts.map((c) => path(c.url, server.baseUrl))[0]).toBe('/robots.txt');
    expect(clientStarts).toHaveLength(sends.length);
    expect(server.requests.map((q) => q.url).sort()).toEqual(clientStarts.map((c) => path(c.url, server.baseUrl)).sort());
  });

  it('a second run is all conditional requests, all 304, and reports nothing new; a report published in between is found', async () => {
    const portal = (await portalsFor(server)).demo!;
    const first = await crawlPortal(portal, deps);
    const mark = server.requests.length;
    const second = await crawlPortal(portal, { ...deps, robots: createRobots({ fetcher: deps.fetcher }) });
    const run2 = server.requests.slice(mark).filter((q) => q.url !== '/robots.txt');
    const dead = new Set(manifest.dead.map((d) => d.url));
    expect(run2.filter((q) => !dead.has(q.url)).every((q) => q.conditional && q.status === 304)).toBe(true);
    expect(run2.filter((q) => dead.has(q.url)).map((q) => q.status)).toEqual([404]);
    expect(second.newRefs).toEqual([]);
    expect(second.refs.map((x) => refKey(x, server.baseUrl)).sort()).toEqual(first.refs.map((x) => refKey(x, server.baseUrl)).sort());
    expect(second.counters).toMatchObject({ fetched: 0, notModified: run2.length - 1, reportsNew: 0 });

    const added = manifest.unpublished[0]!;
    await server.publish(added.url);
    const mark3 = server.requests.length;
    const third = await crawlPortal(portal, { ...deps, robots: createRobots({ fetcher: deps.fetcher }) });
    expect(third.newRefs.map((x) => refKey(x, server.baseUrl))).toEqual([manifestKey(added)]);
    const run3 = server.requests.slice(mark3);
    expect(run3.filter((q) => q.status === 200).map((q) => q.url).sort()).toEqual(['/robots.txt', added.listing, added.url].sort());
  });

  it('when the server ignores conditional requests, equal hashes still mean nothing new', async () => {
    await server.close();
    server = await startPortalServer({ conditional: false });
    const portal = (await portalsFor(server)).demo!;
    const first = await crawlPortal(portal, deps);
    const second = await crawlPortal(portal, { ...deps, robots: createRobots({ fetcher: deps.fetcher }) });
    expect(second.newRefs).toEqual([]);
    expect(second.counters.notModified).toBe(0);
    expect(second.counters.unchanged).toBe(first.counters.fetched);
    expect(second.counters.fetched).toBe(0);
  });

  it('stops at maxPages listing pages', async () => {
    const portal = (await portalsFor(server)).demo!;
    const r = await crawlPortal({ ...portal, limits: { ...portal.limits, maxPages: 3 } }, deps);
    expect(r.counters.listingPages).toBe(3);
    expect(r.counters.skipped.max_pages).toBe(manifest.listings.demo!.length - 3);
  });

  it('refuses the loopback portal when allowPrivate is off, without sending a request', async () => {
    const portal = (await portalsFor(server)).demo!;
    const r = await crawlPortal({ ...portal, allowPrivate: false }, deps);
    expect(r.refs).toEqual([]);
    expect(r.errors.map((e) => e.reason)).toEqual(['private_address', 'private_address']);
    expect(server.requests).toHaveLength(0);
  });
});

describe.skipIf(!existsSync('/usr/bin/chromium'))('crawlPortal with render: browser', () => {
  let server: PortalServer;
  let renderer: PageRenderer;
  afterAll(async () => {
    await renderer?.close();
    await server?.close();
  });

  it('finds the reports of a JavaScript-built listing; a second run finds nothing new', async () => {
    server = await startPortalServer();
    renderer = await launchBrowserRenderer();
    const portal = (await portalsFor(server))['demo-js']!;
    const deps = freshDeps();
    const r = await crawlPortal(portal, { ...deps, renderer });
    expect(r.refs.map((x) => refKey(x, server.baseUrl)).sort()).toEqual(expected('demo-js'));
    expect(r.counters.rendered).toBe(1);
    const again = await crawlPortal(portal, { ...deps, renderer, robots: createRobots({ fetcher: deps.fetcher }) });
    expect(again.newRefs).toEqual([]);
    expect(again.counters).toMatchObject({ unchanged: 1, notModified: 1 });
    const none = await crawlPortal(portal, freshDeps());
    expect(none.errors.map((e) => e.reason)).toEqual(['renderer_unavailable']);
    await deps.fetcher.close();
  });
});
