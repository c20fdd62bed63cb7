/**
 * Opening a PDF with pdf.js (legacy build, for Node), and reading each page's text items and
 * rules. pdf.js runs in this thread ("fake worker"): no worker file to ship, and a document's
 * memory is released by `destroy()`. Images are never decoded (`maxImageSize: 0`): the text
 * layer and the vector rules are all this adapter reads, and decoding scans and seals would be
 * most of the work.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { PDFDocumentLoadingTask, PDFDocumentProxy } from 'pdfjs-dist/types/src/display/api.js';
import { ExtractError } from '../errors.js';
import { installSyncInflate } from './inflate.js';
import { keepingNatives } from './natives.js';
import type { Matrix } from './geometry.js';
import { type Frame, findFrames } from './frames.js';
import { type OpCodes, pageRules } from './rulings.js';
import { pageTextPieces } from './text-items.js';
import { readPdfMupdf } from './mupdf.js';
import { readPdfPdfium } from './pdfium.js';
import { pdfEngine } from './engine.js';
import { INVALID_PDF_STRUCTURE, type PageContent, type ReadOptions, type ReadResult } from './read-types.js';

export type { PageContent, ReadOptions, ReadResult } from './read-types.js';
export { pdfEngine } from './engine.js';

type Pdfjs = typeof import('pdfjs-dist');

let module: Promise<Pdfjs> | null = null;

/**
 * pdf.js, loaded on first use, with its worker code in this thread: pdf.js picks up
 * `globalThis.pdfjsWorker` instead of importing the worker file itself, so both imports happen
 * here, where the built-ins their polyfills replace are put back (see natives.ts).
 */
export function pdfjs(): Promise<Pdfjs> {
  module ??= keepingNatives(async () => {
    const lib = (await import('pdfjs-dist/legacy/build/pdf.mjs')) as unknown as Pdfjs;
    const g = globalThis as { pdfjsWorker?: unknown };
    // @ts-expect-error -- the worker module has no type declarations
    g.pdfjsWorker ??= await import('pdfjs-dist/legacy/build/pdf.worker.mjs');
    // pdf.js inflates through the global DecompressionStream: zlib, synchronously (inflate.ts).
    installSyncInflate();
    return lib;
  }).then((r) => r.value);
  return module;
}

/** The package's data folders as paths (pdf.js on Node reads them with fs, so not file: URLs). */
function dataDirs(): { cMapUrl: string; standardFontDataUrl: string; wasmUrl: string; iccUrl: string } {
  const root = dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json'));
  const dir = (name: string) => `${join(root, name)}/`;
  return { cMapUrl: dir('cmaps'), standardFontDataUrl: dir('standard_fonts'), wasmUrl: dir('wasm'), iccUrl: dir('iccs') };
}

let dirs: ReturnType<typeof dataDirs> | null = null;

/**
 * The document pdf.js "loads fonts into". Nothing is ever drawn, but with `disableFontFace`
 * pdf.js compiles the outline of every glyph shown on a page into a path and posts it to this
 * thread (a quarter of a PDF's CPU, measured over the samples): with font faces enabled it only
 * hands each font once to its font loader, which on Node inserts a CSS rule into this
 * document's style sheet — here a sheet that keeps nothing. Text content and operator lists
 * are the same either way (records byte-identical).
 */
const headlessDocument = {
  createElement: () => ({ sheet: { cssRules: [], insertRule: () => 0 }, remove: () => undefined }),
  documentElement: { getElementsByTagName: () => [{ append: () => undefined }] },
};

/** Map a pdf.js failure to the reason a researcher needs. */
export function classifyPdfError(err: unknown): ExtractError {
  if (err instanceof ExtractError) return err;
  const name = (err as { name?: string } | null)?.name ?? '';
  const message = err instanceof Error ? err.message : String(err);
  if (name === 'PasswordException') {
    return new ExtractError('encrypted', 'The PDF is encrypted with an open password; it cannot be read without it.', { cause: err });
  }
  if (name === 'InvalidPDFException') return new ExtractError('corrupt', INVALID_PDF_STRUCTURE, { cause: err });
  return new ExtractError('corrupt', `The PDF could not be parsed (${name || 'error'}: ${message}).`, { cause: err });
}

