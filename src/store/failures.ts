/**
 * Everything that failed, with its reason: fetches that failed or found the report gone, and
 * records that could not be made. What the review UI lists and what `retry` re-runs.
 */
import type { Kysely } from 'kysely';
import { fromRecordRow } from './records.js';
import type { Database } from './tables.js';

export interface FailedItem {
  stage: 'discover' | 'fetch' | 'extract';
  url: string;
  portalId: string | null;
  /** A fetch error code, or the record's first error issue code. */
  code: string | null;
  message: string | null;
  /** When it failed (last check for a fetch, extraction time for a record). */
  at: string | null;
  /** Fetch only: failed attempts since the last success. */
  attempts?: number;
}

/**
 * Failed listing and article pages first (a report behind them was never found), then failed
 * fetches (status failed or gone), then failed records; each in insertion order, up to `limit` each.
 */
export async function listFailed(db: Kysely<Database>, limit = 10_000): Promise<FailedItem[]> {
  const pages = await db.selectFrom('pages').select(['url', 'portal_id', 'error_code', 'error_message', 'http_status', 'checked_at']).where('status', '=', 'failed').orderBy('id').limit(limit).execute();
  const docs = await db
    .selectFrom('documents')
    .select(['url', 'portal_id', 'status', 'error_code', 'error_message', 'checked_at', 'attempts'])
    .where('status', 'in', ['failed', 'gone'])
    .orderBy('id')
    .limit(limit)
    .execute();
  const records = await db.selectFrom('records').selectAll().where('status', '=', 'failed').orderBy('id').limit(limit).execute();
  return [
    ...pages.map((p): FailedItem => ({
      stage: 'discover',
      url: p.url,
      portalId: p.portal_id,
      code: p.error_code ?? (p.http_status ? `http_${p.http_status}` : 'failed'),
      message: p.error_message,
      at: p.checked_at,
    })),
    ...docs.map((d): FailedItem => ({
      stage: 'fetch',
      url: d.url,
      portalId: d.portal_id,
      code: d.error_code ?? d.status,
      message: d.error_message,
      at: d.checked_at,
      attempts: d.attempts,
    })),
    ...records.map((row): FailedItem => {
      const s = fromRecordRow(row);
      const why = s.record.issues.find((i) => i.severity === 'error') ?? s.record.issues[0];
      return { stage: 'extract', url: s.url, portalId: s.portalId, code: why?.code ?? null, message: why?.message ?? null, at: s.extractedAt };
    }),
  ];
}
