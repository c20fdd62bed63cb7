/**
 * The default PDF engine: PDFium (BSD-3/Apache-2) compiled to WebAssembly, as shipped by the npm
 * package `@hyzyla/pdfium` (MIT wrapper). pdf.js (`NIANBAO_PDF_ENGINE=pdfjs`, load.ts) is the
 * reference the tests pin against; both give the same records. Measurements: doc/pdf-engines.md.
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
import { ExtractError, TooComplexError } from '../errors.js';
import { findFrames } from './frames.js';
import { IDENTITY, type Matrix, compose, isPositive, matrix } from './geometry.js';
import { CLOSE, CURVE, LINE, MOVE, OPS, PathCollector, RunCollector, asWritten } from './glyph-runs.js';
import { INVALID_PDF_STRUCTURE, type PageContent, type ReadOptions, type ReadResult } from './read-types.js';
import { pageRules } from './rulings.js';
import { pageTextPieces } from './text-items.js';
import { pdfMemoryMb } from './engine.js';
import { emptyPacked } from '../../normalize/arrays.js';

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
const FPDF_ERR_FORMAT = 3;
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

/** Loaded on first use only: a run on another engine does not pay for compiling PDFium's wasm. */
const PACKAGE = '@hyzyla/pdfium';
/** A wasm page (the unit of a memory's size). */
const WASM_PAGE = 65_536;
/**
 * An instance whose memory grew past this is dropped after its document (the next one gets a
 * fresh instance, ~60 ms): wasm memory never shrinks, and a thread would otherwise keep one
 * greedy document's high-water mark for as long as it lives.
 */
const RELEASE_ABOVE_BYTES = 256 * 2 ** 20;

interface Engine {
  f: Fpdf;
  /** 64 bytes of wasm memory for out-parameters. */
  scratch: number;
  /** Set when the instance was refused memory (the cap): what it read since is not to be trusted. */
  refused: boolean;
  /** Set when a call trapped or was refused memory: the instance is dropped once the document is done. */
  spoiled: boolean;
}

type InstantiateWasm = (imports: WebAssembly.Imports, done: (instance: WebAssembly.Instance, module: WebAssembly.Module) => void) => WebAssembly.Exports;
interface PdfiumPackage {
  PDFiumLibrary: { init(options?: { instantiateWasm?: InstantiateWasm }): Promise<{ module: { wasmExports: Fpdf } }> };
}

/** The thread's instance: the module it was made from, and the engine once it is ready. */
let engine: { module: WebAssembly.Module; engine: Promise<Engine>; ready?: Engine } | null = null;
let compiled: { memoryMb: number; module: Promise<WebAssembly.Module> } | null = null;
/** The module the thread that started this one compiled (usePdfiumModule). */
let given: WebAssembly.Module | null = null;

/**
 * PDFium's wasm compiled (not instantiated), once per process and memory cap. A compiled module
 * can be handed to worker threads (`workerData`, postMessage): V8 then shares its machine code
 * between the threads instead of each compiling the 4 MB module and tiering up its hot functions
 * again. The cap is written into the module (capWasmMemory), so every instance of it has it.
 */
export function compilePdfium(memoryMb: number = pdfMemoryMb()): Promise<WebAssembly.Module> {
  if (compiled?.memoryMb !== memoryMb) {
    const module = readFile(createRequire(import.meta.url).resolve(`${PACKAGE}/pdfium.wasm`)).then((bytes) => WebAssembly.compile(capWasmMemory(bytes, memoryMb)));
    compiled = { memoryMb, module };
  }
  return compiled.module;
}

/**
 * Instantiate PDFium from this module (compiled by the thread that started this one) instead of
 * compiling it here. Every task brings the module again, and each arrival is a new object for
 * the same code: only the first is kept, or each document would instantiate PDFium anew.
 */
export function usePdfiumModule(module: WebAssembly.Module): void {
  given ??= module;
}

export function isPdfiumInstalled(): Promise<boolean> {
  return loadPdfium().then(() => true, () => false);
}

