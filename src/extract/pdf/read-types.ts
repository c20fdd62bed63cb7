/**
 * What a PDF engine (PDFium in pdfium.ts, pdf.js in load.ts, MuPDF in mupdf.ts) gives the table code: each page's text
 * pieces and ruled frames. Apart from both engines so that neither imports the other for its types.
 */
import type { Frame } from './frames.js';
import type { TextPiece } from './text-items.js';

export interface PageContent {
  /** 1-based. */
  number: number;
  width: number;
  height: number;
  pieces: TextPiece[];
  frames: Frame[];
}

export interface ReadResult {
  pages: PageContent[];
  /** Pages in the document (more than were read when over the limit). */
  numPages: number;
  /** Pages that could not be read (damaged), 1-based. */
  broken: number[];
}

export interface ReadOptions {
  maxPages: number;
  /**
   * Give up after this long (ms): a pathological file must not hold a worker for ever. pdf.js
   * works in asynchronous steps on this thread, so the limit takes effect between two steps;
   * the hard stop for a step that never ends is the sandboxed worker process of the queue.
   */
  timeoutMs: number;
}

/**
 * The failure message of a file that is no PDF, or whose structure (header, cross-reference,
 * trailer) is broken past repair — pdf.js's InvalidPDFException, PDFium's FPDF_ERR_FORMAT — in
 * the same words whichever engine read it, so that the record does not depend on the engine.
 */
export const INVALID_PDF_STRUCTURE = 'The PDF could not be parsed: it is not a PDF, or its structure is damaged or cut short.';
