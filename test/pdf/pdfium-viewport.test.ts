/**
 * pdfium.ts maps PDF user space to display space itself; it must be pdf.js's page viewport at
 * scale 1 (the default engine's coordinates) for every /Rotate and a box off the origin.
 */
import { describe, expect, it } from 'vitest';
import { pageViewport } from '../../src/extract/pdf/pdfium.js';
import { pdfjs } from '../../src/extract/pdf/load.js';

/** A one-page PDF with the given media box and /Rotate, cross-reference offsets computed. */
function onePagePdf(box: readonly number[], rotate: number): Uint8Array {
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    `<< /Type /Page /Parent 2 0 R /MediaBox [${box.join(' ')}] /Rotate ${rotate} >>`,
  ];
  let pdf = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((o, i) => {
    offsets.push(pdf.length);
    pdf += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = pdf.length;
  pdf += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  pdf += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return new TextEncoder().encode(pdf);
}

describe('pdfium pageViewport', () => {
  it.each([0, 1, 2, 3])('equals pdf.js page viewport at %i quarter turns', async (q) => {
    const lib = await pdfjs();
    const box = [12.5, 30, 607.5, 872] as const;
    const doc = await lib.getDocument({ data: onePagePdf(box, q * 90), verbosity: 0 }).promise;
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
