/**
 * Tesseract reads of several images in one call (ocr/read.ts): each image carries its own
 * resolution in its file (BMP), so the title, read at a smaller size, shares the page read's
 * call. What it reads must be what a read of each image alone with `--dpi` gives. Needs
 * tesseract (+ chi_sim) and poppler-utils: skipped with a message where they are missing.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type Gray, blank, blit, encodeBmp, encodePgm, shrink } from '../../src/extract/ocr/image.js';
import { renderPage } from '../../src/extract/ocr/page.js';
import { readAll } from '../../src/extract/ocr/read.js';
import { PDFTOPPM_ENV, TESSERACT_ENV, findTool, run } from '../../src/extract/ocr/tools.js';
import { parseTsv } from '../../src/extract/ocr/tsv.js';
import { SAMPLES_DIR } from '../helpers/samples.js';

describe('encodeBmp', () => {
  it('writes the pixels bottom-up in rows padded to 4 bytes, with the resolution Leptonica reads back', () => {
    const img: Gray = { width: 3, height: 2, data: Uint8Array.from([1, 2, 3, 4, 5, 6]) };
    const b = encodeBmp(img, 150);
    const offset = b.readUInt32LE(10);
    expect(b.toString('latin1', 0, 2)).toBe('BM');
    expect([b.readInt32LE(18), b.readInt32LE(22), b.readUInt16LE(28)]).toEqual([3, 2, 8]);
    expect([...b.subarray(offset, offset + 8)]).toEqual([4, 5, 6, 0, 1, 2, 3, 0]);
    expect(b.length).toBe(offset + 8);
    // Leptonica: pixels per metre / 39.37, rounded.
    for (const dpi of [70, 72, 100, 133, 150, 200, 300, 600]) expect(Math.floor(encodeBmp(img, dpi).readInt32LE(42) / 39.37 + 0.5)).toBe(dpi);
  });
});

const tesseract = findTool('tesseract', TESSERACT_ENV);
const pdftoppm = findTool('pdftoppm', PDFTOPPM_ENV);
if (!tesseract || !pdftoppm) console.warn('test/ocr/ocr-read: tesseract or pdftoppm not installed: skipped');

describe.skipIf(!tesseract || !pdftoppm)('images read in one call', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nianbao-ocr-read-test-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('at different resolutions, each reads as alone with --dpi, in a list or through stdin', async () => {
    const page = await renderPage({ tesseract: tesseract!, pdftoppm: pdftoppm! }, join(SAMPLES_DIR, 'scan', 'scan-2021-200dpi-grey.pdf'), 1, { dpi: 200, timeoutMs: 60_000, gray: true });
    // The top of page 1 (title and opening text) at full size, and the same shrunk twice.
    const top = blank(page.width, Math.round(page.height * 0.3));
    blit(page, 0, 0, page.width, top.height, top, 0, 0);
    const small = shrink(top, 2);
    const args = ['-l', 'chi_sim', '--psm', '4', '-c', 'preserve_interword_spaces=1'];
    const together = await readAll(tesseract!, [{ img: top, args, dpi: 200 }, { img: small, args, dpi: 100 }], 60_000, dir);
    const alone = await Promise.all(([[top, 200], [small, 100]] as const).map(async ([img, dpi]) => {
      const r = await run(tesseract!, ['stdin', 'stdout', ...args, '--dpi', String(dpi), 'tsv'], encodePgm(img), 60_000);
      return parseTsv(r.stdout.toString('utf8'));
    }));
    expect(alone[0]!.length).toBeGreaterThan(10);
    expect(alone[1]!.length).toBeGreaterThan(10);
    expect(together).toEqual(alone);
    // An image alone goes through stdin, its resolution with it.
    expect(await readAll(tesseract!, [{ img: small, args, dpi: 100 }], 60_000, dir)).toEqual([alone[1]]);
  });
});
