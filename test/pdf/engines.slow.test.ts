/**
 * The optional engines, MuPDF (NIANBAO_PDF_ENGINE=mupdf) and PDFium (NIANBAO_PDF_ENGINE=pdfium),
 * against pdf.js, the engine the tests pin against, on every PDF sample: the same status, the
 * same values and raw cells, the same issue codes, and every value read from the same table cell
 * (boxes may differ in the last rounded digit: the engines compute page coordinates in different
 * float precision). The MuPDF part is skipped when the optional package `mupdf` is not installed
 * (`npm install --no-save mupdf`); `@hyzyla/pdfium` is a dependency.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { extractRecord } from '../../src/extractor.js';
import { isMupdfInstalled, loadMupdf, usesType3Fonts } from '../../src/extract/pdf/mupdf.js';
import { isPdfiumInstalled } from '../../src/extract/pdf/pdfium.js';
import type { NianbaoRecord } from '../../src/validate/schema.js';
import { listSamples } from '../helpers/samples.js';

const installed = await isMupdfInstalled();
if (!installed) console.warn('engines.test: npm package "mupdf" not installed (npm install --no-save mupdf); MuPDF comparison skipped');
// A dependency: its absence is a broken install, which the PDFium part must not hide by skipping.
const pdfiumInstalled = await isPdfiumInstalled();

// Scans go to OCR whichever engine opened them: nothing of the engine's to compare, and slow.
const samples = listSamples('pdf').filter((s) => !s.name.startsWith('failed-scanned'));

async function withEngine<T>(engine: string | undefined, run: () => Promise<T>): Promise<T> {
  const before = process.env.NIANBAO_PDF_ENGINE;
  if (engine) process.env.NIANBAO_PDF_ENGINE = engine;
  else delete process.env.NIANBAO_PDF_ENGINE;
  try {
    return await run();
  } finally {
    if (before === undefined) delete process.env.NIANBAO_PDF_ENGINE;
    else process.env.NIANBAO_PDF_ENGINE = before;
  }
}

/** The same issue codes, and every value read from the same cell: boxes within 0.05 pt, the rest of each provenance equal. */
function expectSameCells(other: NianbaoRecord, pdfjs: NianbaoRecord): void {
  expect(other.issues.map((i) => i.code)).toEqual(pdfjs.issues.map((i) => i.code));
  expect(Object.keys(other.provenance ?? {})).toEqual(Object.keys(pdfjs.provenance ?? {}));
  for (const [field, p] of Object.entries(pdfjs.provenance ?? {})) {
    const q = other.provenance![field]!;
    expect({ ...q, bbox: undefined }, field).toEqual({ ...p, bbox: undefined });
    if (p.bbox) p.bbox.forEach((v, k) => expect(Math.abs(q.bbox![k]! - v), `${field} bbox`).toBeLessThanOrEqual(0.05));
  }
}

describe.skipIf(!installed)('PDF engines: MuPDF gives the records pdf.js gives', () => {
  it.each(samples.map((s) => [s.name, s] as const))('%s', async (_name, s) => {
    const bytes = readFileSync(s.file);
    const pdfjs = await withEngine(undefined, () => extractRecord(bytes, { uri: s.file }));
    const mupdf = await withEngine('mupdf', () => extractRecord(bytes, { uri: s.file }));
    expect(mupdf.status).toBe(pdfjs.status);
    expect(mupdf.values).toEqual(pdfjs.values);
    expect(mupdf.raw).toEqual(pdfjs.raw);
    expectSameCells(mupdf, pdfjs);
  });
});

describe.skipIf(!installed)('PDF engines: auto', () => {
  // Every sample, failures included: what MuPDF reads gives pdf.js's record exactly, and what it
  // declines (Type 3 fonts, unreadable, no text) is read by pdf.js.
  it.each(samples.map((s) => [s.name, s] as const))('%s: the record pdf.js gives', async (_name, s) => {
    const bytes = readFileSync(s.file);
    const pdfjs = await withEngine(undefined, () => extractRecord(bytes, { uri: s.file }));
    const auto = await withEngine('auto', () => extractRecord(bytes, { uri: s.file }));
    for (const key of ['status', 'values', 'raw', 'issues', 'provenance', 'title', 'agency', 'year'] as const) {
      expect(auto[key], key).toEqual(pdfjs[key]);
    }
  });

  it('leaves documents with Type 3 fonts (Chromium prints) to pdf.js and takes the others', async () => {
    const mupdf = await loadMupdf();
    const type3 = (name: string) => {
      const doc = mupdf.Document.openDocument(readFileSync(samples.find((s) => s.name === name)!.file), 'application/pdf');
      try {
        return usesType3Fonts(doc, doc.countPages());
      } finally {
        doc.destroy();
      }
    };
    // pdffonts lists Type 3 fonts on every page of the Chromium prints, none in LibreOffice's.
    for (const s of samples.filter((x) => x.name.startsWith('chromium-'))) expect(type3(s.name), s.name).toBe(true);
    for (const s of samples.filter((x) => x.name.startsWith('libreoffice-'))) expect(type3(s.name), s.name).toBe(false);
  });
});

describe('PDF engines: PDFium gives the records pdf.js gives', () => {
  it('loads', () => expect(pdfiumInstalled).toBe(true));

  // Every sample, failures included (the failure reason may name the other engine's error).
  it.each(samples.map((s) => [s.name, s] as const))('%s', async (_name, s) => {
    const bytes = readFileSync(s.file);
    const pdfjs = await withEngine(undefined, () => extractRecord(bytes, { uri: s.file }));
    const pdfium = await withEngine('pdfium', () => extractRecord(bytes, { uri: s.file }));
    for (const key of ['status', 'values', 'raw', 'title', 'agency', 'year'] as const) {
      expect(pdfium[key], key).toEqual(pdfjs[key]);
    }
    expectSameCells(pdfium, pdfjs);
  });
});
