/**
 * The other engines against pdf.js, the engine the tests pin against. PDFium, the product's
 * default: byte-identical records. The optional MuPDF (NIANBAO_PDF_ENGINE=mupdf, auto): the same
 * status, values, raw cells and issue codes, and every value read from the same table cell
 * (boxes within 0.05 pt); skipped when the optional package `mupdf` is not installed (`npm
 * install --no-save mupdf`). `@hyzyla/pdfium` is a dependency.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { extractRecord } from '../../src/extractor.js';
import { isMupdfInstalled, loadMupdf, usesType3Fonts } from '../../src/extract/pdf/mupdf.js';
import { pdfEngine } from '../../src/extract/pdf/engine.js';
import { isPdfiumInstalled } from '../../src/extract/pdf/pdfium.js';
import type { NianbaoRecord } from '../../src/validate/schema.js';
import { withEngine, withEnv } from '../helpers/pdf.js';
import { SAMPLES_DIR, listSamples } from '../helpers/samples.js';
import { ROOT, sharedAvailable, sharedPath } from '../helpers/shared.js';

const installed = await isMupdfInstalled();
if (!installed) console.warn('engines.test: npm package "mupdf" not installed (npm install --no-save mupdf); MuPDF comparison skipped');
// A dependency: its absence is a broken install, which the PDFium part must not hide by skipping.
const pdfiumInstalled = await isPdfiumInstalled();

// Scans go to OCR whichever engine opened them: nothing of the engine's to compare, and slow.
const samples = listSamples('pdf').filter((s) => !s.name.startsWith('failed-scanned'));

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
    const pdfjs = await withEngine('pdfjs', () => extractRecord(bytes, { uri: s.file }));
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
    const pdfjs = await withEngine('pdfjs', () => extractRecord(bytes, { uri: s.file }));
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

// PDFium is the product's default engine on the condition that its records are pdf.js's, byte
// for byte: every PDF sample (failures included), the portal samples' PDFs and the shared real
// reports. Scans are left to the OCR tests (golden covers them under both engines).
const reference = [
  ...samples.map((s) => s.file),
  ...portalPdfs(join(SAMPLES_DIR, 'portal')),
  ...(sharedAvailable() ? readdirSync(sharedPath('real-fetched')).filter((f) => f.endsWith('.pdf')).map((f) => sharedPath('real-fetched', f)) : []),
];

function portalPdfs(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => (d.isDirectory() ? portalPdfs(join(dir, d.name)) : d.name.endsWith('.pdf') ? [join(dir, d.name)] : []));
}

describe('PDF engines: PDFium (the default) gives the records pdf.js gives, byte for byte', () => {
  it('loads', () => expect(pdfiumInstalled).toBe(true));

  it('is the default engine', async () => {
    await withEnv({ NIANBAO_PDF_ENGINE: undefined }, async () => expect(pdfEngine()).toBe('pdfium'));
  });

  it.each(reference.map((f) => [relative(ROOT, f), f] as const))('%s', async (_name, file) => {
    const bytes = readFileSync(file);
    const pdfjs = await withEngine('pdfjs', () => extractRecord(bytes, { uri: file }));
    const pdfium = await withEnv({ NIANBAO_PDF_ENGINE: undefined }, () => extractRecord(bytes, { uri: file }));
    expect(JSON.stringify(pdfium, null, 1)).toBe(JSON.stringify(pdfjs, null, 1));
  });
});
