/**
 * Report documents: what the crawler found (URL, listing hints) and the state of the last fetch.
 * Discovery and fetching are separate writes, so re-discovering a URL never resets its fetch state.
 */
import type { ExpressionBuilder, Kysely, Selectable, UpdateObject } from 'kysely';
import type { Database, DocumentStatus, DocumentsTable } from './tables.js';
import { ROWS_PER_INSERT, asList, chunks, lastByKey, toIso } from './util.js';

/** A report link as found on a listing page. */
export interface DocumentInput {
  url: string;
  portalId: string;
  /** Link text or listing title. */
  title?: string | null;
  yearHint?: number | null;
  agencyHint?: string | null;
  /** The listing page the link was on. */
  discoveredFrom?: string | null;
  /** Publication date (YYYY-MM-DD) the article page or the listing gave. */
  publishedAt?: string | null;
  publishedFrom?: 'article' | 'listing' | null;
  /** When it was seen; default now. */
  seenAt?: string;
}

export interface StoredDocument {
  url: string;
  portalId: string;
  title: string | null;
  yearHint: number | null;
  agencyHint: string | null;
  discoveredFrom: string | null;
  discoveredAt: string;
  seenAt: string;
  status: DocumentStatus;
  httpStatus: number | null;
  etag: string | null;
  lastModified: string | null;
  sha256: string | null;
  contentType: string | null;
  bytes: number | null;
  fetchedAt: string | null;
  checkedAt: string | null;
  /** Failed attempts since the last success (0 after a fetch or a 304), for retry back-off. */
  attempts: number;
  errorCode: string | null;
  errorMessage: string | null;
  publishedAt: string | null;
  publishedFrom: 'article' | 'listing' | null;
  /** The file name the last download announced (Content-Disposition). */
  filename: string | null;
}

/** The result of one fetch of a document, as the fetcher reports it. */
export type FetchOutcome =
  | {
      status: 'fetched';
      httpStatus: number;
      sha256: string;
      contentType?: string | null;
      bytes: number;
      etag?: string | null;
      lastModified?: string | null;
      /** From Content-Disposition. */
      filename?: string | null;
      at?: string;
    }
  | { status: 'not_modified'; httpStatus?: number; etag?: string | null; lastModified?: string | null; at?: string }
  | { status: 'failed' | 'gone'; httpStatus?: number | null; errorCode: string; errorMessage: string; at?: string };

export class DocumentNotFoundError extends Error {
  override name = 'DocumentNotFoundError';
  constructor(readonly url: string) {
    super(`No document ${url} in the store; upsert it (discover) before recording a fetch.`);
  }
}

export function fromDocumentRow(r: Selectable<DocumentsTable>): StoredDocument {
  return {
    url: r.url,
    portalId: r.portal_id,
    title: r.title,
    yearHint: r.year_hint,
    agencyHint: r.agency_hint,
    discoveredFrom: r.discovered_from,
    discoveredAt: r.discovered_at,
    seenAt: r.seen_at,
    status: r.status,
    httpStatus: r.http_status,
    etag: r.etag,
    lastModified: r.last_modified,
    sha256: r.sha256,
    contentType: r.content_type,
    bytes: r.bytes,
    fetchedAt: r.fetched_at,
    checkedAt: r.checked_at,
    attempts: r.attempts,
    errorCode: r.error_code,
    errorMessage: r.error_message,
    publishedAt: r.published_at ?? null,
    publishedFrom: (r.published_from as StoredDocument['publishedFrom']) ?? null,
    filename: r.filename ?? null,
  };
}

/**
 * The UPDATE for a fetch outcome, written against the row's current values (not a copy read
 * earlier), so two workers recording fetches of one URL never lose an attempt. A failure keeps
 * the last good content (sha256, validators): the artifact stays usable and the next request
 * stays conditional.
 */
