/**
 * A matched document's rows as the record builder needs them: for every template row found, its
 * fields, its value cells and every reading of those cells its own identities allow; the fields
 * of rows not found; the layout's identities; and the report's money unit from the proactive
 * table's header. The builder then only settles readings across rows and writes the record.
 */
import type { Cell, ExtractedDoc } from '../extract/grid.js';
import { unitInText } from '../normalize/money.js';
import { type MoneyUnit, parseCell } from '../normalize/number.js';
import { type Alternative, type Identity, type ResolvedRow, expandIdentities, fieldCode } from '../template/index.js';
import { type LocalIdentity, type RowReadings, type Slot, rowReadings, rowReadingsOf } from './candidates.js';
import { type ColumnRange, headerColumns } from './header-columns.js';
import { type DocumentMatch, type MatchHints, type TemplateChoice, type TemplateMatch, matchDocument, rangeUnits } from './template-match.js';
import type { SectionRange } from './sections.js';
import { rowKeys } from './align.js';
import { bestLabelScore } from './similarity.js';
import { labelKey } from '../normalize/text.js';
import type { Unit, ValueCell } from './units.js';
import { emptyPacked, flatMapPacked, mapPacked } from '../normalize/arrays.js';

export interface RowRead {
  row: ResolvedRow;
  fields: string[];
  readings: RowReadings;
  /** The row's value cells in the grid. */
  cells: readonly ValueCell[];
  /**
   * A ruled grid's row whose every reading puts a cell under a header column other than its own
   * (a lost rule merged two cells and the rest slid over): which cell is which field is not known,
   * so the builder leaves the row's fields out. Says which cell sat where, for the issue.
   */
  misaligned?: string;
}

export interface AlternativeUsed {
  alternative: Alternative;
  /** The fields of the rows the alternative put in place of the template's own. */
  fields: string[];
}

export interface DocumentRows {
  match: TemplateMatch;
  choice: TemplateChoice;
  /** Every identity over the fields of the layout in use. */
  identities: Identity[];
  rows: RowRead[];
  /** Fields of template rows not found in the document. */
  missing: string[];
  alternatives: AlternativeUsed[];
  /** Each field's column spec (kind, header unit, per-count field). */
  columns: Map<string, ResolvedRow['columns'][number]>;
  /** The money unit printed in the proactive table's header, if any. */
  moneyHeader: MoneyUnit | null;
}

export type DocumentReading = { found: false; units: number } | ({ found: true } & DocumentRows);

/** Match the document and read every row found: one call for the record builder. */
export function readDocument(doc: ExtractedDoc, hints: MatchHints): DocumentReading {
  const m: DocumentMatch = matchDocument(doc, hints);
  if (!m.match) return { found: false, units: m.units.length };
  return { found: true, ...readRows(doc, m.match, m.choice, m.units, m.ranges.proactive) };
}

function readRows(doc: ExtractedDoc, match: TemplateMatch, choice: TemplateChoice, units: readonly Unit[], proactive: SectionRange | null): DocumentRows {
  // The identities over every field of the layout in use; each row's own ones prune its readings.
  const { identities, byField, columns } = layoutOf(match);

  // One elements kind whatever a document holds (a `[]` literal left empty is a list of small
  // integers), so that readValues, which reads them once per document, sees one map of each.
  const rows = emptyPacked<RowRead>();
  const missing = emptyPacked<string>();
  const alternatives = emptyPacked<AlternativeUsed>();
  for (const s of match.sections) {
    if (s.alternative) {
      const alt = s.alternative;
      alternatives.push({ alternative: alt, fields: alternativeFields(s.rows, alt) });
    }
    if (s.section.layout === 'flat') {
      const cells = s.assignments[0] ? flatMapPacked(s.assignments[0].units, unitValues) : emptyPacked<ValueCell>();
      const fields = flatMapPacked(s.rows, rowFields);
      missing.push(...(cells.length ? NO_FIELDS : fields));
      if (!cells.length) continue;
      // The flat table reads as one long row of all its fields.
      const flatRow: ResolvedRow = { code: s.section.id, labels: [], group: undefined, columns: mapPacked(fields, countColumn), section: s.section.id };
      rows.push({ row: flatRow, fields, readings: readingsFor(cells, fields, identities, byField, s.assignments[0]!.units), cells, misaligned: undefined });
      continue;
    }
    for (const a of s.assignments) {
      const fields = rowFields(a.row);
      // Pushed for every row (no fields for a row found): a push reached only by the rare row not
      // found has no type feedback, and its first one would throw TurboFan's code for readRows away.
      missing.push(...(a.units.length ? NO_FIELDS : fields));
      if (!a.units.length) continue;
      const first = a.units[0]!;
      const columns = first.exact ? headerColumns(doc.tables[first.table]!, first.row, mapPacked(a.row.columns, columnLabel)) : null;
      const cells = a.units.length === 1 ? a.units[0]!.values.slice() : flatMapPacked(a.units, unitValues);
      if (first.exact && a.units.length === 1 && cells.length < fields.length) cells.unshift(...textInValueColumns(doc, first, a.row, cells, fields.length));
      if (first.exact && a.units.length === 1 && cells.length < fields.length) cells.push(...textAfterValues(doc, first, a.row, cells, fields.length));
      const signed = mapPacked(a.row.columns, isChange);
      const readings = readingsFor(cells, fields, identities, byField, a.units, columns, signed);
      const placed = columns && a.units.length === 1 ? underHeader(readings, columns) : null;
      // Every row of one shape (misaligned undefined unless set): the builder reads each field of each.
      rows.push({ row: a.row, fields, readings: placed?.readings ?? readings, cells, misaligned: placed?.misaligned });
    }
  }
  return { match, choice, identities, rows, missing, alternatives, columns, moneyHeader: reportMoneyUnit(units, proactive) };
}

