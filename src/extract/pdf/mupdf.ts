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
import { IDENTITY, type Matrix, compose } from './geometry.js';
import type { PageContent, ReadOptions, ReadResult } from './read-types.js';
import { CLOSE, CURVE, LINE, MOVE, OPS, PathCollector, RunCollector, asWritten } from './glyph-runs.js';
import { pageRules } from './rulings.js';
import { pageTextPieces } from './text-items.js';

/**
 * The parts of MuPDF.js used here, declared locally: the package is optional, and type-checking
 * must not need it.
 */
interface MupdfFont { advanceGlyph(gid: number, wmode?: number): number }
interface MupdfTextWalker {
  beginSpan?(): void;
  showGlyph?(font: MupdfFont, trm: Matrix, gid: number, unicode: number, wmode: number): void;
}
interface Owned { destroy(): void }
interface MupdfDeviceCallbacks {
  fillPath?(path: PathLike & Owned, evenOdd: boolean, ctm: Matrix, colorspace: Owned): void;
  strokePath?(path: PathLike & Owned, stroke: { getLineWidth(): number } & Owned, ctm: Matrix, colorspace: Owned): void;
  fillText?(text: { walk(w: MupdfTextWalker): void } & Owned, ctm: Matrix, colorspace: Owned): void;
}
interface MupdfDevice { close(): void; destroy(): void }
interface MupdfPage { getBounds(): [number, number, number, number]; run(device: MupdfDevice, matrix: Matrix): void; destroy(): void }
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

interface PathLike {
  walk(w: { moveTo(x: number, y: number): void; lineTo(x: number, y: number): void; curveTo(...a: number[]): void; closePath(): void }): void;
}

/** A MuPDF path in DrawOPS codes (glyph-runs.ts). */
function pathData(path: PathLike): number[] {
  const d: number[] = [];
  path.walk({
    moveTo: (x, y) => d.push(MOVE, x, y),
    lineTo: (x, y) => d.push(LINE, x, y),
    curveTo: (...a) => d.push(CURVE, ...a.slice(0, 6)),
    closePath: () => d.push(CLOSE),
  });
  return d;
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
        paths.add(pathData(path), ctm, evenOdd ? OPS.eoFill : OPS.fill, 1);
        release(path, colorspace);
      },
      strokePath: (path, stroke, ctm, colorspace) => {
        paths.add(pathData(path), ctm, OPS.stroke, stroke.getLineWidth());
        release(path, stroke, colorspace);
      },
      fillText: (text, ctm, colorspace) => {
        text.walk({
          beginSpan: () => runs.flush(),
          showGlyph: (font, trm, gid, unicode, wmode) => runs.glyph(font, compose(ctm, trm), font.advanceGlyph(gid, wmode), unicode, wmode),
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
