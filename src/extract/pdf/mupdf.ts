/**
 * The optional second PDF engine: MuPDF's WebAssembly build (npm `mupdf`, AGPL-3.0, not a
 * dependency of nianbao: `npm install --no-save mupdf` to try it), chosen with
 * `NIANBAO_PDF_ENGINE=mupdf` (every document) or `auto` (documents pdf.js is not faster on; see
 * MupdfOptions). pdf.js stays the default and the engine the tests pin against. Measurements:
 * doc/pdf-engines.md.
 *
 * One pass of MuPDF's interpreter per page through a device that keeps two things: the glyphs
 * shown (joined into runs the way pdf.js joins its text items, then boxed by text-items.ts) and
 * the paths filled or stroked (handed to rulings.ts as a pdf.js-shaped operator list), so that
 * everything after reading — frames, cells, alignment — is the same code for both engines.
 * Page space in MuPDF is already display space (y down, origin at the top left of the page box).
 */
import { ExtractError } from '../errors.js';
import { findFrames } from './frames.js';
import { IDENTITY, type Matrix } from './geometry.js';
import type { PageContent, ReadOptions, ReadResult } from './read-types.js';
import { type OpCodes, pageRules } from './rulings.js';
import { type RawTextItem, pageTextPieces } from './text-items.js';

/**
 * The parts of MuPDF.js used here, declared locally: the package is optional, and type-checking
 * must not need it.
 */
interface MupdfFont { advanceGlyph(gid: number, wmode?: number): number }
interface MupdfTextWalker {
  beginSpan?(): void;
  showGlyph?(font: MupdfFont, trm: Mat, gid: number, unicode: number, wmode: number): void;
}
interface Owned { destroy(): void }
interface MupdfDeviceCallbacks {
  fillPath?(path: PathLike & Owned, evenOdd: boolean, ctm: Mat, colorspace: Owned): void;
  strokePath?(path: PathLike & Owned, stroke: { getLineWidth(): number } & Owned, ctm: Mat, colorspace: Owned): void;
  fillText?(text: { walk(w: MupdfTextWalker): void } & Owned, ctm: Mat, colorspace: Owned): void;
}
interface MupdfDevice { close(): void; destroy(): void }
interface MupdfPage { getBounds(): [number, number, number, number]; run(device: MupdfDevice, matrix: Mat): void; destroy(): void }
interface MupdfObject {
  isNull(): boolean;
  get(key: string): MupdfObject;
  getInheritable(key: string): MupdfObject;
  asName(): string;
  forEach(fn: (value: MupdfObject) => void): void;
}
interface MupdfDocument {
  needsPassword(): boolean;
  countPages(): number;
  loadPage(i: number): MupdfPage;
  asPDF(): { findPage(i: number): MupdfObject } | null;
  destroy(): void;
}
interface Mupdf {
  setLog(log: (message: string) => void): void;
  emptyStore(): void;
  Document: { openDocument(bytes: Uint8Array, magic: string): MupdfDocument };
  Device: new (callbacks: MupdfDeviceCallbacks) => MupdfDevice;
}

/** A specifier in a variable: the package is resolved at run time only. */
type Mat = readonly number[];

const PACKAGE = 'mupdf';

let module: Promise<Mupdf> | null = null;

/** MuPDF, loaded on first use; a clear failure when the package is not installed. */
export function isMupdfInstalled(): Promise<boolean> {
  return loadMupdf().then(() => true, () => false);
}

export function loadMupdf(): Promise<Mupdf> {
  module ??= (import(PACKAGE) as Promise<Mupdf>).then((m) => {
    // Repair notes ("trying to repair broken xref") would go to stderr; the record says what
    // could be read.
    m.setLog(() => undefined);
    return m;
  }).catch((err: unknown) => {
    module = null;
    throw new Error(`NIANBAO_PDF_ENGINE=mupdf needs the npm package "mupdf" (npm install --no-save mupdf): ${err instanceof Error ? err.message : String(err)}`);
  });
  return module;
}

