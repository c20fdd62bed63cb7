/**
 * For the engines that hand over single glyphs and paths (MuPDF in mupdf.ts, PDFium in
 * pdfium.ts) rather than pdf.js's text items and operator list: glyphs are joined into runs the
 * way pdf.js joins its text items (so text-items.ts boxes them the same way), and paths are
 * written as a pdf.js-shaped operator list (so rulings.ts reads them unchanged). Both work in
 * display space: the engine maps its page space first.
 */
import { type Matrix, asDouble, isPositive } from './geometry.js';
import { emptyPacked } from '../../normalize/arrays.js';
import type { OpCodes } from './rulings.js';
import type { RawTextItem } from './text-items.js';

/** Opcodes for the operator list built here (any distinct numbers: rulings.ts takes them as given). */
export const OPS: OpCodes = {
  save: 1, restore: 2, transform: 3, setLineWidth: 4, setGState: 5, constructPath: 6, paintFormXObjectBegin: 7, paintFormXObjectEnd: 8,
  stroke: 10, closeStroke: 11, fill: 12, eoFill: 13, fillStroke: 14, eoFillStroke: 15, closeFillStroke: 16, closeEOFillStroke: 17,
};
// pdf.js DrawOPS path codes, as rulings.ts reads them.
export const MOVE = 0;
export const LINE = 1;
export const CURVE = 2;
export const CLOSE = 4;

/**
 * pdf.js's text-run joining (its getTextContent): the next glyph continues the run when it sits on
 * the same baseline no further than this many ems past the previous glyph's advance …
 */
const JOIN_MAX_GAP = 0.6;
/** … and no further back than this (a kerned overlap); a gap wider than this many ems reads as a space. */
const JOIN_MAX_BACK = 0.2;
const SPACE_GAP = 0.102;
/** How far off the baseline (ems) a glyph may be and still continue the run. */
const BASELINE_SLACK = 0.1;

/** A single-precision number back to the decimal it was written as (4 places are plenty for a page box). */
export function asWritten(x: number): number {
  return Math.round(x * 1e4) / 1e4;
}

interface Run extends RawTextItem {
  transform: number[];
  /** Where the next glyph of this run would start (display space). */
  endX: number;
  endY: number;
  size: number;
  font: unknown;
}

/** Glyphs → runs (pdf.js-like text items), in display space. */
export class RunCollector {
  // Lists of objects from the start (doc/jit-warm-up.md): a `[]` starts as a list of small
  // integers, and the code that pushed to it was deoptimized when it held its first object.
  readonly items: Run[] = emptyPacked();
  private cur: Run | null = null;

  flush(): void {
    if (this.cur) this.items.push(this.cur);
    this.cur = null;
  }

  /**
   * One glyph: `font` is anything that identifies the font (a run never spans two), `m` the
   * glyph's matrix in display space (the font size folded in), `advance` how far the next glyph
   * starts, in units of the glyph matrix (ems; for wmode 1, down the page).
   */
  glyph(font: unknown, m: Matrix, advance: number, unicode: number, wmode: number): void {
    const size = Math.hypot(m[2]!, m[3]!);
    const xLen = Math.hypot(m[0]!, m[1]!);
    if (!isPositive(size) || !isPositive(xLen)) return;
    const ux = m[0]! / xLen;
    const uy = m[1]! / xLen;
    const shown = advance * (wmode ? size : xLen);
    const ch = String.fromCodePoint(unicode > 0 && unicode <= 0x10ffff ? unicode : 0xfffd);
    const cur = this.cur;
    if (cur && cur.font === font && Math.abs(cur.size - size) < 0.01 && !wmode === (cur.dir !== 'ttb')) {
      const dx = m[4]! - cur.endX;
      const dy = m[5]! - cur.endY;
      const along = wmode ? dy : dx * ux + dy * uy;
      const across = wmode ? Math.abs(dx) : Math.abs(-dx * uy + dy * ux);
      if (across < BASELINE_SLACK * size && along > -JOIN_MAX_BACK * size && along < JOIN_MAX_GAP * size) {
        // Every test made and one concatenation either way: tests reached only past a gap, and a
        // `+= ' '` of its own, had no type feedback when a thread's first gap came, and
        // deoptimized glyph (doc/jit-warm-up.md).
        const str = cur.str;
        const space = ch !== ' ' && !str.endsWith(' ') && along > SPACE_GAP * size;
        cur.str = str + (space ? ' ' : '') + ch;
        this.advanceEnd(cur, m, ux, uy, shown, wmode);
        return;
      }
    }
    this.flush();
    const run: Run = { str: ch, dir: wmode ? 'ttb' : 'ltr', transform: [...m], width: asDouble(0), height: asDouble(size), endX: asDouble(0), endY: asDouble(0), size: asDouble(size), font };
    this.advanceEnd(run, m, ux, uy, shown, wmode);
    this.cur = run;
  }

  private advanceEnd(run: Run, m: Matrix, ux: number, uy: number, advance: number, wmode: number): void {
    if (wmode) {
      // Vertical writing: glyphs go down the page.
      run.endX = m[4]!;
      run.endY = m[5]! + advance;
      run.width = run.transform[0]! ? Math.hypot(run.transform[0]!, run.transform[1]!) : run.size;
      run.height = run.endY - run.transform[5]!;
    } else {
      run.endX = m[4]! + advance * ux;
      run.endY = m[5]! + advance * uy;
      run.width = (run.endX - run.transform[4]!) * ux + (run.endY - run.transform[5]!) * uy;
    }
  }
}

/** Paths drawn → a pdf.js-shaped operator list for rulings.ts (read with OPS). */
export class PathCollector {
  readonly fnArray: number[] = [];
  readonly argsArray: unknown[] = emptyPacked();

  /**
   * One painted path: `d` in DrawOPS codes (MOVE x y, LINE x y, CURVE x1 y1 x2 y2 x y, CLOSE) in
   * the space `ctm` maps to display space; `paint` one of OPS's paint codes; `lineWidth` in
   * the path's own space.
   */
  add(d: readonly number[], ctm: Matrix, paint: number, lineWidth: number): void {
    this.fnArray.push(OPS.save, OPS.transform, OPS.setLineWidth, OPS.constructPath, OPS.restore);
    this.argsArray.push(null, [...ctm], [lineWidth], [paint, [new Float32Array(d)]], null);
  }
}
