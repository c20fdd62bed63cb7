/**
 * The pipeline's three stages as plain async functions over plain data: discover a portal's
 * reports, fetch one document into the artifact store, extract one document into a record. Local
 * mode and the BullMQ workers call exactly these; only the driver differs.
 */
import { stat } from 'node:fs/promises';
import { ArtifactCorruptError, ArtifactTooLargeError, type ArtifactStore } from '../artifacts/index.js';
import type { Portal } from '../crawl/config.js';
import { crawlPortal, type CrawlIssue, type InlineDocument } from '../crawl/crawler.js';
import type { PageParser, ReportRef } from '../crawl/discover.js';
import { fetchDocument } from '../crawl/document.js';
import type { CrawlCounters, CrawlEvent, ListingSeen } from '../crawl/events.js';
import type { HostLimiter } from '../crawl/politeness.js';
import type { RobotsChecker } from '../crawl/robots.js';
import type { PageRenderer } from '../fetch/browser.js';
import { charsetFromContentType } from '../extract/decode.js';
import { type FailureReason, isTransient } from '../fetch/reasons.js';
import type { Fetcher } from '../fetch/types.js';
import { type ExtractRecordInput, extractRecord } from '../extractor.js';
import { refreshPanel } from '../panel/store.js';
import type { BuildHints } from '../record/build.js';
import { reportIdOf } from '../record/report-id.js';
import type { Store, StoredDocument } from '../store/index.js';
import type { NianbaoRecord, RecordStatus } from '../validate/schema.js';
import { EXTRACTOR_VERSION } from '../version.js';
import { StoreCrawlState } from './crawl-state.js';

export interface StageContext {
  store: Store;
  artifacts: ArtifactStore;
  fetcher: Fetcher;
  limiter: HostLimiter;
  robots: RobotsChecker;
  portals: ReadonlyMap<string, Portal>;
  /** Started on first use by portals with `render: browser`. */
  renderer?: () => Promise<PageRenderer>;
  /** Extraction; default in place. openContext gives the parse pool's (worker threads, hard limits). */
  extract?: (bytes: Uint8Array, input: ExtractRecordInput) => Promise<NianbaoRecord>;
  /** Reading listing and article pages; default in place. openContext gives the parse pool's. */
  parser?: PageParser;
  extractorVersion?: string;
  now?: () => Date;
  signal?: AbortSignal;
  onCrawlEvent?: (portalId: string, e: CrawlEvent) => void;
}

export class UnknownPortalError extends Error {
  constructor(readonly portalId: string) {
    super(`No portal "${portalId}" in the configuration.`);
  }
}

function portalOf(ctx: StageContext, id: string): Portal {
  const p = ctx.portals.get(id);
  if (!p) throw new UnknownPortalError(id);
  return p;
}

// ---------------------------------------------------------------------------------------------

export interface DiscoverResult {
  portalId: string;
  /** Every report URL seen this run. */
  urls: string[];
  /** Those not known before. */
  newUrls: string[];
  counters: CrawlCounters;
  errors: CrawlIssue[];
  skipped: CrawlIssue[];
  /** The listing pages answered, with the links each gave (run records, portal health). */
  listings: ListingSeen[];
  /**
   * Documents discovery already fetched: inline reports, whose article page is the document. Their
   * bytes are stored and their fetch recorded, and this is the fetch stage's result for each, to
   * be used instead of a second request of the same page in the same crawl.
   */
  prefetched: PrefetchedDocument[];
}

export type PrefetchedDocument = Extract<FetchStageResult, { outcome: 'fetched' | 'not_modified' }>;

