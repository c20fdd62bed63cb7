/**
 * Plane geometry shared by the PDF modules. Everything is in page display space: points, origin
 * at the top-left of the (rotated) page, y growing downwards, so that "above" means smaller y and
 * reading order is a sort by (y, x). Boxes leave the adapter in PDF convention (origin
 * bottom-left) through `toPdfBox`.
 */

/** PDF affine matrix [a, b, c, d, e, f]: (x, y) → (a·x + c·y + e, b·x + d·y + f). */
export type Matrix = readonly [number, number, number, number, number, number];

/** A list of doubles (a literal of fractions), copied by matrix(). */
const DOUBLES = [0.5, 0.5, 0.5, 0.5, 0.5, 0.5];

/**
 * A matrix as a list of doubles whatever its values: `[1, 0, …]` is a list of small integers and
 * a computed one may be either, and the readers of matrices (applyX, compose, toPiece) were
 * deoptimized whenever the other kind arrived (doc/jit-warm-up.md). A copy of a list of doubles
 * stays one when whole numbers are stored into it, and has no allocation site (whose tenuring
 * decision deoptimized the functions that inline this, "code dependencies").
 */
export function matrix(a: number, b: number, c: number, d: number, e: number, f: number): Matrix {
  const m = DOUBLES.slice();
  m[0] = a;
  m[1] = b;
  m[2] = c;
  m[3] = d;
  m[4] = e;
  m[5] = f;
  return m as unknown as Matrix;
}

export const IDENTITY: Matrix = matrix(1, 0, 0, 1, 0, 0);

export interface Box {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/** The matrix that applies `inner` first, then `outer` (PDF `cm`: CTM' = inner × CTM). */
export function compose(outer: Matrix, inner: Matrix): Matrix {
  return matrix(
    outer[0] * inner[0] + outer[2] * inner[1],
    outer[1] * inner[0] + outer[3] * inner[1],
    outer[0] * inner[2] + outer[2] * inner[3],
    outer[1] * inner[2] + outer[3] * inner[3],
    outer[0] * inner[4] + outer[2] * inner[5] + outer[4],
    outer[1] * inner[4] + outer[3] * inner[5] + outer[5],
  );
}

/**
 * `n` as a heap number whatever its value (`n + -0` is `n` for every number, -0 included). The
 * first object of a shape fixes how each field is stored: a whole number there makes a field of
 * small integers, and the first fraction stored later replaces the shape and deoptimizes every
 * function optimized on the old one ("wrong map"). Objects whose fields may hold fractions are
 * made with their numbers passed through this (doc/jit-warm-up.md).
 */
export function asDouble(n: number): number {
  return n + -0;
}

/**
 * `x > 0`, written so that the comparison has number feedback from its first run: a length or a
 * font size that is whole comes as a small integer (Math.hypot(0, 12) is 12, PDFium's whole font
 * sizes), and a `> 0` that had only seen those was deoptimized by the first fraction ("not a
 * Smi", "lost precision"). Number.MIN_VALUE is the least positive double, so the two agree on
 * every number, NaN included (doc/jit-warm-up.md).
 */
export function isPositive(x: number): boolean {
  return x >= Number.MIN_VALUE;
}

export function applyX(m: Matrix, x: number, y: number): number {
  return m[0] * x + m[2] * y + m[4];
}

export function applyY(m: Matrix, x: number, y: number): number {
  return m[1] * x + m[3] * y + m[5];
}

/** How much a matrix stretches lengths (geometric mean of its axis scales). */
export function matrixScale(m: Matrix): number {
  return Math.sqrt(Math.abs(m[0] * m[3] - m[1] * m[2]));
}

export function width(b: Box): number {
  return b.x1 - b.x0;
}

export function height(b: Box): number {
  return b.y1 - b.y0;
}

export function centerX(b: Box): number {
  return (b.x0 + b.x1) / 2;
}

export function centerY(b: Box): number {
  return (b.y0 + b.y1) / 2;
}

export function union(a: Box, b: Box): Box {
  return { x0: Math.min(a.x0, b.x0), y0: Math.min(a.y0, b.y0), x1: Math.max(a.x1, b.x1), y1: Math.max(a.y1, b.y1) };
}

/** Length of the overlap of [a0, a1] and [b0, b1] (0 when apart). */
export function overlap(a0: number, a1: number, b0: number, b1: number): number {
  return Math.max(0, Math.min(a1, b1) - Math.max(a0, b0));
}

/** Display box → [x0, y0, x1, y1] with the origin at the bottom-left, rounded to 0.01 pt. */
export function toPdfBox(b: Box, pageHeight: number): [number, number, number, number] {
  return [roundPt(b.x0), roundPt(pageHeight - b.y1), roundPt(b.x1), roundPt(pageHeight - b.y0)];
}

/**
 * A coordinate rounded to 0.01 pt, through 0.001 pt first. Producers lay rules on grids whose
 * edges are exact ties at 0.01 (Chromium: multiples of 0.375 pt below a page top of 842.88), and
 * the engines land on either side of such a tie by float noise: pdf.js composes Chromium's
 * written scale .23999999 in doubles (206.624991 for 206.625), PDFium keeps matrices and points
 * in single precision (730.004883 for 730.005, two float32 steps off). Snapping to 0.001 first
 * absorbs noise under 0.0005 pt; the integer step between the two roundings keeps a tie exact
 * (k / 10 is m + 0.5 exactly when k ends in 5), so both engines round it the same way, up.
 */
export function roundPt(n: number): number {
  return Math.round(Math.round(n * 1000) / 10) / 100;
}

/** Index of the last value in sorted `xs` that is ≤ v, or -1. */
export function floorIndex(xs: readonly number[], v: number): number {
  let lo = 0;
  let hi = xs.length - 1;
  let ans = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (xs[mid]! <= v) {
      ans = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return ans;
}

/**
 * Single-linkage clusters of sorted-or-not values: neighbours closer than `gap` join. Returns the
 * mean of each cluster, ascending.
 */
export function clusterValues(values: readonly number[], gap: number): number[] {
  if (!values.length) return [];
  const v = [...values].sort((a, b) => a - b);
  const out: number[] = [];
  let sum = v[0]!;
  let n = 1;
  for (let i = 1; i < v.length; i++) {
    if (v[i]! - v[i - 1]! <= gap) {
      sum += v[i]!;
      n++;
    } else {
      out.push(sum / n);
      sum = v[i]!;
      n = 1;
    }
  }
  out.push(sum / n);
  return out;
}
