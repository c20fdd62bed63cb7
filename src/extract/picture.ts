/**
 * Reports published as pictures (JPEG, PNG): a scanned or photographed page, a long screenshot of
 * the whole report, or a Word file whose pages are pasted-in scans. Read by the scanned-PDF route —
 * the pictures are wrapped, untouched, as an image-only PDF (image-pdf.ts) — so the record is what
 * the same pages scanned to PDF give, with the OCR route's checks and its confidence guard. A
 * picture much taller than a page is shown as A4-tall parts, cut where a low-resolution render
 * has least ink.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ExtractedDoc } from './grid.js';
import { A4_RATIO, type PictureWindow, TALL_RATIO, cutRows, imageInfo, imagesPdf, pageWidthPt } from './image-pdf.js';
import { binarize, readPnm } from './ocr/image.js';
import { PDFTOPPM_ENV, findTool, ocrMissing, run } from './ocr/tools.js';
import { extractPdf } from './pdf.js';
import type { AdapterContext } from './types.js';

/** Rows of the render the cuts are looked for in: about 600 pixels across the page. */
const CUT_RENDER_WIDTH = 600;
/** A pixel this dark or darker is ink (binarize's threshold). */
const INK = 159;

export async function extractPicture(bytes: Uint8Array, ctx: AdapterContext): Promise<ExtractedDoc> {
  const doc = await readPictures([bytes], ctx);
  return { ...doc, format: 'image', method: `picture as a PDF page; ${doc.method}` };
}

/** The pictures, in order, read as the pages of one scanned document (long ones in parts). */
export async function readPictures(images: readonly Uint8Array[], ctx: AdapterContext): Promise<ExtractedDoc> {
  const windows: PictureWindow[] = [];
  for (const [image, bytes] of images.entries()) {
    const info = imageInfo(bytes);
    if (info.height > info.width * TALL_RATIO) windows.push(...(await pageWindows(image, imagesPdf([bytes]), info, ctx.limits.convertTimeoutMs)));
    else windows.push({ image, top: 0, bottom: info.height });
  }
  return extractPdf(imagesPdf(images, windows), ctx);
}

/** A long picture's parts: each row's ink in a render ~600 pixels wide, cut by cutRows. */
async function pageWindows(image: number, pdf: Uint8Array, info: { width: number; height: number }, timeoutMs: number): Promise<PictureWindow[]> {
  const pdftoppm = findTool('pdftoppm', PDFTOPPM_ENV);
  if (!pdftoppm) throw ocrMissing('pdftoppm (poppler-utils)');
  const dir = await mkdtemp(join(tmpdir(), 'nianbao-picture-'));
  try {
    const file = join(dir, 'picture.pdf');
    await writeFile(file, pdf);
    const dpi = Math.max(10, Math.round((CUT_RENDER_WIDTH * 72) / pageWidthPt(info)));
    const r = await run(pdftoppm, ['-gray', '-r', String(dpi), file], null, Math.min(timeoutMs, 60_000));
    if (r.code !== 0 || !r.stdout.length) throw new Error(`pdftoppm failed on the picture: ${r.stderr.trim() || `exit ${r.code}`}`);
    const img = readPnm(r.stdout);
    const dark = binarize(img, INK);
    const ink = new Float64Array(img.height);
    for (let y = 0; y < img.height; y++) ink[y] = dark.subarray(y * img.width, (y + 1) * img.width).reduce((n, v) => n + v, 0) / img.width;
    const toPixels = info.height / img.height;
    const cuts = cutRows(ink, img.width * A4_RATIO).map((c) => Math.round(c * toPixels));
    const edges = [0, ...cuts, info.height];
    return edges.slice(1).map((bottom, k) => ({ image, top: edges[k]!, bottom }));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