/** Crawl one portal; every report found is upserted as a document. */
export async function discoverStage(ctx: StageContext, portalId: string): Promise<DiscoverResult> {
  const portal = portalOf(ctx, portalId);
  const renderer = portal.render === 'browser' && ctx.renderer ? await ctx.renderer() : undefined;
  const prefetched: PrefetchedDocument[] = [];
  const result = await crawlPortal(portal, {
    onInlineDocument: async (d) => {
      const r = await keepInlineDocument(ctx, d);
      if (r) prefetched.push(r);
    },
    fetcher: ctx.fetcher,
    limiter: ctx.limiter,
    robots: ctx.robots,
    state: new StoreCrawlState(ctx.store, portal.id),
    ...(renderer ? { renderer } : {}),
    ...(ctx.parser ? { parser: ctx.parser } : {}),
    ...(ctx.onCrawlEvent ? { onEvent: (e: CrawlEvent) => ctx.onCrawlEvent!(portal.id, e) } : {}),
    ...(ctx.now ? { now: ctx.now } : {}),
    ...(ctx.signal ? { signal: ctx.signal } : {}),
  });
  // The crawler stored each ref through its state; make sure even a ref the state missed is known.
  await ctx.store.upsertDocuments(result.refs.map((r) => documentInput(r)));
  // A listing or article page that failed (an article link answering 404 hides a report, a hostile
  // page is too_complex) is kept as a failed page with its reason, so /failed shows what the run
  // summary showed, in every mode, and the page is read again next run.
  for (const e of result.errors) {
    if (e.kind === 'document') continue;
    await ctx.store.upsertPage({ url: e.url, portalId: portal.id, status: 'failed', httpStatus: e.status ?? null, errorCode: e.reason, errorMessage: e.message });
  }
  return {
    portalId,
    urls: result.refs.map((r) => r.url),
    newUrls: result.newRefs.map((r) => r.url),
    counters: result.counters,
    errors: result.errors,
    skipped: result.skipped,
    listings: result.listings,
    prefetched,
  };
}

/**
 * Record an inline report's article page as its document's fetch, as fetchStage would have: a
 * 200 stores the bytes and the response's validators (the next crawl's requests stay
 * conditional); a 304 confirms the stored bytes when they are the page's and still at hand.
 * Null when the fetch stage must still ask (the bytes went missing, or are too large to keep).
 */
async function keepInlineDocument(ctx: StageContext, d: InlineDocument): Promise<PrefetchedDocument | null> {
  const url = d.ref.url;
  const doc = await ctx.store.getDocument(url);
  if (!doc) return null;
  if (!d.response) {
    if (!doc.sha256 || doc.sha256 !== d.pageSha256 || !(await ctx.artifacts.has(doc.sha256))) return null;
    await ctx.store.recordFetch(url, { status: 'not_modified', httpStatus: 304, at: (ctx.now ? ctx.now() : new Date()).toISOString() });
    return { url, outcome: 'not_modified', sha256: doc.sha256, changed: false };
  }
  const r = d.response;
  // A portal may allow documents less than pages: the fetch stage then refuses it the usual way.
  if (r.body.length > portalOf(ctx, doc.portalId).limits.documentMaxBytes) return null;
  try {
    return await keepFetched(ctx, url, doc.sha256, { ...r, bytes: r.body, filename: null });
  } catch (err) {
    if (err instanceof ArtifactTooLargeError) return null;
    throw err;
  }
}

interface FetchedBody {
  bytes: Uint8Array;
  status: number;
  contentType: string | null;
  etag: string | null;
  lastModified: string | null;
  filename: string | null;
  fetchedAt: string;
}

/**
 * Store a fetched body and record the fetch with the response's validators (the next crawl's
 * requests stay conditional). Throws ArtifactTooLargeError when the store refuses the body.
 */
async function keepFetched(ctx: StageContext, url: string, before: string | null, res: FetchedBody): Promise<PrefetchedDocument> {
  const sha256 = await ctx.artifacts.put(res.bytes);
  await ctx.store.recordFetch(url, {
    status: 'fetched',
    httpStatus: res.status,
    sha256,
    contentType: res.contentType,
    bytes: res.bytes.length,
    etag: res.etag,
    lastModified: res.lastModified,
    filename: res.filename,
    at: res.fetchedAt,
  });
  return { url, outcome: 'fetched', sha256, changed: sha256 !== before, bytes: res.bytes.length };
}

