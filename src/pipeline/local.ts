/**
 * Local mode: the whole pipeline in one process on the embedded defaults (SQLite + artifacts
 * folder), with bounded concurrency and per-host politeness. Discovery of each portal is followed
 * by fetching every known document of it (conditionally: an unchanged portal costs 304s) and
 * extracting what changed. The stages are the same functions the BullMQ workers run.
 */
import { randomBytes } from 'node:crypto';
import type { Portal } from '../crawl/config.js';
import { drain } from '../crawl/pool.js';
import { CONVERSIONS_TO_FILL_RUNS } from '../extract/docx/soffice.js';
import { type CloseOptions, type ClosedRun, closeCrawlRun } from '../monitor/close.js';
import { discoverOutcome, extractOutcome, fetchOutcome } from '../monitor/items.js';
import { addPending, openCrawlRun, settleItem } from '../monitor/ledger.js';
import { BYTES_IN_FLIGHT, ByteBudget } from '../pool/byte-budget.js';
import type { RecordStatus } from '../validate/schema.js';
import { type DiscoverResult, type ExtractStageResult, type FetchStageResult, type StageContext, discoverStage, extractStage, fetchStage } from './stages.js';
import { type RunFailure, type RunSummary, emptySummary } from './summary.js';

export interface LocalRunOptions {
  portals: readonly Portal[];
  /** Documents fetched at once (hosts still get their own politeness). */
  fetchConcurrency?: number;
  /**
   * Documents extracted at once. Default: with a parse pool (whose threads bound the parsing), as
   * many as keep LibreOffice's batched runs full, since only .doc/.wps conversions waiting
   * together share a run; without one, 2 (extraction is CPU work on this process).
   */
  extractConcurrency?: number;
  /**
   * Bytes of documents held at once by the extractions in flight (default BYTES_IN_FLIGHT,
   * 128 MiB): many small documents go together, large ones wait their turn, and one larger than
   * the whole budget runs alone.
   */
  extractBytesInFlight?: number;
  /** Portals crawled at once. */
  portalConcurrency?: number;
  /** Re-extract even when bytes and extractor version are unchanged. */
  forceExtract?: boolean;
  onProgress?: (e: ProgressEvent) => void;
  /** The crawl's id in the run records (default: local-<time>-<random>). */
  crawlId?: string;
  /** Where the run's morning summary goes (data folder, webhook, log). */
  monitor?: Pick<CloseOptions, 'dataDir' | 'monitoring' | 'log' | 'health' | 'now' | 'backoffMs' | 'keepLedgers'>;
  /** The closed run: its record, the portal alerts it raised or resolved, its summary. */
  onClosed?: (closed: ClosedRun) => void;
}

export type ProgressEvent =
  | { type: 'portal'; portalId: string; phase: 'start' | 'done'; result?: DiscoverResult }
  | { type: 'page'; portalId: string; url: string }
  | { type: 'queued'; stage: 'fetch' | 'extract'; count: number }
  | { type: 'fetch'; result: FetchStageResult }
  | { type: 'extract'; result: ExtractStageResult };

