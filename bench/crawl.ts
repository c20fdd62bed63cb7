/**
 * Crawl throughput on the offline sample portal (samples/portal, portal `demo`): listing and
 * article pages per second, a cold crawl (empty state: every page downloaded) and a conditional
 * one (the state of the last crawl: every page a 304). Twice each: as configured — the portal's
 * robots.txt asks for a Crawl-delay of 50 ms, so politeness sets the pace — and unthrottled (a
 * limiter that never waits), which shows what the crawler itself costs per page.
 */
import type { Portal } from '../src/crawl/config.js';
import { crawlPortal } from '../src/crawl/crawler.js';
import { type HostLimiter, InProcessHostLimiter } from '../src/crawl/politeness.js';
import { createRobots } from '../src/crawl/robots.js';
import { MemoryCrawlState } from '../src/crawl/state.js';
import { samplePortals } from '../src/demo/portal-config.js';
import { startPortalServer } from '../src/demo/portal-server.js';
import { createFetcher } from '../src/fetch/client.js';

export interface CrawlPass {
  crawls: number;
  pages: number;
  requests: number;
  seconds: number;
  pagesPerSecond: number;
}

export interface CrawlBench {
  portal: string;
  pagesPerCrawl: number;
  polite: { cold: CrawlPass; conditional: CrawlPass };
  unthrottled: { cold: CrawlPass; conditional: CrawlPass };
}

/** Grants every slot at once: the crawler's own speed, politeness aside. */
const noWait: HostLimiter = { acquire: async () => () => {}, defer: () => {} };

async function passes(portal: Portal, limiter: () => HostLimiter, rounds: number, requestCount: () => number): Promise<{ cold: CrawlPass; conditional: CrawlPass }> {
  const fetcher = createFetcher();
  try {
    const run = async (state: MemoryCrawlState | null) => {
      let pages = 0;
      const req0 = requestCount();
      const t0 = process.hrtime.bigint();
      for (let r = 0; r < rounds; r++) {
        // A fresh robots cache each crawl, as each nightly run has.
        const res = await crawlPortal(portal, { fetcher, limiter: limiter(), robots: createRobots({ fetcher }), state: state ?? new MemoryCrawlState() });
        pages += res.counters.listingPages + res.counters.articlePages;
      }
      const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
      return { crawls: rounds, pages, requests: requestCount() - req0, seconds, pagesPerSecond: pages / seconds };
    };
    const cold = await run(null);
    // One crawl fills the state; the timed ones then send only conditional requests.
    const state = new MemoryCrawlState();
    await crawlPortal(portal, { fetcher, limiter: limiter(), robots: createRobots({ fetcher }), state });
    const conditional = await run(state);
    return { cold, conditional };
  } finally {
    await fetcher.close();
  }
}

export async function benchCrawl(rounds = 10): Promise<CrawlBench> {
  const server = await startPortalServer();
  try {
    const portal = (await samplePortals(server.baseUrl)).find((p) => p.id === 'demo')!;
    const requests = () => server.requests.length;
    const polite = await passes(portal, () => new InProcessHostLimiter(), rounds, requests);
    return {
      portal: portal.id,
      pagesPerCrawl: polite.cold.pages / polite.cold.crawls,
      polite,
      unthrottled: await passes(portal, () => noWait, rounds * 5, requests),
    };
  } finally {
    await server.close();
  }
}