function fetchUpdate(outcome: FetchOutcome) {
  const at = toIso(outcome.at);
  return (eb: ExpressionBuilder<Database, 'documents'>): UpdateObject<Database, 'documents'> => {
    switch (outcome.status) {
      case 'fetched':
        return {
          status: 'fetched',
          http_status: outcome.httpStatus,
          etag: outcome.etag ?? null,
          last_modified: outcome.lastModified ?? null,
          sha256: outcome.sha256,
          content_type: outcome.contentType ?? null,
          bytes: outcome.bytes,
          fetched_at: at,
          checked_at: at,
          attempts: 0,
          error_code: null,
          error_message: null,
          filename: outcome.filename ?? null,
        };
      case 'not_modified':
        return {
          status: 'not_modified',
          http_status: outcome.httpStatus ?? 304,
          etag: eb.fn.coalesce(eb.val(outcome.etag ?? null), 'etag'),
          last_modified: eb.fn.coalesce(eb.val(outcome.lastModified ?? null), 'last_modified'),
          checked_at: at,
          attempts: 0,
          error_code: null,
          error_message: null,
        };
      case 'failed':
      case 'gone':
        return {
          status: outcome.status,
          http_status: outcome.httpStatus ?? null,
          checked_at: at,
          attempts: eb('attempts', '+', 1),
          error_code: outcome.errorCode,
          error_message: outcome.errorMessage,
        };
    }
  };
}

/**
 * Insert new documents as `pending`; for known URLs refresh the listing hints (a hint never
 * overwrites one with null) and `seenAt`, leaving fetch state alone. Idempotent.
 */
export async function upsertDocuments(db: Kysely<Database>, docs: readonly DocumentInput[]): Promise<{ inserted: number; updated: number }> {
  let inserted = 0;
  let updated = 0;
  await db.transaction().execute(async (trx) => {
    for (const batch of chunks(lastByKey(docs, (d) => d.url), ROWS_PER_INSERT)) {
      const known = await trx.selectFrom('documents').select('url').where('url', 'in', batch.map((d) => d.url)).execute();
      updated += known.length;
      inserted += batch.length - known.length;
      const rows = batch.map((d) => {
        const seen = toIso(d.seenAt);
        return {
          url: d.url,
          portal_id: d.portalId,
          title: d.title ?? null,
          year_hint: d.yearHint ?? null,
          agency_hint: d.agencyHint ?? null,
          discovered_from: d.discoveredFrom ?? null,
          published_at: d.publishedAt ?? null,
          published_from: d.publishedFrom ?? null,
          discovered_at: seen,
          seen_at: seen,
          status: 'pending' as const,
          attempts: 0,
        };
      });
      await trx
        .insertInto('documents')
        .values(rows)
        .onConflict((oc) =>
          oc.column('url').doUpdateSet((eb) => ({
            title: eb.fn.coalesce('excluded.title', 'documents.title'),
            year_hint: eb.fn.coalesce('excluded.year_hint', 'documents.year_hint'),
            agency_hint: eb.fn.coalesce('excluded.agency_hint', 'documents.agency_hint'),
            discovered_from: eb.fn.coalesce('excluded.discovered_from', 'documents.discovered_from'),
            published_at: eb.fn.coalesce('excluded.published_at', 'documents.published_at'),
            published_from: eb.fn.coalesce('excluded.published_from', 'documents.published_from'),
            seen_at: eb.ref('excluded.seen_at'),
          })),
        )
        .execute();
    }
  });
  return { inserted, updated };
}

export async function getDocument(db: Kysely<Database>, url: string): Promise<StoredDocument | null> {
  const r = await db.selectFrom('documents').selectAll().where('url', '=', url).executeTakeFirst();
  return r ? fromDocumentRow(r) : null;
}

export async function recordFetch(db: Kysely<Database>, url: string, outcome: FetchOutcome): Promise<StoredDocument> {
  const r = await db.updateTable('documents').set(fetchUpdate(outcome)).where('url', '=', url).returningAll().executeTakeFirst();
  if (!r) throw new DocumentNotFoundError(url);
  return fromDocumentRow(r);
}

export interface DocumentFilter {
  status?: DocumentStatus | readonly DocumentStatus[];
  portalId?: string;
  /** Rows per query while streaming; default 1000. */
  batchSize?: number;
}

/** Documents in discovery order, streamed by keyset pages (constant memory, same SQL in both dialects). */
export async function* listDocuments(db: Kysely<Database>, filter: DocumentFilter = {}): AsyncGenerator<StoredDocument> {
  const statuses = asList(filter.status);
  if (statuses?.length === 0) return;
  const size = filter.batchSize ?? 1000;
  let after = 0;
  for (;;) {
    let q = db.selectFrom('documents').selectAll().where('id', '>', after);
    if (statuses) q = q.where('status', 'in', statuses);
    if (filter.portalId !== undefined) q = q.where('portal_id', '=', filter.portalId);
    const rows = await q.orderBy('id').limit(size).execute();
    for (const r of rows) yield fromDocumentRow(r);
    if (rows.length < size) return;
    after = rows[rows.length - 1]!.id;
  }
}
