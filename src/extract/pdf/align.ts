/**
 * Text outside ruled tables → rows of cells by alignment. Each line is cut where the gap between
 * two pieces is wider than an em (a column gap, not a word space), so prose stays one cell and a
 * table drawn without rules splits into its columns. Blank cells of such a table leave no text;
 * where a row has fewer numbers than a complete row nearby, its numbers are matched to that row's
 * columns by x position (the same recovery as for `pdftotext -layout` text), and the gaps become
 * blank cells marked `inferred`. What cannot be placed with confidence is left to the identities
 * (the table is `blanksVanish`).
 */
import { type Cell, cell } from '../grid.js';
import { type LayoutRow, type Token, recoverBlanks } from '../layout-columns.js';
import { parseCell } from '../../normalize/number.js';
import { type Box, asDouble, toPdfBox, union } from './geometry.js';
import { emptyPacked } from '../../normalize/arrays.js';
import { type Line, lineText } from './lines.js';
import type { TextPiece } from './text-items.js';

/** A gap wider than this many ems separates two cells. */
const CELL_GAP = 1;

export interface PageLine {
  page: number;
  pageHeight: number;
  line: Line;
}

interface Segment {
  text: string;
  box: Box;
}

/** Cut a line into cells at its column gaps. */
export function lineCells(line: Line): Segment[] {
  // A loop and a module-level segment() rather than a closure per line; the em as a double, as
  // Math.max gives a whole one as a small integer and the product was deoptimized by the first
  // fraction (doc/jit-warm-up.md).
  const out = emptyPacked<Segment>();
  let cur = emptyPacked<TextPiece>();
  for (const p of line.pieces) {
    const prev = cur[cur.length - 1];
    if (prev && p.x0 - prev.x1 > CELL_GAP * asDouble(Math.max(p.size, prev.size))) {
      out.push(segment(cur));
      cur = emptyPacked();
    }
    cur.push(p);
  }
  if (cur.length) out.push(segment(cur));
  return out;
}

/** The cell of pieces next to each other (at least one). */
function segment(pieces: readonly TextPiece[]): Segment {
  let box: Box = pieces[0]!;
  for (let i = 1; i < pieces.length; i++) box = union(box, pieces[i]!);
  return { text: lineText(pieces), box };
}

/**
 * Rows of cells for a run of lines. Positions are turned into character columns of half an em
 * (the width of a digit) so that the column matching of pdftotext -layout text applies as is.
 */
export function alignedRows(lines: readonly PageLine[]): Cell[][] {
  const sizes = lines.map((l) => l.line.size).sort((a, b) => a - b);
  const em = sizes[sizes.length >> 1] ?? 10;
  const column = em / 2;
  const segments = lines.map((l) => lineCells(l.line));
  // Columns are compared only within a block: from one header row (two or more cells, all
  // words) to the next, and never across a page. The 2019 proactive table stacks sub-tables of
  // three and of two value columns; a row of two must not be read against a row of three. Each
  // block is matched on its own, which also keeps the matching quadratic in a page, not a book.
  const gaps = new Map<number, number[]>();
  let block: LayoutRow[] = [];
  let offset = 0;
  const flush = () => {
    for (const [r, g] of recoverBlanks(block)) gaps.set(offset + r, g);
    offset += block.length;
    block = [];
  };
  segments.forEach((segs, i) => {
    const kinds = segs.map((s) => parseCell(s.text).kind);
    if (i > 0 && (lines[i]!.page !== lines[i - 1]!.page || (segs.length >= 2 && kinds.every((k) => k === 'text')))) flush();
    block.push({
      line: block.length,
      page: lines[i]!.page,
      tokens: segs.map((s, j): Token => ({ text: s.text, start: Math.round(s.box.x0 / column), numeric: kinds[j] === 'number' })),
    });
  });
  flush();
  return segments.map((segs, r) => {
    const { page, pageHeight } = lines[r]!;
    const cells: Cell[] = [];
    const g = gaps.get(r);
    const firstNumber = g ? segs.length - (g.length - 1) : Infinity;
    const blank = () => cells.push(cell('', r, cells.length, { inferred: true, page }));
    segs.forEach((s, j) => {
      if (g && j >= firstNumber) for (let b = 0; b < g[j - firstNumber]!; b++) blank();
      cells.push(cell(s.text, r, cells.length, { page, bbox: toPdfBox(s.box, pageHeight) }));
    });
    if (g) for (let b = 0; b < g[g.length - 1]!; b++) blank();
    return cells;
  });
}