function documentInput(r: ReportRef) {
  return { url: r.url, portalId: r.portalId, title: r.title, yearHint: r.year, agencyHint: r.agency, discoveredFrom: r.listingUrl, publishedAt: r.published ?? null, publishedFrom: r.publishedFrom ?? null };
}

// ---------------------------------------------------------------------------------------------

export type FetchStageResult =
  | { url: string; outcome: 'fetched'; sha256: string; changed: boolean; bytes: number }
  | { url: string; outcome: 'not_modified'; sha256: string | null; changed: false }
  | { url: string; outcome: 'failed'; reason: FailureReason | 'unknown_document'; message: string; permanent: boolean; retryAfterMs?: number };

const GONE: ReadonlySet<string> = new Set(['http_404', 'http_410']);

/** Fetch one known document; new bytes go to the artifact store. Never throws for a bad URL. */
export async function fetchStage(ctx: StageContext, url: string): Promise<FetchStageResult> {
  const doc = await ctx.store.getDocument(url);
  const state = await new StoreCrawlState(ctx.store, doc?.portalId ?? '').getDocument(url);
  if (!doc || !state) return { url, outcome: 'failed', reason: 'unknown_document', message: `${url} was never discovered.`, permanent: true };
  const portal = portalOf(ctx, doc.portalId);
  const before = doc.sha256;
  const res = await fetchDocument(state.ref, {
    portal,
    fetcher: ctx.fetcher,
    limiter: ctx.limiter,
    robots: ctx.robots,
    state: new StoreCrawlState(ctx.store, portal.id),
    haveContent: (sha) => ctx.artifacts.has(sha),
    ...(ctx.now ? { now: ctx.now } : {}),
    ...(ctx.signal ? { signal: ctx.signal } : {}),
  });
  if (!res.ok) {
    const permanent = !isTransient(res.reason, res.status);
    await ctx.store.recordFetch(url, {
      status: GONE.has(res.reason) ? 'gone' : 'failed',
      httpStatus: res.status ?? null,
      errorCode: res.reason,
      errorMessage: res.message,
      at: new Date().toISOString(),
    });
    return { url, outcome: 'failed', reason: res.reason, message: res.message, permanent, ...(res.retryAfterMs ? { retryAfterMs: res.retryAfterMs } : {}) };
  }
  if (res.notModified) {
    await ctx.store.recordFetch(url, { status: 'not_modified', httpStatus: 304, at: res.fetchedAt });
    return { url, outcome: 'not_modified', sha256: res.sha256, changed: false };
  }
  try {
    return await keepFetched(ctx, url, before, res);
  } catch (err) {
    // The portal's download limit may exceed the store's: the document fails, the run goes on.
    if (!(err instanceof ArtifactTooLargeError)) throw err;
    await ctx.store.recordFetch(url, { status: 'failed', httpStatus: res.status, errorCode: 'too_large', errorMessage: err.message, at: res.fetchedAt });
    return { url, outcome: 'failed', reason: 'too_large', message: err.message, permanent: true };
  }
}

// ---------------------------------------------------------------------------------------------

export type ExtractStageResult =
  | { url: string; outcome: 'extracted'; status: RecordStatus; issueCodes: string[] }
  | { url: string; outcome: 'unchanged'; status: RecordStatus }
  | { url: string; outcome: 'skipped'; reason: 'not_fetched' | 'artifact_missing' | 'artifact_corrupt' | 'unknown_document'; message: string };

/** Where the extract stage's bytes are held: a ByteBudget, or nothing that bounds them. */
export interface BytesHold {
  run<T>(bytes: number, fn: () => Promise<T>): Promise<T>;
}

export interface ExtractStageOptions {
  /** Extract even when bytes and extractor version are unchanged. */
  force?: boolean;
  /**
   * Bounds the bytes held at once across concurrent calls: a document's bytes are read and
   * extracted only once its size fits (the local run shares one ByteBudget among its extractions).
   */
  budget?: BytesHold;
}

