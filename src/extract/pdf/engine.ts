/**
 * Which PDF engine reads PDFs: pdf.js unless `NIANBAO_PDF_ENGINE` is `mupdf` (MuPDF for every
 * document) or `auto` (MuPDF, except documents with Type 3 fonts, which pdf.js reads faster, and
 * those MuPDF cannot open or finds no text in), or `pdfium` (PDFium for every document). See
 * mupdf.ts, pdfium.ts and doc/pdf-engines.md. On its own so that the parse pool's calling thread
 * can ask without loading an engine.
 */
export type PdfEngine = 'pdfjs' | 'mupdf' | 'auto' | 'pdfium';

export function pdfEngine(): PdfEngine {
  const e = process.env.NIANBAO_PDF_ENGINE?.trim().toLowerCase();
  return e === 'mupdf' || e === 'auto' || e === 'pdfium' ? e : 'pdfjs';
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
