/**
 * Operator lists → rules, on hand-built lists in pdf.js 5's shape: every path is one
 * constructPath op [paintOp, [Float32Array of DrawOPS], minMax].
 */
import { describe, expect, it } from 'vitest';
import type { Matrix } from '../../src/extract/pdf/geometry.js';
import { type OpCodes, pageRules } from '../../src/extract/pdf/rulings.js';
import { pdfjs } from '../../src/extract/pdf/load.js';

const { OPS } = await pdfjs();
const ops = OPS as unknown as OpCodes;
const MOVE = 0;
const LINE = 1;
const CURVE = 2;
const CLOSE = 4;

/** An A4 page's viewport at scale 1: user space (y up) → display space (y down). */
const A4: Matrix = [1, 0, 0, -1, 0, 842];

class OpList {
  fnArray: number[] = [];
  argsArray: unknown[] = [];
  op(fn: number, args: unknown = null): this {
    this.fnArray.push(fn);
    this.argsArray.push(args);
    return this;
  }
  path(paint: number, ...data: number[]): this {
    return this.op(ops.constructPath, [paint, [new Float32Array(data)], null]);
  }
  rect(paint: number, x: number, y: number, w: number, h: number): this {
    return this.path(paint, MOVE, x, y, LINE, x + w, y, LINE, x + w, y + h, LINE, x, y + h, CLOSE);
  }
  rules(viewport: Matrix = A4) {
    return pageRules(this.fnArray, this.argsArray, ops, viewport);
  }
}

const round = (r: { pos: number; from: number; to: number }) => ({ pos: +r.pos.toFixed(2), from: +r.from.toFixed(2), to: +r.to.toFixed(2) });

describe('stroked rules', () => {
  it('reads a stroked line through a y-flipping transformation matrix (WPS, Word)', () => {
    const list = new OpList()
      .op(ops.save)
      .op(ops.transform, [1, 0, 0, -1, 0, 842])
      .path(ops.stroke, MOVE, 10, 20, LINE, 110, 20)
      .path(ops.stroke, MOVE, 10, 20, LINE, 10, 70)
      .op(ops.restore);
    const r = list.rules();
    // User y = 842 - 20 = 822 is display y 20: the top of the page.
    expect(r.horizontal.map(round)).toEqual([{ pos: 20, from: 10, to: 110 }]);
    expect(r.vertical.map(round)).toEqual([{ pos: 10, from: 20, to: 70 }]);
  });

  it('restores the matrix on Q and ignores curves and slanted lines', () => {
    const list = new OpList()
      .op(ops.save)
      .op(ops.transform, [2, 0, 0, 2, 0, 0])
      .op(ops.restore)
      .path(ops.stroke, MOVE, 0, 100, LINE, 50, 100)
      .path(ops.stroke, MOVE, 0, 0, LINE, 40, 30)
      .path(ops.stroke, MOVE, 0, 0, CURVE, 10, 0, 20, 0, 30, 0);
    const r = list.rules();
    expect(r.horizontal.map(round)).toEqual([{ pos: 742, from: 0, to: 50 }]);
    expect(r.vertical).toEqual([]);
  });

  it('reads the four edges of a stroked rectangle', () => {
    const r = new OpList().rect(ops.stroke, 100, 100, 200, 50).rules();
    expect(r.horizontal.map(round).sort((a, b) => a.pos - b.pos)).toEqual([{ pos: 692, from: 100, to: 300 }, { pos: 742, from: 100, to: 300 }]);
    expect(r.vertical.map(round).sort((a, b) => a.pos - b.pos)).toEqual([{ pos: 100, from: 692, to: 742 }, { pos: 300, from: 692, to: 742 }]);
  });

  it('takes the line width from setLineWidth and a graphics state, and skips heavy strokes', () => {
    const thick = new OpList().op(ops.setLineWidth, [12]).path(ops.stroke, MOVE, 0, 100, LINE, 50, 100).rules();
    expect(thick.horizontal).toEqual([]);
    const viaGState = new OpList().op(ops.setLineWidth, [12]).op(ops.setGState, [[['LW', 0.5]]]).path(ops.stroke, MOVE, 0, 100, LINE, 50, 100).rules();
    expect(viaGState.horizontal).toHaveLength(1);
  });
});

describe('filled rules', () => {
  it('reads thin filled rectangles through nested scaling (Chromium/Skia borders)', () => {
    const list = new OpList()
      .op(ops.transform, [0.24, 0, 0, -0.24, 0, 842.88])
      .op(ops.save)
      .op(ops.transform, [3.125, 0, 0, 3.125, 0, 0])
      .rect(ops.fill, 8, 255, 114, 1) // a horizontal border, 1 device pixel thick
      .rect(ops.fill, 8, 255, 1, 54) // a vertical one
      .op(ops.restore);
    const r = list.rules([1, 0, 0, -1, 0, 842.88]);
    // 0.24 × 3.125 = 0.75 pt per unit; the y flips cancel.
    expect(r.horizontal.map(round)).toEqual([{ pos: 191.63, from: 6, to: 91.5 }]);
    expect(r.vertical.map(round)).toEqual([{ pos: 6.38, from: 191.25, to: 231.75 }]);
  });

  it('ignores filled areas (cell shading) and dots', () => {
    const r = new OpList().rect(ops.fill, 100, 100, 200, 40).rect(ops.eoFill, 50, 50, 1, 1).rules();
    expect(r.horizontal).toEqual([]);
    expect(r.vertical).toEqual([]);
  });

  it('reads a zero-height rectangle (moveTo + lineTo) as a rule', () => {
    const r = new OpList().path(ops.fill, MOVE, 10, 500, LINE, 210, 500, CLOSE).rules();
    expect(r.horizontal.map(round)).toEqual([{ pos: 342, from: 10, to: 210 }]);
  });

  it('applies the matrix of a form XObject until its end', () => {
    const list = new OpList()
      .op(ops.paintFormXObjectBegin, [[1, 0, 0, 1, 100, 0], [0, 0, 500, 500]])
      .rect(ops.fill, 0, 400, 50, 0.5)
      .op(ops.paintFormXObjectEnd)
      .rect(ops.fill, 0, 400, 50, 0.5);
    const r = list.rules();
    expect(r.horizontal.map((h) => h.from).sort((a, b) => a - b)).toEqual([0, 100]);
  });
});
