/**
 * The shape of a simulated portal farm, computed the same way by the farm's server process and
 * by the test that crawls it: hundreds of invented hosts (h0.farm.test, h1.farm.test, …), each a
 * small portal with its own rate limit (and on some, a robots.txt Crawl-delay), paginated
 * listings, and inline reports drawn from a small pool of generated reports — thousands of
 * report URLs, a handful of distinct documents in memory. Pure functions of the options.
 */
import { type GeneratedReport, generateReport } from '../fixtures/report.js';
import { renderHtml } from '../fixtures/render-html.js';
import { listingHtml, reportTitle } from './portal.js';

export interface FarmOptions {
  hosts: number;
  reportsPerHost: number;
  /** Reports per listing page (default 5: two pages for ten reports). */
  perPage?: number;
  /** Distinct generated reports the farm's pages are drawn from (default 24). */
  pool?: number;
  seed?: number;
}

export interface FarmReport {
  path: string;
  /** Index into the pool: which generated report the page holds. */
  pool: number;
  title: string;
}

export interface FarmHost {
  index: number;
  name: string;
  requestsPerSecond: number;
  /** robots.txt Crawl-delay, when the host sets one. */
  crawlDelayMs: number | null;
  /** How long the host's first DNS answer takes (slow name servers are common). */
  dnsDelayMs: number;
  /** Listing page paths, first to last. */
  listings: string[];
  reports: FarmReport[];
}

/** Rates the farm's hosts ask for, in requests per second: a spread, as real portals differ. */
const RATES = [4, 5, 8, 10, 16, 20];
/** Every fifth host also sets a robots.txt Crawl-delay slower than its rate. */
const CRAWL_DELAY_MS = 150;
/** Every tenth host has a slow name server: its first DNS answer takes this long. */
const SLOW_DNS_MS = 400;

export function farmPool(opts: FarmOptions): GeneratedReport[] {
  const seed = opts.seed ?? 9000;
  return Array.from({ length: opts.pool ?? 24 }, (_, k) => generateReport(seed + k, { blankZeros: k % 3 === 0 ? 0.2 : 0 }));
}

export function farmHosts(opts: FarmOptions, pool: readonly GeneratedReport[]): FarmHost[] {
  const perPage = opts.perPage ?? 5;
  return Array.from({ length: opts.hosts }, (_, i) => {
    const reports = Array.from({ length: opts.reportsPerHost }, (_, j) => {
      const k = (i * 7 + j) % pool.length;
      return { path: `/ndbg/t${i}_${j}.html`, pool: k, title: reportTitle(pool[k]!.agency, pool[k]!.year) };
    });
    const pages = Math.max(1, Math.ceil(reports.length / perPage));
    return {
      index: i,
      name: `h${i}.farm.test`,
      requestsPerSecond: RATES[i % RATES.length]!,
      crawlDelayMs: i % 5 === 4 ? CRAWL_DELAY_MS : null,
      dnsDelayMs: i % 10 === 3 ? SLOW_DNS_MS : 0,
      listings: Array.from({ length: pages }, (_, p) => (p ? `/ndbg/index_${p}.html` : '/ndbg/index.html')),
      reports,
    };
  });
}

/** The least time the crawler must leave between two request starts on a host. */
export function hostIntervalMs(h: FarmHost): number {
  return Math.max(Math.ceil(1000 / h.requestsPerSecond), h.crawlDelayMs ?? 0);
}

/** Listing page `p` of a host: its reports, and 下一页 to the next page. */
export function farmListing(h: FarmHost, p: number, perPage: number): string {
  const items = h.reports.slice(p * perPage, (p + 1) * perPage).map((r) => ({ href: r.path, title: r.title }));
  return listingHtml(items, p + 1 < h.listings.length ? { next: h.listings[p + 1] } : {});
}

export function farmRobots(h: FarmHost): string {
  return h.crawlDelayMs ? `User-agent: *\nDisallow: /admin/\nCrawl-delay: ${h.crawlDelayMs / 1000}\n` : 'User-agent: *\nDisallow: /admin/\n';
}

/** The pool's pages, rendered once: every report URL of the farm serves one of these. */
export function renderFarmPool(pool: readonly GeneratedReport[]): Buffer[] {
  return pool.map((rep) => Buffer.from(renderHtml(rep, { chrome: true }), 'utf8'));
}
