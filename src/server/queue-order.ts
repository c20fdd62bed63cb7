/**
 * The review queue's order. Which flagged record a reviewer should open next: the next one (by id, wrapping round) that
 * nobody has settled — no review, a review left unreviewed, or one made on other bytes.
 */
import type { Store } from '../store/index.js';
import type { NianbaoRecord } from '../validate/schema.js';
import { PAGE_SIZE, type ReviewFilter, type ReviewRow, filtered } from './review-query.js';

function unsettled(store: Store) {
  return store.db
    .selectFrom('records')
    .leftJoin('reviews', 'reviews.url', 'records.url')
    .select(['records.id', 'records.url'])
    .where('records.status', '=', 'flagged')
    .where((eb) => eb.or([eb('reviews.url', 'is', null), eb('reviews.state', '=', 'unreviewed'), eb('reviews.sha256', '<>', eb.ref('records.sha256'))]));
}

export async function nextFlagged(store: Store, afterId: number): Promise<string | null> {
  const after = await unsettled(store).where('records.id', '>', afterId).orderBy('records.id').limit(1).executeTakeFirst();
  if (after) return after.url;
  const first = await unsettled(store).where('records.id', '<', afterId).orderBy('records.id').limit(1).executeTakeFirst();
  return first?.url ?? null;
}

/**
 * How much a reviewer must settle in a record: the distinct fields its error issues name (an
 * error naming none counts one). One ambiguous cell is 1; an identity over a column is its cells.
 */
export function effortOf(record: NianbaoRecord): number {
  const fields = new Set<string>();
  let bare = 0;
  for (const i of record.issues) {
    if (i.severity !== 'error') continue;
    if (i.fields?.length) for (const f of i.fields) fields.add(f);
    else bare++;
  }
  return fields.size + bare;
}

export interface EffortRow extends ReviewRow {
  effort: number;
}

const BATCH = 500;

/**
 * One page of the records matching the filter, fewest blamed cells first (then oldest). The
 * effort lives inside each record's JSON, so the matching records are read in keyset batches and
 * only (row, effort) is kept: memory is one small row per matching record.
 */
export async function effortPage(store: Store, filter: ReviewFilter, page: number, size = PAGE_SIZE): Promise<{ rows: EffortRow[]; total: number }> {
  const all: EffortRow[] = [];
  let after = 0;
  for (;;) {
    const batch = await filtered(store, filter)
      .select(['id', 'url', 'status', 'agency', 'year', 'template', 'region_code', 'region_name', 'issue_codes', 'extracted_at', 'record'])
      .where('id', '>', after)
      .orderBy('id')
      .limit(BATCH)
      .execute();
    for (const r of batch) {
      let effort: number;
      try {
        effort = effortOf(JSON.parse(r.record) as NianbaoRecord);
      } catch {
        effort = Number.MAX_SAFE_INTEGER;
      }
      all.push({ id: r.id, url: r.url, status: r.status, agency: r.agency, year: r.year, template: r.template, regionCode: r.region_code, regionName: r.region_name, issueCodes: r.issue_codes ? r.issue_codes.split(' ') : [], extractedAt: r.extracted_at, effort });
    }
    if (batch.length < BATCH) break;
    after = batch[batch.length - 1]!.id;
  }
  all.sort((a, b) => a.effort - b.effort || a.id - b.id);
  return { rows: all.slice((page - 1) * size, page * size), total: all.length };
}

/** Records matching the filter per issue code (a record counts once per code it has). */
export async function issueCounts(store: Store, filter: ReviewFilter): Promise<Map<string, number>> {
  const rows = await filtered(store, filter).select(['issue_codes', (eb) => eb.fn.countAll().as('n')]).groupBy('issue_codes').execute();
  const out = new Map<string, number>();
  for (const r of rows) for (const c of r.issue_codes ? r.issue_codes.split(' ') : []) out.set(c, (out.get(c) ?? 0) + Number(r.n));
  return new Map([...out].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])));
}