// The callbacks of readRows and the functions below are module-level functions, not closures
// made per call: V8 holds a function's optimized code only through its live closures, so a
// closure made per call loses it at a full GC and is compiled again, document after document.

type Column = ResolvedRow['columns'][number];

/** No fields (never mutated). */
const NO_FIELDS: readonly string[] = emptyPacked<string>();

/** A row's fields, column by column. */
function rowFields(r: ResolvedRow): string[] {
  const out = emptyPacked<string>();
  for (const c of r.columns) out.push(fieldCode(r, c));
  return out;
}

/** The fields of the rows the alternative put in place of the template's own. */
function alternativeFields(rows: readonly ResolvedRow[], alt: Alternative): string[] {
  const out: string[] = [];
  for (const r of rows) if (inAlternative(r, alt)) out.push(...rowFields(r));
  return out;
}

function inAlternative(r: ResolvedRow, alt: Alternative): boolean {
  for (const w of alt.with) if (w.code === r.code) return true;
  return false;
}

const unitValues = (u: Unit): ValueCell[] => u.values;
const countColumn = (f: string): Column => ({ code: f, label: f, kind: 'count' });
const columnLabel = (c: Column): string => c.label;
const isChange = (c: Column): boolean => c.kind === 'change';

/** What the layout in use (the template's sections, each with the rows it reads) gives every report read with it. */
interface Layout {
  identities: Identity[];
  byField: Map<string | null, number[]>;
  columns: Map<string, ResolvedRow['columns'][number]>;
}

/**
 * Layouts repeat from report to report, and a match's row lists are the template's own frozen
 * ones (rowsWithAlternative): each layout is worked out once per process, keyed by those lists.
 * A list that is not frozen could change after it was keyed, so its layout is worked out again.
 * Shared, never to be mutated.
 */
function layoutOf(match: TemplateMatch): Layout {
  if (!match.sections.every(rowsFrozen)) return newLayout(match);
  const key = `${match.template.id}:${mapPacked(match.sections, sectionRowListId).join(',')}`;
  let layout = layoutCache.get(key);
  if (!layout) {
    if (layoutCache.size >= LAYOUT_CACHE_LIMIT) layoutCache.clear();
    layoutCache.set(key, (layout = newLayout(match)));
  }
  return layout;
}

function newLayout(match: TemplateMatch): Layout {
  const layoutFields = new Set<string>();
  for (const s of match.sections) for (const r of s.rows) for (const c of r.columns) layoutFields.add(fieldCode(r, c));
  const identities = expandIdentities(match.template, layoutFields);
  return { identities, byField: identitiesByFirstField(identities), columns: columnSpecs(match) };
}

const rowsFrozen = (s: TemplateMatch['sections'][number]): boolean => Object.isFrozen(s.rows);
const sectionRowListId = (s: TemplateMatch['sections'][number]): number => rowListId(s.rows);

const rowListId = (rows: readonly ResolvedRow[]): number => {
  let id = rowListIds.get(rows);
  if (id === undefined) rowListIds.set(rows, (id = nextRowListId++));
  return id;
};

const rowListIds = new WeakMap<readonly ResolvedRow[], number>();
let nextRowListId = 0;
/** A template has a handful of layouts; the bound only guards against row lists made elsewhere. */
const LAYOUT_CACHE_LIMIT = 64;
const layoutCache = new Map<string, Layout>();

/**
 * A short exact row's cells of text just before its first value cell, in the places its missing
 * cells would fill ("| 规章 | 见附件 | 0 | 3 |" for three columns): value cells that read as no
 * number, which the unit took for label since nothing before them was a value yet. Only cells
 * that do not name the row, with label cells before them that name it at least as well without
 * them: a row's own label words are never made values. Put back in place they keep the row's
 * count, so that no other cell's digits are split and no cell is made up to fill it.
 */
