/**
 * Reviews of records (#16): per field, a reviewer's value or confirmation of the published one,
 * and per record a review state. Stored beside the records, never in them: re-extraction
 * replaces a record whole and leaves its review alone. Overrides are append-only (history kept);
 * the latest row of a (url, field) is in force.
 */
import type { Kysely } from 'kysely';
import type { Database } from './tables.js';
import { toIso } from './util.js';

export const REVIEW_STATES = ['unreviewed', 'reviewed', 'needs_source'] as const;
export type ReviewState = (typeof REVIEW_STATES)[number];

/** value: the reviewer's number (null = blank cell); as_published: the extracted value is right as printed; removed: back to the extraction. */
export type OverrideKind = 'value' | 'as_published' | 'removed';

export interface OverrideInput {
  field: string;
  kind: OverrideKind;
  /** kind value only: the number, or null for a blank cell. */
  value?: number | null;
  /** What the extraction said: a number, null (blank), undefined (not located). */
  extracted?: number | null | undefined;
  note?: string | null;
}

export interface StoredOverride {
  field: string;
  kind: Exclude<OverrideKind, 'removed'>;
  /** kind value: the reviewer's number (null = blank). kind as_published: the extracted value confirmed. */
  value: number | null;
  /** What the extraction said when the reviewer looked: undefined when the field was not located. */
  extracted: number | null | undefined;
  /** The bytes the reviewer looked at. */
  sha256: string;
  reviewer: string;
  note: string | null;
  at: string;
}

export interface StoredReview {
  url: string;
  state: ReviewState;
  /** The bytes the record reviewed was made from. */
  sha256: string;
  reviewer: string;
  note: string | null;
  updatedAt: string;
  /** Overrides in force, one per field, in field order of saving. */
  overrides: StoredOverride[];
}

export interface ReviewSave {
  url: string;
  sha256: string;
  reviewer: string;
  state: ReviewState;
  note?: string | null;
  overrides: readonly OverrideInput[];
  /** Default now. */
  at?: string;
}

const json = (v: number | null | undefined): string | null => (v === undefined ? null : JSON.stringify(v));
const parse = (v: string | null): number | null | undefined => (v === null ? undefined : (JSON.parse(v) as number | null));

export async function saveReview(db: Kysely<Database>, save: ReviewSave): Promise<void> {
  const at = toIso(save.at);
  await db.transaction().execute(async (trx) => {
    if (save.overrides.length) {
      await trx
        .insertInto('review_overrides')
        .values(
          save.overrides.map((o) => ({
            url: save.url,
            field: o.field,
            kind: o.kind,
            new_value: o.kind === 'value' ? json(o.value ?? null) : null,
            old_value: json(o.extracted),
            sha256: save.sha256,
            reviewer: save.reviewer,
            note: o.note ?? null,
            created_at: at,
          })),
        )
        .execute();
    }
    const row = { url: save.url, state: save.state, sha256: save.sha256, reviewer: save.reviewer, note: save.note ?? null, updated_at: at };
    await trx
      .insertInto('reviews')
      .values(row)
      .onConflict((oc) => oc.column('url').doUpdateSet({ state: row.state, sha256: row.sha256, reviewer: row.reviewer, note: row.note, updated_at: row.updated_at }))
      .execute();
  });
}

type OverrideRow = Awaited<ReturnType<typeof overrideRows>>[number];

function overrideRows(db: Kysely<Database>, url?: string) {
  let q = db.selectFrom('review_overrides').selectAll();
  if (url !== undefined) q = q.where('url', '=', url);
  return q.orderBy('id').execute();
}

/** The latest row per field wins; a `removed` row takes the field back to its extraction. */
function inForce(rows: readonly OverrideRow[]): Map<string, StoredOverride[]> {
  const byUrl = new Map<string, Map<string, StoredOverride>>();
  for (const r of rows) {
    const fields = byUrl.get(r.url) ?? new Map<string, StoredOverride>();
    byUrl.set(r.url, fields);
    if (r.kind === 'removed') {
      fields.delete(r.field);
      continue;
    }
    const extracted = parse(r.old_value);
    const kind = r.kind === 'as_published' ? 'as_published' : 'value';
    fields.delete(r.field);
    fields.set(r.field, {
      field: r.field,
      kind,
      value: kind === 'value' ? (parse(r.new_value) ?? null) : (extracted ?? null),
      extracted,
      sha256: r.sha256,
      reviewer: r.reviewer,
      note: r.note,
      at: r.created_at,
    });
  }
  return new Map([...byUrl].map(([u, m]) => [u, [...m.values()]]));
}

type ReviewRow = Awaited<ReturnType<typeof reviewRows>>[number];

function reviewRows(db: Kysely<Database>, url?: string) {
  let q = db.selectFrom('reviews').selectAll();
  if (url !== undefined) q = q.where('url', '=', url);
  return q.orderBy('id').execute();
}

function toReview(r: ReviewRow, overrides: StoredOverride[]): StoredReview {
  const state = (REVIEW_STATES as readonly string[]).includes(r.state) ? (r.state as ReviewState) : 'unreviewed';
  return { url: r.url, state, sha256: r.sha256, reviewer: r.reviewer, note: r.note, updatedAt: r.updated_at, overrides };
}

export async function getReview(db: Kysely<Database>, url: string): Promise<StoredReview | null> {
  const [rows, overrides] = await Promise.all([reviewRows(db, url), overrideRows(db, url)]);
  return rows[0] ? toReview(rows[0], inForce(overrides).get(url) ?? []) : null;
}

/** Every review, by URL: for exports (reviews are human work, so they are few next to records). */
export async function listReviews(db: Kysely<Database>): Promise<Map<string, StoredReview>> {
  const [rows, overrides] = await Promise.all([reviewRows(db), overrideRows(db)]);
  const byUrl = inForce(overrides);
  return new Map(rows.map((r) => [r.url, toReview(r, byUrl.get(r.url) ?? [])]));
}

/** The full history of a record's overrides, oldest first (the audit trail the page shows). */
export async function overrideHistory(db: Kysely<Database>, url: string): Promise<(StoredOverride & { removed: boolean })[]> {
  return (await overrideRows(db, url)).map((r) => ({
    field: r.field,
    kind: r.kind === 'as_published' ? 'as_published' : 'value',
    removed: r.kind === 'removed',
    value: parse(r.new_value) ?? null,
    extracted: parse(r.old_value),
    sha256: r.sha256,
    reviewer: r.reviewer,
    note: r.note,
    at: r.created_at,
  }));
}
