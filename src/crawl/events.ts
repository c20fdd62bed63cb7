/** What a crawl reports as it goes, and the tally it ends with. */
import type { FailureReason } from '../fetch/reasons.js';
import type { ReportRef } from './discover.js';

export type PageKind = 'listing' | 'article';

export type SkipReason = 'host_not_allowed' | 'robots_disallowed' | 'robots_unavailable' | 'max_pages' | 'max_articles';

export type CrawlEvent =
  | { type: 'page'; kind: PageKind; url: string; outcome: 'fetched' | 'not_modified' | 'unchanged' | 'rendered'; status: number }
  | { type: 'report'; ref: ReportRef; isNew: boolean }
  | { type: 'skipped'; kind: PageKind | 'document'; url: string; reason: SkipReason; message: string }
  | { type: 'error'; kind: PageKind; url: string; reason: FailureReason; message: string; status?: number };

/**
 * One listing page as this crawl saw it: what the run record and the portal health judge need to
 * tell "the column is empty" from "the column moved" or "the listing now needs JavaScript".
 */
export interface ListingSeen {
  url: string;
  /** HTTP status of the answer (304 for not modified). */
  status: number;
  /** The body differs from the last crawl's (a 304 or the same hash is unchanged). */
  changed: boolean;
  /** Report links found on it. */
  links: number;
  /** Further listing pages it linked (pagination). */
  pages: number;
  /** No report links and the page looks like a shell a script fills in (needsJavaScript). */
  scripted: boolean;
}

export interface CrawlCounters {
  listingPages: number;
  articlePages: number;
  /** Pages whose body was downloaded (200). */
  fetched: number;
  /** 304 answers to conditional requests. */
  notModified: number;
  /** 200 answers whose body hashes the same as last time. */
  unchanged: number;
  rendered: number;
  reportsFound: number;
  reportsNew: number;
  /** Article pages with neither report tables nor attachments (still reported, as inline). */
  articlesWithoutReport: number;
  skipped: Partial<Record<SkipReason, number>>;
  errors: Partial<Record<FailureReason, number>>;
}

export function emptyCounters(): CrawlCounters {
  return { listingPages: 0, articlePages: 0, fetched: 0, notModified: 0, unchanged: 0, rendered: 0, reportsFound: 0, reportsNew: 0, articlesWithoutReport: 0, skipped: {}, errors: {} };
}
