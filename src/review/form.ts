/**
 * A reviewer's posted correction form as overrides to store. The form carries, per field, the
 * value the reviewer wants (`v:<field>`) and whether the published value is confirmed as printed
 * (`p:<field>`); only what differs from what is in force becomes an override. Pure.
 */
import { REVIEW_STATES, type OverrideInput, type ReviewState, type StoredRecord } from '../store/index.js';
import type { ReviewOverlay } from './overlay.js';

export interface ParsedCorrection {
  state: ReviewState;
  note: string | null;
  overrides: OverrideInput[];
  /** Values that are not numbers, by field: nothing is saved while there are any. */
  errors: { field: string; text: string }[];
}

export const MAX_NOTE = 2000;

/** A number as a reviewer types it: digits with an optional sign and decimals; thousands separators and spaces ignored; full-width digits read. */
export function parseReviewNumber(text: string): number | null | 'invalid' {
  const t = text
    .replace(/[０-９]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0))
    .replace(/[，,\s]/g, '')
    .replace(/^－/, '-')
    .replace(/．/g, '.');
  if (t === '') return null;
  if (!/^-?\d+(\.\d+)?$/.test(t)) return 'invalid';
  return Number(t);
}

const same = (a: number | null | undefined, b: number | null | undefined) => a === b || (typeof a === 'number' && typeof b === 'number' && Math.abs(a - b) < 1e-9);

export function parseCorrection(body: Record<string, unknown>, stored: StoredRecord, overlay: ReviewOverlay): ParsedCorrection {
  const str = (k: string) => (typeof body[k] === 'string' ? (body[k] as string) : undefined);
  const state = (REVIEW_STATES as readonly string[]).includes(str('state') ?? '') ? (str('state') as ReviewState) : 'reviewed';
  const note = (str('note') ?? '').trim().slice(0, MAX_NOTE) || null;
  const inForce = new Map([...overlay.stale, ...overlay.applied].map((o) => [o.field, o]));
  const staleFields = new Set(overlay.stale.map((o) => o.field));
  const values = stored.record.values;
  const overrides: OverrideInput[] = [];
  const errors: ParsedCorrection['errors'] = [];

  for (const [key, raw] of Object.entries(body)) {
    if (!key.startsWith('v:') || typeof raw !== 'string') continue;
    const field = key.slice(2);
    const located = Object.hasOwn(values, field);
    const extracted = located ? values[field] : undefined;
    const o = inForce.get(field);
    const typed = parseReviewNumber(raw);
    if (typed === 'invalid') {
      errors.push({ field, text: raw });
      continue;
    }
    // An empty box on a field that was never located means "not entered", not "blank".
    const wanted = typed === null && !located && o?.kind !== 'value' ? undefined : typed;
    const confirm = str(`p:${field}`) === 'on';
    const stale = staleFields.has(field);
    const base = { field, extracted, ...(note ? { note } : {}) };
    if (wanted !== undefined && !same(wanted, extracted)) {
      // The reviewer's own number.
      if (stale || o?.kind !== 'value' || !same(o.value, wanted)) overrides.push({ ...base, kind: 'value', value: wanted });
    } else if (confirm && located) {
      if (stale || o?.kind !== 'as_published') overrides.push({ ...base, kind: 'as_published' });
    } else if (o) {
      // Back to the extraction (or a stale override the reviewer did not keep).
      overrides.push({ ...base, kind: 'removed' });
    }
  }
  // A stale override of a field the form no longer shows (the new bytes lack it) is not kept.
  for (const f of staleFields) if (typeof body[`v:${f}`] !== 'string') overrides.push({ field: f, kind: 'removed', extracted: Object.hasOwn(values, f) ? values[f] : undefined });
  return { state, note, overrides, errors };
}
