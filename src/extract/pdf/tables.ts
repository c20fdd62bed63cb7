/**
 * Tables continued across pages. A table that ends a page and one that starts the next, with
 * the same right edge and mostly the same columns, are one table: their parts are read on one
 * set of column edges and their rows put one after the other, in page order.
 *
 * Where the page break cut a row in two (Word and LibreOffice let rows break across pages), the
 * two halves become one row again; where it cut a merged cell (三、本年度办理结果 spanning the
 * break), the part on the next page continues the cell above it. A half is told from a new row
 * by its label: every official row starts with its enumerator (（二）, 3., 四、), a half never
 * does.
 */
import type { Box } from './geometry.js';
import { parseCell } from '../../normalize/number.js';
import { normalizeText } from '../../normalize/text.js';
import { joinCellLines } from './lines.js';

export interface TableCell {
  text: string;
  row: number;
  col: number;
  rowSpan: number;
  colSpan: number;
  page: number;
  box: Box;
  /** OCR confidence of the cell's text (grid.ts Cell.confidence). */
  confidence?: number;
}

/** One page's part of a table, read on the column edges shared by the whole table. */
export interface TablePart {
  page: number;
  rows: number;
  cells: TableCell[];
}

export interface JoinedTable {
  rows: number;
  cells: TableCell[];
}

/** Frame outlines that may be parts of one table. */
export interface FrameOutline {
  box: Box;
  xs: readonly number[];
}

/** Outer edges may differ by this much (pt) between the parts of one table. */
const EDGE = 4;
/** Share of the inner column edges of one part that must recur in the other. */
const SAME_COLUMNS = 0.6;

/**
 * True when frame `b` (top of the next page) can continue frame `a` (bottom of a page): the same
 * right edge, the same left edge or one that is a column edge of the other (browsers draw no
 * rules around a merged label column cut by the page break), and mostly the same columns.
 */
export function sameColumns(a: FrameOutline, b: FrameOutline): boolean {
  const near = (x: number, xs: readonly number[]) => xs.some((y) => Math.abs(x - y) <= EDGE);
  if (Math.abs(a.box.x1 - b.box.x1) > EDGE) return false;
  if (Math.abs(a.box.x0 - b.box.x0) > EDGE && !(a.box.x0 < b.box.x0 ? near(b.box.x0, a.xs) : near(a.box.x0, b.xs))) return false;
  const [small, large] = a.xs.length <= b.xs.length ? [a.xs, b.xs] : [b.xs, a.xs];
  const inner = small.slice(1, -1);
  if (!inner.length) return true;
  return inner.filter((x) => near(x, large)).length / inner.length >= SAME_COLUMNS;
}

/** Column edges of all parts together: each part keeps its own borders, the grid gets all edges. */
export function unionEdges(lists: readonly (readonly number[])[]): number[] {
  const all = lists.flat().sort((a, b) => a - b);
  const out: number[] = [];
  for (const x of all) {
    const last = out[out.length - 1];
    if (last !== undefined && x - last <= EDGE) continue;
    out.push(x);
  }
  return out;
}

// The enumerators official rows start with: 一、 （三） (三) 3. 3、 3．
const ROW_START = /^\s*(?:[（(][一二三四五六七八九十]{1,3}[)）]|[一二三四五六七八九十]{1,3}[、.．]|\d{1,2}[.、．](?!\d))/;

export function startsRow(text: string): boolean {
  return ROW_START.test(normalizeText(text));
}

const isBlank = (t: string) => parseCell(t).kind === 'blank';
const isNumber = (t: string) => parseCell(t).kind === 'number';
/**
 * An OCR'd cell with marks but no digit, read with no confidence (a speck the digit read took
 * for "." or ink it made nothing of, "?"): at a page break it does not make a half a new row.
 */
