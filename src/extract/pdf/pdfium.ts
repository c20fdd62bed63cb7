/**
 * A second PDF engine: PDFium (BSD-3/Apache-2) compiled to WebAssembly, as shipped by the npm
 * package `@hyzyla/pdfium` (MIT wrapper), chosen with `NIANBAO_PDF_ENGINE=pdfium`. pdf.js stays
 * the default and the engine the tests pin against. Measurements: doc/pdf-engines.md.
 *
 * PDFium's C API is called directly through the module's raw WebAssembly exports (the wrapper's
 * own page and object classes do not reach the per-character data). Text comes from PDFium's
 * text page, one character at a time (origin, matrix, font size, the advance from its loose
 * box), joined into runs as pdf.js joins its text items (glyph-runs.ts); rules come from the
 * page's path objects, form XObjects walked into, written as a pdf.js-shaped operator list for
 * rulings.ts. Everything after reading is the same code for every engine.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { ExtractError } from '../errors.js';
import { findFrames } from './frames.js';
import { IDENTITY, type Matrix, compose } from './geometry.js';
import { CLOSE, CURVE, LINE, MOVE, OPS, PathCollector, RunCollector, asWritten } from './glyph-runs.js';
import type { PageContent, ReadOptions, ReadResult } from './read-types.js';
import { pageRules } from './rulings.js';
import { pageTextPieces } from './text-items.js';

/** The PDFium functions used here (fpdfview.h, fpdf_text.h, fpdf_edit.h), as raw wasm exports. */
interface Fpdf {
  memory: WebAssembly.Memory;
  malloc(size: number): number;
  free(ptr: number): void;
  FPDF_LoadMemDocument(data: number, size: number, password: number): number;
  FPDF_GetLastError(): number;
  FPDF_CloseDocument(doc: number): void;
  FPDF_GetPageCount(doc: number): number;
  FPDF_LoadPage(doc: number, index: number): number;
  FPDF_ClosePage(page: number): void;
  FPDF_GetPageBoundingBox(page: number, rect: number): number;
  FPDFPage_GetRotation(page: number): number;
  FPDFText_LoadPage(page: number): number;
  FPDFText_ClosePage(text: number): void;
  FPDFText_CountChars(text: number): number;
  FPDFText_GetUnicode(text: number, i: number): number;
  FPDFText_IsGenerated(text: number, i: number): number;
  FPDFText_GetTextObject(text: number, i: number): number;
  FPDFText_GetFontSize(text: number, i: number): number;
  FPDFText_GetMatrix(text: number, i: number, matrix: number): number;
  FPDFText_GetCharOrigin(text: number, i: number, x: number, y: number): number;
  FPDFText_GetLooseCharBox(text: number, i: number, rect: number): number;
  FPDFTextObj_GetFont(obj: number): number;
  FPDFPage_CountObjects(page: number): number;
  FPDFPage_GetObject(page: number, i: number): number;
  FPDFFormObj_CountObjects(form: number): number;
  FPDFFormObj_GetObject(form: number, i: number): number;
  FPDFPageObj_GetType(obj: number): number;
  FPDFPageObj_GetMatrix(obj: number, matrix: number): number;
  FPDFPageObj_GetStrokeWidth(obj: number, width: number): number;
  FPDFPath_GetDrawMode(obj: number, fillMode: number, stroke: number): number;
  FPDFPath_CountSegments(obj: number): number;
  FPDFPath_GetPathSegment(obj: number, i: number): number;
  FPDFPathSegment_GetPoint(seg: number, x: number, y: number): number;
  FPDFPathSegment_GetType(seg: number): number;
  FPDFPathSegment_GetClose(seg: number): number;
}

// fpdfview.h / fpdf_edit.h constants.
const FPDF_ERR_PASSWORD = 4;
/** FPDF_GetLastError's codes, as fpdfview.h explains them. */
const LOAD_ERRORS: Record<number, string> = {
  1: 'unknown error', 2: 'file not found or could not be opened', 3: 'not in PDF format or corrupted',
  4: 'password required', 5: 'unsupported security scheme', 6: 'page not found or content error',
};
const FPDF_PAGEOBJ_PATH = 2;
const FPDF_PAGEOBJ_FORM = 5;
const FPDF_SEGMENT_LINETO = 0;
const FPDF_SEGMENT_BEZIERTO = 1;
const FPDF_SEGMENT_MOVETO = 2;
const FPDF_FILLMODE_ALTERNATE = 1;
/** Form XObjects inside form XObjects: deeper nesting than this is not walked (a loop guard). */
const MAX_FORM_DEPTH = 12;

