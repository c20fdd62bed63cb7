/**
 * Which PDF engine reads PDFs: PDFium (pdfium.ts) unless `NIANBAO_PDF_ENGINE` is `pdfjs` (pdf.js,
 * load.ts: the engine the unit tests pin against), `mupdf` (MuPDF for every document) or `auto`
 * (MuPDF, except documents with Type 3 fonts, which pdf.js reads faster, and those MuPDF cannot
 * open or finds no text in). PDFium and pdf.js give byte-identical records on every sample and
 * reference PDF; PDFium costs 2–5× less CPU (doc/pdf-engines.md). On its own so that the parse
 * pool's calling thread can ask without loading an engine.
 */
export type PdfEngine = 'pdfjs' | 'mupdf' | 'auto' | 'pdfium';

export const PDF_ENGINES: readonly PdfEngine[] = ['pdfium', 'pdfjs', 'mupdf', 'auto'];

export function pdfEngine(): PdfEngine {
  const e = process.env.NIANBAO_PDF_ENGINE?.trim().toLowerCase() || 'pdfium';
  if (!(PDF_ENGINES as readonly string[]).includes(e)) {
    // A typo must not silently pick an engine the user did not ask for.
    throw new Error(`NIANBAO_PDF_ENGINE must be one of ${PDF_ENGINES.join(', ')} (got "${process.env.NIANBAO_PDF_ENGINE}").`);
  }
  return e as PdfEngine;
}

/**
 * The cap on PDFium's wasm memory, MB: `NIANBAO_PDF_MEMORY_MB`, else 1,536 (the pool's heap cap
 * of a thread, which does not cover wasm memory). A PDF that needs more fails `too_complex`
 * (limit memoryMb). Read where the wasm is compiled (pdfium.ts: the pool's calling thread, or
 * the thread that extracts in place).
 */
export function pdfMemoryMb(): number {
  const mb = Number(process.env.NIANBAO_PDF_MEMORY_MB);
  return Number.isFinite(mb) && mb > 0 ? mb : 1_536;
}
