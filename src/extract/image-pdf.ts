/**
 * Page images (JPEG, PNG) as an image-only PDF, so that a report published as pictures is read by
 * the scanned-PDF route (rendering, deskew, rules, OCR) with nothing of it written twice. The
 * images are embedded as they are, never decoded: a JPEG as DCTDecode, a PNG's zlib stream as
 * FlateDecode with PNG predictors — the same bytes, so poppler decodes them the way it decodes a
 * scanner's PDF. Pure: bytes in, bytes out.
 *
 * A picture says nothing reliable of its size on paper (web images carry 72 or 96 "dpi" whatever
 * they show), so each is placed on a page as wide as A4 (landscape A4 when it is wider than
 * tall): a full-page scan then gets its true resolution, a screenshot the one it would have
 * printed at, and the OCR route's own checks (too coarse to read) apply unchanged.
 */
import { ExtractError } from './errors.js';
import { PdfWriter } from './pdf-writer.js';
import { type ImageKind, imageKind } from './sniff.js';

export interface ImageInfo {
  kind: ImageKind;
  width: number;
  height: number;
}

/** Larger pictures are refused: poppler would render them whole, and no page needs them. */
export const MAX_IMAGE_PIXELS = 100_000_000;
const MAX_SIDE = 30_000;

/** A4's width in points, portrait and landscape. */
const A4_SHORT = 595.28;
const A4_LONG = 841.89;
/** A portrait A4 page's height over its width. */
export const A4_RATIO = A4_LONG / A4_SHORT;

interface Embedded {
  width: number;
  height: number;
  /** The image XObject's dictionary entries besides size and length. */
  dict: string;
  data: Uint8Array;
}

const u16 = (b: Uint8Array, i: number) => (b[i]! << 8) | b[i + 1]!;
const u32 = (b: Uint8Array, i: number) => ((b[i]! << 24) >>> 0) + (b[i + 1]! << 16) + (b[i + 2]! << 8) + b[i + 3]!;

function unreadable(what: string): ExtractError {
  return new ExtractError('corrupt', `The picture cannot be read: ${what}.`);
}

function checkSize(kind: string, width: number, height: number): void {
  if (!(width > 0 && height > 0)) throw unreadable(`the ${kind} gives no size`);
  if (width > MAX_SIDE || height > MAX_SIDE || width * height > MAX_IMAGE_PIXELS) {
    throw new ExtractError('too_large', `The picture is ${width} × ${height} pixels; the limit is ${MAX_IMAGE_PIXELS / 1e6} megapixels and ${MAX_SIDE} pixels a side.`);
  }
}

/** Start-of-frame markers: C0–CF but DHT (C4), JPG (C8) and DAC (CC). */
const isSof = (m: number) => m >= 0xc0 && m <= 0xcf && m !== 0xc4 && m !== 0xc8 && m !== 0xcc;

function jpeg(b: Uint8Array): Embedded {
  let i = 2;
  let adobe = false;
  while (i + 4 <= b.length) {
    if (b[i] !== 0xff) throw unreadable('a JPEG segment does not start with a marker');
    const m = b[i + 1]!;
    if (m === 0xff) {
      i++; // fill byte
      continue;
    }
    if (m === 0xd9 || m === 0xda) break; // end of image, start of scan: no frame header before it
    const len = u16(b, i + 2);
    if (len < 2 || i + 2 + len > b.length) throw unreadable('a JPEG segment runs past the end of the file');
    // Adobe's APP14: its CMYK JPEGs store inverted ink.
    if (m === 0xee && len >= 14 && Buffer.from(b.subarray(i + 4, i + 9)).toString('latin1') === 'Adobe') adobe = true;
    if (isSof(m)) {
      if (m === 0xc3 || m === 0xc7 || m === 0xcb || m === 0xcf) throw new ExtractError('unsupported_format', 'A lossless JPEG, which PDF readers do not decode.');
      const height = u16(b, i + 5);
      const width = u16(b, i + 7);
      const components = b[i + 9]!;
      checkSize('JPEG', width, height);
      const space = components === 1 ? '/DeviceGray' : components === 3 ? '/DeviceRGB' : components === 4 ? '/DeviceCMYK' : null;
      if (!space) throw new ExtractError('unsupported_format', `A JPEG with ${components} colour components.`);
      const decode = components === 4 && adobe ? ' /Decode [1 0 1 0 1 0 1 0]' : '';
      return { width, height, dict: `/ColorSpace ${space} /BitsPerComponent 8 /Filter /DCTDecode${decode}`, data: b };
    }
    i += 2 + len;
  }
  throw unreadable('the JPEG has no frame header');
}

