/**
 * pdf.js text items → boxes in display space (y down), checked against the boxes poppler gives
 * for the same text of the real report 010.
 */
import { describe, expect, it } from 'vitest';
import type { Matrix } from '../../src/extract/pdf/geometry.js';
import { pageTextPieces, splitPiece } from '../../src/extract/pdf/text-items.js';

const A4: Matrix = [1, 0, 0, -1, 0, 842];
const r1 = (n: number) => Math.round(n * 10) / 10;

describe('text pieces', () => {
  it('boxes horizontal text between descent and ascent, and drops blank items', () => {
    const [p, ...rest] = pageTextPieces([
      { str: '行政处罚', dir: 'ltr', transform: [12, 0, 0, 12, 81, 697.71], width: 48, height: 12, fontName: 'f', hasEOL: false },
      { str: ' ', dir: 'ltr', transform: [12, 0, 0, 12, 129, 697.71], width: 4663, height: 0, fontName: 'f', hasEOL: false },
      { type: 'beginMarkedContent' },
    ], A4);
    expect(rest).toEqual([]);
    expect([p!.text, r1(p!.x0), r1(p!.x1), r1(p!.y0), r1(p!.y1), p!.size, p!.vertical]).toEqual(['行政处罚', 81, 129, 134.1, 146.7, 12, false]);
  });

  it('boxes a run of a vertical font the way poppler does (010: 三、本年 under x 90.58–100.53, y 596.58–636.65)', () => {
    const [p] = pageTextPieces([{ str: '三、本年', dir: 'ttb', transform: [9.95, 0, 0, 9.95, 90.576, 235.47], width: 9.95, height: 40.0688, fontName: 'f', hasEOL: false }], A4);
    expect([r1(p!.x0), r1(p!.x1), r1(p!.y0), r1(p!.y1), p!.vertical]).toEqual([90.6, 100.5, 596.6, 636.6, true]);
  });

  it('follows the page rotation of the viewport', () => {
    // /Rotate 90 on a 595×842 page: display x = user y, display y = user x.
    const rotated: Matrix = [0, 1, 1, 0, 0, 0];
    const [p] = pageTextPieces([{ str: '12', dir: 'ltr', transform: [0, 10, -10, 0, 300, 100], width: 10, height: 10, fontName: 'f', hasEOL: false }], rotated);
    expect([r1(p!.x0), r1(p!.x1), r1(p!.y0), r1(p!.y1)]).toEqual([100, 110, 291.5, 302]);
  });

  it('cuts a run between the characters on either side of a border', () => {
    const p = { text: '规章 12', x0: 0, y0: 0, x1: 35, y1: 10, size: 10, vertical: false };
    // Widths 10, 10, 5, 5, 5: the border at 22 falls in the space.
    expect(splitPiece(p, [22]).map((q) => [q.text, q.x0, q.x1])).toEqual([['规章', 0, 20], ['12', 25, 35]]);
  });
});
