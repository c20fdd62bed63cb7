/**
 * PDF → ExtractedDoc: pdf.js reads each page's text items and drawing; ruled tables become exact
 * grids (merged cells, blank cells and positions kept), the rest of the text is read by
 * alignment. See src/extract/pdf/ for the steps.
 */
import { ExtractError } from './errors.js';
import type { AdapterContext } from './types.js';
import type { ExtractedDoc } from './grid.js';
import { buildDocument } from './pdf/document.js';
import { type PageContent, readPdf } from './pdf/load.js';

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

export async function extractPdf(bytes: Uint8Array, ctx: AdapterContext): Promise<ExtractedDoc> {
  const { maxPages, convertTimeoutMs } = ctx.limits;
  const { pages, numPages, broken } = await readPdf(bytes, { maxPages, timeoutMs: convertTimeoutMs });
  const over = numPages > maxPages;
  const chars = textChars(pages);
  if (chars < MIN_CHARS_PER_PAGE * Math.max(1, pages.length)) {
    const what = chars ? `only ${chars} characters of text on ${pages.length} page${pages.length === 1 ? '' : 's'}` : 'no text';
    if (broken.length) throw new ExtractError('corrupt', `${broken.length > 1 ? `Pages ${broken.join(', ')} are` : `Page ${broken[0]} is`} damaged and the other pages have ${what}.`);
    if (over) throw new ExtractError('too_large', `The PDF has ${numPages} pages; the first ${maxPages} (the limit) have ${what}.`);
    throw new ExtractError('no_text_layer', `The PDF has ${what} (${numPages} page${numPages === 1 ? '' : 's'}): scanned images, OCR would be needed.`);
  }
  const notes = [
    over ? `first ${maxPages} of ${numPages} pages read (page limit)` : '',
    broken.length ? `page${broken.length > 1 ? 's' : ''} ${broken.join(', ')} damaged, not read` : '',
  ].filter(Boolean);
  return { ...buildDocument(pages, notes.join('; ')), ...(notes.length ? { unread: notes } : {}) };
}
