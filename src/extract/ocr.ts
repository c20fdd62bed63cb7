/**
 * Scanned PDF pages read with OCR. The pages pdf.js found without a text layer are rendered and
 * read (ocr/page.ts) into the PageContent the text-layer route produces, so that document.ts
 * builds tables from them the same way; the cells keep their OCR confidence, which the record
 * builder uses to keep a misread digit from passing as a value. Pages go in chunks: a chunk's
 * page reads with the title (one call a core), then its label strips (those of the label cells
 * whited out of the page read with them) and its digit strips (one call each), since each call
 * costs Tesseract's start (ocr/read.ts).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ExtractedDoc } from './grid.js';
import { ExtractError } from './errors.js';
import type { PageContent } from './pdf/load.js';
import { type OcrPage, type OcrTools, type PreparedPage, afterPageRead, finishPage, firstRead, pageRead, preparePage, titleRead } from './ocr/page.js';
import { readAll } from './ocr/read.js';
import type { OcrWord } from './ocr/tsv.js';
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

/** What `pdfimages -list` tells of a page's images: the finest one's resolution, and whether all are grey. */
interface PageImages {
  ppi: number;
  /**
   * A page whose images are all grey is rendered grey: the same bytes as its colour render turned
   * grey (checked on the generated scans), at a third of the size and less CPU.
   */
  gray: boolean;
}

/**
 * Each page's images (`pdfimages -list`, poppler-utils), or null when the tool is missing or
 * fails: then every page is tried, in colour.
 */
async function scanImages(file: string, timeoutMs: number): Promise<Map<number, PageImages> | null> {
  const pdfimages = findTool('pdfimages', PDFIMAGES_ENV);
  if (!pdfimages) return null;
  try {
    const r = await run(pdfimages, ['-list', file], null, Math.min(timeoutMs, 30_000));
    if (r.code !== 0) return null;
    const out = new Map<number, PageImages>();
    for (const line of r.stdout.toString('utf8').split('\n').slice(2)) {
      const f = line.trim().split(/\s+/);
      const page = Number(f[0]);
      const ppi = Math.min(Number(f[12]), Number(f[13]));
      if (!(page > 0 && ppi > 0)) continue;
      const seen = out.get(page);
      out.set(page, { ppi: Math.max(seen?.ppi ?? 0, ppi), gray: (seen?.gray ?? true) && f[5] === 'gray' });
    }
    return out;
  } catch {
    return null;
  }
}

/**
 * Pages read together: their images are held until the chunk is read (a 200-dpi page is ≈ 4 MB
 * of grey), and each of its three reads is one call for the chunk.
 */
const CHUNK = 6;

/**
 * One chunk of pages: each of `workers` runs of consecutive pages is rendered and cleaned, then
 * read in one call (the runs on as many cores; the title with the first); then the label and
 * digit strips of all the chunk's pages are read, one call each. `first`: the chunk opens the
 * document (its title).
 */
async function ocrChunk(tools: OcrTools, file: string, dir: string, pages: readonly { number: number; width: number; height: number }[], first: boolean, workers: number, left: () => number, images: ReadonlyMap<number, PageImages> | null): Promise<OcrPage[]> {
  const prepared: PreparedPage[] = new Array(pages.length);
  const pageWords: OcrWord[][] = new Array(pages.length);
  let titleWords: OcrWord[] | null = null;
  const runs = Math.max(1, Math.min(workers, pages.length));
  const reads: Promise<void>[] = [];
  // Awaited below; one failing while others are still being made must not go unhandled.
  const keep = (read: Promise<void>) => (reads.push(read), read.catch(() => undefined));
  await Promise.all(
    Array.from({ length: runs }, async (_, r) => {
      const ks: number[] = [];
      for (let k = Math.floor((r * pages.length) / runs); k < Math.floor(((r + 1) * pages.length) / runs); k++) {
        const p = pages[k]!;
        prepared[k] = await preparePage(tools, file, p.number, p, { dpi: OCR_DPI, timeoutMs: left(), title: first && k === 0, gray: images?.get(p.number)?.gray ?? false });
        ks.push(k);
      }
      // The title (page 1's, in the first run) is read in the call of its run's pages.
      const title = ks.length ? titleRead(prepared[ks[0]!]!) : null;
      const reqs = [...ks.map((k) => pageRead(prepared[k]!)), ...(title ? [title] : [])];
      keep(readAll(tools.tesseract, reqs, left(), dir).then((words) => {
        ks.forEach((k, i) => (pageWords[k] = words[i]!));
        if (title) titleWords = words[ks.length]!;
      }));
    }),
  );
  await Promise.all(reads);
  const stages = prepared.map((p, k) => afterPageRead(p, pageWords[k]!, first && k === 0 ? titleWords : null));
  const digitPages = stages.flatMap((st, k) => (st.digits ? [k] : []));
  const labelPages = stages.flatMap((st, k) => (st.labels ? [k] : []));
  // The cells read on their own from the start go with the label strips: the same arguments, one call.
  const firstPages = prepared.flatMap((p, k) => (firstRead(p) ? [k] : []));
  const [digits, cells] = await Promise.all([
    readAll(tools.tesseract, digitPages.map((k) => stages[k]!.digits!.read), left(), dir),
    readAll(tools.tesseract, [...firstPages.map((k) => firstRead(prepared[k]!)!), ...labelPages.map((k) => stages[k]!.labels!.read)], left(), dir),
  ]);
  const firsts = cells.slice(0, firstPages.length);
  const labels = cells.slice(firstPages.length);
  return prepared.map((p, k) => finishPage(p, stages[k]!, digits[digitPages.indexOf(k)] ?? [], labels[labelPages.indexOf(k)] ?? [], firsts[firstPages.indexOf(k)] ?? []));
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
    const images = await scanImages(file, timeoutMs);
    if (images) {
      const coarse = pages.filter((p) => (images.get(p.number)?.ppi ?? Infinity) < MIN_SCAN_PPI);
      if (coarse.length === pages.length) {
        const lo = Math.min(...coarse.map((p) => images.get(p.number)!.ppi));
        throw new ExtractError('no_text_layer', `The document is scanned (no text layer) at ${lo} dpi, too coarse for OCR (at least ${MIN_SCAN_PPI} dpi is needed).`);
      }
    }
    const deadline = Date.now() + timeoutMs;
    const left = () => {
      const ms = deadline - Date.now();
      if (ms <= 0) throw new ExtractError('too_large', `Reading the scanned pages took longer than ${Math.round(timeoutMs / 1000)} s; it was stopped.`);
      return ms;
    };
    const workers = Math.max(1, Math.min(pages.length, Number(process.env[OCR_CONCURRENCY_ENV]) || availableParallelism()));
    const out: OcrPage[] = [];
    for (let c = 0; c < pages.length; c += CHUNK) out.push(...(await ocrChunk(tools, file, dir, pages.slice(c, c + CHUNK), c === 0, workers, left, images)));
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
