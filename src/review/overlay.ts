/**
 * A stored record as the dataset shows it after review: the reviewer's values over the
 * extracted ones, each field saying where its value came from. Pure; the stored record and its
 * review come in, nothing is written.
 *
 * An override counts only for the bytes it was made on: a re-extraction of the same document
 * (same sha256) keeps it, a changed document sets it aside as `stale` and the record is
 * `unreviewed` again until a reviewer looks at the new bytes.
 */
import type { ReviewState, StoredOverride, StoredRecord, StoredReview } from '../store/index.js';

export type ValueSource = 'extracted' | 'reviewed' | 'confirmed';

export interface ReviewOverlay {
  /** The state in force: the saved one while the bytes are those reviewed, else unreviewed. */
  state: ReviewState;
  /** The saved state, whatever the bytes (null: never reviewed). */
  savedState: ReviewState | null;
  /** Overrides in force (made on these bytes). */
  applied: StoredOverride[];
  /** Overrides made on other bytes: not applied, shown to the reviewer again. */
  stale: StoredOverride[];
  /** Per overridden field: reviewed (a reviewer's number) or confirmed (published value kept as printed). */
  sources: Record<string, Exclude<ValueSource, 'extracted'>>;
  /** Per overridden field, the extracted value (undefined: not located). */
  extracted: Record<string, number | null | undefined>;
  reviewers: string[];
  reviewedAt: string | null;
}

export interface ReviewedRecord extends StoredRecord {
  review: ReviewOverlay;
}

export function reviewOverlay(stored: Pick<StoredRecord, 'sha256' | 'record'>, review: StoredReview | null | undefined): ReviewOverlay {
  const applied: StoredOverride[] = [];
  const stale: StoredOverride[] = [];
  // A failed record has no values to correct; its review can only say what the source needs.
  for (const o of review?.overrides ?? []) (o.sha256 === stored.sha256 && stored.record.status !== 'failed' ? applied : stale).push(o);
  const sources: ReviewOverlay['sources'] = {};
  const extracted: ReviewOverlay['extracted'] = {};
  for (const o of applied) {
    sources[o.field] = o.kind === 'value' ? 'reviewed' : 'confirmed';
    extracted[o.field] = Object.hasOwn(stored.record.values, o.field) ? stored.record.values[o.field] : undefined;
  }
  const current = !!review && review.sha256 === stored.sha256 && stale.length === 0;
  return {
    state: current ? review!.state : 'unreviewed',
    savedState: review?.state ?? null,
    applied,
    stale,
    sources,
    extracted,
    reviewers: [...new Set([...(review ? [review.reviewer] : []), ...applied.map((o) => o.reviewer)])].sort(),
    reviewedAt: review?.updatedAt ?? null,
  };
}

/** The record with its reviewed values (a new object; the stored one is left as extracted). */
export function applyReview(stored: StoredRecord, review: StoredReview | null | undefined): ReviewedRecord {
  const overlay = reviewOverlay(stored, review);
  if (!overlay.applied.length) return { ...stored, review: overlay };
  const values = { ...stored.record.values };
  for (const o of overlay.applied) values[o.field] = o.value;
  return { ...stored, record: { ...stored.record, values }, review: overlay };
}

export function valueSource(r: StoredRecord & { review?: ReviewOverlay }, field: string): ValueSource {
  return r.review?.sources[field] ?? 'extracted';
}
