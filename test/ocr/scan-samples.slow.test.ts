/**
 * The scanned samples (samples/scan/: generated reports printed, rasterised, turned, speckled,
 * sealed) read through the public entry. The safety rule first: no value shown may differ from
 * the report's truth, whatever the status; then enough fields read to be worth it, each with the
 * page and box of the scan it came from. Needs tesseract (+ chi_sim) and poppler-utils: skipped
 * with a message where they are missing. Slow: a few seconds of OCR per page.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { extractRecord } from '../../src/extractor.js';
import { PDFTOPPM_ENV, TESSERACT_ENV, findTool } from '../../src/extract/ocr/tools.js';
import { RecordSchema } from '../../src/validate/schema.js';
import { expectTrueToScan, listSamples } from '../helpers/samples.js';

const tools = findTool('tesseract', TESSERACT_ENV) && findTool('pdftoppm', PDFTOPPM_ENV);
if (!tools) console.warn('test/ocr/scan-samples: tesseract or pdftoppm not installed (apt-get install tesseract-ocr tesseract-ocr-chi-sim poppler-utils): skipped');

/** Fields a sample must at least read exactly (a floor against regressions, below what is read today). */
const FLOOR: Record<string, number> = { 'scan-2021-200dpi-grey': 185, 'scan-2019-150dpi-stamped': 180 };

describe.skipIf(!tools)('scanned samples', () => {
  const samples = listSamples('scan');

  it('are there', () => expect(samples.length).toBeGreaterThanOrEqual(2));

  it.each(samples.map((s) => [s.name, s] as const))('%s: no value differs from the truth', async (name, s) => {
    const rec = await extractRecord(readFileSync(s.file), { uri: s.file });
    RecordSchema.parse(rec);
    expect(rec.source.format).toBe('pdf');
    expect(rec.status).not.toBe('failed');
    expect(rec.template).toBe(s.expected.template);
    const ocr = rec.issues.find((i) => i.code === 'ocr');
    expect(ocr?.severity).toBe('warning');
    expect(ocr?.message).toMatch(/mean word confidence \d/);
    // Labels read by OCR: right or left out, never another agency or year.
    const exact = expectTrueToScan(rec, s.expected);
    expect(exact).toBeGreaterThanOrEqual(FLOOR[name] ?? 0);
    // Every value read from a cell points at its place on the scan, for the review UI's crop.
    for (const f of Object.keys(rec.values)) {
      const p = rec.provenance?.[f];
      if (!p) continue;
      expect(p.page).toBeGreaterThanOrEqual(1);
      expect(p.bbox).toHaveLength(4);
    }
    if (rec.status === 'valid') expect(rec.issues.filter((i) => i.severity === 'error')).toEqual([]);
    console.log(`${name}: ${exact} of ${Object.keys(s.expected.values!).length} fields exact, status ${rec.status}`);
  }, 180_000);
});