/** Opcodes for the operator list built here (any distinct numbers: rulings.ts takes them as given). */
const OPS: OpCodes = {
  save: 1, restore: 2, transform: 3, setLineWidth: 4, setGState: 5, constructPath: 6, paintFormXObjectBegin: 7, paintFormXObjectEnd: 8,
  stroke: 10, closeStroke: 11, fill: 12, eoFill: 13, fillStroke: 14, eoFillStroke: 15, closeFillStroke: 16, closeEOFillStroke: 17,
};
// pdf.js DrawOPS path codes, as rulings.ts reads them.
const MOVE = 0;
const LINE = 1;
const CURVE = 2;
const CLOSE = 4;

/**
 * pdf.js's text-run joining (its getTextContent): the next glyph continues the run when it sits on
 * the same baseline no further than this many ems past the previous glyph's advance …
 */
const JOIN_MAX_GAP = 0.6;
/** … and no further back than this (a kerned overlap); a gap wider than this many ems reads as a space. */
const JOIN_MAX_BACK = 0.2;
const SPACE_GAP = 0.102;
/** How far off the baseline (ems) a glyph may be and still continue the run. */
const BASELINE_SLACK = 0.1;



const mul = (m: Mat, n: Mat): number[] => [
  m[0]! * n[0]! + m[1]! * n[2]!, m[0]! * n[1]! + m[1]! * n[3]!,
  m[2]! * n[0]! + m[3]! * n[2]!, m[2]! * n[1]! + m[3]! * n[3]!,
  m[4]! * n[0]! + m[5]! * n[2]! + n[4]!, m[4]! * n[1]! + m[5]! * n[3]! + n[5]!,
];

interface Run extends RawTextItem {
  transform: number[];
  /** Where the next glyph of this run would start (display space). */
  endX: number;
  endY: number;
  size: number;
  font: unknown;
}

/** Glyphs → runs (pdf.js-like text items), in display space. */
class RunCollector {
  readonly items: Run[] = [];
  private cur: Run | null = null;

  flush(): void {
    if (this.cur) this.items.push(this.cur);
    this.cur = null;
  }

  glyph(font: { advanceGlyph(gid: number, wmode?: number): number }, trm: Mat, ctm: Mat, gid: number, unicode: number, wmode: number): void {
    const m = mul(trm, ctm);
    const size = Math.hypot(m[2]!, m[3]!);
    const xLen = Math.hypot(m[0]!, m[1]!);
    if (!(size > 0) || !(xLen > 0)) return;
    const ux = m[0]! / xLen;
    const uy = m[1]! / xLen;
    const advance = font.advanceGlyph(gid, wmode) * (wmode ? size : xLen);
    const ch = String.fromCodePoint(unicode > 0 && unicode <= 0x10ffff ? unicode : 0xfffd);
    const cur = this.cur;
    if (cur && cur.font === font && Math.abs(cur.size - size) < 0.01 && !wmode === (cur.dir !== 'ttb')) {
      const dx = m[4]! - cur.endX;
      const dy = m[5]! - cur.endY;
      const along = wmode ? dy : dx * ux + dy * uy;
      const across = wmode ? Math.abs(dx) : Math.abs(-dx * uy + dy * ux);
      if (across < BASELINE_SLACK * size && along > -JOIN_MAX_BACK * size && along < JOIN_MAX_GAP * size) {
        if (along > SPACE_GAP * size && ch !== ' ' && !cur.str.endsWith(' ')) cur.str += ' ';
        cur.str += ch;
        this.advanceEnd(cur, m, ux, uy, advance, wmode);
        return;
      }
    }
    this.flush();
    const run: Run = { str: ch, dir: wmode ? 'ttb' : 'ltr', transform: m, width: 0, height: size, endX: 0, endY: 0, size, font };
    this.advanceEnd(run, m, ux, uy, advance, wmode);
    this.cur = run;
  }

