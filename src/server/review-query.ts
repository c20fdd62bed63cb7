/**
 * The review list: records matching a filter, newest first, one keyset page at a time (by id, so
 * a page costs the same at record 10 and at record 100,000), and the counts per status.
 *
 * The store's `listRecords` streams from the start and has no "after id" parameter, so the page
 * query is built here on `store.db`; its WHERE clause mirrors `filtered()` in src/store/records.ts
 * (same semantics for region digits vs names and whole-word issue codes).
 */
import { sql } from 'kysely';
import type { Store } from '../store/index.js';
import { hasIssueCode, inRegion, likeEscaped } from '../store/record-filters.js';
import type { TemplateId } from '../template/index.js';
import { ISSUE_CODES, type RecordStatus } from '../validate/schema.js';

export const STATUSES: readonly RecordStatus[] = ['valid', 'flagged', 'failed'];
export const TEMPLATE_IDS: readonly TemplateId[] = ['2019', '2021'];
export const PAGE_SIZE = 50;

/** The filters of the review list: one value each (RecordFilter allows lists). */
export interface ReviewFilter {
  status?: RecordStatus;
  issueCode?: string;
  region?: string;
  year?: number;
  template?: TemplateId;
  /** Part of the agency's name, as printed or normalised. */
  agency?: string;
}

export const SORTS = ['newest', 'effort'] as const;
export type ReviewSort = (typeof SORTS)[number];

export interface ReviewQuery {
  filter: ReviewFilter;
  before?: number;
  after?: number;
  /** effort: what a reviewer can settle fastest first (fewest blamed cells). */
  sort?: ReviewSort;
  /** effort order only: the page number (from 1). */
  page?: number;
  /** Parameters that were given but are not valid: the list is not shown, these are. */
  errors?: string[];
}

const first = (v: unknown): string | undefined => (typeof v === 'string' ? v : Array.isArray(v) && typeof v[0] === 'string' ? v[0] : undefined);
const posInt = (v: string | undefined) => (v && /^\d{1,15}$/.test(v) ? Number(v) : undefined);

/**
 * Query-string parameters → a filter. A parameter given with a value that is not valid is an
 * error the page shows (year=abc would otherwise silently list every year); empty ones mean "any".
 */
export function parseReviewQuery(q: Record<string, unknown>): ReviewQuery {
  const filter: ReviewQuery['filter'] = {};
  const errors: string[] = [];
  const bad = (name: string, v: string, want: string) => errors.push(`${name} must be ${want}; got "${v.slice(0, 40)}".`);
  const status = first(q.status)?.trim();
  if (status) {
    if ((STATUSES as string[]).includes(status)) filter.status = status as RecordStatus;
    else bad('status', status, STATUSES.join(', '));
  }
  const issue = first(q.issue)?.trim();
  if (issue) {
    if (Object.hasOwn(ISSUE_CODES, issue)) filter.issueCode = issue;
    else bad('issue', issue, 'an issue code (see the list)');
  }
  const region = first(q.region)?.trim();
  if (region) {
    if (region.length <= 64) filter.region = region;
    else bad('region', region, 'a code prefix or a name of at most 64 characters');
  }
  const year = first(q.year)?.trim();
  if (year) {
    if (/^\d{4}$/.test(year)) filter.year = Number(year);
    else bad('year', year, 'four digits, like 2021');
  }
  const template = first(q.template)?.trim();
  if (template) {
    if ((TEMPLATE_IDS as string[]).includes(template)) filter.template = template as TemplateId;
    else bad('template', template, TEMPLATE_IDS.join(' or '));
  }
  const agency = first(q.agency)?.trim();
  if (agency) {
    if (agency.length <= 64) filter.agency = agency;
    else bad('agency', agency, 'at most 64 characters');
  }
  const out: ReviewQuery = { filter };
  const sort = first(q.sort)?.trim();
  if (sort) {
    if ((SORTS as readonly string[]).includes(sort)) out.sort = sort as ReviewSort;
    else bad('sort', sort, SORTS.join(' or '));
  }
  const pageNo = first(q.page)?.trim();
  if (pageNo) {
    if (/^[1-9]\d{0,5}$/.test(pageNo)) out.page = Number(pageNo);
    else bad('page', pageNo, 'a page number');
  }
  if (errors.length) out.errors = errors;
  const before = posInt(first(q.before));
  const after = posInt(first(q.after));
  if (before !== undefined) out.before = before;
  else if (after !== undefined) out.after = after;
  return out;
}

