/**
 * Grid rows → units. A unit is a label (possibly empty) followed by a run of value cells
 * (numbers or blanks). One grid row gives one unit in an exact grid; in a text dump a line can
 * hold several ("三 2.其他法律行政止公开 0 0 0 0 0 0 0" is one; a line of values alone is another).
 */
import { BLANK_RUN_RE } from '../extract/flat.js';
import type { Cell, ExtractedDoc, Table } from '../extract/grid.js';
import { type ParsedCell, parseCell } from '../normalize/number.js';
import { labelKey } from '../normalize/text.js';

export interface ValueCell {
  cell: Cell;
  table: number;
  parsed: ParsedCell;
  /** The cell had no characters at all (not even a blank marker such as nbsp or "-"). */
  empty: boolean;
  /** A run of blank marks in a marked flattened dump ("———"): 1 to this many blank cells. */
  run?: number;
}

export interface Unit {
  /** Position in the document's unit sequence. */
  index: number;
  table: number;
  row: number;
  label: string;
  key: string;
  values: ValueCell[];
  exact: boolean;
  blanksVanish: boolean;
  /** From a flattened dump: the unit's own label is the only evidence of its row. */
  flattened?: boolean;
  /** From a flattened dump that marks every blank cell (Table.blanksMarked). */
  blanksMarked?: boolean;
}

const EMPTY_RE = /^[ \t\r\n]*$/;

/** Every unit of a document, in reading order across its tables. */
export function documentUnits(doc: ExtractedDoc): Unit[] {
  const out: Unit[] = [];
  // A loop, not a forEach callback made per call, which V8 compiled again document after document.
  for (let ti = 0; ti < doc.tables.length; ti++) {
    const t = doc.tables[ti]!;
    for (const row of t.rows) rowUnits(row, t, ti, out);
  }
  return out;
}

const EXACT_OPTS = { chineseNumerals: true };
const LOOSE_OPTS = { chineseNumerals: false };
const DIGIT_RE = /[0-9０-９]/;
const HAN_RE = /\p{Script=Han}/u;
const LATIN3_RE = /[A-Za-z]{3}/;
const WS_RE = /\s+/g;

/** Append the units of one grid row to `out`. */
function rowUnits(row: Cell[], table: Table, ti: number, out: Unit[]): void {
  const opts = table.exact ? EXACT_OPTS : LOOSE_OPTS;
  const parsed: ValueCell[] = [];
  for (let i = 0; i < row.length; i++) {
    const cell = row[i]!;
    if (table.blanksMarked && BLANK_RUN_RE.test(cell.text)) parsed.push({ cell, table: ti, parsed: { kind: 'blank', raw: cell.text }, empty: false, run: cell.text.length });
    else parsed.push({ cell, table: ti, parsed: parseCell(cell.text, opts), empty: EMPTY_RE.test(cell.text) });
  }
  const rowNo = row[0]?.row ?? 0;

  if (table.exact) {
    // The value cells are the trailing run of numbers and blanks; everything before is label. A
    // text among them is a cell that reads as no number, not label (see textsAmongValues).
    // Text after the last number or blank is neither: a remark column ("见附件" under 备注) or a
    // value cell that reads as no number; the row's reader decides by its count (read-rows).
    const among = textsAmongValues(parsed);
    let end = parsed.length;
    while (end > 0 && among[end - 1]) end--;
    let start = end;
    while (start > 0 && (parsed[start - 1]!.parsed.kind !== 'text' || garbledNumber(parsed, start - 1) || among[start - 1])) start--;
    let label = '';
    for (let i = 0; i < start; i++) label = joinPart(label, parsed[i]!.cell.text);
    pushUnit(out, table, ti, rowNo, label, parsed.slice(start, end));
    return;
  }

  const first = out.length;
  // The label so far (its parts joined as joinPart does), whether it has any part, and the values after it.
  let label = '';
  let labelled = false;
  let values: ValueCell[] = [];
  for (let i = 0; i < parsed.length; i++) {
    const p = parsed[i]!;
    // A flattened dump's digit run that reads as no number ("58,80248187,544") still ends the row
    // before it: its label must not run on into the next row's label.
    if (table.flattened && p.parsed.kind === 'text' && DIGIT_RE.test(p.cell.text) && !HAN_RE.test(p.cell.text)) {
      if (labelled || values.length) {
        pushUnit(out, table, ti, rowNo, label, values);
        label = '';
        labelled = false;
        values = [];
      }
      continue;
    }
    if (p.parsed.kind === 'text' && !garbledNumber(parsed, i)) {
      if (hasNumber(values)) {
        pushUnit(out, table, ti, rowNo, label, values);
        label = '';
        labelled = false;
      }
      // Blanks between two pieces of label are merged-cell placeholders, not values.
      values = [];
      label = joinPart(label, p.cell.text);
      labelled = true;
    } else {
      values.push(p);
    }
  }
  if (labelled || values.length) pushUnit(out, table, ti, rowNo, label, values);
  numberedHeader(out, first);
}

