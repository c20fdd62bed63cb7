/**
 * pdf.js text items → positioned pieces of text in display space. pdf.js gives each run of text
 * its text matrix (user space, y up) and its advance; the box is rebuilt from those with the
 * font's usual ascent and descent, then mapped through the page's viewport so that rotated pages
 * read the way they are shown.
 */
import { type Box, type Matrix, applyX, applyY, asDouble, isPositive } from './geometry.js';
import { emptyPacked } from '../../normalize/arrays.js';

/** The fields of a pdf.js TextItem this module reads. */
export interface RawTextItem {
  str: string;
  dir: string;
  transform: readonly number[];
  width: number;
  height: number;
}

export interface TextPiece extends Box {
  text: string;
  /** Font size in points: the em that gaps and tolerances are measured in. */
  size: number;
  /** Written top-to-bottom (a vertical font), one character under the next. */
  vertical: boolean;
  /** Read by OCR: Tesseract's confidence in it, 0–100. */
  conf?: number;
}

/**
 * A piece of a text layer. A class rather than a literal: a literal's allocation site ties the
 * code optimized around it to the site's tenuring decision, and the first full GC deoptimized
 * toPiece ("code dependencies", doc/jit-warm-up.md).
 */
class Piece implements TextPiece {
  constructor(readonly text: string, public x0: number, public y0: number, public x1: number, public y1: number, readonly size: number, readonly vertical: boolean) {}
}

// Typical CJK and Latin fonts: the glyphs sit between 0.2 em below and 0.85 em above the baseline.
const DESCENT = 0.2;
const ASCENT = 0.85;

export function isTextItem(item: unknown): item is RawTextItem {
  return typeof item === 'object' && item !== null && typeof (item as RawTextItem).str === 'string' && Array.isArray((item as RawTextItem).transform);
}

/** Text pieces of one page, whitespace-only items dropped. `viewport` maps user space to display space. */
export function pageTextPieces(items: readonly unknown[], viewport: Matrix): TextPiece[] {
  // Packed from the start, so that a page without text gives a list of the same kind (doc/jit-warm-up.md).
  const out = emptyPacked<TextPiece>();
  for (const item of items) {
    if (!isTextItem(item) || !item.str.trim()) continue;
    const piece = toPiece(item, viewport);
    if (piece) out.push(piece);
  }
  return out;
}

function toPiece(item: RawTextItem, viewport: Matrix): TextPiece | null {
  const [a, b, c, d, e, f] = item.transform as [number, number, number, number, number, number];
  const xLen = Math.hypot(a, b);
  const yLen = Math.hypot(c, d);
  if (!isPositive(xLen) || !isPositive(yLen) || !Number.isFinite(e) || !Number.isFinite(f)) return null;
  // Unit vectors along the baseline (u) and up the glyphs (v), in user space.
  const ux = a / xLen;
  const uy = b / xLen;
  const vx = c / yLen;
  const vy = d / yLen;
  // A double even when whole (Math.hypot gives 12, not 12.0): `size * …` below was deoptimized
  // by the first fractional size when it had seen only whole ones (geometry.ts asDouble).
  const size = asDouble(yLen);
  const vertical = item.dir === 'ttb';
  // Corners as (along u, along v) offsets from the text origin.
  let s0: number, s1: number, t0: number, t1: number;
  if (vertical) {
    // Vertical fonts: the run is `width` wide and goes down from one em above the origin.
    s0 = 0;
    s1 = item.width || size;
    t0 = size - item.height;
    t1 = size;
  } else {
    s0 = 0;
    s1 = item.width;
    t0 = -DESCENT * size;
    t1 = ASCENT * size;
  }
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -Infinity;
  let y1 = -Infinity;
  // The four corners (s0, t0), (s0, t1), (s1, t0), (s1, t1), without a `[s0, s1]` literal per
  // piece: a literal's allocation site ties the optimized code to its tenuring decision, and the
  // first full GC deoptimized toPiece ("code dependencies", doc/jit-warm-up.md).
  for (let i = 0; i < 4; i++) {
    const s = i < 2 ? s0 : s1;
    const t = i % 2 ? t1 : t0;
    const ux2 = e + ux * s + vx * t;
    const uy2 = f + uy * s + vy * t;
    const X = applyX(viewport, ux2, uy2);
    const Y = applyY(viewport, ux2, uy2);
    if (X < x0) x0 = X;
    if (X > x1) x1 = X;
    if (Y < y0) y0 = Y;
    if (Y > y1) y1 = Y;
  }
  // Font size as shown (the viewport may scale).
  const shown = size * Math.sqrt(Math.abs(viewport[0] * viewport[3] - viewport[1] * viewport[2]));
  return new Piece(item.str, asDouble(x0), asDouble(y0), asDouble(x1), asDouble(y1), asDouble(shown), vertical);
}

/** Part of a piece, from `from` to `to` along its run; a Piece stays one (one shape for the readers). */
function cut(p: TextPiece, text: string, from: number, to: number): TextPiece {
  if (p instanceof Piece) return p.vertical ? new Piece(text, p.x0, from, p.x1, to, p.size, true) : new Piece(text, from, p.y0, to, p.y1, p.size, false);
  return p.vertical ? { ...p, text, y0: from, y1: to } : { ...p, text, x0: from, x1: to };
}

/** East Asian wide characters (ideographs, kana, full-width forms, CJK punctuation) take one em. */
const WIDE_RE = /[\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua960-\ua97f\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/;

export function isWide(ch: string): boolean {
  return WIDE_RE.test(ch);
}

/**
 * Cut a piece at the given display coordinates (x for horizontal text, y for vertical text).
 * Glyph positions are not known inside a run, so each character's advance is estimated from
 * its width class; a cut falls between the characters on either side of it.
 */
export function splitPiece(p: TextPiece, cuts: readonly number[]): TextPiece[] {
  const chars = [...p.text];
  if (chars.length < 2 || !cuts.length) return [p];
  const weights = chars.map((ch) => (isWide(ch) ? 1 : 0.5));
  const total = weights.reduce((s, w) => s + w, 0);
  const start = p.vertical ? p.y0 : p.x0;
  const span = p.vertical ? p.y1 - p.y0 : p.x1 - p.x0;
  const sorted = [...cuts].sort((x, y) => x - y);
  // Each character's extent and the zone (between two cuts) its middle falls in.
  let acc = 0;
  const placed = chars.map((ch, i) => {
    const from = start + (acc / total) * span;
    acc += weights[i]!;
    const to = start + (acc / total) * span;
    let zone = 0;
    while (zone < sorted.length && sorted[zone]! <= (from + to) / 2) zone++;
    return { ch, from, to, zone };
  });
  const out: TextPiece[] = [];
  for (let i = 0; i < placed.length;) {
    let j = i;
    while (j < placed.length && placed[j]!.zone === placed[i]!.zone) j++;
    // The part's characters, without the spaces at its ends.
    let a = i;
    let b = j;
    while (a < b && !placed[a]!.ch.trim()) a++;
    while (b > a && !placed[b - 1]!.ch.trim()) b--;
    if (a < b) {
      const text = placed.slice(a, b).map((c) => c.ch).join('');
      const from = placed[a]!.from;
      const to = placed[b - 1]!.to;
      out.push(cut(p, text, from, to));
    }
    i = j;
  }
  return out;
}