export interface ReviewRow {
  id: number;
  url: string;
  status: string;
  agency: string | null;
  year: number | null;
  template: string | null;
  regionCode: string | null;
  regionName: string | null;
  issueCodes: string[];
  extractedAt: string;
}

export function filtered(store: Store, f: ReviewQuery['filter']) {
  let q = store.db.selectFrom('records');
  if (f.status !== undefined) q = q.where('status', '=', f.status);
  if (f.year !== undefined) q = q.where('year', '=', f.year);
  if (f.template !== undefined) q = q.where('template', '=', f.template);
  if (f.region !== undefined) {
    const region = f.region;
    q = q.where((eb) => inRegion(eb, region));
  }
  if (f.agency !== undefined) {
    const like = `%${likeEscaped(f.agency)}%`;
    // ESCAPE spelled out: SQLite has no default escape character for LIKE.
    q = q.where(sql<boolean>`(agency like ${like} escape '\\' or agency_normalized like ${like} escape '\\')`);
  }
  if (f.issueCode !== undefined) q = q.where(hasIssueCode(f.issueCode));
  return q;
}

export interface ReviewPage {
  rows: ReviewRow[];
  /** Id to pass as `before` for the next (older) page, or null on the last page. */
  older: number | null;
  /** Id to pass as `after` for the previous (newer) page, or null on the first page. */
  newer: number | null;
}

export async function reviewPage(store: Store, query: ReviewQuery, limit = PAGE_SIZE): Promise<ReviewPage> {
  const cols = ['id', 'url', 'status', 'agency', 'year', 'template', 'region_code', 'region_name', 'issue_codes', 'extracted_at'] as const;
  let q = filtered(store, query.filter).select(cols);
  if (query.after !== undefined) q = q.where('id', '>', query.after).orderBy('id', 'asc');
  else {
    if (query.before !== undefined) q = q.where('id', '<', query.before);
    q = q.orderBy('id', 'desc');
  }
  let raw = await q.limit(limit).execute();
  if (query.after !== undefined) raw = raw.reverse();
  const rows = raw.map((r) => ({
    id: r.id,
    url: r.url,
    status: r.status,
    agency: r.agency,
    year: r.year,
    template: r.template,
    regionCode: r.region_code,
    regionName: r.region_name,
    issueCodes: r.issue_codes ? r.issue_codes.split(' ') : [],
    extractedAt: r.extracted_at,
  }));
  if (!rows.length) return { rows, older: null, newer: null };
  const exists = async (op: '<' | '>', id: number) => (await filtered(store, query.filter).select('id').where('id', op, id).limit(1).execute()).length > 0;
  const [hasOlder, hasNewer] = await Promise.all([exists('<', rows[rows.length - 1]!.id), exists('>', rows[0]!.id)]);
  return { rows, older: hasOlder ? rows[rows.length - 1]!.id : null, newer: hasNewer ? rows[0]!.id : null };
}

/** Records matching the filter, and how they split by status (the status filter itself left out). */
export async function reviewCounts(store: Store, filter: ReviewQuery['filter']): Promise<{ total: number; byStatus: Record<RecordStatus, number> }> {
  const { status: _ignored, ...rest } = filter;
  const rows = await filtered(store, rest)
    .select(['status', (eb) => eb.fn.countAll().as('n')])
    .groupBy('status')
    .execute();
  const byStatus: Record<RecordStatus, number> = { valid: 0, flagged: 0, failed: 0 };
  for (const r of rows) if ((STATUSES as string[]).includes(r.status)) byStatus[r.status as RecordStatus] = Number(r.n);
  const total = filter.status ? byStatus[filter.status] : STATUSES.reduce((s, k) => s + byStatus[k], 0);
  return { total, byStatus };
}
