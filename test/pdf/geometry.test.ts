/**
 * Boxes leave the adapter rounded to 0.01 pt (toPdfBox). The engines compute the same edge with
 * different float noise — pdf.js in doubles from Chromium's written scale .23999999, PDFium in
 * single precision — and Chromium's rule grid puts many edges exactly on a 0.01 tie: both sides
 * of such a tie must round alike, or the records depend on the engine (doc/pdf-engines.md).
 */
import { describe, expect, it } from 'vitest';
import { roundPt, toPdfBox } from '../../src/extract/pdf/geometry.js';

describe('roundPt', () => {
  it('rounds both engines\' values of a tie the same way, up (observed on chromium-2019-long.pdf)', () => {
    // pdf.js, PDFium: a column edge (x) and a row edge (y, PDF convention) of the same frame.
    expect([roundPt(206.624991390625), roundPt(206.625)]).toEqual([206.63, 206.63]);
    expect([roundPt(730.005004703125), roundPt(730.0048828124999)]).toEqual([730.01, 730.01]);
    expect([roundPt(526.755013171875), roundPt(526.7550048828125)]).toEqual([526.76, 526.76]);
  });

  it('rounds values clear of a tie to the nearest 0.01', () => {
    expect(roundPt(57.3712)).toBe(57.37);
    expect(roundPt(57.3788)).toBe(57.38);
    expect(roundPt(57.3744)).toBe(57.37);
    expect(roundPt(0)).toBe(0);
    expect(roundPt(-3.2051)).toBe(-3.2);
  });

  it('leaves a box in PDF convention, rounded', () => {
    expect(toPdfBox({ x0: 206.624991390625, y0: 112.874995296875, x1: 315.375, y1: 130.5 }, 842.88)).toEqual([206.63, 712.38, 315.38, 730.01]);
  });
});