function textInValueColumns(doc: ExtractedDoc, unit: Unit, row: ResolvedRow, cells: readonly ValueCell[], k: number): ValueCell[] {
  const grid = gridRow(doc, unit);
  const first = cells[0];
  if (!grid || !first) return [];
  const at = grid.indexOf(first.cell);
  const missing = k - cells.length;
  if (at < 0 || at - missing < 1) return [];
  const keys = rowKeys(row);
  const texts = foreignTexts(grid.slice(at - missing, at), unit, keys);
  if (!texts) return [];
  const without = bestLabelScore(keys, labelKey(mapPacked(grid.slice(0, at - missing), (c) => c.text).join('')));
  return without >= MIN_LABEL && without >= bestLabelScore(keys, unit.key) ? texts : [];
}

/**
 * A short exact row's cells of text right after its last value cell, as many as it misses: value
 * cells that read as no number ("| 规章 | 5 | 3 | 见附件 |"). A row that already has its count
 * keeps such text out: it is a remark column ("| 规章 | 5 | 3 | 27 | 见附件 |").
 */
function textAfterValues(doc: ExtractedDoc, unit: Unit, row: ResolvedRow, cells: readonly ValueCell[], k: number): ValueCell[] {
  const grid = gridRow(doc, unit);
  const last = cells[cells.length - 1];
  if (!grid || !last) return [];
  const at = grid.indexOf(last.cell);
  if (at < 0) return [];
  const taken = grid.slice(at + 1, at + 1 + k - cells.length);
  return (taken.length && foreignTexts(taken, unit, rowKeys(row))) || [];
}

/**
 * A ruled grid's readings (a PDF's or a scan's, whose cells carry their page and box) kept to
 * those that put every cell under its own header column: the grid columns of a ruled table are
 * cut at its vertical rules, so a cell's columns are its horizontal extent, and a value whose
 * cell is not within the columns of its header label (or spans two labels' columns) was read
 * from another column. A rule lost in one row does that: two cells merge and the rest of the
 * row slides one column over, and the last k cells no longer are its k values. With no reading
 * left, the row is misaligned: its fields are left out. Null where the check does not apply
 * (no boxes: an HTML or DOCX grid, whose columns come from its spans, not from where it sits).
 */
function underHeader(r: RowReadings, cols: readonly ColumnRange[]): { readings: RowReadings; misaligned?: string } | null {
  if (r.truncated || !r.readings.length) return null;
  const cellsOf = flatMapPacked(r.readings, readingCells);
  if (!cellsOf.length || !cellsOf.every(placedOnPage)) return null;
  const kept: Slot[][] = [];
  for (const x of r.readings) if (offColumn(x, cols) < 0) kept.push(x);
  if (kept.length === r.readings.length) return { readings: r };
  if (kept.length) return { readings: rowReadingsOf(kept, r.how, r.truncated, r.alternatives) };
  const first = r.readings[0]!;
  const j = offColumn(first, cols);
  const c = (first[j] as Extract<Slot, { kind: 'cell' }>).vc.cell;
  const [from, to] = cols[j]!;
  const span = (a: number, b: number) => (b - a > 1 ? `${a}–${b - 1}` : `${a}`);
  return { readings: r, misaligned: `"${c.text.trim()}" in grid column ${span(c.col, c.col + c.colSpan)} would be column ${j + 1}, whose header is over grid column ${span(from, to)}` };
}

const readingCells = (x: Slot[]): Cell[] => flatMapPacked(x, slotCell);
const slotCell = (s: Slot): Cell[] => (s.kind === 'cell' || s.kind === 'part' ? [s.vc.cell] : []);
const placedOnPage = (c: Cell): boolean => !!c.bbox && c.page !== undefined;

/** The first of a reading's cells that is not within its header's columns; -1 when none. */
function offColumn(x: readonly Slot[], cols: readonly ColumnRange[]): number {
  for (let j = 0; j < x.length; j++) {
    const s = x[j]!;
    if ((s.kind === 'cell' || s.kind === 'part') && !within(s.vc.cell, cols[j])) return j;
  }
  return -1;
}

const within = (c: Cell, range: ColumnRange | undefined) => range !== undefined && c.col >= range[0] && c.col + c.colSpan <= range[1];

/** The grid row a unit of an exact table came from. */
const gridRow = (doc: ExtractedDoc, unit: Unit) => doc.tables[unit.table]!.rows.find((r) => r[0]?.row === unit.row);

/**
 * The cells as value cells when every one is a text that reads as no number and does not name
 * the row; null otherwise.
 */
