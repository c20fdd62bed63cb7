/**
 * A page laid on the scanner upside down. The report's tables put their labels in wide columns
 * at the left and their values in narrow columns at the right; a page turned half a circle has
 * the wide column at the right. Told from the tables' own rules (rules.ts, frames.ts), so a page
 * without tables, or whose tables' columns say nothing (all alike, or wide on both sides), is
 * left as it is: a page turned wrongly would be read as nonsense, and a page left upside down
 * only loses what is on it.
 */
import { findFrames } from '../pdf/frames.js';
import { imageRules } from './rules.js';

/** The widest column on one side must be this many times the widest on the other for a frame to tell. */
const CLEAR = 1.5;
/** Columns a frame needs to tell: a label and at least two values. */
const MIN_COLUMNS = 3;
/**
 * Table rows that must say "upside down" before a page is turned. A table found only in part
 * (rules lost under dark platen edges or a copier's grey) has few rows and columns merged in
 * odd places: on the condition scans, frames of 4 rows said "upside down" on upright pages.
 */
const MIN_ROWS = 10;

/**
 * +1: a frame whose widest column stands in its left half (upright), -1: in its right half
 * (upside down), 0: not clear. `xs`: the frame's column edges, left to right.
 */
export function frameSide(xs: readonly number[]): -1 | 0 | 1 {
  if (xs.length < MIN_COLUMNS + 1) return 0;
  const mid = (xs[0]! + xs.at(-1)!) / 2;
  let left = 0;
  let right = 0;
  for (let i = 1; i < xs.length; i++) {
    const w = xs[i]! - xs[i - 1]!;
    if ((xs[i]! + xs[i - 1]!) / 2 < mid) left = Math.max(left, w);
    else right = Math.max(right, w);
  }
  if (left >= CLEAR * right) return 1;
  if (right >= CLEAR * left) return -1;
  return 0;
}

/**
 * Whether a straightened page (binarized, 1 = ink) lies upside down: table frames of at least
 * MIN_ROWS rows in all say so, and none says otherwise.
 */
export function upsideDown(ink: Uint8Array, width: number, height: number, dpi: number): boolean {
  const frames = findFrames(imageRules(ink, width, height, { dpi }));
  let down = 0;
  for (const f of frames) {
    const side = frameSide(f.xs);
    if (side === 1) return false;
    if (side === -1) down += f.ys.length - 1;
  }
  return down >= MIN_ROWS;
}
