/**
 * Seals on a grey scan. A red seal scanned in colour is dropped by its colour (image.ts); scanned
 * in grey it becomes a mass of flat mid-grey ink over the table and the signature, and its ring
 * and lettering are read as digits and characters. What tells it from print is its tone: print
 * is near black, a seal a uniform grey well lighter than print, and print stamped over stays
 * darker than the seal. So where a round-ish mass of flat mid-grey stands, everything as light
 * as that grey or lighter is paper. Pure: changes the image in place.
 */
import type { Gray } from './image.js';

export interface SealBox {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
  /** The seal's grey level. */
  level: number;
}

/** Grey levels a seal can take: darker is print, lighter is paper or its shading. */
const MIN_LEVEL = 48;
const MAX_LEVEL = 200;
/** A pixel is flat when its 3×3 neighbourhood spans at most this many levels (a stroke's edge spans many). */
const FLAT_SPAN = 12;
/** Levels either side of the seal's peak that are its flat ink. */
const BAND = 8;
/** Levels below the seal's peak still whited out: its own ink, with the scanner's noise. */
const ERASE_BELOW = 16;
/** Print is this much darker than the seal (levels): else the flat mass is print (a bold title of a pale scan). */
const PRINT_GAP = 40;
/** Flat pixels at the seal's level (per square inch) that make a seal: a 4 cm seal's ring alone has about 0.2 in². */
const MIN_FLAT_IN2 = 0.0075;
/** A seal's extent (inches): a round official seal is 3.8–4.5 cm across; a part of one cut by the page counts. */
const MIN_SIDE_IN = 0.4;
const MAX_SIDE_IN = 3.2;

/**
 * Finds the seals of a grey page and whitens them (see above). `dpi`: the image's resolution.
 * Returns the boxes whitened (none on a page without a seal, or scanned in colour).
 */
export function dropGreySeals(img: Gray, dpi: number): SealBox[] {
  const { width: w, height: h, data } = img;
  const hist = new Float64Array(256);
  const flat = new Uint8Array(w * h);
  for (let y = 1; y < h - 1; y++) {
    for (let x = 1; x < w - 1; x++) {
      const i = y * w + x;
      const v = data[i]!;
      if (v < MIN_LEVEL || v > MAX_LEVEL) continue;
      if (isFlat(data, i, w, v)) {
        flat[i] = 1;
        hist[v]!++;
      }
    }
  }
  // The seal's level: the grey most flat pixels share (the histogram's peak, smoothed over ±2 levels).
  let level = -1;
  let peak = 0;
  for (let v = MIN_LEVEL; v <= MAX_LEVEL; v++) {
    const n = hist[v - 2]! + hist[v - 1]! + hist[v]! + hist[v + 1]! + hist[v + 2]!;
    if (n > peak) (peak = n), (level = v);
  }
  let best = 0;
  for (let u = level - BAND; level >= 0 && u <= level + BAND; u++) best += hist[u]!;
  const inch2 = dpi * dpi;
  if (level < 0 || best < MIN_FLAT_IN2 * inch2) return [];
  // Print must be the darker ink of the page.
  let darker = 0;
  for (let i = 0; i < data.length; i++) if (data[i]! < level - PRINT_GAP) darker++;
  if (darker < best) return [];

  // Tiles of a tenth of an inch holding the seal's flat ink, grouped into seals.
  const t = Math.max(4, Math.round(dpi / 10));
  const tw = Math.ceil(w / t);
  const th = Math.ceil(h / t);
  const tiles = new Uint32Array(tw * th);
  for (let i = 0; i < flat.length; i++) {
    if (!flat[i] || Math.abs(data[i]! - level) > BAND) continue;
    const x = i % w;
    tiles[Math.floor((i - x) / w / t) * tw + Math.floor(x / t)]!++;
  }
  const active = (k: number) => tiles[k]! >= (t * t) / 40;
  const seen = new Uint8Array(tw * th);
  const out: SealBox[] = [];
  for (let s = 0; s < tw * th; s++) {
    if (seen[s] || !active(s)) continue;
    // Tiles two apart still join: print crossing the ring breaks its flat run.
    let x0 = tw, y0 = th, x1 = -1, y1 = -1, n = 0;
    const stack = [s];
    seen[s] = 1;
    while (stack.length) {
      const k = stack.pop()!;
      const kx = k % tw;
      const ky = (k - kx) / tw;
      n += tiles[k]!;
      x0 = Math.min(x0, kx), x1 = Math.max(x1, kx), y0 = Math.min(y0, ky), y1 = Math.max(y1, ky);
      for (let dy = -2; dy <= 2; dy++) {
        for (let dx = -2; dx <= 2; dx++) {
          const xx = kx + dx;
          const yy = ky + dy;
          if (xx < 0 || yy < 0 || xx >= tw || yy >= th) continue;
          const q = yy * tw + xx;
          if (!seen[q] && active(q)) (seen[q] = 1), stack.push(q);
        }
      }
    }
    const side = Math.max(x1 - x0 + 1, y1 - y0 + 1) * (t / dpi);
    if (side < MIN_SIDE_IN || side > MAX_SIDE_IN || n < (MIN_FLAT_IN2 / 4) * inch2) continue;
    out.push({ x0: Math.max(0, (x0 - 1) * t), y0: Math.max(0, (y0 - 1) * t), x1: Math.min(w, (x1 + 2) * t), y1: Math.min(h, (y1 + 2) * t), level });
  }
  for (const b of out) {
    for (let y = b.y0; y < b.y1; y++) {
      for (let i = y * w + b.x0; i < y * w + b.x1; i++) if (data[i]! >= level - ERASE_BELOW) data[i] = 255;
    }
  }
  return out;
}

function isFlat(d: Uint8Array, i: number, w: number, v: number): boolean {
  // Unrolled: this runs for every grey pixel of a page.
  const a = d[i - w - 1]!, b = d[i - w]!, c = d[i - w + 1]!, e = d[i - 1]!, f = d[i + 1]!, g = d[i + w - 1]!, h = d[i + w]!, k = d[i + w + 1]!;
  const lo = Math.min(v, a, b, c, e, f, g, h, k);
  const hi = Math.max(v, a, b, c, e, f, g, h, k);
  return hi - lo <= FLAT_SPAN;
}