const isMark = (c: TableCell) => c.confidence !== undefined && c.confidence < 50 && !/\d/.test(c.text) && /^[\s.,'`:;·?_~-]+$/.test(c.text);
const blankish = (c: TableCell) => isBlank(c.text) || isMark(c);

/** Put the parts of one table together, in order. */
export function joinParts(parts: readonly TablePart[]): JoinedTable {
  const cells: TableCell[] = [];
  let rows = 0;
  for (const part of parts) {
    let incoming = part.cells.map((c) => ({ ...c }));
    let partRows = part.rows;
    if (rows === 0) {
      cells.push(...incoming);
      rows = partRows;
      continue;
    }
    const repeated = repeatedHeaderRows(cells, incoming);
    if (repeated > 0) {
      incoming = incoming.filter((c) => c.row >= repeated).map((c) => ({ ...c, row: c.row - repeated }));
      partRows -= repeated;
      if (partRows <= 0) continue;
    }
    const { offset, merged } = linkAcross(cells, rows, incoming);
    for (const c of incoming) c.row += offset;
    cells.push(...incoming.filter((c) => !merged.has(c)));
    rows = offset + partRows;
  }
  return closeEmptyRows(cells);
}

/** Rows without an origin cell (every slot taken by a cell from above) are closed up. */
function closeEmptyRows(cells: TableCell[]): JoinedTable {
  const used = [...new Set(cells.map((c) => c.row))].sort((a, b) => a - b);
  const index = new Map(used.map((r, i) => [r, i]));
  for (const c of cells) {
    const end = c.row + c.rowSpan;
    const from = c.row;
    c.row = index.get(from)!;
    c.rowSpan = Math.max(1, used.filter((r) => r >= from && r < end).length);
  }
  return { rows: used.length, cells: cells.sort((a, b) => a.row - b.row || a.col - b.col) };
}

const rowKey = (cells: readonly TableCell[], row: number) =>
  cells.filter((c) => c.row === row).sort((a, b) => a.col - b.col).map((c) => `${c.col}:${c.colSpan}:${normalizeText(c.text).replace(/\s+/g, '')}`).join('|');

/**
 * How many leading rows of the next part repeat the table's own leading rows (a header repeated
 * on every page). They are left out: the table already has them.
 */
function repeatedHeaderRows(table: readonly TableCell[], next: readonly TableCell[]): number {
  let k = 0;
  while (true) {
    const a = rowKey(table, k);
    if (!a || a !== rowKey(next, k)) break;
    k++;
  }
  if (k === 0) return 0;
  // Only whole rows: no cell of the repeated rows may reach below them.
  return next.some((c) => c.row < k && c.row + c.rowSpan > k) ? 0 : k;
}

/** The rightmost cell of a row holds a value or nothing: a data row, not a header. */
function dataRow(row: readonly TableCell[]): boolean {
  const lastCell = row[row.length - 1];
  return lastCell !== undefined && (isBlank(lastCell.text) || isNumber(lastCell.text));
}

/**
 * Link the first row of `next` to the last row of the table so far. Returns the row offset for
 * `next` (rows - 1 when its first row is the second half of the last row, merged in place; rows
 * otherwise) and the cells of `next` that were merged into cells above.
 */
function linkAcross(cells: readonly TableCell[], rows: number, next: readonly TableCell[]): { offset: number; merged: Set<TableCell> } {
  const merged = new Set<TableCell>();
  const last = rows - 1;
  const above = cells.filter((c) => c.row + c.rowSpan - 1 === last).sort((a, b) => a.col - b.col);
  const first = next.filter((c) => c.row === 0).sort((a, b) => a.col - b.col);
  const pairs: [TableCell, TableCell][] = [];
  for (const b of first) {
    const a = above.find((x) => x.col === b.col && x.colSpan === b.colSpan);
    if (a) pairs.push([a, b]);
  }
  if (!pairs.length) return { offset: rows, merged };
  const samePartition = pairs.length === first.length && pairs.length === above.length;
  const halves = ([a, b]: [TableCell, TableCell]) =>
    blankish(a) || blankish(b) || (!isNumber(a.text) && !isNumber(b.text) && !startsRow(b.text));
  const repeats = pairs.every(([a, b]) => normalizeText(a.text).trim() === normalizeText(b.text).trim());

  // Two labels side by side are halves only beside numbers: in a table of blanks, 行政处罚 over
  // 行政强制 is two rows, and leaving a cut row in two halves loses nothing there.
  const labelsMeet = pairs.some(([a, b]) => !blankish(a) && !blankish(b));
  const numbers = pairs.some(([a, b]) => isNumber(a.text) || isNumber(b.text));
  if (samePartition && !repeats && pairs.every(halves) && (!labelsMeet || numbers)) {
    // One row cut by the page break: its halves become one row again.
    for (const [a, b] of pairs) {
      mergeInto(a, b);
      a.rowSpan += b.rowSpan - 1;
      merged.add(b);
    }
    return { offset: last, merged };
  }
  // A merged label cell cut by the page break continues on the next page, beside data rows.
  if (!dataRow(above) || !dataRow(first)) return { offset: rows, merged };
  for (const [a, b] of pairs) {
    if (a.rowSpan === 1 && b.rowSpan === 1) continue;
    if (isBlank(a.text) || isNumber(a.text) || isNumber(b.text) || (!isBlank(b.text) && startsRow(b.text))) continue;
    if (b === first[first.length - 1]) continue;
    mergeInto(a, b);
    a.rowSpan += b.rowSpan;
    merged.add(b);
  }
  return { offset: rows, merged };
}

function mergeInto(a: TableCell, b: TableCell): void {
  if (isMark(b)) {
    // A speck stays out of the text; ink read as nothing ("?") leaves the cell's number doubtful.
    if (b.text.includes('?')) a.confidence = Math.min(a.confidence ?? 100, b.confidence ?? 0);
    return;
  }
  if ((isBlank(a.text) || isMark(a)) && !isBlank(b.text)) {
    // The content is on the next page: point there.
    a.page = b.page;
    a.box = b.box;
    a.text = b.text;
    a.confidence = b.confidence;
  } else {
    a.text = joinCellLines(a.text.trim(), b.text.trim());
    if (b.confidence !== undefined) a.confidence = Math.min(a.confidence ?? 100, b.confidence);
  }
}
