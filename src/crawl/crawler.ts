/**
 * Crawl one portal: walk its listing columns and their pagination, open the article pages they
 * link, and report every annual report found (ReportRef). Conditional requests make a re-crawl of
 * an unchanged portal cost one 304 per page and report nothing new. Fetching the report documents
 * is the caller's job (fetchDocument).
 */
import { createHash } from 'node:crypto';
import type { PageRenderer } from '../fetch/browser.js';
import { decodeResponse } from '../fetch/charset.js';
import { hostAllowed } from '../fetch/hosts.js';
import type { FailureReason } from '../fetch/reasons.js';
import type { Fetcher, FetchLimits } from '../fetch/types.js';
import { ExtractError } from '../extract/errors.js';
import { portalGate } from './admit.js';
import type { ArticleInfo } from './article.js';
import type { Portal } from './config.js';
import { type ListingDiscovery, type PageParser, type ReportLink, type ReportRef, discoverArticle, discoverListing, refFromDirectLink, refsFromArticle } from './discover.js';
import { type CrawlCounters, type CrawlEvent, type ListingSeen, type PageKind, type SkipReason, emptyCounters } from './events.js';
import type { HostLimiter } from './politeness.js';
import { drain } from './pool.js';
import type { RobotsChecker } from './robots.js';
import { needsJavaScript } from './scripted.js';
import type { CrawlState, PageState } from './state.js';

export interface CrawlDeps {
  fetcher: Fetcher;
  limiter: HostLimiter;
  robots: RobotsChecker;
  state: CrawlState;
  /** Needed for portals with `render: browser`. */
  renderer?: PageRenderer;
  /** Reads the fetched pages; default in place (discoverListing, discoverArticle). */
  parser?: PageParser;
  /**
   * An article page that is itself a report (inline tables) was answered: the page is the report's
   * document, so its response is handed on and the document needs no second request this crawl.
   * Called once per such report, after the report was kept (allowed host, robots.txt).
   */
  onInlineDocument?: (doc: InlineDocument) => Promise<void>;
  onEvent?: (e: CrawlEvent) => void;
  now?: () => Date;
  signal?: AbortSignal;
}

/** The response of an article page that is an inline report, as the document's fetch would have had it. */
export interface InlineDocument {
  ref: ReportRef;
  /** The page's bytes as served (200), or null when it answered 304 to the page's validators. */
  response: { status: number; body: Uint8Array; contentType: string | null; etag: string | null; lastModified: string | null; fetchedAt: string } | null;
  /** The sha256 of the page's bytes: as served, or as stored when it answered 304. */
  pageSha256: string | null;
}

export interface CrawlIssue {
  kind: PageKind | 'document';
  url: string;
  reason: FailureReason | SkipReason;
  message: string;
  status?: number;
}

export interface CrawlResult {
  portalId: string;
  startedAt: string;
  finishedAt: string;
  /** Every report seen this run, in discovery order, each once. */
  refs: ReportRef[];
  /** Those not in the state before this run. */
  newRefs: ReportRef[];
  counters: CrawlCounters;
  errors: CrawlIssue[];
  skipped: CrawlIssue[];
  /** Every listing page answered this run, with the links it gave (for run records and health). */
  listings: ListingSeen[];
}

type Task = { kind: 'listing'; url: string } | { kind: 'article'; url: string; link: ReportLink; listingUrl: string };

const HTML_ACCEPT = 'text/html,application/xhtml+xml;q=0.9,*/*;q=0.5';

