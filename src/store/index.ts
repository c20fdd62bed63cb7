/**
 * The store: documents found by the crawler, listing pages, extracted records and runs, in SQLite
 * (embedded default, `./data/nianbao.sqlite`) or PostgreSQL (when given a postgres:// URL or
 * $DATABASE_URL). Same migrations and same queries in both. Pure data in and out.
 *
 *   const store = await openStore();
 *   await store.putRecord(record, { regionCode: '440112' });
 *   for await (const r of store.listRecords({ year: 2020 })) …
 *   await store.close();
 */
import type { Kysely } from 'kysely';
import type { NianbaoRecord } from '../validate/schema.js';
import { type ConnectOptions, type Dialect, connect, resolveStoreTarget } from './connect.js';
import { type DocumentFilter, type DocumentInput, type FetchOutcome, type StoredDocument, getDocument, listDocuments, recordFetch, upsertDocuments } from './documents.js';
import { type FailedItem, listFailed } from './failures.js';
import { migrateToLatest } from './migrations.js';
import { type PageInput, type StoredPage, getPage, upsertPage } from './pages.js';
import {
  type PutResult,
  type RecordFilter,
  type RecordMeta,
  type StoredRecord,
  countRecords,
  getRecord,
  listRecords,
  putRecords,
  recordVersion,
} from './records.js';
import { type ReviewSave, type StoredOverride, type StoredReview, getReview, listReviews, overrideHistory, saveReview } from './reviews.js';
import { type RunEnd, type StoredRun, finishRun, getRun, startRun } from './runs.js';
import type { Database } from './tables.js';

export interface OpenStoreOptions extends ConnectOptions {
  /** SQLite path or postgres:// URL. Default: $DATABASE_URL, else `<dataDir>/nianbao.sqlite`. */
  url?: string;
  /** Default ./data. */
  dataDir?: string;
  /** Environment to read DATABASE_URL from; default process.env. */
  env?: Record<string, string | undefined>;
}

export interface Store {
  readonly dialect: Dialect;
  /** The Kysely instance, for queries the repository does not offer (reports, the review UI). */
  readonly db: Kysely<Database>;

  /** Add discovered report links (new ones as pending); known URLs only get fresher hints. */
  upsertDocuments(docs: readonly DocumentInput[]): Promise<{ inserted: number; updated: number }>;
  upsertDocument(doc: DocumentInput): Promise<{ inserted: number; updated: number }>;
  getDocument(url: string): Promise<StoredDocument | null>;
  /** Record the outcome of fetching a known document. */
  recordFetch(url: string, outcome: FetchOutcome): Promise<StoredDocument>;
  listDocuments(filter?: DocumentFilter): AsyncGenerator<StoredDocument>;

  upsertPage(page: PageInput): Promise<StoredPage>;
  getPage(url: string): Promise<StoredPage | null>;

  /** Store a record (a no-op when the same sha256 and extractor version are already stored). */
  putRecord(record: NianbaoRecord, meta?: RecordMeta): Promise<PutResult>;
  /** Many records in one transaction: use this in bulk. */
  putRecords(items: readonly { record: NianbaoRecord; meta?: RecordMeta }[]): Promise<PutResult>;
  getRecord(url: string): Promise<StoredRecord | null>;
  recordVersion(url: string): Promise<{ sha256: string; extractorVersion: string } | null>;
  /** Streamed in insertion order; each record checked against RecordSchema. */
  listRecords(filter?: RecordFilter, batchSize?: number): AsyncGenerator<StoredRecord>;
  countRecords(filter?: RecordFilter): Promise<number>;

  listFailed(limit?: number): Promise<FailedItem[]>;

  /** Store a reviewer's overrides and the record's review state (one transaction). */
  saveReview(save: ReviewSave): Promise<void>;
  /** A record's review with the overrides in force, or null when never reviewed. */
  getReview(url: string): Promise<StoredReview | null>;
  /** Every review by URL (for exports). */
  listReviews(): Promise<Map<string, StoredReview>>;
  /** Every override ever saved for a record, oldest first. */
  overrideHistory(url: string): Promise<(StoredOverride & { removed: boolean })[]>;

  startRun(kind: string, at?: string): Promise<number>;
  finishRun(id: number, end: RunEnd): Promise<void>;
  getRun(id: number): Promise<StoredRun | null>;

  close(): Promise<void>;
}

/** Open (and migrate) the store. */
export async function openStore(opts: OpenStoreOptions = {}): Promise<Store> {
  const target = resolveStoreTarget(opts, opts.env ?? process.env);
  const db = await connect(target, opts);
  try {
    await migrateToLatest(db as unknown as Kysely<unknown>, target.dialect, target.dialect === 'postgres' ? (opts.schema ?? 'public') : undefined);
  } catch (err) {
    await db.destroy();
    throw err;
  }
  return {
    dialect: target.dialect,
    db,
    upsertDocuments: (docs) => upsertDocuments(db, docs),
    upsertDocument: (doc) => upsertDocuments(db, [doc]),
    getDocument: (url) => getDocument(db, url),
    recordFetch: (url, outcome) => recordFetch(db, url, outcome),
    listDocuments: (filter) => listDocuments(db, filter),
    upsertPage: (page) => upsertPage(db, page),
    getPage: (url) => getPage(db, url),
    putRecord: (record, meta) => putRecords(db, [meta ? { record, meta } : { record }]),
    putRecords: (items) => putRecords(db, items),
    getRecord: (url) => getRecord(db, url),
    recordVersion: (url) => recordVersion(db, url),
    listRecords: (filter, batchSize) => listRecords(db, filter, batchSize),
    countRecords: (filter) => countRecords(db, filter),
    listFailed: (limit) => listFailed(db, limit),
    saveReview: (save) => saveReview(db, save),
    getReview: (url) => getReview(db, url),
    listReviews: () => listReviews(db),
    overrideHistory: (url) => overrideHistory(db, url),
    startRun: (kind, at) => startRun(db, kind, at),
    finishRun: (id, end) => finishRun(db, id, end),
    getRun: (id) => getRun(db, id),
    close: () => db.destroy(),
  };
}

export { StoreNotFoundError, redact, resolveStoreTarget, type Dialect, type StoreTarget } from './connect.js';
export { DocumentNotFoundError, type DocumentFilter, type DocumentInput, type FetchOutcome, type StoredDocument } from './documents.js';
export type { FailedItem } from './failures.js';
export { mergePage, type PageInput, type StoredPage } from './pages.js';
export { StoredRecordInvalidError, issueCodesOf, type PutResult, type RecordFilter, type RecordMeta, type StoredRecord } from './records.js';
export { REVIEW_STATES, type OverrideInput, type OverrideKind, type ReviewSave, type ReviewState, type StoredOverride, type StoredReview } from './reviews.js';
export type { RunCounters, RunEnd, StoredRun } from './runs.js';
export type { DocumentStatus, PageStatus, RunStatus } from './tables.js';
