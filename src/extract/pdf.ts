/**
 * PDF → ExtractedDoc: the PDF engine (PDFium by default, or pdf.js: pdf/engine.ts) reads each
 * page's text items and drawing; ruled tables become exact grids (merged cells, blank cells and
 * positions kept), the rest of the text is read by alignment. See src/extract/pdf/ for the steps.
 */
import { ExtractError } from './errors.js';
import type { AdapterContext } from './types.js';
import type { ExtractedDoc } from './grid.js';
import { buildDocument } from './pdf/document.js';
import { type PageContent, readPdf } from './pdf/load.js';
import { type OcrResult, ocrPages, unskewBoxes } from './ocr.js';

/**
 * Fewer characters than this per page read is a scan: a portal's stamp or an added page number
 * over page images is not a text layer a report can be read from.
 */
const MIN_CHARS_PER_PAGE = 50;

function textChars(pages: readonly PageContent[]): number {
  let n = 0;
  for (const p of pages) for (const piece of p.pieces) n += piece.text.replace(/\s+/g, '').length;
  return n;
}

/** Most pages read by OCR in one document: a report is a few pages, and each costs seconds. */
export const MAX_OCR_PAGES = 40;

export async function extractPdf(bytes: Uint8Array, ctx: AdapterContext): Promise<ExtractedDoc> {
  const { maxPages, convertTimeoutMs } = ctx.limits;
  const { pages, numPages, broken } = await readPdf(bytes, { maxPages, timeoutMs: convertTimeoutMs });
  const over = numPages > maxPages;
  const chars = textChars(pages);
  const scanned = chars < MIN_CHARS_PER_PAGE * Math.max(1, pages.length);
  if (scanned && broken.length) {
    const what = chars ? `only ${chars} characters of text on ${pages.length} page${pages.length === 1 ? '' : 's'}` : 'no text';
    throw new ExtractError('corrupt', `${broken.length > 1 ? `Pages ${broken.join(', ')} are` : `Page ${broken[0]} is`} damaged and the other pages have ${what}.`);
  }
  if (scanned && over) throw new ExtractError('too_large', `The PDF has ${numPages} pages; the first ${maxPages} (the limit) have ${chars ? `only ${chars} characters of text` : 'no text'}.`);
  // A scan, or the pages of a mixed PDF that have no text layer: read them with OCR.
  const bare = pages.filter((p) => textChars([p]) < MIN_CHARS_PER_PAGE);
  const toRead = scanned ? bare : bare.filter((p) => p.pieces.length === 0);
  const ocrRead = toRead.slice(0, MAX_OCR_PAGES);
  let ocr: OcrResult | null = null;
  if (ocrRead.length) {
    ocr = await ocrPages(bytes, ocrRead, convertTimeoutMs);
    const byNumber = new Map(ocr.pages.map((p) => [p.number, p]));
    for (let i = 0; i < pages.length; i++) pages[i] = byNumber.get(pages[i]!.number) ?? pages[i]!;
  }
  const notes = [
    over ? `first ${maxPages} of ${numPages} pages read (page limit)` : '',
    broken.length ? `page${broken.length > 1 ? 's' : ''} ${broken.join(', ')} damaged, not read` : '',
    toRead.length > ocrRead.length ? `${toRead.length - ocrRead.length} scanned pages after the first ${MAX_OCR_PAGES} not read (OCR page limit)` : '',
  ].filter(Boolean);
  const doc: ExtractedDoc = { ...buildDocument(pages, notes.join('; ')), ...(notes.length ? { unread: notes } : {}) };
  if (ocr) {
    unskewBoxes(doc, ocr.skews, new Map(pages.map((p) => [p.number, p])));
    doc.method = `${doc.method}; ocr:${ocrRead.length} page${ocrRead.length === 1 ? '' : 's'}`;
    doc.ocr = { pages: ocrRead.map((p) => p.number), meanConfidence: ocr.meanConfidence };
  }
  return doc;
}
