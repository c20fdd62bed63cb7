/**
 * Built-in crawl settings. A `defaults:` block in portals.yaml overrides these for every portal;
 * a portal's own fields override both. Conservative on purpose: government servers are small.
 */

export interface RateLimit {
  /** Request starts per second on one host (0.5 = one every two seconds). */
  requestsPerSecond: number;
  /** Requests in flight to one host at once. */
  concurrency: number;
}

export interface CrawlLimits {
  /** Listing pages per portal per crawl (entries and their pagination together). */
  maxPages: number;
  /** Article pages per portal per crawl. */
  maxArticles: number;
  /** Size cap for listing and article pages. */
  pageMaxBytes: number;
  /** Size cap for report documents (PDF, Word…). */
  documentMaxBytes: number;
  /** Inflated-size cap for any body: the gzip-bomb guard. */
  maxDecompressedBytes: number;
  /** Per-request overall deadline. */
  timeoutMs: number;
  retries: number;
}

export interface CrawlDefaults {
  rateLimit: RateLimit;
  limits: CrawlLimits;
}

export const CRAWL_DEFAULTS: CrawlDefaults = {
  rateLimit: { requestsPerSecond: 1, concurrency: 2 },
  limits: {
    maxPages: 50,
    maxArticles: 500,
    pageMaxBytes: 5 * 1024 * 1024,
    documentMaxBytes: 50 * 1024 * 1024,
    maxDecompressedBytes: 100 * 1024 * 1024,
    timeoutMs: 120_000,
    retries: 3,
  },
};