/** Run discover → fetch → extract for the given portals. */
export async function runLocal(ctx: StageContext, opts: LocalRunOptions): Promise<RunSummary> {
  const summary = emptySummary();
  const t0 = Date.now();
  const crawlId = opts.crawlId ?? `local-${new Date().toISOString().replace(/[:.]/g, '')}-${randomBytes(3).toString('hex')}`;
  // The run row is the crawl's run record; every stage's work lands in its ledger (run_items),
  // exactly as distributed mode's jobs do, so both modes' records come from one fold.
  const run = await openCrawlRun(ctx.store, { crawlId, mode: 'local', portals: opts.portals.map((p) => p.id), kind: 'run', reopen: true });
  summary.runId = run.id;
  summary.crawlId = crawlId;
  const close = async (error?: string) => {
    const closed = await closeCrawlRun(ctx.store, crawlId, { ...opts.monitor, counters: countersOf(summary), ...(error ? { error } : {}) });
    if (closed) opts.onClosed?.(closed);
  };
  const progress = (e: ProgressEvent) => opts.onProgress?.(e);
  const inner: StageContext = {
    ...ctx,
    onCrawlEvent: (portalId, e) => {
      ctx.onCrawlEvent?.(portalId, e);
      if (e.type === 'page') progress({ type: 'page', portalId, url: e.url });
    },
  };
  /**
   * One portal's discovery, one document's fetch or extraction: whatever it throws is that item's
   * failure in the summary, never the run's end. (The stages turn every expected failure into a
   * value; this is for the unexpected: a store error, a bug meeting a page no test had.)
   */
  const contained = async <T>(url: string, stage: 'discover' | 'fetch' | 'extract', work: () => Promise<T>): Promise<T | null> => {
    try {
      return await work();
    } catch (err) {
      if (ctx.signal?.aborted) throw err;
      summary.failures.push({ stage, url, reason: 'internal_error', message: err instanceof Error ? err.message : String(err) });
      return null;
    }
  };
  try {
    // The documents to extract, per portal in the order the store lists them: the extraction
    // queue is the same whatever order the fetches ended in.
    const toExtract = new Map<Portal, string[]>();
    const fetchAll = async (urls: string[], prefetched: DiscoverResult['prefetched']): Promise<string[]> => {
      progress({ type: 'queued', stage: 'fetch', count: urls.length });
      // Inline reports came with their article page: no second request of the same page.
      const known = new Map(prefetched.map((r) => [r.url, r]));
      const fetched = new Set<string>();
      await drain(urls, opts.fetchConcurrency ?? 8, async (url) => {
        const r = known.get(url) ?? (await contained(url, 'fetch', () => fetchStage(inner, url)));
        if (!r) return;
        tallyFetch(summary, r);
        await settleItem(ctx.store, crawlId, 'fetch', url, fetchOutcome(r));
        progress({ type: 'fetch', result: r });
        if (r.outcome !== 'failed') fetched.add(url);
      });
      return urls.filter((u) => fetched.has(u));
    };

    await drain([...opts.portals], opts.portalConcurrency ?? 4, async (portal) => {
      progress({ type: 'portal', portalId: portal.id, phase: 'start' });
      const d = await contained(portal.entries[0]?.url ?? portal.id, 'discover', () => discoverStage(inner, portal.id));
      if (!d) return;
      tallyDiscover(summary, d);
      progress({ type: 'portal', portalId: portal.id, phase: 'done', result: d });
      // Every known document of the portal, not just this run's: a report that vanished from the
      // listing is still re-checked, and one that failed last night is tried again.
      const urls: string[] = [];
      for await (const doc of ctx.store.listDocuments({ portalId: portal.id })) if (doc.status !== 'gone') urls.push(doc.url);
      await addPending(ctx.store, crawlId, 'fetch', urls.map((key) => ({ key, portalId: portal.id })));
      await settleItem(ctx.store, crawlId, 'discover', portal.id, discoverOutcome(d, urls), portal.id);
      toExtract.set(portal, await fetchAll(urls, d.prefetched));
    });
    const extractQueue = opts.portals.flatMap((p) => toExtract.get(p) ?? []);

    progress({ type: 'queued', stage: 'extract', count: extractQueue.length });
    // Counting extractions alone would let a portal of large PDFs fill memory: the budget bounds
    // the bytes they hold (first come, first served, so they start in queue order).
    const budget = new ByteBudget(opts.extractBytesInFlight ?? BYTES_IN_FLIGHT);
    const extractFailuresFrom = summary.failures.length;
    await drain(extractQueue, opts.extractConcurrency ?? (ctx.extract ? CONVERSIONS_TO_FILL_RUNS : 2), async (url) => {
      const r = await contained(url, 'extract', () => extractStage(inner, url, { force: opts.forceExtract, budget }));
      if (!r) return;
      tallyExtract(summary, r);
      const item = extractOutcome(r);
      if (item) await settleItem(ctx.store, crawlId, 'extract', url, item);
      progress({ type: 'extract', result: r });
    });
    // Extractions end in whatever order their sizes and formats make; the summary lists their
    // failures in queue order (portal by portal, documents as the store lists them).
    sortTail(summary.failures, extractFailuresFrom, new Map(extractQueue.map((url, i) => [url, i])));
    summary.seconds = (Date.now() - t0) / 1000;
    await close();
    return summary;
  } catch (err) {
    summary.seconds = (Date.now() - t0) / 1000;
    await close(err instanceof Error ? err.message : String(err)).catch(() => undefined);
    throw err;
  }
}

