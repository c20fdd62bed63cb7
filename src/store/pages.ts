/**
 * Listing pages the crawler fetched. Kept so a nightly re-crawl can send If-None-Match /
 * If-Modified-Since and skip a page whose content hash has not changed.
 */
import type { Kysely, Selectable } from 'kysely';
import type { Database, PageStatus, PagesTable } from './tables.js';
import { toIso } from './util.js';

export interface PageInput {
  url: string;
  portalId: string;
  status: PageStatus;
  httpStatus?: number | null;
  etag?: string | null;
  lastModified?: string | null;
  /** SHA-256 of the page body (status fetched). */
  sha256?: string | null;
  /** When the request was made; default now. */
  at?: string;
  errorCode?: string | null;
  errorMessage?: string | null;
}

export interface StoredPage {
  url: string;
  portalId: string;
  status: PageStatus;
  httpStatus: number | null;
  etag: string | null;
  lastModified: string | null;
  sha256: string | null;
  /** Last time the body was downloaded (status fetched). */
  fetchedAt: string | null;
  /** Last time the page was requested, whatever the outcome. */
  checkedAt: string;
  errorCode: string | null;
  errorMessage: string | null;
}

function fromPageRow(r: Selectable<PagesTable>): StoredPage {
  return {
    url: r.url,
    portalId: r.portal_id,
    status: r.status,
    httpStatus: r.http_status,
    etag: r.etag,
    lastModified: r.last_modified,
    sha256: r.sha256,
    fetchedAt: r.fetched_at,
    checkedAt: r.checked_at,
    errorCode: r.error_code,
    errorMessage: r.error_message,
  };
}

/**
 * The page row after a request, given the row before it. Pure. A 304 or a failure keeps the last
 * body's hash and validators, so the next request is still conditional.
 */
export function mergePage(before: StoredPage | null, p: PageInput): StoredPage {
  const at = toIso(p.at);
  const fetched = p.status === 'fetched';
  return {
    url: p.url,
    portalId: p.portalId,
    status: p.status,
    httpStatus: p.httpStatus ?? (p.status === 'not_modified' ? 304 : null),
    etag: fetched ? (p.etag ?? null) : (p.etag ?? before?.etag ?? null),
    lastModified: fetched ? (p.lastModified ?? null) : (p.lastModified ?? before?.lastModified ?? null),
    sha256: fetched ? (p.sha256 ?? null) : (before?.sha256 ?? null),
    fetchedAt: fetched ? at : (before?.fetchedAt ?? null),
    checkedAt: at,
    errorCode: p.status === 'failed' ? (p.errorCode ?? null) : null,
    errorMessage: p.status === 'failed' ? (p.errorMessage ?? null) : null,
  };
}

export async function getPage(db: Kysely<Database>, url: string): Promise<StoredPage | null> {
  const r = await db.selectFrom('pages').selectAll().where('url', '=', url).executeTakeFirst();
  return r ? fromPageRow(r) : null;
}

/** Record a request for a listing page. Idempotent per URL: one row, updated in place. */
export async function upsertPage(db: Kysely<Database>, input: PageInput): Promise<StoredPage> {
  return db.transaction().execute(async (trx) => {
    const before = await getPage(trx, input.url);
    const p = mergePage(before, input);
    const row = {
      url: p.url,
      portal_id: p.portalId,
      status: p.status,
      http_status: p.httpStatus,
      etag: p.etag,
      last_modified: p.lastModified,
      sha256: p.sha256,
      fetched_at: p.fetchedAt,
      checked_at: p.checkedAt,
      error_code: p.errorCode,
      error_message: p.errorMessage,
    };
    const { url: _url, ...update } = row;
    await trx.insertInto('pages').values(row).onConflict((oc) => oc.column('url').doUpdateSet(update)).execute();
    return p;
  });
}
