/**
 * Ledger items from the stages' results. Pure; the local driver and the BullMQ processors both
 * call these, so a crawl leaves the same items whichever mode ran it.
 */
import type { DiscoverResult, ExtractStageResult, FetchStageResult } from '../pipeline/stages.js';
import type { DiscoverDetail, ItemOutcome } from './types.js';

/** `known`: the portal's document URLs before this crawl (not gone), to count reports that left the listings. */
export function discoverOutcome(d: DiscoverResult, known: readonly string[]): ItemOutcome {
  const found = new Set(d.urls);
  const fresh = new Set(d.newUrls);
  const errors: Record<string, number> = {};
  for (const e of d.errors) errors[e.reason] = (errors[e.reason] ?? 0) + 1;
  const detail: DiscoverDetail = {
    listingPages: d.counters.listingPages,
    articlePages: d.counters.articlePages,
    pagesNotModified: d.counters.notModified + d.counters.unchanged,
    reportsFound: d.urls.length,
    reportsNew: d.newUrls.length,
    reportsGone: known.filter((u) => !found.has(u) && !fresh.has(u)).length,
    listings: d.listings,
    listingErrors: d.errors.filter((e) => e.kind === 'listing').map((e) => ({ url: e.url, reason: e.reason, ...(e.status !== undefined ? { status: e.status } : {}) })),
    robotsBlocked: d.skipped.filter((e) => e.kind === 'listing' && e.reason === 'robots_disallowed').map((e) => e.url),
    errors,
  };
  return { state: 'done', outcome: 'done', status: null, reason: null, detail };
}

export function fetchOutcome(r: FetchStageResult): ItemOutcome {
  if (r.outcome === 'failed') return { state: 'failed', outcome: 'failed', status: null, reason: r.reason, detail: null };
  return { state: 'done', outcome: r.outcome, status: r.outcome === 'fetched' && r.changed ? 'changed' : null, reason: null, detail: null };
}

/** null for a record left as it was: that is no work of this crawl (distributed mode enqueues no job for it). */
export function extractOutcome(r: ExtractStageResult): ItemOutcome | null {
  if (r.outcome === 'unchanged') return null;
  if (r.outcome === 'skipped') return { state: 'failed', outcome: 'skipped', status: null, reason: r.reason, detail: null };
  return { state: 'done', outcome: 'extracted', status: r.status, reason: r.status === 'failed' ? (r.issueCodes[0] ?? 'failed') : null, detail: null };
}
