/**
 * Rules → frames → cells with spans, on hand-drawn grids (display space, y down).
 */
import { describe, expect, it } from 'vitest';
import { buildCells } from '../../src/extract/pdf/cells.js';
import { findFrames, mergeRules } from '../../src/extract/pdf/frames.js';
import { placePieces } from '../../src/extract/pdf/place.js';
import { cellText } from '../../src/extract/pdf/lines.js';
import type { Rule } from '../../src/extract/pdf/rulings.js';
import type { TextPiece } from '../../src/extract/pdf/text-items.js';

const h = (y: number, x0: number, x1: number): Rule => ({ pos: y, from: x0, to: x1 });
const v = (x: number, y0: number, y1: number): Rule => ({ pos: x, from: y0, to: y1 });

/** A full grid of rules with the given column and row edges. */
function grid(xs: number[], ys: number[]): { horizontal: Rule[]; vertical: Rule[] } {
  return {
    horizontal: ys.map((y) => h(y, xs[0]!, xs[xs.length - 1]!)),
    vertical: xs.map((x) => v(x, ys[0]!, ys[ys.length - 1]!)),
  };
}

function piece(text: string, x0: number, y0: number, size = 10, extra: Partial<TextPiece> = {}): TextPiece {
  const w = [...text].reduce((s, ch) => s + (/[\x00-\x7f]/.test(ch) ? 0.5 : 1), 0) * size;
  return { text, x0, y0, x1: x0 + w, y1: y0 + size, size, vertical: false, ...extra };
}

describe('merging rule pieces', () => {
  it('joins collinear pieces (one per cell edge) and double-drawn borders into one rule', () => {
    const merged = mergeRules([h(100, 0, 50), h(100.4, 50, 120), h(100.7, 119, 200), h(300, 0, 10), h(300, 14.5, 20)]);
    expect(merged.map((r) => [Math.round(r.pos), r.from, r.to])).toEqual([[100, 0, 200], [300, 0, 10], [300, 14.5, 20]]);
  });
});

describe('frames', () => {
  it('finds two tables on a page and ignores a lone underline and a framed note of one column', () => {
    const a = grid([50, 150, 250], [100, 120, 140]);
    const b = grid([60, 100, 200, 300], [400, 420]);
    const box = grid([50, 500], [600, 700]);
    const frames = findFrames({
      horizontal: [...a.horizontal, ...b.horizontal, ...box.horizontal, h(750, 50, 300)],
      vertical: [...a.vertical, ...b.vertical, ...box.vertical],
    });
    expect(frames.map((f) => [f.xs, f.ys])).toEqual([[[50, 150, 250], [100, 120, 140]], [[60, 100, 200, 300], [400, 420]]]);
  });

  it('closes a table whose last row has no bottom border (WPS at a page break)', () => {
    const g = grid([50, 150, 250], [100, 120, 140]);
    // The column rules run on to 165: the last row's bottom border was left out.
    const frames = findFrames({ horizontal: g.horizontal, vertical: [v(50, 100, 165), v(150, 100, 165), v(250, 100, 165)] });
    expect(frames[0]!.ys).toEqual([100, 120, 140, 165]);
  });
});

