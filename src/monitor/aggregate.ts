/** Fold a crawl's ledger items into per-portal stats and totals. Pure. */
import type { PortalRunStats, RunItem, RunTotals } from './types.js';

export function emptyPortalStats(portalId: string): PortalRunStats {
  return {
    portalId, discovered: false, listingPages: 0, articlePages: 0, pagesNotModified: 0, listingChanged: false, listingLinks: 0,
    listingErrors: [], robotsBlocked: [], scriptedListings: [], reportsFound: 0, reportsNew: 0, reportsUnchanged: 0, reportsGone: 0,
    fetched: 0, fetchedChanged: 0, notModified: 0, fetchFailed: 0, extracted: 0, valid: 0, flagged: 0, failed: 0, extractSkipped: 0,
    failures: {}, pending: { discover: 0, fetch: 0, extract: 0 },
  };
}

const bump = (m: Record<string, number>, k: string, n = 1) => {
  m[k] = (m[k] ?? 0) + n;
};

/** Stats per portal, in the order of `portalIds` (the crawl's), then any other portal the items name. */
export function aggregatePortals(items: readonly RunItem[], portalIds: readonly string[] = []): PortalRunStats[] {
  const by = new Map<string, PortalRunStats>(portalIds.map((id) => [id, emptyPortalStats(id)]));
  const of = (id: string) => {
    let s = by.get(id);
    if (!s) by.set(id, (s = emptyPortalStats(id)));
    return s;
  };
  for (const it of items) {
    const s = of(it.portalId);
    if (it.state === 'pending') {
      s.pending[it.stage]++;
      continue;
    }
    if (it.stage === 'discover') {
      s.discovered = true;
      if (it.state === 'failed') {
        bump(s.failures, it.reason ?? 'failed');
        continue;
      }
      const d = it.detail;
      if (!d) continue;
      s.listingPages += d.listingPages;
      s.articlePages += d.articlePages;
      s.pagesNotModified += d.pagesNotModified;
      s.listingChanged ||= d.listings.some((l) => l.changed);
      s.listingLinks += d.listings.reduce((n, l) => n + l.links, 0);
      s.listingErrors.push(...d.listingErrors);
      s.robotsBlocked.push(...d.robotsBlocked);
      s.scriptedListings.push(...d.listings.filter((l) => l.scripted).map((l) => l.url));
      s.reportsFound += d.reportsFound;
      s.reportsNew += d.reportsNew;
      s.reportsUnchanged += d.reportsFound - d.reportsNew;
      s.reportsGone += d.reportsGone;
      for (const [r, n] of Object.entries(d.errors)) bump(s.failures, r, n);
    } else if (it.stage === 'fetch') {
      if (it.state === 'failed') {
        s.fetchFailed++;
        bump(s.failures, it.reason ?? 'failed');
      } else if (it.outcome === 'not_modified') s.notModified++;
      else {
        s.fetched++;
        if (it.status === 'changed') s.fetchedChanged++;
      }
    } else {
      // Left as it was, or extracted for another crawl's record: no work of this one.
      if (it.outcome === 'unchanged' || it.outcome === 'elsewhere') continue;
      if (it.outcome === 'skipped' || (it.state === 'failed' && it.outcome !== 'extracted')) {
        s.extractSkipped++;
        bump(s.failures, it.reason ?? 'failed');
        continue;
      }
      s.extracted++;
      if (it.status === 'valid') s.valid++;
      else if (it.status === 'flagged') s.flagged++;
      else {
        s.failed++;
        bump(s.failures, it.reason ?? 'failed');
      }
    }
  }
  return [...by.values()];
}

const NUMERIC = ['listingPages', 'articlePages', 'pagesNotModified', 'listingLinks', 'reportsFound', 'reportsNew', 'reportsUnchanged', 'reportsGone', 'fetched', 'fetchedChanged', 'notModified', 'fetchFailed', 'extracted', 'valid', 'flagged', 'failed', 'extractSkipped'] as const;

export function totalsOf(portals: readonly PortalRunStats[]): RunTotals {
  const t = { portals: portals.length, failures: {}, pending: { discover: 0, fetch: 0, extract: 0 } } as RunTotals;
  for (const k of NUMERIC) t[k] = portals.reduce((n, p) => n + p[k], 0);
  for (const p of portals) {
    for (const [r, n] of Object.entries(p.failures)) bump(t.failures, r, n);
    for (const st of ['discover', 'fetch', 'extract'] as const) t.pending[st] += p.pending[st];
  }
  return t;
}