/** PDFium, loaded and initialized on first use; a clear failure when the package is not installed. */
export async function loadPdfium(): Promise<Engine> {
  const module = given ?? (await compilePdfium().catch((err: unknown) => { compiled = null; throw notInstalled(err); }));
  if (engine?.module !== module) {
    const holder: NonNullable<typeof engine> = { module, engine: instantiate(module).then((e) => (holder.ready = e)) };
    engine = holder;
  }
  const current = engine;
  const e = await current.engine.catch((err: unknown) => {
    if (engine === current) engine = null;
    throw notInstalled(err);
  });
  // Spoiled while this call waited (another document's read, in place): take a fresh one.
  if (!e.spoiled && !e.refused) return e;
  dropEngine(e);
  return loadPdfium();
}

function notInstalled(err: unknown): Error {
  return new Error(`The PDF engine PDFium needs the npm package "@hyzyla/pdfium" (npm install): ${err instanceof Error ? err.message : String(err)}`);
}

/** Emscripten's lines when the cap refuses a growth: expected, and the record says so; printing them would only repeat it. */
const GROWTH_MESSAGE = /^(growMemory: Attempted to grow heap|Cannot enlarge memory|Failed to grow the heap)/;

async function instantiate(module: WebAssembly.Module): Promise<Engine> {
  const m = (await import(PACKAGE)) as PdfiumPackage;
  const state = { refused: false };
  // The glue binds its error printer to console.error early in init, before it instantiates the
  // wasm: a filter in its place until then stays the instance's printer (and passes on all else).
  const print = console.error;
  const quiet = (...args: unknown[]) => {
    const line = typeof args[0] === 'string' ? args[0] : '';
    // PDFium aborts when an allocation fails: after a refusal, that is the cap too.
    if (!GROWTH_MESSAGE.test(line) && !(state.refused && line.startsWith('Aborted('))) print(...args);
  };
  const restore = () => {
    if (console.error === quiet) console.error = print;
  };
  console.error = quiet;
  try {
    const lib = await m.PDFiumLibrary.init({
      instantiateWasm: (imports, done) => {
        restore();
        // Every growth of the heap goes through this import (sbrk): a refusal is the memory cap's.
        const env = imports.env as Record<string, (...a: number[]) => number>;
        const resize = env.emscripten_resize_heap!;
        env.emscripten_resize_heap = (requested: number) => {
          const ok = resize(requested);
          if (!ok) state.refused = true;
          return ok;
        };
        done(new WebAssembly.Instance(module, imports), module);
        return {};
      },
    });
    const f = lib.module.wasmExports;
    return { f, scratch: f.malloc(64), spoiled: false, get refused() { return state.refused; } };
  } finally {
    restore();
  }
}

/**
 * The wasm binary with its memory's maximum set to `memoryMb` (never below its initial size):
 * the thread's heap cap (resourceLimits) does not cover wasm memory, so this is PDFium's bound.
 * The module defines its memory (emscripten, growable to 2 GB): its memory section is rewritten.
 */
export function capWasmMemory(bytes: Uint8Array, memoryMb: number): Uint8Array<ArrayBuffer> {
  let p = 8; // magic and version
  while (p < bytes.length) {
    const id = bytes[p]!;
    const size = readLeb(bytes, p + 1);
    const body = size.next;
    if (id === 5) {
      const count = readLeb(bytes, body);
      if (count.value !== 1) break;
      const flags = bytes[count.next]!;
      const initial = readLeb(bytes, count.next + 1);
      // Flags 0 (no maximum) or 1 (a maximum); shared or 64-bit memories are not rewritten.
      if (flags > 1) break;
      const after = flags === 1 ? readLeb(bytes, initial.next).next : initial.next;
      const maxPages = Math.max(initial.value, Math.floor((memoryMb * 2 ** 20) / WASM_PAGE));
      const section = [...writeLeb(1), 1, ...writeLeb(initial.value), ...writeLeb(maxPages)];
      if (after !== body + size.value) break;
      const out = new Uint8Array(bytes.length - (after - p) + 1 + writeLeb(section.length).length + section.length);
      out.set(bytes.subarray(0, p));
      out.set([5, ...writeLeb(section.length), ...section], p);
      out.set(bytes.subarray(after), p + 1 + writeLeb(section.length).length + section.length);
      return out;
    }
    p = body + size.value;
  }
  throw new Error('PDFium\'s wasm has no memory section of the expected form: its memory cannot be capped');
}

