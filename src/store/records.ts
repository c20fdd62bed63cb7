/**
 * Extracted records, one per document URL (`record.source.uri`).
 *
 * Replacement rule: a record is keyed by URL and versioned by (artifact sha256, extractor version).
 * Putting a record whose pair equals the stored one changes nothing; any other pair — new bytes, or
 * a different extractor version, older or newer — replaces the stored record whole. History is not
 * kept: the artifacts are, so any earlier record can be made again from the bytes.
 */
import { type Kysely, type Selectable, sql } from 'kysely';
import type { TemplateId } from '../template/index.js';
import { type NianbaoRecord, type RecordStatus, RecordSchema } from '../validate/schema.js';
import { EXTRACTOR_VERSION } from '../version.js';
import { reportIdOf } from '../record/report-id.js';
import type { PanelView } from '../panel/checks.js';
import { hasIssueCode, inRegion } from './record-filters.js';
import type { Database, RecordsTable } from './tables.js';
import { ROWS_PER_INSERT, asList, chunks, lastByKey, toIso } from './util.js';

/** What the store keeps beside a record: who made it, when, and where the report is from. */
export interface RecordMeta {
  /** Default: this build's EXTRACTOR_VERSION. */
  extractorVersion?: string;
  /** Default: now. */
  extractedAt?: string;
  portalId?: string | null;
  /**
   * Administrative division code (GB/T 2260, e.g. "440112") of the publishing agency, for a
   * record that does not carry its own `region` (one made before 0.2, or by hand). A record's
   * own region wins.
   */
  regionCode?: string | null;
  regionName?: string | null;
}

export interface StoredRecord {
  /** Store-assigned row number, for paging. Differs between stores: join on reportId. */
  id: number;
  /** The report id of exports: from the canonical URL (record/report-id.ts), the same in every store. */
  reportId: string;
  url: string;
  sha256: string;
  extractorVersion: string;
  extractedAt: string;
  portalId: string | null;
  regionCode: string | null;
  regionName: string | null;
  issueCodes: string[];
  record: NianbaoRecord;
  /** The panel checks' verdict, where a reader joined it in (exports, the review UI); the record's own issues then include its panel_mismatch warnings. */
  panel?: PanelView;
}

export interface RecordFilter {
  year?: number | readonly number[];
  status?: RecordStatus | readonly RecordStatus[];
  template?: TemplateId | readonly TemplateId[];
  /** Digits: region codes starting with them ("44" is all of Guangdong). Otherwise: the exact region name. */
  region?: string;
  portalId?: string;
  /** Records having an issue with this code. */
  issueCode?: string;
}

export interface PutResult {
  /** Records inserted or replaced. */
  written: number;
  /** Records already stored with the same sha256 and extractor version (no-ops). */
  unchanged: number;
}

