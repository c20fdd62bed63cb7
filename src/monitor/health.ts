/**
 * Portal health: each portal of a closed run judged against its own previous runs. Pure: the
 * run's stats and the portal's history in, findings out. A portal that broke gets one finding
 * about its discovery (the most specific cause found), so an operator sees one alert per broken
 * portal with its evidence, not a cascade of symptoms (a blocked site also fails every download).
 */
import type { AlertFinding, PortalRunStats } from './types.js';

export interface HistoryEntry {
  runId: number;
  crawlId: string;
  startedAt: string;
  stats: PortalRunStats;
}

export interface HealthOptions {
  /** Share of failed items that is alarming… */
  failureShare: number;
  /** …when the previous run's share was below this… */
  previousShareBelow: number;
  /** …and at least this many items were attempted. */
  minItems: number;
  /** A listing unchanged this many times longer than its usual interval between changes is stale… */
  staleFactor: number;
  /** …and at least this many days. */
  staleMinDays: number;
  /** Changes in the history needed before "usual" means anything. */
  staleMinChanges: number;
}

export const HEALTH_DEFAULTS: HealthOptions = { failureShare: 0.5, previousShareBelow: 0.25, minItems: 4, staleFactor: 4, staleMinDays: 7, staleMinChanges: 3 };

/** HTTP answers that say "you may not see this" or "this is not here any more", not "try later". */
const BLOCKING = new Set(['http_401', 'http_403', 'http_404', 'http_410', 'http_4xx']);

const DAY_MS = 86_400_000;

function failureShareOf(s: PortalRunStats): { attempted: number; failed: number; share: number } {
  const attempted = s.fetched + s.notModified + s.fetchFailed + s.extracted + s.extractSkipped;
  const failed = s.fetchFailed + s.failed + s.extractSkipped;
  return { attempted, failed, share: attempted ? failed / attempted : 0 };
}

function lastGoodOf(history: readonly HistoryEntry[]) {
  const h = history.find((e) => e.stats.reportsFound > 0);
  return h ? { runId: h.runId, crawlId: h.crawlId, startedAt: h.startedAt, reportsFound: h.stats.reportsFound, listingLinks: h.stats.listingLinks } : null;
}

/** `history`: the portal's previous runs, newest first (not including `current`). */
export function judgePortal(current: HistoryEntry, history: readonly HistoryEntry[], opts: HealthOptions = HEALTH_DEFAULTS): AlertFinding[] {
  const s = current.stats;
  const id = s.portalId;
  const out: AlertFinding[] = [];
  const discovery = judgeDiscovery(s, history);
  if (discovery) return [discovery];

  const now = failureShareOf(s);
  const prev = history[0] ? failureShareOf(history[0].stats) : null;
  if (now.attempted >= opts.minItems && now.share >= opts.failureShare && prev && prev.attempted > 0 && prev.share < opts.previousShareBelow) {
    out.push({
      portalId: id,
      kind: 'failure_share',
      message: `${now.failed} of ${now.attempted} documents failed (${pct(now.share)}); the previous run failed ${pct(prev.share)}`,
      evidence: { failed: now.failed, attempted: now.attempted, share: now.share, byReason: s.failures, previous: { runId: history[0]!.runId, crawlId: history[0]!.crawlId, share: prev.share, attempted: prev.attempted } },
    });
  }

  const stale = judgeStale(current, history, opts);
  if (stale) out.push(stale);
  return out;
}

function judgeDiscovery(s: PortalRunStats, history: readonly HistoryEntry[]): AlertFinding | null {
  if (!s.discovered || s.reportsFound > 0) return null;
  const lastGood = lastGoodOf(history);
  if (!lastGood) return null; // never found anything: a new or misconfigured portal, not a breakage
  const id = s.portalId;
  const base = { lastGood, now: { reportsFound: 0, listingPages: s.listingPages, listingLinks: s.listingLinks } };
  if (s.robotsBlocked.length) {
    return { portalId: id, kind: 'robots_disallowed', message: `robots.txt now disallows the listing (${s.robotsBlocked[0]}); ${lastGood.reportsFound} reports were found on ${lastGood.startedAt.slice(0, 10)}`, evidence: { ...base, blocked: s.robotsBlocked } };
  }
  const blocked = s.listingErrors.filter((e) => BLOCKING.has(e.reason));
  if (blocked.length) {
    const e = blocked[0]!;
    return { portalId: id, kind: 'listing_blocked', message: `the listing answers ${e.status ?? e.reason} (${e.url}); ${lastGood.reportsFound} reports were found on ${lastGood.startedAt.slice(0, 10)}`, evidence: { ...base, errors: blocked } };
  }
  if (s.scriptedListings.length) {
    return { portalId: id, kind: 'listing_needs_js', message: `the listing is now an empty page filled in by JavaScript (${s.scriptedListings[0]}); set render: browser for this portal`, evidence: { ...base, pages: s.scriptedListings } };
  }
  const answered = s.listingPages - s.listingErrors.length;
  if (answered > 0 && s.listingLinks === 0 && s.listingErrors.length === 0) {
    return { portalId: id, kind: 'listing_layout_changed', message: `the listing answers but links no report (it linked ${lastGood.listingLinks} on ${lastGood.startedAt.slice(0, 10)}): moved column or new layout`, evidence: base };
  }
  return {
    portalId: id,
    kind: 'zero_reports',
    message: `no report found; ${lastGood.reportsFound} were found on ${lastGood.startedAt.slice(0, 10)}${s.listingErrors.length ? ` (listing: ${s.listingErrors[0]!.reason})` : ''}`,
    evidence: { ...base, errors: s.listingErrors, failures: s.failures },
  };
}

function judgeStale(current: HistoryEntry, history: readonly HistoryEntry[], opts: HealthOptions): AlertFinding | null {
  if (current.stats.listingChanged || !current.stats.discovered) return null;
  const changes = [...history].reverse().filter((h) => h.stats.listingChanged).map((h) => Date.parse(h.startedAt));
  if (changes.length < opts.staleMinChanges) return null;
  const gaps = changes.slice(1).map((t, i) => t - changes[i]!).sort((a, b) => a - b);
  const usual = gaps[Math.floor(gaps.length / 2)]!;
  const last = changes[changes.length - 1]!;
  const since = Date.parse(current.startedAt) - last;
  if (since <= Math.max(usual * opts.staleFactor, opts.staleMinDays * DAY_MS)) return null;
  return {
    portalId: current.stats.portalId,
    kind: 'listing_stale',
    message: `the listing has not changed for ${days(since)} days; it usually changes every ${days(usual)} days`,
    evidence: { lastChange: new Date(last).toISOString(), sinceDays: since / DAY_MS, usualDays: usual / DAY_MS, changesSeen: changes.length },
  };
}

const pct = (x: number) => `${Math.round(x * 100)}%`;
const days = (ms: number) => (ms / DAY_MS).toFixed(ms < 10 * DAY_MS ? 1 : 0);
