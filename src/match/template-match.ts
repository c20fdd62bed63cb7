/**
 * Find the official tables in a document's grid, choose the template from their labels, and align
 * the template's rows to them. Every input format (HTML, PDF, Word, text dumps, flattened dumps,
 * Markdown) arrives here as the same grid; what differs between them (exact cells, blanks that
 * vanish, flattened labels) is carried on the tables and units.
 */
import type { ExtractedDoc } from '../extract/grid.js';
import { labelKey } from '../normalize/text.js';
import { type Alternative, type ResolvedRow, type SectionSpec, type Template, type TemplateId, TEMPLATES, rowsWithAlternative } from '../template/index.js';
import { alignRows, collectFlat, type RowAssignment } from './align.js';
import { findSections, type SectionRange, type SectionRanges } from './sections.js';
import { documentUnits, type Unit } from './units.js';
import { emptyPacked, mapPacked } from '../normalize/arrays.js';

export interface MatchHints {
  /** The year the report covers, when known: it decides the template only when no label does. */
  year: number | null;
}

export interface TemplateChoice {
  id: TemplateId;
  /** Set when no label decided and the year did: said on the record. */
  guessed?: string;
}

export type DocumentMatch =
  | { units: Unit[]; ranges: SectionRanges; match: null; choice: null }
  | { units: Unit[]; ranges: SectionRanges; match: TemplateMatch; choice: TemplateChoice };

/** Find the tables, choose the template, align its rows. `match` is null when no table was found. */
export function matchDocument(doc: ExtractedDoc, hints: MatchHints): DocumentMatch {
  const units = documentUnits(doc);
  const ranges = findSections(units);
  if (!ranges.applications && !ranges.proactive) return { units, ranges, match: null, choice: null };
  const choice = chooseTemplate(units, ranges, hints.year);
  return { units, ranges, match: matchTemplate(TEMPLATES[choice.id], units, ranges), choice };
}

export interface SectionMatch {
  section: SectionSpec;
  rows: readonly ResolvedRow[];
  assignments: RowAssignment[];
  alternative: Alternative | null;
  score: number;
  range: SectionRange | null;
}

export interface TemplateMatch {
  template: Template;
  sections: SectionMatch[];
  score: number;
}

export function chooseTemplate(units: readonly Unit[], ranges: SectionRanges, year: number | null): TemplateChoice {
  const from = Math.min(ranges.proactive?.start ?? Infinity, ranges.applications?.start ?? Infinity);
  const to = ranges.review?.end ?? units.length;
  const text = mapPacked(units.slice(from, to), unitKey).join('');
  const e2019 = evidenceIn('2019', text);
  const e2021 = evidenceIn('2021', text);
  if (e2019 !== e2021) return { id: e2019 > e2021 ? '2019' : '2021' };
  // No label decides: compare how well each template's rows align, then fall back to the year.
  const s2019 = matchTemplate(TEMPLATES['2019'], units, ranges).score;
  const s2021 = matchTemplate(TEMPLATES['2021'], units, ranges).score;
  if (Math.abs(s2019 - s2021) > 0.5) return { id: s2019 > s2021 ? '2019' : '2021' };
  const id: TemplateId = year !== null && year >= 2021 ? '2021' : '2019';
  return { id, guessed: `No label of either format decided the template; ${id} was chosen from the year${year ? ` (${year})` : ''}.` };
}

// Module-level functions, not closures made per call: V8 holds a function's optimized code only
// through its live closures, so one made per document is compiled again after a full GC.
const unitKey = (u: Unit): string => u.key;
const addColumns = (n: number, r: ResolvedRow): number => n + r.columns.length;

/** How many of the template's evidence labels the text holds. */
function evidenceIn(id: TemplateId, text: string): number {
  let n = 0;
  for (const e of TEMPLATES[id].evidence) if (text.includes(labelKey(e))) n++;
  return n;
}

export function rangeUnits(units: readonly Unit[], r: SectionRange | null): Unit[] {
  return r ? units.slice(r.start, r.end) : [];
}

export function matchTemplate(t: Template, units: readonly Unit[], ranges: SectionRanges): TemplateMatch {
  const sections: SectionMatch[] = [];
  let score = 0;
  for (const section of t.sections) {
    const range = ranges[section.id];
    const su = rangeUnits(units, range);
    if (section.layout === 'flat') {
      const rows = rowsWithAlternative(section, null);
      const k = rows.reduce(addColumns, 0);
      const used = collectFlat(k, su);
      const assignments = emptyPacked<RowAssignment>();
      for (const row of rows) assignments.push({ row, units: used, score: 0 });
      sections.push({ section, rows, assignments, alternative: null, score: 0, range });
      continue;
    }
    let best: SectionMatch | null = null;
    for (const alt of [null, ...(section.alternatives ?? [])]) {
      const rows = rowsWithAlternative(section, alt);
      const a = alignRows(rows, su);
      if (!best || a.score > best.score + 1e-9) best = { section, rows, assignments: a.rows, alternative: alt, score: a.score, range };
    }
    sections.push(best!);
    score += best!.score;
  }
  return { template: t, sections, score };
}

