/**
 * Load: a farm of 300 portals on 300 invented loopback hosts, 3,000 inline reports
 * (test/faults/farm.ts: one HTTP server in a child process, a pool of 24 rendered reports),
 * crawled by local mode with every portal at once and high fetch concurrency, each host at its
 * own rate limit (4–20 requests/s; a robots.txt Crawl-delay on every fifth; a slow first DNS
 * answer on every tenth). Reported: crawl throughput (reports and pages per second until the
 * last document is fetched), extraction and end-to-end throughput, wall time, and per host the
 * fastest rate observed against its limit — by the server's clock and by the crawler's.
 */
import { type FarmOptions } from '../test/faults/farm-layout.js';
import { type HostRate, arrivals, hostRates, startFarm } from '../test/faults/farm.js';
import { openPipeline } from '../test/faults/harness.js';

export interface RateSummary {
  /** Hosts where some request came sooner after the previous one than the host's interval (−10 ms). */
  hostsWithEarlyRequests: number;
  /** Early requests over all hosts. */
  earlyRequests: number;
  /** Worst host: most requests in any one second, against its limit (requests per second). */
  maxRateVsLimit: { host: string; requestsInOneSecond: number; limitPerSecond: number };
  /** Worst host: smallest gap between two requests, against its interval. */
  worstGap: { host: string; minGapMs: number; intervalMs: number };
}

export interface FarmBench {
  hosts: number;
  reports: number;
  wallSeconds: number;
  crawl: { seconds: number; reportsPerSecond: number; pagesPerSecond: number; requests: number };
  extract: { seconds: number; recordsPerSecond: number };
  endToEndReportsPerSecond: number;
  stored: number;
  valid: number;
  failures: number;
  ratesByServerClock: RateSummary;
  /** The same, from the moments the crawler's limiter granted each request (its decisions). */
  ratesByLimiter: RateSummary;
  peakRssMb: number;
}

function summarize(rates: HostRate[]): RateSummary {
  // The effective limit: the rate, or the Crawl-delay when that is slower.
  const perSecond = (r: HostRate) => Math.round((1000 / r.limitMs) * 100) / 100;
  const worstSecond = rates.reduce((a, b) => (b.maxPerSecond / perSecond(b) > a.maxPerSecond / perSecond(a) ? b : a));
  const worstGap = rates.reduce((a, b) => (b.minGapMs / b.limitMs < a.minGapMs / a.limitMs ? b : a));
  return {
    hostsWithEarlyRequests: rates.filter((r) => r.early > 0).length,
    earlyRequests: rates.reduce((n, r) => n + r.early, 0),
    maxRateVsLimit: { host: worstSecond.host, requestsInOneSecond: worstSecond.maxPerSecond, limitPerSecond: perSecond(worstSecond) },
    worstGap: { host: worstGap.host, minGapMs: Math.round(worstGap.minGapMs * 10) / 10, intervalMs: worstGap.limitMs },
  };
}

export async function benchFarm(options: FarmOptions = { hosts: 300, reportsPerHost: 10 }): Promise<FarmBench> {
  const farm = await startFarm(options);
  const p = await openPipeline(farm.portals, { fetcher: farm.fetcher, limiter: farm.limiter });
  let peak = process.memoryUsage().rss;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 250);
  try {
    const t0 = performance.now();
    let fetchDone = 0;
    const run = await p.run({
      portalConcurrency: farm.hosts.length,
      fetchConcurrency: 8,
      onProgress: (e) => {
        if (e.type === 'queued' && e.stage === 'extract') fetchDone = performance.now();
      },
    });
    const wall = (performance.now() - t0) / 1000;
    const crawlSeconds = (fetchDone - t0) / 1000;
    const hits = await farm.hits();
    const requests = Object.values(hits).reduce((n, l) => n + l.length, 0);
    const counts = await p.counts();
    return {
      hosts: farm.hosts.length,
      reports: farm.expected.size,
      wallSeconds: wall,
      crawl: { seconds: crawlSeconds, reportsPerSecond: run.fetched / crawlSeconds, pagesPerSecond: (run.pagesSeen + run.fetched) / crawlSeconds, requests },
      extract: { seconds: wall - crawlSeconds, recordsPerSecond: run.extracted / (wall - crawlSeconds) },
      endToEndReportsPerSecond: counts.records / wall,
      stored: counts.records,
      valid: run.valid,
      failures: run.failures.length,
      ratesByServerClock: summarize(hostRates(farm, arrivals(hits), 10)),
      ratesByLimiter: summarize(hostRates(farm, farm.grants, 1)),
      peakRssMb: peak / 2 ** 20,
    };
  } finally {
    clearInterval(sampler);
    await p.close();
    await farm.close();
  }
}