  private advanceEnd(run: Run, m: Mat, ux: number, uy: number, advance: number, wmode: number): void {
    if (wmode) {
      // Vertical writing: glyphs go down the page.
      run.endX = m[4]!;
      run.endY = m[5]! + advance;
      run.width = run.transform[0]! ? Math.hypot(run.transform[0]!, run.transform[1]!) : run.size;
      run.height = run.endY - run.transform[5]!;
    } else {
      run.endX = m[4]! + advance * ux;
      run.endY = m[5]! + advance * uy;
      run.width = (run.endX - run.transform[4]!) * ux + (run.endY - run.transform[5]!) * uy;
    }
  }
}

interface PathLike {
  walk(w: { moveTo(x: number, y: number): void; lineTo(x: number, y: number): void; curveTo(...a: number[]): void; closePath(): void }): void;
}

/** Paths drawn → a pdf.js-shaped operator list for rulings.ts. */
class PathCollector {
  readonly fnArray: number[] = [];
  readonly argsArray: unknown[] = [];

  add(path: PathLike, ctm: Mat, paint: number, lineWidth: number): void {
    const d: number[] = [];
    path.walk({
      moveTo: (x, y) => d.push(MOVE, x, y),
      lineTo: (x, y) => d.push(LINE, x, y),
      curveTo: (...a) => d.push(CURVE, ...a.slice(0, 6)),
      closePath: () => d.push(CLOSE),
    });
    this.fnArray.push(OPS.save, OPS.transform, OPS.setLineWidth, OPS.constructPath, OPS.restore);
    this.argsArray.push(null, [...ctm], [lineWidth], [paint, [new Float32Array(d)]], null);
  }
}

/**
 * Whether one of the first `n` pages draws text in a Type 3 font (in its own resources or a form
 * XObject's). MuPDF runs every glyph procedure of a Type 3 font when it loads the font, which
 * makes Chromium's prints (Skia writes CJK text as Type 3) ~2.7× dearer than with pdf.js; the
 * dictionaries are read without loading anything.
 */
export function usesType3Fonts(doc: MupdfDocument, n: number): boolean {
  const pdf = doc.asPDF();
  if (!pdf) return false;
  const inResources = (res: MupdfObject, depth: number): boolean => {
    if (res.isNull()) return false;
    let found = false;
    res.get('Font').forEach((font) => {
      if (!found && font.get('Subtype').asName() === 'Type3') found = true;
    });
    if (!found && depth < 2) {
      res.get('XObject').forEach((x) => {
        if (!found && x.get('Subtype').asName() === 'Form' && inResources(x.get('Resources'), depth + 1)) found = true;
      });
    }
    return found;
  };
  for (let i = 0; i < n; i++) {
    if (inResources(pdf.findPage(i).getInheritable('Resources'), 0)) return true;
  }
  return false;
}

export interface MupdfOptions {
  /**
   * Decline (return null) what pdf.js should read: a document with Type 3 fonts (pdf.js reads
   * those faster), and one MuPDF cannot open or finds no text in (a scan, a damaged file: pdf.js
   * is the engine their failure reasons and OCR were tuned with).
   */
  decline?: boolean;
}

/**
 * Read the first `maxPages` pages with MuPDF: the same result readPdf gives with pdf.js; null
 * when declined (see MupdfOptions).
 */