const UNBOUNDED: BytesHold = { run: (_bytes, fn) => fn() };

/**
 * Extract a fetched document from its stored bytes. Unless forced, a document whose record was
 * made from the same bytes by the same extractor version is left alone.
 */
export async function extractStage(ctx: StageContext, url: string, opts: ExtractStageOptions = {}): Promise<ExtractStageResult> {
  const doc = await ctx.store.getDocument(url);
  if (!doc) return { url, outcome: 'skipped', reason: 'unknown_document', message: `${url} was never discovered.` };
  if (!doc.sha256) return { url, outcome: 'skipped', reason: 'not_fetched', message: `${url} has no fetched content.` };
  const sha256 = doc.sha256;
  const version = ctx.extractorVersion ?? EXTRACTOR_VERSION;
  if (!opts.force) {
    const stored = await ctx.store.recordVersion(url);
    if (stored && stored.sha256 === sha256 && stored.extractorVersion === version) {
      const rec = await ctx.store.getRecord(url);
      return { url, outcome: 'unchanged', status: rec!.record.status };
    }
  }
  const portal = ctx.portals.get(doc.portalId);
  // The budget is held from reading the bytes until the record is made: the bytes (and whatever
  // the extraction builds from them) are dropped then; the record itself is small.
  const made = await (opts.budget ?? UNBOUNDED).run(await sizeOf(ctx, doc.bytes, sha256), async (): Promise<NianbaoRecord | ExtractStageResult> => {
    let bytes: Uint8Array | null;
    try {
      bytes = await ctx.artifacts.get(sha256);
    } catch (err) {
      if (!(err instanceof ArtifactCorruptError)) throw err;
      // The stored record (if any) stays; the document is marked failed so the next run or
      // `retry --failed` fetches it again in full (the damaged file was moved aside).
      await ctx.store.recordFetch(url, { status: 'failed', errorCode: 'artifact_corrupt', errorMessage: err.message });
      return { url, outcome: 'skipped', reason: 'artifact_corrupt', message: err.message };
    }
    if (!bytes) return { url, outcome: 'skipped', reason: 'artifact_missing', message: `The artifact ${sha256} of ${url} is not in the artifact store.` };
    const input: ExtractRecordInput = {
      uri: url,
      charset: charsetFromContentType(doc.contentType),
      hints: reportContext(doc, portal),
      ...(doc.fetchedAt ? { fetchedAt: doc.fetchedAt } : {}),
    };
    return (ctx.extract ?? extractRecord)(bytes, input);
  });
  if ('outcome' in made) return made;
  const record = made;
  await ctx.store.putRecord(record, {
    extractorVersion: version,
    portalId: doc.portalId,
    regionCode: portal?.region.code ?? null,
    regionName: portal?.region.name ?? null,
  });
  // Its agency's cross-year checks, now that this year's report (or a corrected one) is in: the
  // report's own verdict and the next year's, which is checked against it.
  await refreshPanel(ctx.store.db, { reportIds: [reportIdOf(url)] });
  return { url, outcome: 'extracted', status: record.status, issueCodes: record.issues.map((i) => i.code) };
}

/**
 * The size of a stored document's bytes, for the budget: as the fetch recorded it, else (a row
 * from before sizes were kept) the artifact file's; 0 when neither is known (the read then fails).
 */
async function sizeOf(ctx: StageContext, recorded: number | null, sha256: string): Promise<number> {
  if (recorded !== null) return recorded;
  return stat(ctx.artifacts.path(sha256)).then((s) => s.size, () => 0);
}

/** What the crawl knew about a document, for the record's labels (agency, region, title, date). */
export function reportContext(doc: StoredDocument, portal: Portal | undefined): BuildHints {
  return {
    agency: doc.agencyHint,
    year: doc.yearHint,
    title: doc.title,
    publishedAt: doc.publishedAt,
    publishedFrom: doc.publishedFrom,
    filename: doc.filename,
    portal: portal ? { id: portal.id, region: portal.region } : { id: doc.portalId, region: null },
  };
}