function readLeb(bytes: Uint8Array, at: number): { value: number; next: number } {
  let value = 0;
  let shift = 0;
  let p = at;
  for (;;) {
    const b = bytes[p++]!;
    value += (b & 0x7f) * 2 ** shift;
    shift += 7;
    if (!(b & 0x80)) return { value, next: p };
  }
}

function writeLeb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n % 128;
    n = Math.floor(n / 128);
    if (n) b |= 0x80;
    out.push(b);
  } while (n);
  return out;
}

/**
 * Views of the scratch area; made again when the wasm memory has grown (its buffer is replaced).
 * Made in the constructor: left to the first views() of each document, the remaking deoptimized
 * the readers that inline views() once they were optimized (doc/jit-warm-up.md).
 */
class Scratch {
  private buffer: ArrayBuffer;
  f32: Float32Array;
  f64: Float64Array;
  i32: Int32Array;
  constructor(private readonly e: Engine) {
    const buffer = e.f.memory.buffer;
    this.buffer = buffer;
    this.f32 = new Float32Array(buffer, e.scratch, 16);
    this.f64 = new Float64Array(buffer, e.scratch, 8);
    this.i32 = new Int32Array(buffer, e.scratch, 16);
  }
  views(): this {
    const buffer = this.e.f.memory.buffer;
    if (buffer !== this.buffer) this.remake(buffer);
    return this;
  }
  private remake(buffer: ArrayBuffer): void {
    this.buffer = buffer;
    this.f32 = new Float32Array(buffer, this.e.scratch, 16);
    this.f64 = new Float64Array(buffer, this.e.scratch, 8);
    this.i32 = new Int32Array(buffer, this.e.scratch, 16);
  }
}

/** Read the first `maxPages` pages with PDFium: the same result readPdf gives with pdf.js. */
export async function readPdfPdfium(bytes: Uint8Array, opts: ReadOptions): Promise<ReadResult> {
  const e = await loadPdfium();
  try {
    return await readDocument(e, bytes, opts);
  } catch (err) {
    if (err instanceof WebAssembly.RuntimeError) {
      e.spoiled = true;
      // A trap after a refused growth is PDFium failing to allocate (its allocator aborts).
      if (!e.refused) throw new ExtractError('corrupt', `The PDF could not be parsed (pdfium stopped: ${err.message}).`, { cause: err });
    }
    if (e.refused) throw overMemory();
    throw err;
  } finally {
    if (e.spoiled || e.refused || e.f.memory.buffer.byteLength > RELEASE_ABOVE_BYTES) dropEngine(e);
  }
}

function overMemory(): TooComplexError {
  const mb = pdfMemoryMb();
  return new TooComplexError('memoryMb', mb, `Reading the PDF needed more than ${mb} MB of memory and was stopped (limit memoryMb).`);
}

/** Forget this instance (its memory goes with it): the next document instantiates the module again. */
function dropEngine(e: Engine): void {
  if (engine?.ready === e) engine = null;
}