/**
 * `retry --failed`: fetch again every document whose fetch failed (or found it gone), and
 * extract again every document whose record failed — the latter from its stored artifact, with
 * the current extractor.
 */
export async function retryFailed(ctx: StageContext, opts: { onProgress?: (e: ProgressEvent) => void; fetchConcurrency?: number } = {}): Promise<RunSummary> {
  const summary = emptySummary();
  const t0 = Date.now();
  summary.runId = await ctx.store.startRun('retry');
  const failed = await ctx.store.listFailed();
  const fetches = failed.filter((f) => f.stage === 'fetch').map((f) => f.url);
  const extracts = new Set(failed.filter((f) => f.stage === 'extract').map((f) => f.url));
  opts.onProgress?.({ type: 'queued', stage: 'fetch', count: fetches.length });
  await drain(fetches, opts.fetchConcurrency ?? 8, async (url) => {
    const r = await fetchStage(ctx, url);
    tallyFetch(summary, r);
    opts.onProgress?.({ type: 'fetch', result: r });
    if (r.outcome !== 'failed') extracts.add(url);
  });
  opts.onProgress?.({ type: 'queued', stage: 'extract', count: extracts.size });
  for (const url of extracts) {
    const r = await extractStage(ctx, url, { force: true });
    tallyExtract(summary, r);
    opts.onProgress?.({ type: 'extract', result: r });
  }
  summary.seconds = (Date.now() - t0) / 1000;
  await ctx.store.finishRun(summary.runId, { status: 'done', counters: countersOf(summary) });
  return summary;
}

function tallyDiscover(s: RunSummary, d: DiscoverResult): void {
  s.portals++;
  s.pagesSeen += d.counters.listingPages + d.counters.articlePages;
  s.pagesNotModified += d.counters.notModified + d.counters.unchanged;
  s.reportsFound += d.urls.length;
  s.reportsNew += d.newUrls.length;
  for (const e of d.errors) s.failures.push({ stage: 'discover', url: e.url, reason: e.reason, message: e.message });
  for (const e of d.skipped) s.skipped.push({ url: e.url, reason: e.reason });
}

function tallyFetch(s: RunSummary, r: FetchStageResult): void {
  if (r.outcome === 'fetched') {
    s.fetched++;
    if (r.changed) s.fetchedChanged++;
  } else if (r.outcome === 'not_modified') s.notModified++;
  else {
    s.fetchFailed++;
    s.failures.push({ stage: 'fetch', url: r.url, reason: r.reason, message: r.message });
  }
}

function tallyExtract(s: RunSummary, r: ExtractStageResult): void {
  if (r.outcome === 'skipped') {
    s.failures.push({ stage: 'extract', url: r.url, reason: r.reason, message: r.message });
    return;
  }
  if (r.outcome === 'unchanged') s.unchanged++;
  else s.extracted++;
  const st: RecordStatus = r.status;
  s[st]++;
  if (r.outcome === 'extracted' && st === 'failed') s.failures.push({ stage: 'extract', url: r.url, reason: r.issueCodes[0] ?? 'failed', message: `extraction failed: ${r.issueCodes.join(', ')}` });
}

/** Sorts `list` from `from` on by each entry's place in `order` (stable; unknown URLs last). */
function sortTail(list: RunFailure[], from: number, order: ReadonlyMap<string, number>): void {
  const at = (f: RunFailure) => order.get(f.url) ?? order.size;
  // No spread: a night with a hundred thousand failures would pass too many arguments.
  const tail = list.splice(from).sort((a, b) => at(a) - at(b));
  for (const f of tail) list.push(f);
}

function countersOf(s: RunSummary): Record<string, number> {
  const { failures, skipped, runId, seconds, crawlId: _crawl, ...counters } = s;
  return { ...counters, failures: failures.length, skipped: skipped.length };
}
