/**
 * A page laid on the scanner upside down (ocr/orient.ts, ocr/deskew.ts): told by its tables'
 * wide label column standing at the right. A drawn table, its turned copy, and tables that tell
 * nothing (columns all alike, no table) which must be left as they are.
 */
import { describe, expect, it } from 'vitest';
import { estimateSkew } from '../../src/extract/ocr/deskew.js';
import { frameSide, upsideDown } from '../../src/extract/ocr/orient.js';

const DPI = 200;
const W = 1400;
const H = 1000;

/** Ink of a table ruled at column edges `xs` and every 60 px from y 100 to 700 (1 = ink). */
function table(xs: number[]): Uint8Array {
  const ink = new Uint8Array(W * H);
  for (let y = 100; y <= 700; y += 60) for (let x = xs[0]!; x <= xs.at(-1)!; x++) ink[y * W + x] = ink[(y + 1) * W + x] = 1;
  for (const x of xs) for (let y = 100; y <= 701; y++) ink[y * W + x] = ink[y * W + x + 1] = 1;
  return ink;
}
const turned = (ink: Uint8Array) => ink.slice().reverse();

describe('upside-down pages', () => {
  it('a frame tells by where its widest column stands', () => {
    expect(frameSide([0, 300, 400, 500, 600])).toBe(1);
    expect(frameSide([0, 100, 200, 300, 600])).toBe(-1);
    expect(frameSide([0, 100, 200, 300, 400])).toBe(0);
    expect(frameSide([0, 300, 400, 700])).toBe(0);
    expect(frameSide([0, 300, 400])).toBe(0);
  });

  it('a table with its label column at the right is upside down; the same table upright is not', () => {
    const upright = table([100, 600, 780, 960, 1140, 1300]);
    expect(upsideDown(upright, W, H, DPI)).toBe(false);
    expect(upsideDown(turned(upright), W, H, DPI)).toBe(true);
    // The skew found (within a fine step of level), and half a turn more for the turned copy.
    expect(Math.abs(estimateSkew(upright, W, H, DPI))).toBeLessThan(0.05);
    expect(Math.abs(estimateSkew(turned(upright), W, H, DPI) - 180)).toBeLessThan(0.05);
  });

  it('a table whose columns tell nothing, and a page without one, stay as they are', () => {
    const even = table([100, 340, 580, 820, 1060, 1300]);
    expect(upsideDown(turned(even), W, H, DPI)).toBe(false);
    expect(upsideDown(new Uint8Array(W * H), W, H, DPI)).toBe(false);
  });
});
