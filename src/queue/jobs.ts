/**
 * The contract of distributed mode: queue names, job data and deterministic job ids. Workers,
 * the scheduler, the crawl command and the UI all build jobs through these functions, so the same
 * work always gets the same id and BullMQ never runs it twice at once.
 */
import { createHash } from 'node:crypto';
import type { PrefetchedDocument } from '../pipeline/stages.js';

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
  /** How often the host's Retry-After has already pushed this job back (set by the worker). */
  deferrals?: number;
  /**
   * Set by discovery for an inline report: its article page, answered during discovery, is the
   * document, already stored and recorded; this is the fetch's result, and no request is made.
   */
  prefetched?: PrefetchedDocument;
}

export interface ExtractJob {
  url: string;
  /** The artifact to extract; the job id includes it, so new bytes make a new job. */
  sha256: string;
  /** Re-extract even if a record of these bytes by this extractor version is stored. */
  force?: boolean;
  /** The crawl whose fetch asked for it (its run record counts the outcome); not part of the id. */
  crawl?: string;
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


// ---------------------------------------------------------------------------------------------
// Additions for the workers, the scheduler and the UI (the names above are unchanged).

/** Job names inside each queue: one kind of job per queue, except the scheduler's fan-out on `discover`. */
export const JOB_NAMES = { discover: 'discover', fetch: 'fetch', extract: 'extract', fanout: 'fanout' } as const;

/**
 * The job the job scheduler starts (on the `discover` queue): it enqueues one discover job per
 * configured portal, all under one crawl id derived from the scheduled time.
 */
export interface FanoutJob {
  /** Time zone the crawl's date is taken in (the scheduler's). */
  tz: string;
  /** Only these portals; default every portal of the worker's configuration. */
  portals?: string[];
}

/** The one nightly job scheduler; upserting it again replaces its cron and tz. */
export const NIGHTLY_SCHEDULER_ID = 'nightly-crawl';

/**
 * Kept finished jobs: completed ones long enough that a re-enqueued crawl of the same day is
 * still recognised by id, failed ones long enough for someone to look at them in the UI.
 */
export const JOB_RETENTION = {
  removeOnComplete: { age: 7 * 24 * 3600, count: 100_000 },
  removeOnFail: { age: 30 * 24 * 3600 },
} as const;

/** A fetch deferred by Retry-After more often than this fails like any other transient error. */
export const MAX_RETRY_AFTER_DEFERRALS = 5;

/** The reason code a failed job's failedReason starts with ("http_404: …"), or null. */
export function failureCode(failedReason: string | null | undefined): string | null {
  const m = /^([a-z][a-z0-9_]*): /.exec(failedReason ?? '');
  return m ? m[1]! : null;
}

/** The nightly crawl's default schedule: 02:00 China Standard Time. */
export const DEFAULT_CRON = '0 2 * * *';
export const DEFAULT_TZ = 'Asia/Shanghai';

/**
 * The crawl id of a scheduled or manual crawl: its kind and its date in `tz`, so one night (or
 * one day's manual crawl) is one crawl however often it is enqueued.
 */
export function crawlIdFor(kind: 'nightly' | 'manual', millis: number, tz: string = DEFAULT_TZ): string {
  // en-CA formats dates as YYYY-MM-DD.
  const date = new Intl.DateTimeFormat('en-CA', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(millis));
  return `${kind}-${date}`;
}
