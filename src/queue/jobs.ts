/**
 * The contract of distributed mode: queue names, job data and deterministic job ids. Workers,
 * the scheduler, the crawl command and the UI all build jobs through these functions, so the same
 * work always gets the same id and BullMQ never runs it twice at once.
 */
import { createHash } from 'node:crypto';

export const QUEUE_NAMES = ['discover', 'fetch', 'extract'] as const;
export type QueueName = (typeof QUEUE_NAMES)[number];

/** Redis key prefix; tests use their own so they never see each other's jobs. */
export const DEFAULT_PREFIX = 'nianbao';

export interface DiscoverJob {
  portalId: string;
  /** Which crawl this belongs to (a run id or the scheduler's date), so a nightly crawl is one job per portal per night. */
  crawl: string;
}

export interface FetchJob {
  url: string;
  crawl: string;
}

export interface ExtractJob {
  url: string;
  /** The artifact to extract; the job id includes it, so new bytes make a new job. */
  sha256: string;
  /** Re-extract even if a record of these bytes by this extractor version is stored. */
  force?: boolean;
}

export type JobData = { discover: DiscoverJob; fetch: FetchJob; extract: ExtractJob };

function digest(s: string): string {
  return createHash('sha1').update(s).digest('hex').slice(0, 20);
}

/** BullMQ job ids may not contain ':' (it separates Redis key parts); these use '_' and '-'. */
export const jobId = {
  discover: (j: DiscoverJob) => `discover_${digest(`${j.portalId}\u0000${j.crawl}`)}`,
  fetch: (j: FetchJob) => `fetch_${digest(`${j.url}\u0000${j.crawl}`)}`,
  extract: (j: ExtractJob, extractorVersion: string) => `extract_${j.sha256.slice(0, 32)}_${digest(`${j.url}\u0000${extractorVersion}`)}${j.force ? `_f${Date.now().toString(36)}` : ''}`,
} as const;

/** Attempts and backoff per queue: network work retries, extraction of the same bytes does not. */
export const JOB_OPTIONS = {
  discover: { attempts: 3, backoff: { type: 'exponential', delay: 60_000 } },
  fetch: { attempts: 5, backoff: { type: 'exponential', delay: 30_000 } },
  extract: { attempts: 2, backoff: { type: 'exponential', delay: 10_000 } },
} as const;

/** Failure reasons that no retry can fix; jobs failing with them are marked unrecoverable. */
export const PERMANENT_FETCH_REASONS = new Set(['http_404', 'http_410', 'http_403', 'http_4xx', 'too_large', 'decompression_bomb', 'host_not_allowed', 'private_address', 'robots_disallowed', 'redirect_loop', 'too_many_redirects', 'unknown_document']);
