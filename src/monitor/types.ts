/**
 * The run record of a crawl, as plain data: the ledger items the stages leave (one per stage and
 * portal or document), the per-portal stats folded from them, the alerts the health judge raises.
 * Local and distributed crawls write the same items, so the same fold gives the same record.
 */
import type { ListingSeen } from '../crawl/events.js';

export type Stage = 'discover' | 'fetch' | 'extract';
export type ItemState = 'pending' | 'done' | 'failed';

/** What discovery saw on one portal (the discover item's detail). */
export interface DiscoverDetail {
  listingPages: number;
  articlePages: number;
  /** Pages unchanged since the last crawl (304 or the same body). */
  pagesNotModified: number;
  reportsFound: number;
  reportsNew: number;
  /** Reports known before that the listings no longer link. */
  reportsGone: number;
  listings: ListingSeen[];
  /** Listing pages that failed, with the reason and HTTP status. */
  listingErrors: { url: string; reason: string; status?: number }[];
  /** Listing pages robots.txt forbids. */
  robotsBlocked: string[];
  /** Every failure of discovery (listing and article pages), by reason. */
  errors: Record<string, number>;
}

export interface RunItem {
  crawlId: string;
  stage: Stage;
  /** The portal id (discover) or the document URL (fetch, extract). */
  key: string;
  portalId: string;
  state: ItemState;
  /** discover: done; fetch: fetched | not_modified | failed; extract: extracted | skipped. */
  outcome: string | null;
  /** extract: the record's status (valid, flagged, failed); fetch: 'changed' when the bytes are new. */
  status: string | null;
  reason: string | null;
  detail: DiscoverDetail | null;
}

/** The settled part of an item (what a stage reports when it is done with it). */
export type ItemOutcome = Pick<RunItem, 'state' | 'outcome' | 'status' | 'reason' | 'detail'>;

/** One portal in one run. Every number counts this crawl's work only. */
export interface PortalRunStats {
  portalId: string;
  /** Discovery settled (done or failed for good). */
  discovered: boolean;
  listingPages: number;
  articlePages: number;
  pagesNotModified: number;
  /** Some listing page has a new body since the last crawl. */
  listingChanged: boolean;
  /** Report links on the listing pages. */
  listingLinks: number;
  listingErrors: { url: string; reason: string; status?: number }[];
  robotsBlocked: string[];
  /** Listing pages with no report link that look like a script's empty shell. */
  scriptedListings: string[];
  reportsFound: number;
  reportsNew: number;
  reportsUnchanged: number;
  reportsGone: number;
  fetched: number;
  /** Of those fetched, with new bytes. */
  fetchedChanged: number;
  notModified: number;
  fetchFailed: number;
  /** Records made this crawl, and their status. */
  extracted: number;
  valid: number;
  flagged: number;
  failed: number;
  /** Documents whose extraction could not start (artifact missing or damaged…). */
  extractSkipped: number;
  /** Failures of every stage, by reason code. */
  failures: Record<string, number>;
  /** Items not settled yet, per stage (zero in a closed run). */
  pending: Record<Stage, number>;
}

export type RunTotals = Omit<PortalRunStats, 'portalId' | 'discovered' | 'listingChanged' | 'listingErrors' | 'robotsBlocked' | 'scriptedListings'> & { portals: number };

export interface RunRecord {
  runId: number;
  crawlId: string;
  mode: 'local' | 'distributed';
  status: 'running' | 'closing' | 'done' | 'failed';
  startedAt: string;
  finishedAt: string | null;
  totals: RunTotals;
  portals: PortalRunStats[];
}

export type AlertKind = 'robots_disallowed' | 'listing_blocked' | 'listing_needs_js' | 'listing_layout_changed' | 'zero_reports' | 'failure_share' | 'listing_stale';

/** What the judge found wrong with a portal in one run. */
export interface AlertFinding {
  portalId: string;
  kind: AlertKind;
  message: string;
  evidence: Record<string, unknown>;
}

export interface PortalAlert extends AlertFinding {
  id: number;
  raisedRunId: number;
  raisedCrawlId: string;
  raisedAt: string;
  lastRunId: number;
  resolvedRunId: number | null;
  resolvedAt: string | null;
}
