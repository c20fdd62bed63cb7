/**
 * Scanned PDF pages read with OCR. The pages pdf.js found without a text layer are rendered and
 * read one by one (ocr/page.ts) into the PageContent the text-layer route produces, so that
 * document.ts builds tables from them the same way; the cells keep their OCR confidence, which
 * the record builder uses to keep a misread digit from passing as a value.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ExtractedDoc } from './grid.js';
import { ExtractError } from './errors.js';
import type { PageContent } from './pdf/load.js';
import { type OcrPage, type OcrTools, ocrPage } from './ocr/page.js';
import { OCR_CONCURRENCY_ENV, PDFIMAGES_ENV, PDFTOPPM_ENV, TESSERACT_ENV, findTool, ocrMissing, run } from './ocr/tools.js';

/** Resolution pages are rendered at: Tesseract reads 10.5 pt print well from about 200 dpi. */
export const OCR_DPI = Number(process.env.NIANBAO_OCR_DPI) || 200;

export function ocrTools(env: NodeJS.ProcessEnv = process.env): OcrTools {
  const tesseract = findTool('tesseract', TESSERACT_ENV, env);
  if (!tesseract) throw ocrMissing('Tesseract (tesseract-ocr with tesseract-ocr-chi-sim)');
  const pdftoppm = findTool('pdftoppm', PDFTOPPM_ENV, env);
  if (!pdftoppm) throw ocrMissing('pdftoppm (poppler-utils)');
  return { tesseract, pdftoppm };
}

/** Scans coarser than this (pixels per inch) hold characters a few pixels high: nothing to read. */
export const MIN_SCAN_PPI = 100;

/**
 * The resolution of each page's finest image (`pdfimages -list`, poppler-utils), or null when
 * the tool is missing or fails: then every page is tried.
 */
async function scanResolutions(file: string, timeoutMs: number): Promise<Map<number, number> | null> {
  const pdfimages = findTool('pdfimages', PDFIMAGES_ENV);
  if (!pdfimages) return null;
  try {
    const r = await run(pdfimages, ['-list', file], null, Math.min(timeoutMs, 30_000));
    if (r.code !== 0) return null;
    const out = new Map<number, number>();
    for (const line of r.stdout.toString('utf8').split('\n').slice(2)) {
      const f = line.trim().split(/\s+/);
      const page = Number(f[0]);
      const ppi = Math.min(Number(f[12]), Number(f[13]));
      if (page > 0 && ppi > 0) out.set(page, Math.max(out.get(page) ?? 0, ppi));
    }
    return out;
  } catch {
    return null;
  }
}

export interface OcrResult {
  pages: PageContent[];
  /** Per OCR'd page: the skew it was turned by. */
  skews: Map<number, number>;
  meanConfidence: number;
  words: number;
}

/**
 * OCR the given pages (1-based numbers with their size in points). Pages run `limit` at a time
 * (the process-wide tool limit also applies), so memory stays that of a few page images.
 */
export async function ocrPages(bytes: Uint8Array, pages: readonly { number: number; width: number; height: number }[], timeoutMs: number): Promise<OcrResult> {
  const tools = ocrTools();
  const dir = await mkdtemp(join(tmpdir(), `nianbao-ocr-${process.pid}-`));
  try {
    const file = join(dir, 'in.pdf');
    await writeFile(file, bytes);
    const ppi = await scanResolutions(file, timeoutMs);
    if (ppi) {
      const coarse = pages.filter((p) => (ppi.get(p.number) ?? Infinity) < MIN_SCAN_PPI);
      if (coarse.length === pages.length) {
        const lo = Math.min(...coarse.map((p) => ppi.get(p.number)!));
        throw new ExtractError('no_text_layer', `The PDF is scanned (no text layer) at ${lo} dpi, too coarse for OCR (at least ${MIN_SCAN_PPI} dpi is needed).`);
      }
    }
    const deadline = Date.now() + timeoutMs;
    const out: OcrPage[] = new Array(pages.length);
    let next = 0;
    const workers = Math.max(1, Math.min(pages.length, Number(process.env[OCR_CONCURRENCY_ENV]) || availableParallelism()));
    await Promise.all(
      Array.from({ length: workers }, async () => {
        while (next < pages.length) {
          const k = next++;
          const p = pages[k]!;
          const left = deadline - Date.now();
          if (left <= 0) throw new ExtractError('too_large', `Reading the scanned pages took longer than ${Math.round(timeoutMs / 1000)} s; it was stopped.`);
          out[k] = await ocrPage(tools, file, p.number, p, { dpi: OCR_DPI, timeoutMs: left, title: k === 0 });
        }
      }),
    );
    const words = out.reduce((s, p) => s + p.words, 0);
    const confSum = out.reduce((s, p) => s + p.confSum, 0);
    return {
      pages: out.map((p) => p.content),
      skews: new Map(out.map((p) => [p.content.number, p.skew])),
      meanConfidence: words ? Math.round((confSum / words) * 10) / 10 : 0,
      words,
    };
  } catch (err) {
    if (err instanceof ExtractError) throw err;
    throw new ExtractError('unreadable', `OCR of the scanned pages failed: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * Cell boxes back onto the scan as it is: OCR worked on the straightened page, the review UI
 * crops the page as published. `bbox` is in PDF points, origin bottom-left.
 */
export function unskewBoxes(doc: ExtractedDoc, skews: ReadonlyMap<number, number>, sizes: ReadonlyMap<number, { width: number; height: number }>): void {
  for (const t of doc.tables) {
    for (const row of t.rows) {
      for (const c of row) {
        const d = c.page !== undefined ? skews.get(c.page) : undefined;
        const size = c.page !== undefined ? sizes.get(c.page) : undefined;
        if (!d || !size || !c.bbox) continue;
        const a = (d * Math.PI) / 180;
        const cos = Math.cos(a);
        const sin = Math.sin(a);
        const cx = size.width / 2;
        const cy = size.height / 2;
        const [x0, y0, x1, y1] = c.bbox;
        const xs: number[] = [];
        const ys: number[] = [];
        for (const [x, yPdf] of [[x0, y0], [x1, y0], [x0, y1], [x1, y1]] as const) {
          const dx = x - cx;
          const dy = size.height - yPdf - cy;
          xs.push(cx + dx * cos - dy * sin);
          ys.push(size.height - (cy + dx * sin + dy * cos));
        }
        const r = (n: number) => Math.round(n * 100) / 100;
        c.bbox = [r(Math.min(...xs)), r(Math.min(...ys)), r(Math.max(...xs)), r(Math.max(...ys))];
      }
    }
  }
}