function foreignTexts(taken: readonly Cell[], unit: Unit, keys: readonly string[]): ValueCell[] | null {
  const parsed = mapPacked(taken, (cell): ValueCell => ({ cell, table: unit.table, parsed: parseCell(cell.text, { chineseNumerals: true }), empty: false }));
  return parsed.every((v) => v.parsed.kind === 'text' && v.cell.text.trim() !== '' && bestLabelScore(keys, labelKey(v.cell.text)) < NAMES_ROW) ? parsed : null;
}

/** A cell scoring this well against a row's labels names the row: it is label, never a value. */
const NAMES_ROW = 0.5;
/** The label left once the texts are taken must still name the row this well. */
const MIN_LABEL = 0.75;

/**
 * The identities by their first field (by position in the list): a row's own identities are
 * among those whose first field is one of the row's, so each row looks at those alone rather
 * than at every identity of the layout. Identities with no field at all are under null.
 */
function identitiesByFirstField(identities: readonly Identity[]): Map<string | null, number[]> {
  const out = new Map<string | null, number[]>();
  identities.forEach((id, n) => {
    const first = id.left[0] ?? id.right[0] ?? null;
    let list = out.get(first);
    if (!list) out.set(first, (list = []));
    list.push(n);
  });
  return out;
}

function readingsFor(cells: ValueCell[], fields: string[], identities: readonly Identity[], byField: Map<string | null, number[]>, rowUnits: readonly Unit[], columns: ColumnRange[] | null = null, signed: boolean[] = mapPacked(fields, unsigned)): RowReadings {
  const local = localIdentities(fields, identities, byField);
  const exact = rowUnits.every(isExact);
  const blanksVanish = rowUnits.some(blanksVanishIn);
  const blanksMarked = rowUnits.some(blanksMarkedIn);
  const flattened = rowUnits.some(isFlattened) ? { signed } : undefined;
  let r = rowReadings(cells, fields.length, { exact, blanksVanish, blanksMarked, local, columns, flattened });
  // The row breaks its own identity: every reading is then a candidate, and the table decides.
  if (!r.readings.length) r = rowReadings(cells, fields.length, { exact, blanksVanish, blanksMarked, local: emptyPacked<LocalIdentity>(), limit: 500, flattened });
  return r;
}

const unsigned = (): boolean => false;
const isExact = (u: Unit): boolean => u.exact;
const blanksVanishIn = (u: Unit): boolean => u.blanksVanish;
const blanksMarkedIn = (u: Unit): boolean => !!u.blanksMarked;
const isFlattened = (u: Unit): boolean => !!u.flattened;

/**
 * The identities over the row's own fields, as slot indices, in the order of the identity list
 * (as a walk over all of it would find them). They depend on the layout and the row's fields
 * alone: worked out once per layout and field list, and shared (never to be mutated).
 */
function localIdentities(fields: readonly string[], identities: readonly Identity[], byField: Map<string | null, number[]>): LocalIdentity[] {
  let byFields = localCache.get(byField);
  if (!byFields) localCache.set(byField, (byFields = new Map()));
  const key = fields.join('\u0000');
  let local = byFields.get(key);
  if (local) return local;
  const index = new Map(mapPacked(fields, (f, i) => [f, i]));
  const which: number[] = [...(byField.get(null) ?? [])];
  for (const f of index.keys()) which.push(...(byField.get(f) ?? []));
  which.sort((a, b) => a - b);
  local = emptyPacked<LocalIdentity>();
  for (const n of which) {
    const id = identities[n]!;
    if (!id.left.every((f) => index.has(f)) || !id.right.every((f) => index.has(f))) continue;
    local.push({ left: mapPacked(id.left, (f) => index.get(f)!), right: mapPacked(id.right, (f) => index.get(f)!) });
  }
  if (byFields.size >= LOCAL_CACHE_LIMIT) byFields.clear();
  byFields.set(key, local);
  return local;
}

/** Keyed by the layout's byField map (one per layout, see layoutOf): a layout has some tens of rows. */
const localCache = new WeakMap<Map<string | null, number[]>, Map<string, LocalIdentity[]>>();
const LOCAL_CACHE_LIMIT = 256;

function columnSpecs(match: TemplateMatch): Map<string, ResolvedRow['columns'][number]> {
  const m = new Map<string, ResolvedRow['columns'][number]>();
  for (const s of match.sections) for (const r of s.rows) for (const c of r.columns) m.set(fieldCode(r, c), c);
  return m;
}

function reportMoneyUnit(units: readonly Unit[], range: SectionRange | null): MoneyUnit | null {
  for (const u of rangeUnits(units, range)) {
    const unit = unitInText(u.label);
    if (unit) return unit;
  }
  return null;
}
