/**
 * Pieces of text → lines, and lines → text, the way a reader takes them: pieces that share a
 * band of height form a line, read left to right; CJK joins without spaces. Used for the text of
 * a cell, for the prose between tables and for the document's reading-order text.
 */
import { type Box, overlap } from './geometry.js';
import { type TextPiece, isWide } from './text-items.js';
import { emptyPacked } from '../../normalize/arrays.js';

export interface Line extends Box {
  pieces: TextPiece[];
  /** Largest font size on the line. */
  size: number;
}

/** Share of the smaller height two pieces must share to be on one line. */
const SAME_LINE = 0.5;

/**
 * Lines from top to bottom. Vertical (top-to-bottom) runs are lines of their own. Sorting by the
 * centre and comparing with the line being built keeps this O(n log n).
 */
export function groupLines(pieces: readonly TextPiece[]): Line[] {
  const horizontal = pieces.filter((p) => !p.vertical).sort((a, b) => a.y0 + a.y1 - b.y0 - b.y1);
  const lines = emptyPacked<Line>();
  let cur: Line | null = null;
  for (const p of horizontal) {
    const h = p.y1 - p.y0;
    if (cur && overlap(p.y0, p.y1, cur.y0, cur.y1) >= SAME_LINE * Math.min(h, cur.y1 - cur.y0)) {
      cur.pieces.push(p);
      cur.x0 = Math.min(cur.x0, p.x0);
      cur.x1 = Math.max(cur.x1, p.x1);
      cur.size = Math.max(cur.size, p.size);
      // The band stays that of the line's first piece: a tall piece must not swallow the next line.
      continue;
    }
    cur = new PieceLine(p);
    lines.push(cur);
  }
  for (const p of pieces) if (p.vertical) lines.push(new PieceLine(p));
  for (const l of lines) {
    l.pieces.sort((a, b) => a.x0 - b.x0);
    l.y0 = Math.min(...l.pieces.map((p) => p.y0));
    l.y1 = Math.max(...l.pieces.map((p) => p.y1));
  }
  return lines.sort((a, b) => a.y0 - b.y0 || a.x0 - b.x0);
}

/**
 * A line begun with one piece. A class rather than a literal: the literal's allocation site (and
 * that of its `[p]`) tied groupLines to the sites' tenuring decision, and the first full GC
 * deoptimized it ("code dependencies", doc/jit-warm-up.md).
 */
class PieceLine implements Line {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
  pieces: TextPiece[] = emptyPacked();
  size: number;
  constructor(p: TextPiece) {
    this.x0 = p.x0;
    this.y0 = p.y0;
    this.x1 = p.x1;
    this.y1 = p.y1;
    this.pieces.push(p);
    this.size = p.size;
  }
}

const CJK_EDGE = /[\p{Script=Han}\u3000-\u303f\uff00-\uffef\u2e80-\u2fdf]/u;

function cjkAt(s: string, end: boolean): boolean {
  // Two code units hold any one character, a surrogate pair included.
  const ch = end ? [...s.slice(-2)].pop() : [...s.slice(0, 2)][0];
  return ch !== undefined && (CJK_EDGE.test(ch) || isWide(ch));
}

/** Text of one line: pieces in x order, a space where the gap is a word space between non-CJK text. */
export function lineText(pieces: readonly TextPiece[]): string {
  let out = '';
  let prev: TextPiece | null = null;
  for (const p of pieces) {
    // The same text drawn again a hair to the side is a printer's fake bold, not a second word.
    if (prev && p.text === prev.text && p.x0 - prev.x0 < 0.5 * (prev.x1 - prev.x0)) continue;
    if (prev) {
      const gap = p.x0 - prev.x1;
      const em = Math.max(p.size, prev.size);
      const cjk = cjkAt(out, true) || cjkAt(p.text, false);
      if (gap > em || (gap > 0.2 * em && !cjk)) out += ' ';
    }
    out += p.text;
    prev = p;
  }
  return out;
}

const DIGIT_END = /[\d.,]$/;
const DIGIT_START = /^[\d.,]/;

/**
 * Two successive lines of one cell as one text: CJK continues without a break (a label wrapped
 * in a narrow cell, or written one character per line), digits continue without a break (a
 * number wrapped in a narrow column: "25" over "2" is 252, as the number parser would read it
 * anyway), anything else keeps its line break.
 */
export function joinCellLines(a: string, b: string): string {
  if (!a) return b;
  if (!b) return a;
  // Every test made and one concatenation either way: a test or a join that a thread's first
  // documents never reached deoptimized cellText at the first cell that did (doc/jit-warm-up.md).
  const cjkEnd = cjkAt(a, true);
  const cjkStart = cjkAt(b, false);
  const digitEnd = DIGIT_END.test(a);
  const digitStart = DIGIT_START.test(b);
  return a + (cjkEnd || cjkStart || (digitEnd && digitStart) ? '' : '\n') + b;
}

/** The text of one cell from its pieces, line by line. */
export function cellText(pieces: readonly TextPiece[]): string {
  let out = '';
  for (const line of groupLines(pieces)) out = joinCellLines(out, lineText(line.pieces).trim());
  return out;
}