/** Read the first `maxPages` pages of a PDF: text pieces and table frames of each. */
export async function readPdf(bytes: Uint8Array, opts: ReadOptions): Promise<ReadResult> {
  const engine = pdfEngine();
  if (engine === 'pdfium') return readPdfPdfium(bytes, opts);
  if (engine !== 'pdfjs') {
    const read = await readPdfMupdf(bytes, opts, { decline: engine === 'auto' });
    if (read) return read;
  }
  const lib = await pdfjs();
  dirs ??= dataDirs();
  // pdf.js takes ownership of (and may detach) the buffer it is given: hand it a copy.
  const task = lib.getDocument({
    data: new Uint8Array(bytes),
    ...dirs,
    cMapPacked: true,
    isEvalSupported: false,
    disableFontFace: false,
    ownerDocument: headlessDocument as unknown as Document,
    useSystemFonts: false,
    maxImageSize: 0,
    isOffscreenCanvasSupported: false,
    isImageDecoderSupported: false,
    verbosity: 0,
  });
  let expired = false;
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      expired = true;
      reject(new ExtractError('too_large', `Reading the PDF took longer than ${Math.round(opts.timeoutMs / 1000)} s; it was stopped.`));
    }, opts.timeoutMs);
  });
  const work = readPages(lib, task, opts.maxPages, () => expired);
  // Once the deadline has won, the abandoned read fails when the task is destroyed: expected.
  work.catch(() => undefined);
  try {
    return await Promise.race([work, deadline]);
  } catch (err) {
    throw classifyPdfError(err);
  } finally {
    clearTimeout(timer);
    await task.destroy().catch(() => undefined);
  }
}

/**
 * The fonts pdf.js posts to this thread are only ever "loaded" into the headless document above,
 * and loading one base64-encodes the whole font program into a CSS rule (~5% of a real report's
 * CPU). Nothing here draws, so the document's font loader is told to load nothing: the text
 * content and operator lists come from pdf.js's worker side and are the same either way. The
 * loader is pdf.js's own object (`_transport.fontLoader`, not public API): when a version of
 * pdf.js no longer has it, fonts load into the headless document as before.
 */
function skipFontLoading(doc: PDFDocumentProxy): void {
  const loader = (doc as unknown as { _transport?: { fontLoader?: { bind?: unknown } } })._transport?.fontLoader;
  if (loader && typeof loader.bind === 'function') loader.bind = markAttached;
}

async function markAttached(font: { attached?: boolean }): Promise<void> {
  font.attached = true;
}

async function readPages(lib: Pdfjs, task: PDFDocumentLoadingTask, maxPages: number, expired: () => boolean): Promise<ReadResult> {
  const doc: PDFDocumentProxy = await task.promise;
  skipFontLoading(doc);
  const ops = lib.OPS as unknown as OpCodes;
  const pages: PageContent[] = [];
  const broken: number[] = [];
  let firstError: unknown = null;
  const n = Math.min(doc.numPages, maxPages);
  for (let i = 1; i <= n; i++) {
    // pdf.js's steps are promise callbacks; with its synchronous inflate a whole document can be
    // read without the event loop turning once, and the deadline's timer would never fire.
    // Yielding a turn between pages lets it.
    await new Promise<void>((resolve) => setImmediate(resolve));
    if (expired()) break;
    try {
      pages.push(await readPage(doc, i, ops, lib.AnnotationMode.DISABLE));
    } catch (err) {
      // A damaged page (a truncated file, a broken object) costs that page, not the document.
      broken.push(i);
      firstError ??= err;
    }
  }
  if (!pages.length && firstError) throw firstError;
  return { pages, numPages: doc.numPages, broken };
}

async function readPage(doc: PDFDocumentProxy, i: number, ops: OpCodes, annotationsOff: number): Promise<PageContent> {
  const page = await doc.getPage(i);
  try {
    const viewport = page.getViewport({ scale: 1 });
    const transform = viewport.transform as unknown as Matrix;
    const content = await page.getTextContent();
    const pieces = pageTextPieces(content.items, transform);
    // A page without text has no table to read: its drawing is not needed.
    let frames: Frame[] = [];
    if (pieces.length) {
      // Annotations are left out: the text layer read above has none of their text either.
      const list = await page.getOperatorList({ annotationMode: annotationsOff });
      frames = findFrames(pageRules(list.fnArray, list.argsArray, ops, transform));
    }
    return { number: i, width: viewport.width, height: viewport.height, pieces, frames };
  } finally {
    page.cleanup();
  }
}