export class StoredRecordInvalidError extends Error {
  override name = 'StoredRecordInvalidError';
  constructor(
    readonly url: string,
    cause: unknown,
  ) {
    super(`The stored record of ${url} does not satisfy the record contract: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
}

/** Distinct issue codes of a record, sorted. */
export function issueCodesOf(r: NianbaoRecord): string[] {
  return [...new Set(r.issues.map((i) => i.code))].sort();
}

function toRow(record: NianbaoRecord, meta: RecordMeta = {}) {
  const region = record.region ?? null;
  return {
    url: record.source.uri,
    sha256: record.source.sha256,
    extractor_version: meta.extractorVersion ?? EXTRACTOR_VERSION,
    schema_version: record.schemaVersion,
    status: record.status,
    agency: record.agency,
    year: record.year,
    template: record.template,
    region_code: region ? region.code : (meta.regionCode ?? null),
    region_name: region ? region.name : (meta.regionName ?? null),
    portal_id: meta.portalId ?? record.portalId ?? null,
    extracted_at: toIso(meta.extractedAt),
    issue_codes: issueCodesOf(record).join(' '),
    record: JSON.stringify(record),
    // From the URL the row is keyed by (record.reportId is the same for records the extractor made).
    report_id: reportIdOf(record.source.uri),
    agency_normalized: record.agencyNormalized ?? null,
    agency_type: record.agencyType ?? null,
    agency_key: record.agencyKey ?? null,
    region_level: region?.level ?? null,
    province_code: region?.province?.code ?? null,
    province_name: region?.province?.name ?? null,
    prefecture_code: region?.prefecture?.code ?? null,
    prefecture_name: region?.prefecture?.name ?? null,
    county_code: region?.county?.code ?? null,
    county_name: region?.county?.name ?? null,
    published_at: record.publishedAt ?? null,
    title: record.title ?? null,
  };
}

/** Columns an upsert rewrites: every column of the row but its key. */
const UPDATED = [
  'sha256', 'extractor_version', 'schema_version', 'status', 'agency', 'year', 'template', 'region_code', 'region_name', 'portal_id', 'extracted_at', 'issue_codes', 'record',
  'report_id', 'agency_normalized', 'agency_type', 'agency_key', 'region_level', 'province_code', 'province_name', 'prefecture_code', 'prefecture_name', 'county_code', 'county_name', 'published_at', 'title',
] as const;

export function fromRecordRow(r: Selectable<RecordsTable>): StoredRecord {
  const parsed = RecordSchema.safeParse(JSON.parse(r.record));
  if (!parsed.success) throw new StoredRecordInvalidError(r.url, parsed.error);
  return {
    id: r.id,
    reportId: r.report_id ?? reportIdOf(r.url),
    url: r.url,
    sha256: r.sha256,
    extractorVersion: r.extractor_version,
    extractedAt: r.extracted_at,
    portalId: r.portal_id,
    regionCode: r.region_code,
    regionName: r.region_name,
    issueCodes: r.issue_codes ? r.issue_codes.split(' ') : [],
    record: parsed.data,
  };
}

/** Store records in one transaction, in multi-row upserts. Each record is checked against the contract first. */
export async function putRecords(db: Kysely<Database>, items: readonly { record: NianbaoRecord; meta?: RecordMeta }[]): Promise<PutResult> {
  const rows = lastByKey(items, (i) => i.record.source.uri).map((i) => toRow(RecordSchema.parse(i.record), i.meta));
  let written = 0;
  await db.transaction().execute(async (trx) => {
    for (const batch of chunks(rows, ROWS_PER_INSERT)) {
      const res = await trx
        .insertInto('records')
        .values(batch)
        .onConflict((oc) =>
          oc
            .column('url')
            .doUpdateSet((eb) => Object.fromEntries(UPDATED.map((c) => [c, eb.ref(`excluded.${c}`)])))
            // A no-op only when nothing changed: the same bytes and extractor can still give another
            // record when the environment changed (a converter installed, a fixed font path).
            .where((eb) =>
              eb.or([
                eb('records.sha256', '<>', eb.ref('excluded.sha256')),
                eb('records.extractor_version', '<>', eb.ref('excluded.extractor_version')),
                eb('records.record', '<>', eb.ref('excluded.record')),
              ]),
            ),
        )
        .executeTakeFirst();
      written += Number(res.numInsertedOrUpdatedRows ?? 0n);
    }
  });
  return { written, unchanged: rows.length - written };
}

export async function getRecord(db: Kysely<Database>, url: string): Promise<StoredRecord | null> {
  const r = await db.selectFrom('records').selectAll().where('url', '=', url).executeTakeFirst();
  return r ? fromRecordRow(r) : null;
}

/** The (sha256, extractor version) a URL's record was made from, without reading the record: lets a driver skip extraction. */
export async function recordVersion(db: Kysely<Database>, url: string): Promise<{ sha256: string; extractorVersion: string } | null> {
  const r = await db.selectFrom('records').select(['sha256', 'extractor_version']).where('url', '=', url).executeTakeFirst();
  return r ? { sha256: r.sha256, extractorVersion: r.extractor_version } : null;
}

function filtered(db: Kysely<Database>, f: RecordFilter) {
  let q = db.selectFrom('records');
  const years = asList(f.year);
  const statuses = asList(f.status);
  const templates = asList(f.template);
  // An empty list allows nothing; `IN ()` is not valid SQL, so say so directly.
  if (years?.length === 0 || statuses?.length === 0 || templates?.length === 0) q = q.where(sql<boolean>`1 = 0`);
  if (years?.length) q = q.where('year', 'in', years);
  if (statuses?.length) q = q.where('status', 'in', statuses);
  if (templates?.length) q = q.where('template', 'in', templates);
  if (f.portalId !== undefined) q = q.where('portal_id', '=', f.portalId);
  if (f.region !== undefined) {
    const region = f.region;
    q = q.where((eb) => inRegion(eb, region));
  }
  if (f.issueCode !== undefined) q = q.where(hasIssueCode(f.issueCode));
  return q;
}

/**
 * Records matching `filter` in insertion order, streamed by keyset pages of `batchSize` rows:
 * memory stays constant however many records there are, and the SQL is the same in both dialects.
 */
export async function* listRecords(db: Kysely<Database>, filter: RecordFilter = {}, batchSize = 1000): AsyncGenerator<StoredRecord> {
  let after = 0;
  for (;;) {
    const rows = await filtered(db, filter).selectAll().where('id', '>', after).orderBy('id').limit(batchSize).execute();
    for (const r of rows) yield fromRecordRow(r);
    if (rows.length < batchSize) return;
    after = rows[rows.length - 1]!.id;
  }
}

export async function countRecords(db: Kysely<Database>, filter: RecordFilter = {}): Promise<number> {
  const r = await filtered(db, filter).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
  // PostgreSQL returns count(*) as a bigint string.
  return Number(r.n);
}
