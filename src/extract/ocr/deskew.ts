/**
 * Skew of a scanned page and its correction. Rows of text and table rules are horizontal on the
 * paper: at the right angle, the dark pixels pile up in few image rows, so the angle that
 * maximises the sum of squared row counts (the projection profile) is the page's skew. Searched
 * coarse then fine on a quarter of the pixel columns, then checked on all the ink near the best.
 */
import type { Gray } from './image.js';

/** Largest skew looked for, in degrees. A page scanned further off is read as it is. */
const MAX_DEGREES = 3;

/** Angles tried: every COARSE step over ±MAX_DEGREES, then every FINE step within one COARSE step of the best. */
const COARSE = 0.25;
const FINE = 0.025;
/**
 * The two searches run on every SUBSAMPLE-th pixel column (all rows: a rule one pixel thick must
 * still count); the last step looks again on all the ink at the few angles next to the best.
 * Measured on the bench's 100 pages: the same angle as the search on all the ink at every angle.
 */
const SUBSAMPLE = 4;
/** Fine steps either side of the subsample's best looked at again on all the ink. */
const CHECK = 2;

interface Ink {
  /** Pixel column and row of each ink pixel, row by row. */
  xs: Int32Array;
  ys: Int32Array;
  n: number;
}

/** Ink pixel coordinates, of every `step`-th column. */
function sampleInk(ink: Uint8Array, width: number, height: number, step: number): Ink {
  let n = 0;
  for (let y = 0; y < height; y++) for (let x = 0, i = y * width; x < width; x += step, i += step) n += ink[i]!;
  const xs = new Int32Array(n);
  const ys = new Int32Array(n);
  let k = 0;
  for (let y = 0; y < height; y++) for (let x = 0, i = y * width; x < width; x += step, i += step) if (ink[i]) (xs[k] = x), (ys[k++] = y);
  return { xs, ys, n };
}

/**
 * Sum of squared row counts with the ink turned by -degrees. Rotating makes a line tilted by
 * +degrees horizontal: y' = y - x·tan + pad, and y is whole, so the row of a pixel is y plus its
 * column's shift, worked out once per column.
 */
function profileScore(s: Ink, degrees: number, width: number, height: number, shift: Int32Array, rows: Int32Array): number {
  const t = Math.tan((degrees * Math.PI) / 180);
  const pad = Math.ceil(height * 0.1);
  for (let x = 0; x < width; x++) shift[x] = Math.floor(pad - x * t);
  rows.fill(0);
  const { xs, ys, n } = s;
  const len = rows.length;
  for (let i = 0; i < n; i++) {
    const k = ys[i]! + shift[xs[i]!]!;
    if (k >= 0 && k < len) rows[k]!++;
  }
  let score = 0;
  for (let k = 0; k < len; k++) score += rows[k]! ** 2;
  return score;
}

/** The page's skew in degrees (positive: lines fall to the right, in image coordinates). */
export function estimateSkew(ink: Uint8Array, width: number, height: number, dpi: number): number {
  void dpi;
  const all = sampleInk(ink, width, height, 1);
  if (all.n < 100) return 0;
  const few = sampleInk(ink, width, height, SUBSAMPLE);
  const shift = new Int32Array(width);
  const rows = new Int32Array(height + 2 * Math.ceil(height * 0.1) + 2);
  // The best of `steps` angles `step` apart either side of `at` (the first of equal scores).
  const search = (s: Ink, at: number, steps: number, step: number): number => {
    let best = at;
    let bestScore = -1;
    for (let k = -steps; k <= steps; k++) {
      const d = at + k * step;
      if (Math.abs(d) > MAX_DEGREES + 1e-9) continue;
      const sc = profileScore(s, d, width, height, shift, rows);
      if (sc > bestScore) (bestScore = sc), (best = d);
    }
    return best;
  };
  const coarse = search(few, 0, Math.round(MAX_DEGREES / COARSE), COARSE);
  const fine = search(few, coarse, Math.round(COARSE / FINE), FINE);
  return Math.round(search(all, fine, CHECK, FINE) * 1000) / 1000;
}

/**
 * The image rotated so that a line tilted by `degrees` becomes horizontal (about the centre,
 * bilinear, paper outside). A skew under 0.05° is left alone: it moves no pixel by more than one.
 */
export function rotate(img: Gray, degrees: number): Gray {
  if (Math.abs(degrees) < 0.05) return img;
  const { width: w, height: h, data } = img;
  const a = (degrees * Math.PI) / 180;
  const cos = Math.cos(a);
  const sin = Math.sin(a);
  const cx = w / 2;
  const cy = h / 2;
  const out = new Uint8Array(w * h);
  // The column terms of the source point, once per column (the same sums in the same order).
  const colX = new Float64Array(w);
  const colY = new Float64Array(w);
  for (let x = 0; x < w; x++) {
    const dx = x - cx;
    colX[x] = cx + dx * cos;
    colY[x] = cy + dx * sin;
  }
  for (let y = 0; y < h; y++) {
    const dy = y - cy;
    const rowX = dy * sin;
    const rowY = dy * cos;
    for (let x = 0; x < w; x++) {
      // Destination (x, y) comes from the source point rotated back by +degrees.
      const sx = colX[x]! - rowX;
      const sy = colY[x]! + rowY;
      const x0 = Math.floor(sx);
      const y0 = Math.floor(sy);
      if (x0 < 0 || y0 < 0 || x0 + 1 >= w || y0 + 1 >= h) {
        out[y * w + x] = 255;
        continue;
      }
      const fx = sx - x0;
      const fy = sy - y0;
      const i = y0 * w + x0;
      const top = data[i]! * (1 - fx) + data[i + 1]! * fx;
      const bottom = data[i + w]! * (1 - fx) + data[i + w + 1]! * fx;
      out[y * w + x] = Math.round(top * (1 - fy) + bottom * fy);
    }
  }
  return { width: w, height: h, data: out };
}