export async function readPdfMupdf(bytes: Uint8Array, opts: ReadOptions, mopts: MupdfOptions = {}): Promise<ReadResult | null> {
  const mupdf = await loadMupdf();
  let doc: MupdfDocument;
  try {
    doc = mupdf.Document.openDocument(bytes, 'application/pdf');
  } catch (err) {
    if (mopts.decline) return null;
    throw new ExtractError('corrupt', `The PDF could not be parsed (mupdf: ${err instanceof Error ? err.message : String(err)}).`, { cause: err });
  }
  try {
    if (mopts.decline && doc.needsPassword()) return null;
    if (doc.needsPassword()) throw new ExtractError('encrypted', 'The PDF is encrypted with an open password; it cannot be read without it.');
    const numPages = doc.countPages();
    const n = Math.min(numPages, opts.maxPages);
    if (mopts.decline && usesType3Fonts(doc, n)) return null;
    const started = performance.now();
    const pages: PageContent[] = [];
    const broken: number[] = [];
    let firstError: unknown = null;
    for (let i = 1; i <= n; i++) {
      // MuPDF reads a page synchronously: the limit is checked between pages (the worker
      // process of the queue is the hard stop, as with pdf.js).
      if (performance.now() - started > opts.timeoutMs) {
        throw new ExtractError('too_large', `Reading the PDF took longer than ${Math.round(opts.timeoutMs / 1000)} s; it was stopped.`);
      }
      try {
        pages.push(readPage(mupdf, doc, i));
      } catch (err) {
        broken.push(i);
        firstError ??= err;
      }
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    if (mopts.decline && !pages.some((p) => p.pieces.length)) return null;
    if (!pages.length && firstError) {
      throw new ExtractError('corrupt', `The PDF could not be parsed (mupdf: ${firstError instanceof Error ? firstError.message : String(firstError)}).`, { cause: firstError });
    }
    return { pages, numPages, broken };
  } finally {
    doc.destroy();
    // MuPDF keeps fonts and decoded objects in a store shared by all documents; nothing of one
    // report is of use to the next, and the store would otherwise fill to its limit.
    mupdf.emptyStore();
  }
}

/** A single-precision number back to the decimal it was written as (4 places are plenty for a page box). */
function asWritten(x: number): number {
  return Math.round(x * 1e4) / 1e4;
}

function readPage(mupdf: Mupdf, doc: MupdfDocument, number: number): PageContent {
  const page = doc.loadPage(number - 1);
  try {
    const [bx0, by0, bx1, by1] = page.getBounds();
    const runs = new RunCollector();
    const paths = new PathCollector();
    // MuPDF.js hands each callback new wrappers holding references (a text holds its fonts) that
    // are otherwise released only when the garbage collector finalizes them: WebAssembly memory
    // kept growing across documents. They are released as soon as they are read.
    const release = (...owned: Owned[]) => {
      for (const o of owned) o.destroy();
    };
    const device = new mupdf.Device({
      fillPath: (path, evenOdd, ctm, colorspace) => {
        paths.add(path, ctm, evenOdd ? OPS.eoFill : OPS.fill, 1);
        release(path, colorspace);
      },
      strokePath: (path, stroke, ctm, colorspace) => {
        paths.add(path, ctm, OPS.stroke, stroke.getLineWidth());
        release(path, stroke, colorspace);
      },
      fillText: (text, ctm, colorspace) => {
        text.walk({
          beginSpan: () => runs.flush(),
          showGlyph: (font, trm, gid, unicode, wmode) => runs.glyph(font, trm, ctm, gid, unicode, wmode),
        });
        runs.flush();
        release(text, colorspace);
      },
    });
    try {
      page.run(device, [1, 0, 0, 1, -bx0, -by0]);
      device.close();
    } finally {
      device.destroy();
    }
    runs.flush();
    const pieces = pageTextPieces(runs.items, IDENTITY);
    const frames = pieces.length ? findFrames(pageRules(paths.fnArray, paths.argsArray, OPS, IDENTITY as Matrix)) : [];
    // MuPDF keeps the page box in single precision (596.16 → 596.1599731): the box as written
    // has a few decimals at most, and pdf.js gives it exactly; OCR scales pages by it.
    return { number, width: asWritten(bx1 - bx0), height: asWritten(by1 - by0), pieces, frames };
  } finally {
    page.destroy();
  }
}
