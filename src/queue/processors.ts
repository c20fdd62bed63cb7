/**
 * What each queue's job does: a thin driver over the stage functions (pipeline/stages.ts), the
 * same ones local mode runs. Each factory here is what a file in workers/ hands to BullMQ's
 * sandbox, and what the worker runs inline when a queue is configured so (worker.ts).
 *
 * Outcomes map onto BullMQ like this: a stage result that says "done" completes the job (its
 * return value is a small summary); a permanent failure throws PermanentJobError (failed at once,
 * reason code first in failedReason); a transient one throws TransientJobError (retried with
 * JOB_OPTIONS' backoff); a Retry-After from the host delays the job by that much instead.
 */
import { DelayedError, type JobsOptions } from 'bullmq';
import { discoverOutcome, extractOutcome, fetchOutcome } from '../monitor/items.js';
import { addPending, openCrawlRun, settleItem } from '../monitor/ledger.js';
import { type FetchStageResult, type StageContext, UnknownPortalError, discoverStage, extractStage, fetchStage } from '../pipeline/stages.js';
import { EXTRACTOR_VERSION } from '../version.js';
import { PermanentJobError, TransientJobError } from './errors.js';
import { type DiscoverJob, type ExtractJob, crawlIdFor, type FanoutJob, type FetchJob, JOB_NAMES, MAX_RETRY_AFTER_DEFERRALS } from './jobs.js';
import { type Enqueued, type Queues, enqueueCrawl, enqueueExtract, enqueueFetches } from './queue.js';

export interface ProcessorDeps {
  ctx: StageContext;
  /** Where follow-up jobs go. */
  queues: Queues;
  /** True once the worker is shutting down. */
  stopping?: () => boolean;
}

/**
 * The part of a BullMQ job the processors use: the same in the worker (Job) and in the sandbox
 * (SandboxedJob).
 */
export interface JobLike<T> {
  name: string;
  data: T;
  opts: JobsOptions;
  timestamp: number;
  delay?: number;
  updateData(data: T): Promise<unknown>;
  updateProgress(progress: object | number): Promise<unknown>;
  moveToDelayed(timestamp: number, token?: string): Promise<unknown>;
}

/** Crawl errors that say "we were stopped", not "the portal failed". */
const INTERRUPTED: ReadonlySet<string> = new Set(['aborted', 'render_failed', 'renderer_unavailable']);

/** A job's own view of the context: aborting the job (shutdown, cancel) aborts its requests. */
function jobContext(ctx: StageContext, signal?: AbortSignal): StageContext {
  return signal ? { ...ctx, signal } : ctx;
}

export interface DiscoverSummary {
  portalId: string;
  crawl: string;
  reports: number;
  newReports: number;
  /** Fetch jobs asked for: every known, not gone document of the portal. */
  fetchJobs: number;
  errors: { url: string; reason: string }[];
  skipped: { url: string; reason: string }[];
}

export interface FanoutSummary {
  crawl: string;
  portals: string[];
  added: number;
}

export function discoverProcessor(deps: ProcessorDeps) {
  return async (job: JobLike<DiscoverJob | FanoutJob>, _token?: string, signal?: AbortSignal): Promise<DiscoverSummary | FanoutSummary> => {
    if (job.name === JOB_NAMES.fanout) return fanout(deps, job as JobLike<FanoutJob>);
    const { portalId, crawl } = job.data as DiscoverJob;
    // The crawl's run record, made by whichever of its jobs comes first (idempotent).
    await openCrawlRun(deps.ctx.store, { crawlId: crawl, mode: 'distributed', portals: [portalId] });
    let d;
    try {
      d = await discoverStage(jobContext(deps.ctx, signal), portalId);
    } catch (err) {
      if (err instanceof UnknownPortalError) throw new PermanentJobError('discover', 'unknown_portal', err.message);
      throw err;
    }
    const interrupted = d.errors.filter((e) => INTERRUPTED.has(e.reason));
    if (deps.stopping?.() && interrupted.length) {
      // Cut short by the shutdown: let a running worker crawl the portal again (idempotent).
      throw new TransientJobError('discover', 'interrupted', `${portalId}: ${interrupted.length} page(s) cut short by the worker's shutdown (${interrupted[0]!.reason})`);
    }
    // As in local mode: every known document of the portal, not only this run's — a report that
    // left the listing is still re-checked, one that failed last night is tried again.
    const urls: string[] = [];
    for await (const doc of deps.ctx.store.listDocuments({ portalId })) if (doc.status !== 'gone') urls.push(doc.url);
    // Ledger first, then the jobs, then this item settled: the crawl never looks finished between.
    await addPending(deps.ctx.store, crawl, 'fetch', urls.map((key) => ({ key, portalId })));
    const prefetched = new Map(d.prefetched.map((r) => [r.url, r]));
    await enqueueFetches(deps.queues, urls.map((url) => ({ url, crawl, ...(prefetched.has(url) ? { prefetched: prefetched.get(url)! } : {}) })));
    await settleItem(deps.ctx.store, crawl, 'discover', portalId, discoverOutcome(d, urls), portalId);
    return {
      portalId,
      crawl,
      reports: d.urls.length,
      newReports: d.newUrls.length,
      fetchJobs: urls.length,
      errors: d.errors.map((e) => ({ url: e.url, reason: e.reason })),
      skipped: d.skipped.map((e) => ({ url: e.url, reason: e.reason })),
    };
  };
}

