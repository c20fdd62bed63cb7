/**
 * The store's tables as Kysely types. Column types are kept to what SQLite and PostgreSQL share:
 * integer, text (timestamps as ISO 8601 UTC text, record JSON as text), so one set of migrations
 * and one set of queries serve both.
 */
import type { Generated } from 'kysely';

export type DocumentStatus = 'pending' | 'fetched' | 'not_modified' | 'failed' | 'gone';
export type PageStatus = 'fetched' | 'not_modified' | 'failed';
/** 'closing': the crawl settled and one process is writing its record (distributed mode elects it). */
export type RunStatus = 'running' | 'closing' | 'done' | 'failed';

/** One row per report URL found by the crawler, with the state of its last fetch. */
export interface DocumentsTable {
  id: Generated<number>;
  url: string;
  portal_id: string;
  title: string | null;
  year_hint: number | null;
  agency_hint: string | null;
  discovered_from: string | null;
  discovered_at: string;
  seen_at: string;
  status: DocumentStatus;
  http_status: number | null;
  etag: string | null;
  last_modified: string | null;
  sha256: string | null;
  content_type: string | null;
  bytes: number | null;
  fetched_at: string | null;
  checked_at: string | null;
  attempts: number;
  error_code: string | null;
  error_message: string | null;
  /** JSON ReportRef: how the crawler found the document (migration 0002). */
  ref: string | null;
  /** Publication date (YYYY-MM-DD) the article page or the listing gave (migration 0003). */
  published_at: string | null;
  /** 'article' or 'listing' (migration 0003). */
  published_from: string | null;
  /** The file name the download announced (Content-Disposition; migration 0003). */
  filename: string | null;
}

/** Listing pages the crawler fetched, kept for conditional re-requests. */
export interface PagesTable {
  id: Generated<number>;
  url: string;
  portal_id: string;
  status: PageStatus;
  http_status: number | null;
  etag: string | null;
  last_modified: string | null;
  sha256: string | null;
  fetched_at: string | null;
  checked_at: string;
  error_code: string | null;
  error_message: string | null;
  /** JSON PageState: what the page linked, so a 304 still yields its links (migration 0002). */
  state: string | null;
}

/** One extracted record per document URL (record.source.uri). */
export interface RecordsTable {
  id: Generated<number>;
  url: string;
  sha256: string;
  extractor_version: string;
  schema_version: number;
  status: string;
  agency: string | null;
  year: number | null;
  template: string | null;
  region_code: string | null;
  region_name: string | null;
  portal_id: string | null;
  extracted_at: string;
  /** Distinct issue codes, sorted, space-separated (filterable with LIKE in both dialects). */
  issue_codes: string;
  record: string;
  /** The record's labels, copied out of it for queries (migration 0003); report_id is unique. */
  report_id: string | null;
  agency_normalized: string | null;
  agency_type: string | null;
  agency_key: string | null;
  region_level: string | null;
  province_code: string | null;
  province_name: string | null;
  prefecture_code: string | null;
  prefecture_name: string | null;
  county_code: string | null;
  county_name: string | null;
  published_at: string | null;
  title: string | null;
}

export interface RunsTable {
  id: Generated<number>;
  kind: string;
  status: RunStatus;
  started_at: string;
  finished_at: string | null;
  /** JSON object of named counters. */
  counters: string;
  error_message: string | null;
  /** The crawl this run is the record of (migration 0004): unique; null for retry/export runs. */
  crawl_id: string | null;
  /** 'local' or 'distributed' (migration 0004). */
  mode: string | null;
  /** JSON array of the portal ids the crawl covers (migration 0004). */
  portals: string | null;
  /** JSON RunRecord, written when the run closes (migration 0004). */
  record: string | null;
}

export type RunItemState = 'pending' | 'done' | 'failed';

/** The ledger of a crawl: one row per stage and item (portal or document URL) (migration 0004). */
export interface RunItemsTable {
  id: Generated<number>;
  crawl_id: string;
  stage: string;
  item_key: string;
  portal_id: string;
  state: RunItemState;
  outcome: string | null;
  status: string | null;
  reason: string | null;
  /** JSON: what discovery saw on the portal (listing pages, links, errors). */
  detail: string | null;
  updated_at: string;
}

/** One closed run's stats for one portal, the history the health judge compares with (migration 0004). */
export interface RunPortalsTable {
  id: Generated<number>;
  run_id: number;
  crawl_id: string;
  portal_id: string;
  started_at: string;
  /** JSON PortalRunStats. */
  stats: string;
}

/** A portal that broke, with the evidence; open until a later run no longer finds it (migration 0004). */
export interface PortalAlertsTable {
  id: Generated<number>;
  portal_id: string;
  kind: string;
  message: string;
  /** JSON evidence: the last good run and what changed. */
  evidence: string;
  raised_run_id: number;
  raised_crawl_id: string;
  raised_at: string;
  last_run_id: number;
  resolved_run_id: number | null;
  resolved_at: string | null;
}

/** One row per save of a field's review (migration 0005); the latest row of a (url, field) is in force. */
export interface ReviewOverridesTable {
  id: Generated<number>;
  url: string;
  field: string;
  /** 'value' (the reviewer's number), 'as_published' (the extracted value confirmed), 'removed' (back to the extraction). */
  kind: string;
  /** JSON: a number, or null for a blank cell; SQL NULL for as_published and removed. */
  new_value: string | null;
  /** JSON of the extracted value the reviewer saw; SQL NULL when the field was not located. */
  old_value: string | null;
  sha256: string;
  reviewer: string;
  note: string | null;
  created_at: string;
}

/** A record's review state (migration 0005), keyed by URL like the record. */
export interface ReviewsTable {
  id: Generated<number>;
  url: string;
  state: string;
  sha256: string;
  reviewer: string;
  note: string | null;
  updated_at: string;
}

/** The panel checks' verdict on each report (migration 0006; src/panel/store.ts rewrites it). */
export interface PanelReportsTable {
  id: Generated<number>;
  report_id: string;
  agency_key: string | null;
  year: number | null;
  /** consistent, mismatch, no_previous_year, not_comparable, unchecked. */
  status: string;
  previous_report_id: string | null;
  checked_at: string;
}

/** One break of a cross-report identity, on the later report (migration 0006). */
export interface PanelFindingsTable {
  id: Generated<number>;
  report_id: string;
  agency_key: string;
  year: number;
  rule: string;
  strength: string;
  field: string;
  value: number | null;
  other_report_id: string;
  other_year: number;
  other_value: number | null;
  message: string;
  checked_at: string;
}

export interface Database {
  documents: DocumentsTable;
  pages: PagesTable;
  records: RecordsTable;
  runs: RunsTable;
  run_items: RunItemsTable;
  run_portals: RunPortalsTable;
  portal_alerts: PortalAlertsTable;
  review_overrides: ReviewOverridesTable;
  reviews: ReviewsTable;
  panel_reports: PanelReportsTable;
  panel_findings: PanelFindingsTable;
}