function png(b: Uint8Array): Embedded {
  let i = 8;
  let head: { width: number; height: number; depth: number; colour: number; interlace: number } | null = null;
  let palette: Uint8Array | null = null;
  const idat: Uint8Array[] = [];
  while (i + 12 <= b.length) {
    const len = u32(b, i);
    const type = Buffer.from(b.subarray(i + 4, i + 8)).toString('latin1');
    const data = b.subarray(i + 8, i + 8 + len);
    if (data.length !== len) throw unreadable(`the PNG's ${type} chunk runs past the end of the file`);
    if (type === 'IHDR') head = { width: u32(data, 0), height: u32(data, 4), depth: data[8]!, colour: data[9]!, interlace: data[12]! };
    else if (type === 'PLTE') palette = data;
    else if (type === 'IDAT') idat.push(data);
    else if (type === 'IEND') break;
    i += 12 + len;
  }
  if (!head) throw unreadable('the PNG has no header');
  checkSize('PNG', head.width, head.height);
  if (!idat.length) throw unreadable('the PNG has no image data');
  // PDF's Flate predictors are PNG's filters, row by row: only alpha and Adam7 interlacing need
  // the pixels themselves.
  if (head.interlace !== 0) throw new ExtractError('unsupported_format', 'An interlaced PNG (save it without interlacing to read it).');
  const colors = head.colour === 0 || head.colour === 3 ? 1 : head.colour === 2 ? 3 : 0;
  if (!colors) throw new ExtractError('unsupported_format', 'A PNG with an alpha channel (save it without transparency to read it).');
  let space = colors === 1 ? '/DeviceGray' : '/DeviceRGB';
  if (head.colour === 3) {
    if (!palette || palette.length % 3 !== 0) throw unreadable('the PNG has no palette');
    const hex = Buffer.from(palette).toString('hex');
    space = `[/Indexed /DeviceRGB ${palette.length / 3 - 1} <${hex}>]`;
  }
  const parms = `/DecodeParms << /Predictor 15 /Colors ${colors} /BitsPerComponent ${head.depth} /Columns ${head.width} >>`;
  return { width: head.width, height: head.height, dict: `/ColorSpace ${space} /BitsPerComponent ${head.depth} /Filter /FlateDecode ${parms}`, data: Buffer.concat(idat) };
}

function embedded(b: Uint8Array): Embedded {
  const kind = imageKind(b);
  if (kind === 'jpeg') return jpeg(b);
  if (kind === 'png') return png(b);
  throw new ExtractError('unsupported_format', 'Not a JPEG or PNG picture.');
}

/** A picture's kind and size, or an ExtractError saying why it cannot be read. */
export function imageInfo(b: Uint8Array): ImageInfo {
  const e = embedded(b);
  return { kind: imageKind(b)!, width: e.width, height: e.height };
}

/**
 * A part of a picture shown as a page: rows `top` to `bottom` (pixels, from the top) of picture
 * `image`. A long screenshot of a whole report is read in A4-tall parts: the OCR route reads a
 * page many times taller than wide far worse than the same text on pages (rules and strips are
 * found per page).
 */
export interface PictureWindow {
  image: number;
  top: number;
  bottom: number;
}

/** Width on the page, in points: A4's, portrait or landscape. */
export function pageWidthPt(p: { width: number; height: number }): number {
  return p.width > p.height ? A4_LONG : A4_SHORT;
}

/** A picture taller than this many times its width is read in parts (a portrait A4 is 1.41). */
export const TALL_RATIO = 1.8;

/**
 * Where to cut a long picture into pages: rows of least ink (a gap between lines, else a cell's
 * padding inside a table, never a line of text or a rule when there is any other row), each at
 * 70–100 % of a page's height after the last cut; the last part may be up to 115 % of one.
 * `ink`: each row's share of dark pixels; `pageRows`: a page's height in those rows.
 */
export function cutRows(ink: ArrayLike<number>, pageRows: number): number[] {
  const cuts: number[] = [];
  let start = 0;
  while (ink.length - start > pageRows * 1.15) {
    const lo = start + Math.floor(pageRows * 0.7);
    const hi = Math.min(ink.length - 1, start + Math.floor(pageRows));
    let best = hi;
    for (let r = hi - 1; r >= lo; r--) if (ink[r]! < ink[best]!) best = r;
    cuts.push(best);
    start = best;
  }
  return cuts;
}

/**
 * The pictures, in order, as the pages of one image-only PDF: each whole on its page, or the
 * windows asked for (each embeds its picture once; a window's page shows that picture's rows).
 */
export function imagesPdf(images: readonly Uint8Array[], windows?: readonly PictureWindow[]): Buffer {
  if (!images.length) throw new ExtractError('empty_file', 'No picture to read.');
  const pictures = images.map(embedded);
  const shown = windows ?? pictures.map((p, image) => ({ image, top: 0, bottom: p.height }));
  const pdf = new PdfWriter();
  // Objects: catalog, page tree, each picture, then each page and its content stream.
  const pictureObj = (i: number) => 3 + i;
  const pageObj = (k: number) => 3 + pictures.length + k * 2;
  pdf.obj(1, '<< /Type /Catalog /Pages 2 0 R >>');
  pdf.obj(2, `<< /Type /Pages /Kids [${shown.map((_, k) => `${pageObj(k)} 0 R`).join(' ')}] /Count ${shown.length} >>`);
  pictures.forEach((img, i) => {
    pdf.obj(pictureObj(i), `<< /Type /XObject /Subtype /Image /Width ${img.width} /Height ${img.height} ${img.dict} /Length ${img.data.length} >>\nstream\n`, img.data, '\nendstream');
  });
  shown.forEach((win, k) => {
    const img = pictures[win.image]!;
    const w = pageWidthPt(img);
    const scale = w / img.width;
    const full = img.height * scale;
    const h = (win.bottom - win.top) * scale;
    // The picture is drawn whole, placed so that its row `top` meets the page's top edge.
    const y = h + win.top * scale - full;
    const content = `q ${w.toFixed(3)} 0 0 ${full.toFixed(3)} 0 ${y.toFixed(3)} cm /Im0 Do Q`;
    const n = pageObj(k);
    pdf.obj(n, `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 ${w.toFixed(3)} ${h.toFixed(3)}] /Resources << /XObject << /Im0 ${pictureObj(win.image)} 0 R >> >> /Contents ${n + 1} 0 R >>`);
    pdf.obj(n + 1, `<< /Length ${content.length} >>\nstream\n${content}\nendstream`);
  });
  return pdf.finish(pageObj(shown.length));
}