/** The scheduler's job: one discover job per portal, under the scheduled date's crawl id. */
async function fanout(deps: ProcessorDeps, job: JobLike<FanoutJob>): Promise<FanoutSummary> {
  const runAt = (job.opts as { prevMillis?: number }).prevMillis ?? job.timestamp + (job.delay ?? 0);
  const crawl = crawlIdFor('nightly', runAt, job.data.tz);
  const portals = job.data.portals?.length ? job.data.portals : [...deps.ctx.portals.keys()];
  // Every portal of the night is in the run record (pending) before any of its jobs runs.
  await openCrawlRun(deps.ctx.store, { crawlId: crawl, mode: 'distributed', portals });
  const added = await enqueueCrawl(deps.queues, portals, crawl);
  return { crawl, portals, added: added.filter((a) => a.added).length };
}

export interface FetchSummary {
  url: string;
  outcome: 'fetched' | 'not_modified';
  sha256: string | null;
  changed: boolean;
  /** The extract job asked for, when these bytes have no record by this extractor version yet. */
  extract: Enqueued | null;
}

export function fetchProcessor(deps: ProcessorDeps) {
  return async (job: JobLike<FetchJob>, token?: string, signal?: AbortSignal): Promise<FetchSummary> => {
    const { ctx, queues } = deps;
    const url = job.data.url;
    // An inline report's page came with discovery: its bytes are stored, no second request.
    const r: FetchStageResult = job.data.prefetched ?? (await fetchStage(jobContext(ctx, signal), url));
    if (r.outcome === 'failed') {
      if (r.permanent) {
        await settleItem(ctx.store, job.data.crawl, 'fetch', url, fetchOutcome(r));
        throw new PermanentJobError('fetch', r.reason, r.message);
      }
      const deferrals = job.data.deferrals ?? 0;
      if (r.retryAfterMs && token && deferrals < MAX_RETRY_AFTER_DEFERRALS) {
        // The host said when to come back: wait that long rather than the exponential backoff.
        // Not an attempt (the host is fine, just busy), but counted so it cannot go on forever.
        await job.updateData({ ...job.data, deferrals: deferrals + 1 });
        await job.moveToDelayed(Date.now() + r.retryAfterMs, token);
        throw new DelayedError(`${r.reason}: retry after ${r.retryAfterMs} ms`);
      }
      throw new TransientJobError('fetch', r.reason, r.message);
    }
    let extract: Enqueued | null = null;
    if (r.sha256) {
      // Extract when these bytes have no record by this extractor version yet; extractStage
      // would skip unchanged work itself, this only saves the job.
      const version = ctx.extractorVersion ?? EXTRACTOR_VERSION;
      const stored = await ctx.store.recordVersion(url);
      if (!stored || stored.sha256 !== r.sha256 || stored.extractorVersion !== version) extract = await extractForCrawl(deps, { url, sha256: r.sha256, crawl: job.data.crawl }, version);
    }
    await settleItem(ctx.store, job.data.crawl, 'fetch', url, fetchOutcome(r));
    return { url, outcome: r.outcome, sha256: r.sha256, changed: r.changed, extract };
  };
}

/**
 * Enqueue an extraction on behalf of a crawl, its ledger item pending first. A job of the same id
 * kept from an earlier crawl (an extraction that could not start: the artifact was missing) is
 * replaced, so this crawl tries again and learns the outcome; one still queued or running for
 * another crawl is left to that crawl's record.
 */
async function extractForCrawl(deps: ProcessorDeps, job: ExtractJob & { crawl: string }, version: string): Promise<Enqueued> {
  const { ctx, queues } = deps;
  const doc = await ctx.store.getDocument(job.url);
  await addPending(ctx.store, job.crawl, 'extract', [{ key: job.url, portalId: doc?.portalId ?? '' }]);
  let e = await enqueueExtract(queues, job, { extractorVersion: version });
  if (!e.added) {
    const state = await queues.extract.getJobState(e.id);
    if (state === 'completed' || state === 'failed') {
      await queues.extract.remove(e.id);
      e = await enqueueExtract(queues, job, { extractorVersion: version });
    } else {
      const other = (await queues.extract.getJob(e.id))?.data.crawl;
      if (other !== job.crawl) await settleItem(ctx.store, job.crawl, 'extract', job.url, { state: 'done', outcome: 'elsewhere', status: null, reason: null, detail: null });
    }
  }
  return e;
}

export interface ExtractSummary {
  url: string;
  outcome: 'extracted' | 'unchanged';
  status: 'valid' | 'flagged';
  issueCodes: string[];
}

/**
 * Extract one document (in the sandbox). A document whose record is `failed` — made now, or
 * already stored from the same bytes by this extractor version — fails the job permanently with
 * the record's first error: the same bytes fail the same way (a re-run after a fix of the
 * extractor is a new version, or a forced job).
 */
export async function runExtract(ctx: StageContext, data: ExtractJob): Promise<ExtractSummary> {
  const r = await extractStage(ctx, data.url, { force: data.force });
  if (data.crawl) await settleItem(ctx.store, data.crawl, 'extract', data.url, extractOutcome(r) ?? { state: 'done', outcome: 'unchanged', status: null, reason: null, detail: null });
  if (r.outcome === 'skipped') throw new PermanentJobError('extract', r.reason, r.message);
  if (r.status === 'failed') {
    const issues = (await ctx.store.getRecord(data.url))?.record.issues ?? [];
    const first = issues.find((i) => i.severity === 'error') ?? issues[0];
    throw new PermanentJobError('extract', first?.code ?? 'failed', first?.message ?? 'extraction failed');
  }
  return { url: r.url, outcome: r.outcome, status: r.status, issueCodes: r.outcome === 'extracted' ? r.issueCodes : [] };
}

export function extractProcessor(deps: ProcessorDeps) {
  return (job: JobLike<ExtractJob>): Promise<ExtractSummary> => runExtract(deps.ctx, job.data);
}