export async function crawlPortal(portal: Portal, deps: CrawlDeps): Promise<CrawlResult> {
  const now = () => (deps.now ? deps.now() : new Date());
  const startedAt = now().toISOString();
  const gate = portalGate(portal, deps, deps.signal);
  const counters = emptyCounters();
  const refs: ReportRef[] = [];
  const newRefs: ReportRef[] = [];
  const errors: CrawlIssue[] = [];
  const skipped: CrawlIssue[] = [];
  const listings: ListingSeen[] = [];
  const seenPages = new Set<string>();
  const seenArticles = new Set<string>();
  const seenRefs = new Set<string>();
  const pageLimits: Partial<FetchLimits> = {
    maxBytes: portal.limits.pageMaxBytes,
    maxDecompressedBytes: portal.limits.maxDecompressedBytes,
    totalTimeoutMs: portal.limits.timeoutMs,
    retries: portal.limits.retries,
  };
  const emit = (e: CrawlEvent) => deps.onEvent?.(e);

  const skip = (kind: CrawlIssue['kind'], url: string, reason: SkipReason, message: string) => {
    counters.skipped[reason] = (counters.skipped[reason] ?? 0) + 1;
    skipped.push({ kind, url, reason, message });
    emit({ type: 'skipped', kind, url, reason, message });
  };
  const error = (kind: PageKind, url: string, reason: FailureReason, message: string, status?: number) => {
    // A path robots.txt forbids is a decision, not an error.
    if (reason === 'robots_disallowed' || reason === 'robots_unavailable' || reason === 'host_not_allowed') return skip(kind, url, reason, message);
    counters.errors[reason] = (counters.errors[reason] ?? 0) + 1;
    errors.push({ kind, url, reason, message, ...(status !== undefined ? { status } : {}) });
    emit({ type: 'error', kind, url, reason, message, ...(status !== undefined ? { status } : {}) });
  };

  const onHost = (url: string): boolean => {
    try {
      return hostAllowed(new URL(url), portal.allowedHosts);
    } catch {
      return false;
    }
  };

  /** Keep a report found; false when it was seen already or may not be fetched. */
  async function emitRef(ref: ReportRef): Promise<boolean> {
    if (seenRefs.has(ref.url)) return false;
    seenRefs.add(ref.url);
    if (!onHost(ref.url)) {
      skip('document', ref.url, 'host_not_allowed', `${new URL(ref.url).host} is not among the portal's allowed hosts`);
      return false;
    }
    const verdict = await gate.robotsAllows(ref.url);
    if (!verdict.allowed) {
      skip('document', ref.url, verdict.reason ?? 'robots_disallowed', verdict.message ?? 'disallowed by robots.txt');
      return false;
    }
    const at = now().toISOString();
    const prev = await deps.state.getDocument(ref.url);
    await deps.state.putDocument(ref.url, { ...prev, url: ref.url, ref, firstSeenAt: prev?.firstSeenAt ?? at, lastSeenAt: at });
    refs.push(ref);
    counters.reportsFound++;
    if (!prev) {
      newRefs.push(ref);
      counters.reportsNew++;
    }
    emit({ type: 'report', ref, isNew: !prev });
    return true;
  }

  /** Fetch a page conditionally; null when it failed (already recorded). */
  async function getHtml(
    kind: PageKind,
    url: string,
    stored: PageState | undefined,
    hasDiscovery: boolean,
  ): Promise<{ notModified: true } | { notModified: false; html: string; finalUrl: string; state: PageState; body?: Uint8Array; contentType?: string | null } | null> {
    if (kind === 'listing' && portal.render === 'browser') return renderHtml(url, stored);
    const conditional = stored && hasDiscovery ? { etag: stored.etag, lastModified: stored.lastModified } : null;
    const res = await deps.fetcher.fetch({ url, policy: gate.policy, admit: gate.admit, onRetryAfter: gate.onRetryAfter, validators: conditional, limits: pageLimits, accept: HTML_ACCEPT, signal: deps.signal });
    if (!res.ok) {
      error(kind, url, res.reason, res.message, res.status);
      return null;
    }
    if (res.notModified) {
      counters.notModified++;
      emit({ type: 'page', kind, url, outcome: 'not_modified', status: 304 });
      return { notModified: true };
    }
    const unchanged = stored?.sha256 === res.sha256 && hasDiscovery;
    if (unchanged) counters.unchanged++;
    else counters.fetched++;
    emit({ type: 'page', kind, url, outcome: unchanged ? 'unchanged' : 'fetched', status: res.status });
    const html = decodeResponse(res.body, res.contentType).text;
    const state: PageState = { url, kind, etag: res.etag, lastModified: res.lastModified, sha256: res.sha256, status: res.status, fetchedAt: now().toISOString() };
    return { notModified: false, html, finalUrl: res.finalUrl, state, body: res.body, contentType: res.contentType };
  }

  async function renderHtml(url: string, stored: PageState | undefined) {
    if (!deps.renderer) {
      error('listing', url, 'renderer_unavailable', `portal ${portal.id} needs a browser (render: browser) and none was given`);
      return null;
    }
    const admission = await gate.admit(new URL(url));
    if (!admission.ok) {
      error('listing', url, admission.reason, admission.message);
      return null;
    }
    try {
      const r = await deps.renderer.render(url, { policy: gate.policy, timeoutMs: portal.limits.timeoutMs, maxBytes: portal.limits.pageMaxBytes });
      if (!r.ok) {
        error('listing', url, r.reason, r.message, r.status);
        return null;
      }
      const sha256 = createHash('sha256').update(r.html).digest('hex');
      // A rendered page has no validators; an identical DOM is the "not modified" we can know.
      const unchanged = stored?.sha256 === sha256;
      counters.rendered++;
      if (unchanged) counters.unchanged++;
      emit({ type: 'page', kind: 'listing', url, outcome: unchanged ? 'unchanged' : 'rendered', status: r.status ?? 200 });
      const state: PageState = { url, kind: 'listing', etag: null, lastModified: null, sha256, status: r.status ?? 200, fetchedAt: now().toISOString() };
      return { notModified: false as const, html: r.html, finalUrl: r.finalUrl, state };
    } finally {
      admission.release();
    }
  }

  /**
   * Read a fetched page; a page that cannot be read is this page's error, never the crawl's: the
   * rest of the portal (and every other portal) goes on.
   */
  async function parsePage<T>(kind: PageKind, url: string, parse: () => T | Promise<T>): Promise<T | null> {
    try {
      return await parse();
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      error(kind, url, err instanceof ExtractError && err.code === 'too_complex' ? 'too_complex' : 'parse_failed', message);
      return null;
    }
  }

  async function visitListing(url: string, push: (t: Task) => void): Promise<void> {
    counters.listingPages++;
    const stored = await deps.state.getPage(url);
    const got = await getHtml('listing', url, stored, !!stored?.reports);
    if (!got) return;
    let found: ListingDiscovery;
    let scripted: boolean;
    if (got.notModified) {
      found = { reports: stored!.reports!, pages: stored!.pages ?? [] };
      scripted = stored!.scripted ?? false;
    } else {
      const parsed = await parsePage('listing', url, () => (deps.parser ? deps.parser.listing(got.html, got.finalUrl, portal.selectors) : discoverListing(got.html, got.finalUrl, portal.selectors)));
      if (!parsed) return;
      found = parsed;
      scripted = found.reports.length === 0 && needsJavaScript(got.html);
      await deps.state.putPage(url, { ...got.state, reports: found.reports, pages: found.pages, ...(scripted ? { scripted } : {}) });
    }
    listings.push({ url, status: got.notModified ? 304 : got.state.status, changed: !got.notModified && got.state.sha256 !== stored?.sha256, links: found.reports.length, pages: found.pages.length, scripted });
    for (const page of found.pages) {
      if (seenPages.has(page) || !onHost(page)) continue; // pager links off-site are navigation, not listings
      seenPages.add(page);
      if (seenPages.size > portal.limits.maxPages) {
        skip('listing', page, 'max_pages', `more than ${portal.limits.maxPages} listing pages`);
        continue;
      }
      push({ kind: 'listing', url: page });
    }
    for (const link of found.reports) {
      if (!onHost(link.url)) {
        skip(link.direct ? 'document' : 'article', link.url, 'host_not_allowed', `${new URL(link.url).host} is not among the portal's allowed hosts`);
        continue;
      }
      if (link.direct) {
        await emitRef(refFromDirectLink(link, { portalId: portal.id, listingUrl: url }));
        continue;
      }
      if (seenArticles.has(link.url)) continue;
      seenArticles.add(link.url);
      if (seenArticles.size > portal.limits.maxArticles) {
        skip('article', link.url, 'max_articles', `more than ${portal.limits.maxArticles} article pages`);
        continue;
      }
      push({ kind: 'article', url: link.url, link, listingUrl: url });
    }
  }

  async function visitArticle(task: Extract<Task, { kind: 'article' }>): Promise<void> {
    counters.articlePages++;
    const stored = await deps.state.getPage(task.url);
    const got = await getHtml('article', task.url, stored, !!stored?.article);
    if (!got) return;
    let info: ArticleInfo;
    if (got.notModified) info = stored!.article!;
    else {
      const parsed = await parsePage('article', task.url, () => (deps.parser ? deps.parser.article(got.html, got.finalUrl, portal.selectors) : discoverArticle(got.html, got.finalUrl, portal.selectors)));
      if (!parsed) return;
      info = parsed;
      await deps.state.putPage(task.url, { ...got.state, article: info });
    }
    if (!info.hasReportTables && info.attachments.length === 0) counters.articlesWithoutReport++;
    for (const ref of refsFromArticle(info, task.link, { portalId: portal.id, pageUrl: task.url, listingUrl: task.listingUrl })) {
      if (!(await emitRef(ref)) || ref.url !== task.url || !deps.onInlineDocument) continue;
      const response = got.notModified || !got.body ? null : { status: got.state.status, body: got.body, contentType: got.contentType ?? null, etag: got.state.etag, lastModified: got.state.lastModified, fetchedAt: got.state.fetchedAt };
      await deps.onInlineDocument({ ref, response, pageSha256: got.notModified ? (stored?.sha256 ?? null) : got.state.sha256 });
    }
  }

  const entries = portal.entries.map((e) => e.url).filter((u) => !seenPages.has(u));
  for (const u of entries) seenPages.add(u);
  await drain<Task>(
    entries.map((url) => ({ kind: 'listing', url })),
    portal.rateLimit.concurrency,
    async (task, push) => {
      if (deps.signal?.aborted) return;
      if (task.kind === 'listing') await visitListing(task.url, push);
      else await visitArticle(task);
    },
  );

  return { portalId: portal.id, startedAt, finishedAt: now().toISOString(), refs, newRefs, counters, errors, skipped, listings };
}