/** Loaded on first use only: a run on pdf.js does not pay for compiling PDFium's wasm. */
const PACKAGE = '@hyzyla/pdfium';

interface Engine {
  f: Fpdf;
  /** 64 bytes of wasm memory for out-parameters. */
  scratch: number;
}

type InstantiateWasm = (imports: WebAssembly.Imports, done: (instance: WebAssembly.Instance, module: WebAssembly.Module) => void) => WebAssembly.Exports;
interface PdfiumPackage {
  PDFiumLibrary: { init(options?: { instantiateWasm?: InstantiateWasm }): Promise<{ module: { wasmExports: Fpdf } }> };
}

let engine: Promise<Engine> | null = null;
let compiled: Promise<WebAssembly.Module> | null = null;

/**
 * PDFium's wasm compiled (not instantiated), once per process. A compiled module can be handed
 * to worker threads (`workerData`, postMessage): V8 then shares its machine code between the
 * threads instead of each compiling the 4 MB module and tiering up its hot functions again.
 */
export function compilePdfium(): Promise<WebAssembly.Module> {
  compiled ??= readFile(createRequire(import.meta.url).resolve(`${PACKAGE}/pdfium.wasm`)).then((bytes) => WebAssembly.compile(bytes));
  return compiled;
}

/** Instantiate PDFium from this module (compiled by the thread that started this one) instead of compiling it here. */
export function usePdfiumModule(module: WebAssembly.Module): void {
  if (!engine) compiled = Promise.resolve(module);
}

export function isPdfiumInstalled(): Promise<boolean> {
  return loadPdfium().then(() => true, () => false);
}

/** PDFium, loaded and initialized on first use; a clear failure when the package is not installed. */
export function loadPdfium(): Promise<Engine> {
  engine ??= (import(PACKAGE) as Promise<PdfiumPackage>)
    .then(async (m) => {
      const module = await compilePdfium();
      const lib = await m.PDFiumLibrary.init({
        instantiateWasm: (imports, done) => {
          done(new WebAssembly.Instance(module, imports), module);
          return {};
        },
      });
      const f = lib.module.wasmExports;
      return { f, scratch: f.malloc(64) };
    })
    .catch((err: unknown) => {
      engine = null;
      compiled = null;
      throw new Error(`NIANBAO_PDF_ENGINE=pdfium needs the npm package "@hyzyla/pdfium" (npm install): ${err instanceof Error ? err.message : String(err)}`);
    });
  return engine;
}

/** Views of the scratch area; made again when the wasm memory has grown (its buffer is replaced). */
class Scratch {
  private buffer: ArrayBuffer | null = null;
  f32!: Float32Array;
  f64!: Float64Array;
  i32!: Int32Array;
  constructor(private readonly e: Engine) {}
  views(): this {
    const buffer = this.e.f.memory.buffer;
    if (buffer !== this.buffer) {
      this.buffer = buffer;
      this.f32 = new Float32Array(buffer, this.e.scratch, 16);
      this.f64 = new Float64Array(buffer, this.e.scratch, 8);
      this.i32 = new Int32Array(buffer, this.e.scratch, 16);
    }
    return this;
  }
}

