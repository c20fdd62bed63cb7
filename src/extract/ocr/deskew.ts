/**
 * Skew of a scanned page and its correction. Rows of text and table rules are horizontal on the
 * paper: at the right angle, the dark pixels pile up in few image rows, so the angle that
 * maximises the sum of squared row counts (the projection profile) is the page's skew. Searched
 * on a reduced copy of the ink, coarse then fine.
 */
import type { Gray } from './image.js';

/** Largest skew looked for, in degrees. A page scanned further off is read as it is. */
const MAX_DEGREES = 3;

interface Ink {
  xs: Int32Array;
  ys: Int32Array;
  n: number;
}

/** Ink pixel coordinates, sampled on a grid of `step` pixels. */
function sampleInk(ink: Uint8Array, width: number, height: number, step: number): Ink {
  const xs: number[] = [];
  const ys: number[] = [];
  for (let y = 0; y < height; y += step) for (let x = 0; x < width; x += step) if (ink[y * width + x]) (xs.push(x), ys.push(y));
  return { xs: Int32Array.from(xs), ys: Int32Array.from(ys), n: xs.length };
}

function profileScore(s: Ink, degrees: number, height: number, bin: number): number {
  const t = Math.tan((degrees * Math.PI) / 180);
  const pad = Math.ceil(height * 0.1);
  // Counts (exact in 32 bits), the sum of their squares in doubles as before.
  const rows = new Int32Array(Math.ceil((height + 2 * pad) / bin) + 2);
  const { xs, ys, n } = s;
  const len = rows.length;
  for (let i = 0; i < n; i++) {
    // Rotating by -degrees makes a line tilted by +degrees horizontal: y' ≈ y - x·tan.
    const y = ys[i]! - xs[i]! * t + pad;
    const k = Math.floor(y / bin);
    if (k >= 0 && k < len) rows[k]!++;
  }
  let score = 0;
  for (let k = 0; k < len; k++) score += rows[k]! ** 2;
  return score;
}

/** The page's skew in degrees (positive: lines fall to the right, in image coordinates). */
export function estimateSkew(ink: Uint8Array, width: number, height: number, dpi: number): number {
  // Every ink pixel and one-pixel bins: a rule one pixel thick must count.
  const s = sampleInk(ink, width, height, 1);
  if (s.n < 100) return 0;
  const bin = 1;
  void dpi;
  let best = 0;
  let bestScore = -1;
  for (let d = -MAX_DEGREES; d <= MAX_DEGREES + 1e-9; d += 0.25) {
    const sc = profileScore(s, d, height, bin);
    if (sc > bestScore) (bestScore = sc), (best = d);
  }
  const coarse = best;
  for (let d = coarse - 0.25; d <= coarse + 0.25 + 1e-9; d += 0.025) {
    const sc = profileScore(s, d, height, bin);
    if (sc > bestScore) (bestScore = sc), (best = d);
  }
  return Math.round(best * 1000) / 1000;
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
