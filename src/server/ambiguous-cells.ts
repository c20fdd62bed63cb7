/**
 * Where a record's ambiguous cells sit in the source grid. The record keeps no position for a
 * cell it leaves out (the contract gives provenance only to cells read into values), so the
 * positions are recomputed from the rebuilt grid with the current extractor. They are shown only
 * when that rebuild leaves out exactly the fields the stored record does: otherwise the record
 * is stale and the cells found now may not be the ones it is about. Pure.
 */
import type { ExtractedDoc } from '../extract/grid.js';
import { type LeftOutPositions, buildWithPositions } from '../record/build.js';
import type { NianbaoRecord } from '../validate/schema.js';

const fieldsOf = (r: NianbaoRecord) => new Set(r.issues.filter((i) => i.code === 'ambiguous_cells').flatMap((i) => i.fields ?? []));

export function ambiguousPositions(record: NianbaoRecord, doc: ExtractedDoc): LeftOutPositions {
  const stored = fieldsOf(record);
  if (!stored.size) return {};
  const rebuilt = buildWithPositions(doc, record.source, { year: record.year, agency: record.agency });
  const now = fieldsOf(rebuilt.record);
  if (now.size !== stored.size || [...stored].some((f) => !now.has(f))) return {};
  const out: LeftOutPositions = {};
  for (const f of stored) if (rebuilt.ambiguous[f]?.length) out[f] = rebuilt.ambiguous[f]!;
  return out;
}