/** Read the first `maxPages` pages with PDFium: the same result readPdf gives with pdf.js. */
export async function readPdfPdfium(bytes: Uint8Array, opts: ReadOptions): Promise<ReadResult> {
  const e = await loadPdfium();
  const { f } = e;
  // PDFium reads the file lazily from this memory: it stays allocated until the document closes.
  const data = f.malloc(bytes.length);
  if (!data) throw new ExtractError('too_large', 'The PDF is too large to be read.');
  new Uint8Array(f.memory.buffer, data, bytes.length).set(bytes);
  const doc = f.FPDF_LoadMemDocument(data, bytes.length, 0);
  try {
    if (!doc) {
      const code = f.FPDF_GetLastError();
      if (code === FPDF_ERR_PASSWORD) throw new ExtractError('encrypted', 'The PDF is encrypted with an open password; it cannot be read without it.');
      throw new ExtractError('corrupt', `The PDF could not be parsed (pdfium: ${LOAD_ERRORS[code] ?? `error ${code}`}).`);
    }
    const numPages = f.FPDF_GetPageCount(doc);
    const n = Math.min(numPages, opts.maxPages);
    const started = performance.now();
    const scratch = new Scratch(e);
    const pages: PageContent[] = [];
    const broken: number[] = [];
    for (let i = 1; i <= n; i++) {
      // PDFium reads a page synchronously: the limit is checked between pages (the worker
      // process of the queue is the hard stop, as with pdf.js).
      if (performance.now() - started > opts.timeoutMs) {
        throw new ExtractError('too_large', `Reading the PDF took longer than ${Math.round(opts.timeoutMs / 1000)} s; it was stopped.`);
      }
      const page = readPage(f, scratch, doc, i);
      if (page) pages.push(page);
      else broken.push(i);
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    if (!pages.length && broken.length) throw new ExtractError('corrupt', 'The PDF could not be parsed (pdfium: no page could be loaded).');
    return { pages, numPages, broken };
  } finally {
    if (doc) f.FPDF_CloseDocument(doc);
    f.free(data);
  }
}

/**
 * PDF user space → display space for a page box and /Rotate (quarter turns clockwise): pdf.js's
 * PageViewport at scale 1, so that coordinates match the default engine's.
 */
export function pageViewport(x0: number, y0: number, x1: number, y1: number, quarterTurns: number): { transform: Matrix; width: number; height: number } {
  const cx = (x0 + x1) / 2;
  const cy = (y0 + y1) / 2;
  const [a, b, c, d] = ([[1, 0, 0, -1], [0, 1, 1, 0], [-1, 0, 0, 1], [0, -1, -1, 0]] as const)[((quarterTurns % 4) + 4) % 4]!;
  const sideways = a === 0;
  const offX = sideways ? Math.abs(cy - y0) : Math.abs(cx - x0);
  const offY = sideways ? Math.abs(cx - x0) : Math.abs(cy - y0);
  return {
    transform: [a, b, c, d, offX - a * cx - c * cy, offY - b * cx - d * cy],
    width: sideways ? y1 - y0 : x1 - x0,
    height: sideways ? x1 - x0 : y1 - y0,
  };
}

function readPage(f: Fpdf, s: Scratch, doc: number, number: number): PageContent | null {
  const page = f.FPDF_LoadPage(doc, number - 1);
  if (!page) return null;
  try {
    // The crop box within the media box, as pdf.js's `view` (FS_RECTF: left, top, right, bottom).
    f.FPDF_GetPageBoundingBox(page, s.views().f32.byteOffset);
    const r = s.views().f32;
    const [left, top, right, bottom] = [asWritten(r[0]!), asWritten(r[1]!), asWritten(r[2]!), asWritten(r[3]!)];
    const vp = pageViewport(Math.min(left, right), Math.min(top, bottom), Math.max(left, right), Math.max(top, bottom), f.FPDFPage_GetRotation(page));
    const pieces = pageTextPieces(pageRuns(f, s, page, vp.transform), IDENTITY);
    let frames: PageContent['frames'] = [];
    if (pieces.length) {
      const paths = new PathCollector();
      collectPaths(f, s, page, -1, vp.transform, paths, 0);
      frames = findFrames(pageRules(paths.fnArray, paths.argsArray, OPS, IDENTITY as Matrix));
    }
    return { number, width: vp.width, height: vp.height, pieces, frames };
  } finally {
    f.FPDF_ClosePage(page);
  }
}

/** The page's characters (PDFium's text page, its generated spaces and line ends left out) as runs. */
function pageRuns(f: Fpdf, s: Scratch, page: number, viewport: Matrix): RunCollector['items'] {
  const text = f.FPDFText_LoadPage(page);
  const runs = new RunCollector();
  if (!text) return runs.items;
  try {
    const base = s.views().f32.byteOffset;
    const count = f.FPDFText_CountChars(text);
    let lastObj = 0;
    let font = 0;
    for (let i = 0; i < count; i++) {
      if (f.FPDFText_IsGenerated(text, i)) continue;
      let unicode = f.FPDFText_GetUnicode(text, i);
      // A character outside the BMP comes as two UTF-16 halves, the second one at the same place.
      if (unicode >= 0xd800 && unicode < 0xdc00 && i + 1 < count) {
        const low = f.FPDFText_GetUnicode(text, i + 1);
        if (low >= 0xdc00 && low < 0xe000) unicode = 0x10000 + ((unicode - 0xd800) << 10) + (low - 0xdc00);
      }
      const obj = f.FPDFText_GetTextObject(text, i);
      if (obj !== lastObj) {
        lastObj = obj;
        font = obj ? f.FPDFTextObj_GetFont(obj) : 0;
      }
      const size = f.FPDFText_GetFontSize(text, i);
      f.FPDFText_GetMatrix(text, i, base);
      f.FPDFText_GetCharOrigin(text, i, base + 32, base + 40);
      f.FPDFText_GetLooseCharBox(text, i, base + 48);
      const v = s.views();
      const [a, b, c, d] = [v.f32[0]!, v.f32[1]!, v.f32[2]!, v.f32[3]!];
      const glyph: Matrix = [a * size, b * size, c * size, d * size, v.f64[4]!, v.f64[5]!];
      // The loose box spans the origin to the advance scaled by the matrix's `a` (PDFium's
      // GetCharLooseBounds); on text turned a quarter (a = 0) it has no width: one em is assumed.
      const advance = Math.abs(a) > 1e-6 && size > 0 ? Math.abs((v.f32[14]! - v.f32[12]!) / (a * size)) : 1;
      runs.glyph(font, compose(viewport, glyph), advance, unicode, 0);
      if (unicode > 0xffff) i++;
    }
    runs.flush();
    return runs.items;
  } finally {
    f.FPDFText_ClosePage(text);
  }
}

/** Paths filled or stroked on the page (`form` -1) or in a form XObject, walked into, as operator-list entries. */
function collectPaths(f: Fpdf, s: Scratch, page: number, form: number, ctm: Matrix, out: PathCollector, depth: number): void {
  const base = s.views().f32.byteOffset;
  const n = form < 0 ? f.FPDFPage_CountObjects(page) : f.FPDFFormObj_CountObjects(form);
  for (let i = 0; i < n; i++) {
    const obj = form < 0 ? f.FPDFPage_GetObject(page, i) : f.FPDFFormObj_GetObject(form, i);
    if (!obj) continue;
    const type = f.FPDFPageObj_GetType(obj);
    if (type !== FPDF_PAGEOBJ_PATH && type !== FPDF_PAGEOBJ_FORM) continue;
    if (!f.FPDFPageObj_GetMatrix(obj, base)) continue;
    const v = s.views().f32;
    const m: Matrix = [v[0]!, v[1]!, v[2]!, v[3]!, v[4]!, v[5]!];
    if (type === FPDF_PAGEOBJ_FORM) {
      if (depth < MAX_FORM_DEPTH) collectPaths(f, s, page, obj, compose(ctm, m), out, depth + 1);
      continue;
    }
    if (!f.FPDFPath_GetDrawMode(obj, base, base + 4)) continue;
    const fillMode = s.views().i32[0]!;
    const stroke = s.views().i32[1] !== 0;
    const paint = fillMode
      ? (stroke ? (fillMode === FPDF_FILLMODE_ALTERNATE ? OPS.eoFillStroke : OPS.fillStroke) : (fillMode === FPDF_FILLMODE_ALTERNATE ? OPS.eoFill : OPS.fill))
      : (stroke ? OPS.stroke : 0);
    if (!paint) continue;
    const lineWidth = f.FPDFPageObj_GetStrokeWidth(obj, base) ? s.views().f32[0]! : 1;
    out.add(pathData(f, s, obj), compose(ctm, m), paint, lineWidth);
  }
}

/** A path object's segments in DrawOPS codes (glyph-runs.ts); PDFium stores a Bézier as three BEZIERTO points. */
function pathData(f: Fpdf, s: Scratch, obj: number): number[] {
  const base = s.views().f32.byteOffset;
  const d: number[] = [];
  const bezier: number[] = [];
  const n = f.FPDFPath_CountSegments(obj);
  for (let j = 0; j < n; j++) {
    const seg = f.FPDFPath_GetPathSegment(obj, j);
    if (!seg || !f.FPDFPathSegment_GetPoint(seg, base, base + 4)) return d;
    const x = s.views().f32[0]!;
    const y = s.views().f32[1]!;
    const type = f.FPDFPathSegment_GetType(seg);
    if (type === FPDF_SEGMENT_MOVETO) d.push(MOVE, x, y);
    else if (type === FPDF_SEGMENT_LINETO) d.push(LINE, x, y);
    else if (type === FPDF_SEGMENT_BEZIERTO) {
      bezier.push(x, y);
      if (bezier.length < 6) continue;
      d.push(CURVE, ...bezier);
      bezier.length = 0;
    } else return d;
    if (f.FPDFPathSegment_GetClose(seg)) d.push(CLOSE);
  }
  return d;
}
