/**
 * Scans in conditions the generated samples do not have (issue #14): the samples of samples/scan/
 * copied again through what a real office copier or scanner adds (test/fixtures/scan-conditions.ts),
 * then read through the public entry. The safety rule first: no value shown may differ from the
 * truth, whatever the status; labels right or left out; then a floor of fields read exactly.
 * Needs tesseract (+ chi_sim) and poppler-utils: skipped with a message where they are missing.
 */
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { extractRecord } from '../../src/extractor.js';
import { PDFTOPPM_ENV, TESSERACT_ENV, findTool } from '../../src/extract/ocr/tools.js';
import { type ScanConditions, onGlass, onPaper } from '../fixtures/scan-conditions.js';
import { type Raster, fromPnm, imagePdf } from '../fixtures/scan.js';
import { expectTrueToScan, listSamples } from '../helpers/samples.js';

const tools = findTool('tesseract', TESSERACT_ENV) && findTool('pdftoppm', PDFTOPPM_ENV);
if (!tools) console.warn('test/ocr/scan-conditions: tesseract or poppler-utils not installed (apt-get install tesseract-ocr tesseract-ocr-chi-sim poppler-utils): skipped');

/** A scanned PDF copied again: each page rendered as scanned, then through `c`. */
function rescan(file: string, dpi: number, gray: boolean, c: ScanConditions): Buffer {
  const pages = Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [file], { encoding: 'utf8' }))![1]);
  const printed: Raster[] = [];
  for (let p = 1; p <= pages; p++) printed.push(fromPnm(execFileSync('pdftoppm', ['-r', String(dpi), ...(gray ? ['-gray'] : []), '-f', String(p), '-l', String(p), file], { maxBuffer: 1 << 28 })));
  const images = printed.map((img, k) => onGlass(onPaper(img, printed[k + 1] ?? printed[k - 1] ?? null, c), dpi, 7 + k, c));
  return imagePdf(images, dpi, c.jpeg);
}

/**
 * Each case: a sample, how it is copied again, and fields it must at least read exactly (below
 * what is read today: 200 and 167; before grey paper was made white, both read 0: no rule found).
 */
const CASES: { name: string; sample: string; dpi: number; gray: boolean; conditions: ScanConditions; floor: number }[] = [
  { name: 'copier grey, JPEG', sample: 'scan-2021-200dpi-grey', dpi: 200, gray: true, conditions: { tone: { paper: 205, ink: 75 }, jpeg: 60 }, floor: 185 },
  { name: 'darker copier grey, colour, sealed', sample: 'scan-2019-150dpi-stamped', dpi: 150, gray: false, conditions: { tone: { paper: 190, ink: 80 } }, floor: 150 },
];

describe.skipIf(!tools)('scans in conditions the samples do not have', () => {
  const samples = new Map(listSamples('scan').map((s) => [s.name, s]));

  it.each(CASES.map((c) => [c.name, c] as const))('%s: no value differs from the truth', async (name, c) => {
    const s = samples.get(c.sample)!;
    const rec = await extractRecord(rescan(s.file, c.dpi, c.gray, c.conditions), { uri: `${c.sample}-${name}` });
    expect(rec.status).not.toBe('failed');
    const exact = expectTrueToScan(rec, s.expected);
    console.log(`${name}: ${exact} of ${Object.keys(s.expected.values!).length} fields exact, status ${rec.status}, agency ${rec.agency}, year ${rec.year}`);
    expect(exact).toBeGreaterThanOrEqual(c.floor);
  }, 300_000);
});