// Built field by field rather than spread from a shared base: a document has thousands of units.
function pushUnit(out: Unit[], table: Table, ti: number, rowNo: number, label: string, values: ValueCell[]): void {
  const key = labelKey(label);
  out.push(
    table.flattened
      ? { table: ti, row: rowNo, exact: table.exact, blanksVanish: table.blanksVanish, flattened: true, blanksMarked: table.blanksMarked === true, label, key, values, index: out.length }
      : { table: ti, row: rowNo, exact: table.exact, blanksVanish: table.blanksVanish, label, key, values, index: out.length },
  );
}

function hasNumber(values: readonly ValueCell[]): boolean {
  for (let i = 0; i < values.length; i++) if (values[i]!.parsed.kind === 'number') return true;
  return false;
}

/**
 * Made-up column headers ("数据1 数据2 数据3 …", as converters name the columns of a table
 * they cut apart) read as label-and-number pairs: the same label each time, numbered 1, 2, 3.
 * They are a header, not a row of values: their numbers are taken back.
 */
function numberedHeader(out: Unit[], first: number): void {
  const row = out.slice(first);
  if (row.length < 3 || !row[0]!.key) return;
  const start = row[0]!.values[0]?.parsed;
  if (start?.kind !== 'number') return;
  const numbered = row.every((u, i) => {
    const p = u.values.length === 1 ? u.values[0]!.parsed : null;
    return u.key === row[0]!.key && p?.kind === 'number' && p.value === start.value + i;
  });
  if (numbered) for (const u of row) u.values = [];
}

/**
 * A cell between two numbers that reads as no number and holds no word ("”0", "1O", "3;"): a
 * number a scan or a converter garbled, not a label. It keeps its place among the values, unknown
 * there, so that the cells after it are not read as another row and the cells before it are not
 * split or shifted to make up its count.
 */
function garbledNumber(parsed: readonly ValueCell[], i: number): boolean {
  const text = parsed[i]!.cell.text.trim();
  if (parsed[i]!.parsed.kind !== 'text' || text.length > 8 || !DIGIT_RE.test(text) || HAN_RE.test(text) || LATIN3_RE.test(text)) return false;
  const next = parsed[i + 1]?.parsed.kind;
  return parsed[i - 1]?.parsed.kind === 'number' && (next === 'number' || next === 'blank');
}

/**
 * In a table with real cell boundaries, a cell of text after the row's value cells have begun
 * ("x&y", "见附件" where a number belongs): a value cell that reads as no number, left out with
 * an issue. Folded into the label it cost the row a cell, which the rebuild then made up by
 * splitting another cell's digits or by repairing — wrong values. The value cells have begun when
 * the nearest cell with characters before it is a number, a blank mark or such a text; a single
 * number in the row's first cell may be an item number before the label ("| 1 | 予以公开 |"), so
 * it alone does not begin them. Per cell, in one pass from the left: a text's answer is then
 * known for the text before it, which it may take on.
 */
function textsAmongValues(parsed: readonly ValueCell[]): boolean[] {
  const out: boolean[] = [];
  // Since the last text with characters: its answer, the cells with characters, and the first of them.
  let before = false;
  let values = 0;
  let first = 0;
  for (let i = 0; i < parsed.length; i++) {
    const p = parsed[i]!;
    if (p.parsed.kind === 'text') {
      const among: boolean = values === 0 ? before : values >= 2 || first > 0;
      out.push(among);
      if (!p.empty) {
        before = among;
        values = 0;
      }
    } else {
      out.push(false);
      if (!p.empty && values++ === 0) first = i;
    }
  }
  return out;
}

/** A label with one more part: the part's white space collapsed and trimmed, an empty part left out, parts joined by a space. */
function joinPart(label: string, part: string): string {
  const t = part.replace(WS_RE, ' ').trim();
  if (!t) return label;
  return label ? label + ' ' + t : t;
}