describe('cells', () => {
  it('reads merged cells from missing borders: a vertical label spanning rows, a header spanning columns', () => {
    // 3 columns × 4 rows. Row 0: one header across all columns. Column 0, rows 1-3: one label.
    const xs = [0, 30, 130, 200];
    const ys = [0, 20, 40, 60, 80];
    const horizontal = [h(0, 0, 200), h(20, 0, 200), h(40, 30, 200), h(60, 30, 200), h(80, 0, 200)];
    const vertical = [v(0, 0, 80), v(30, 20, 80), v(130, 20, 80), v(200, 0, 80)];
    const g = buildCells(xs, ys, horizontal, vertical);
    expect(g.cells.map((c) => [c.row, c.col, c.rowSpan, c.colSpan])).toEqual([
      [0, 0, 1, 3],
      [1, 0, 3, 1], [1, 1, 1, 1], [1, 2, 1, 1],
      [2, 1, 1, 1], [2, 2, 1, 1],
      [3, 1, 1, 1], [3, 2, 1, 1],
    ]);
    expect(g.cells[1]!.box).toEqual({ x0: 0, y0: 20, x1: 30, y1: 80 });
  });

  it('keeps a border drawn over at least half of a slot edge, and merges where it is missing', () => {
    const xs = [0, 100, 200];
    const ys = [0, 20, 40];
    // The middle column rule covers only 8 of row 0's 20 pt: not a border there.
    const g = buildCells(xs, ys, [h(0, 0, 200), h(20, 0, 200), h(40, 0, 200)], [v(0, 0, 40), v(100, 0, 8), v(100, 20, 40), v(200, 0, 40)]);
    expect(g.cells.map((c) => [c.row, c.col, c.rowSpan, c.colSpan])).toEqual([[0, 0, 1, 2], [1, 0, 1, 1], [1, 1, 1, 1]]);
  });

  it('puts text in the cell under it, joins a one-character-per-line label, keeps blank cells', () => {
    const xs = [0, 20, 120, 160, 200];
    const ys = [0, 30, 60, 90];
    const horizontal = [h(0, 0, 200), h(30, 20, 200), h(60, 20, 200), h(90, 0, 200)];
    const vertical = xs.map((x) => v(x, 0, 90));
    const g = buildCells(xs, ys, horizontal, vertical);
    const label = [...'三、本年度办理结果'].map((ch, i) => piece(ch, 5, 2 + i * 9.5, 9));
    const pieces = [...label, piece('（一）予以公开', 22, 10), piece('12', 130, 10), piece('（二）部分公开', 22, 40), piece('3', 170, 40), piece('页脚', 50, 120)];
    const { byCell, outside } = placePieces(g, pieces);
    const texts = g.cells.map((c, k) => [c.row, c.col, cellText(byCell[k]!)]);
    expect(texts).toEqual([
      [0, 0, '三、本年度办理结果'], [0, 1, '（一）予以公开'], [0, 2, '12'], [0, 3, ''],
      [1, 1, '（二）部分公开'], [1, 2, ''], [1, 3, '3'],
      [2, 1, ''], [2, 2, ''], [2, 3, ''],
    ]);
    expect(outside.map((p) => p.text)).toEqual(['页脚']);
  });

  it('cuts a run of text that crosses column borders (a whole row written as one run)', () => {
    const xs = [0, 100, 130, 160];
    const g = buildCells(xs, [0, 20], [h(0, 0, 160), h(20, 0, 160)], xs.map((x) => v(x, 0, 20)));
    // 规章 in the label cell, then the two numbers in their columns, as one run spaced out.
    const run: TextPiece = { text: '规章  12   345', x0: 75, y0: 5, x1: 145, y1: 15, size: 10, vertical: false };
    const { byCell } = placePieces(g, [run]);
    expect(byCell.map((ps) => cellText(ps))).toEqual(['规章', '12', '345']);
  });
});

describe('cell text', () => {
  it('joins CJK lines directly, rejoins a wrapped number, keeps other line breaks, drops fake-bold doubles', () => {
    const lines = (texts: string[], x = 0) => texts.map((t, i) => piece(t, x, i * 12));
    expect(cellText(lines(['（二）部分公开（区分处理的，', '只计这一情形，不计其他情形）']))).toBe('（二）部分公开（区分处理的，只计这一情形，不计其他情形）');
    expect(cellText(lines(['25', '2']))).toBe('252');
    expect(cellText(lines(['83.8778', '万元']))).toBe('83.8778万元');
    expect(cellText(lines(['Total', 'amount']))).toBe('Total\namount');
    expect(cellText([piece('总计', 10, 0), piece('总计', 10.3, 0.2)])).toBe('总计');
    expect(cellText([piece('12', 10, 0), piece('12', 40, 0)])).toBe('12 12');
  });
});
