/**
 * pdfium.ts maps PDF user space to display space itself; it must be pdf.js's page viewport at
 * scale 1 (the default engine's coordinates) for every /Rotate and a box off the origin.
 */
import { describe, expect, it } from 'vitest';
import { pageViewport } from '../../src/extract/pdf/pdfium.js';
import { pdfjs } from '../../src/extract/pdf/load.js';
import { onePagePdf } from '../helpers/pdf.js';

describe('pdfium pageViewport', () => {
  it.each([0, 1, 2, 3])('equals pdf.js page viewport at %i quarter turns', async (q) => {
    const lib = await pdfjs();
    const box = [12.5, 30, 607.5, 872] as const;
    const doc = await lib.getDocument({ data: onePagePdf({ box, rotate: q * 90 }), verbosity: 0 }).promise;
    try {
      const ref = (await doc.getPage(1)).getViewport({ scale: 1 });
      const got = pageViewport(...box, q);
      expect(got.width).toBeCloseTo(ref.width, 9);
      expect(got.height).toBeCloseTo(ref.height, 9);
      got.transform.forEach((v, i) => expect(v, `transform[${i}]`).toBeCloseTo(ref.transform[i]!, 9));
    } finally {
      await doc.destroy();
    }
  });
});