async function readDocument(e: Engine, bytes: Uint8Array, opts: ReadOptions): Promise<ReadResult> {
  const { f } = e;
  // PDFium reads the file lazily from this memory: it stays allocated until the document closes.
  const data = f.malloc(bytes.length);
  if (!data) throw overMemory();
  new Uint8Array(f.memory.buffer, data, bytes.length).set(bytes);
  let doc = 0;
  try {
    doc = f.FPDF_LoadMemDocument(data, bytes.length, 0);
    // A growth refused while loading may leave PDFium with a partial document: not to be read.
    if (e.refused) throw overMemory();
    if (!doc) {
      const code = f.FPDF_GetLastError();
      if (code === FPDF_ERR_PASSWORD) throw new ExtractError('encrypted', 'The PDF is encrypted with an open password; it cannot be read without it.');
      if (code === FPDF_ERR_FORMAT) throw new ExtractError('corrupt', INVALID_PDF_STRUCTURE);
      throw new ExtractError('corrupt', `The PDF could not be parsed (pdfium: ${LOAD_ERRORS[code] ?? `error ${code}`}).`);
    }
    const numPages = f.FPDF_GetPageCount(doc);
    const n = Math.min(numPages, opts.maxPages);
    const started = performance.now();
    const scratch = new Scratch(e);
    const pages = emptyPacked<PageContent>();
    const broken: number[] = [];
    for (let i = 1; i <= n; i++) {
      // PDFium reads a page synchronously: the limit is checked between pages (the pool's
      // thread, stopped at its time limit, is the hard stop, as with pdf.js).
      if (performance.now() - started > opts.timeoutMs) {
        throw new ExtractError('too_large', `Reading the PDF took longer than ${Math.round(opts.timeoutMs / 1000)} s; it was stopped.`);
      }
      const page = readPage(f, scratch, doc, i);
      // A page PDFium could not allocate for would otherwise look damaged, or short of objects.
      if (e.refused) throw overMemory();
      if (page) pages.push(page);
      else broken.push(i);
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    if (!pages.length && broken.length) throw new ExtractError('corrupt', 'The PDF could not be parsed (pdfium: no page could be loaded).');
    return { pages, numPages, broken };
  } catch (err) {
    if (err instanceof WebAssembly.RuntimeError) e.spoiled = true;
    throw err;
  } finally {
    // A trapped or starved instance is dropped whole; closing its document could trap again.
    if (!e.spoiled && !e.refused) {
      if (doc) f.FPDF_CloseDocument(doc);
      f.free(data);
    }
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
    transform: matrix(a, b, c, d, offX - a * cx - c * cy, offY - b * cx - d * cy),
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
    // A page without text has no frames, in a list of the kind findFrames gives (doc/jit-warm-up.md).
    let frames: PageContent['frames'] = emptyPacked();
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
      const glyph = matrix(a * size, b * size, c * size, d * size, v.f64[4]!, v.f64[5]!);
      // The loose box spans the origin to the advance scaled by the matrix's `a` (PDFium's
      // GetCharLooseBounds); on text turned a quarter (a = 0) it has no width: one em is assumed.
      const advance = Math.abs(a) > 1e-6 && isPositive(size) ? Math.abs((v.f32[14]! - v.f32[12]!) / (a * size)) : 1;
      runs.glyph(font, compose(viewport, glyph), advance, unicode, 0);
      if (unicode > 0xffff) i++;
    }
    runs.flush();
    return runs.items;
  } finally {
    f.FPDFText_ClosePage(text);
  }
}

// OPS's paint codes as constants: a branch a page rarely takes (a stroke-only path) read
// `OPS.stroke` without type feedback and deoptimized collectPaths (doc/jit-warm-up.md).
const { stroke: STROKE, fill: FILL, eoFill: EO_FILL, fillStroke: FILL_STROKE, eoFillStroke: EO_FILL_STROKE } = OPS;

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
    const m = matrix(v[0]!, v[1]!, v[2]!, v[3]!, v[4]!, v[5]!);
    if (type === FPDF_PAGEOBJ_FORM) {
      if (depth < MAX_FORM_DEPTH) collectPaths(f, s, page, obj, compose(ctm, m), out, depth + 1);
      continue;
    }
    if (!f.FPDFPath_GetDrawMode(obj, base, base + 4)) continue;
    const fillMode = s.views().i32[0]!;
    const stroke = s.views().i32[1] !== 0;
    const paint = fillMode
      ? (stroke ? (fillMode === FPDF_FILLMODE_ALTERNATE ? EO_FILL_STROKE : FILL_STROKE) : (fillMode === FPDF_FILLMODE_ALTERNATE ? EO_FILL : FILL))
      : (stroke ? STROKE : 0);
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
