/**
 * Grey page images as plain arrays: reading the PNM that pdftoppm writes (P5 grey, P6 colour),
 * writing PGM for Tesseract, crops and strips. Pure: bytes in, bytes out.
 */

export interface Gray {
  width: number;
  height: number;
  /** One byte a pixel, 0 = black, 255 = white, row by row. */
  data: Uint8Array;
}

/**
 * A pixel this much redder than its green and blue is a seal's ink, not print. It is read by its
 * red channel (a scanner's red drop-out), stretched so that the seal's own red becomes paper and
 * the darkest red pixels, print seen through the seal, become ink: a seal stamped over print
 * hides most of it, and by luminance a digit the seal crossed was cut through.
 */
const RED_MARGIN = 25;
/** Share of the red pixels taken as the darkest print seen through a seal. */
const THROUGH_SHARE = 0.002;
/** A seal whose darkest pixels are within this of its own red covers no print: all of it is paper. */
const MIN_THROUGH = 20;
/**
 * A seal whose darkest pixels lie further below its red than this is not one dense stamp over
 * print but a mix of tones (a pale stamp, edges, noise): stretching it made fragments that read
 * as marks ("0" under a ring read "10."), so all of it is paper, as before. Measured on the
 * generated scans: 25–40 levels where print shows through, 65 on the sample scan it hurt.
 */
const MAX_THROUGH = 45;

function header(bytes: Uint8Array): { magic: string; width: number; height: number; maxval: number; offset: number } {
  const fields: string[] = [];
  let i = 0;
  while (fields.length < 4 && i < bytes.length) {
    const ch = bytes[i]!;
    if (ch === 0x23) {
      // A comment runs to the end of its line.
      while (i < bytes.length && bytes[i] !== 0x0a) i++;
      continue;
    }
    if (ch === 0x20 || ch === 0x0a || ch === 0x0d || ch === 0x09) {
      i++;
      continue;
    }
    let s = '';
    while (i < bytes.length && ![0x20, 0x0a, 0x0d, 0x09].includes(bytes[i]!)) s += String.fromCharCode(bytes[i++]!);
    fields.push(s);
  }
  // Exactly one white-space byte separates the header from the pixels.
  return { magic: fields[0] ?? '', width: Number(fields[1]), height: Number(fields[2]), maxval: Number(fields[3]), offset: i + 1 };
}

/**
 * Paper darker than this (the most common light grey of the page) is a photocopy's grey or a
 * scanner's low contrast: the page is brightened until its paper is white. The page's rules are
 * looked for in a cut halfway between the ink threshold and white (page.ts), which on paper of
 * 200 took the paper itself for ink and found no table at all. A scan whose paper is lighter
 * (the generated bench's 239) is left byte for byte as it was.
 */
const GREY_PAPER = 224;

/** The page brightened so that its paper is white, where the paper is grey (GREY_PAPER). */
export function whitenPaper(img: Gray): Gray {
  const hist = new Uint32Array(256);
  for (const v of img.data) hist[v]!++;
  let paper = 255;
  for (let v = 128, best = 0; v < 256; v++) if (hist[v]! > best) (best = hist[v]!), (paper = v);
  if (paper >= GREY_PAPER) return img;
  const lut = Uint8Array.from({ length: 256 }, (_, v) => Math.min(255, Math.round((v * 255) / paper)));
  const data = img.data;
  for (let i = 0; i < data.length; i++) data[i] = lut[data[i]!]!;
  return img;
}

/** P5 (grey) or P6 (colour, red ink dropped) → Gray, grey paper made white (whitenPaper). Throws on anything else. */
export function readPnm(bytes: Uint8Array): Gray {
  const h = header(bytes);
  if ((h.magic !== 'P5' && h.magic !== 'P6') || !(h.width > 0) || !(h.height > 0) || h.maxval !== 255) {
    throw new Error(`not an 8-bit PGM/PPM image (${h.magic} ${h.width}×${h.height} max ${h.maxval})`);
  }
  const n = h.width * h.height;
  const data = new Uint8Array(n);
  if (h.magic === 'P5') {
    if (bytes.length < h.offset + n) throw new Error('truncated PGM');
    data.set(bytes.subarray(h.offset, h.offset + n));
  } else {
    if (bytes.length < h.offset + 3 * n) throw new Error('truncated PPM');
    // The seal's red level (the most common red channel of its pixels) and its darkest reds;
    // the other pixels' grey on the way (a scan without red is then read in one pass).
    const reds = new Uint32Array(256);
    let count = 0;
    for (let p = 0, q = h.offset; p < n; p++, q += 3) {
      const r = bytes[q]!;
      const g = bytes[q + 1]!;
      const b = bytes[q + 2]!;
      if (r - Math.max(g, b) > RED_MARGIN) reds[r]!++, count++;
      else data[p] = (r * 77 + g * 150 + b * 29) >> 8;
    }
    if (!count) return whitenPaper({ width: h.width, height: h.height, data });
    let seal = 255;
    for (let v = 0, best = 0; v < 256; v++) if (reds[v]! > best) (best = reds[v]!), (seal = v);
    let low = 0;
    for (let v = 0, seen = 0; v < 256; v++) if ((seen += reds[v]!) > THROUGH_SHARE * count) {
      low = v;
      break;
    }
    const span = seal - low >= MIN_THROUGH && seal - low <= MAX_THROUGH ? seal - low : 0;
    for (let p = 0, q = h.offset; p < n; p++, q += 3) {
      const r = bytes[q]!;
      if (r - Math.max(bytes[q + 1]!, bytes[q + 2]!) > RED_MARGIN) data[p] = span ? Math.max(0, Math.min(255, Math.round(((r - low) * 255) / span))) : 255;
    }
  }
  return whitenPaper({ width: h.width, height: h.height, data });
}

export function encodePgm(img: Gray): Buffer {
  const head = Buffer.from(`P5\n${img.width} ${img.height}\n255\n`, 'latin1');
  return Buffer.concat([head, Buffer.from(img.data.buffer, img.data.byteOffset, img.data.byteLength)]);
}

/** Pixels per metre of a BMP, as Leptonica rounds them back to pixels per inch. */
const INCH_M = 39.37;

/**
 * An 8-bit grey BMP that carries its resolution, unlike PGM: Tesseract takes a page's
 * resolution from its file when no `--dpi` is given, so images read at different resolutions
 * can share one Tesseract call (its model loaded once). No compression: it is written, read once
 * and deleted.
 */
export function encodeBmp(img: Gray, dpi: number): Buffer {
  const { width: w, height: h, data } = img;
  const stride = (w + 3) & ~3;
  const offset = 14 + 40 + 256 * 4;
  const b = Buffer.alloc(offset + stride * h);
  b.write('BM', 0, 'latin1');
  b.writeUInt32LE(b.length, 2);
  b.writeUInt32LE(offset, 10);
  b.writeUInt32LE(40, 14);
  b.writeInt32LE(w, 18);
  b.writeInt32LE(h, 22);
  b.writeUInt16LE(1, 26);
  b.writeUInt16LE(8, 28);
  b.writeUInt32LE(stride * h, 34);
  const ppm = Math.round(dpi * INCH_M);
  b.writeInt32LE(ppm, 38);
  b.writeInt32LE(ppm, 42);
  b.writeUInt32LE(256, 46);
  for (let v = 0; v < 256; v++) b.fill(v, 54 + 4 * v, 54 + 4 * v + 3);
  // Rows bottom-up, each padded to 4 bytes.
  for (let y = 0; y < h; y++) b.set(data.subarray(y * w, y * w + w), offset + (h - 1 - y) * stride);
  return b;
}

export function blank(width: number, height: number): Gray {
  return { width, height, data: new Uint8Array(width * height).fill(255) };
}

/** The image shrunk k times (each pixel the mean of a k×k block; a partial block at the edges is dropped). */
export function shrink(img: Gray, k: number): Gray {
  const w = Math.floor(img.width / k);
  const h = Math.floor(img.height / k);
  const out = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let sum = 0;
      for (let dy = 0; dy < k; dy++) for (let dx = 0; dx < k; dx++) sum += img.data[(y * k + dy) * img.width + x * k + dx]!;
      out[y * w + x] = Math.round(sum / (k * k));
    }
  }
  return { width: w, height: h, data: out };
}

/** Copy the rectangle [x0, x1) × [y0, y1) of `src` into `dst` at (dx, dy). */
export function blit(src: Gray, x0: number, y0: number, x1: number, y1: number, dst: Gray, dx: number, dy: number): void {
  for (let y = y0; y < y1; y++) {
    if (y < 0 || y >= src.height || dy + y - y0 < 0 || dy + y - y0 >= dst.height) continue;
    const from = Math.max(0, x0);
    const to = Math.min(src.width, x1);
    if (to <= from) continue;
    dst.data.set(src.data.subarray(y * src.width + from, y * src.width + to), (dy + y - y0) * dst.width + dx + (from - x0));
  }
}

/** Otsu's threshold over the histogram: the grey level that best splits ink from paper. */
export function otsu(img: Gray): number {
  const hist = new Float64Array(256);
  for (let i = 0; i < img.data.length; i++) hist[img.data[i]!]!++;
  const total = img.data.length;
  let sum = 0;
  for (let t = 0; t < 256; t++) sum += t * hist[t]!;
  let sumB = 0;
  let wB = 0;
  let best = 0;
  let threshold = 128;
  for (let t = 0; t < 256; t++) {
    wB += hist[t]!;
    if (!wB) continue;
    const wF = total - wB;
    if (!wF) break;
    sumB += t * hist[t]!;
    const mB = sumB / wB;
    const mF = (sum - sumB) / wF;
    const between = wB * wF * (mB - mF) ** 2;
    if (between > best) {
      best = between;
      threshold = t;
    }
  }
  return threshold;
}

/** 1 for ink, 0 for paper. */
export function binarize(img: Gray, threshold = otsu(img)): Uint8Array {
  const data = img.data;
  const n = data.length;
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = data[i]! <= threshold ? 1 : 0;
  return out;
}

/**
 * Specks whited out: connected bits of ink of at most `maxPixels` pixels (8-connected). Scanner
 * dust and toner spray read as stray points and commas beside digits; a decimal point at the
 * resolutions used is larger. Changes `img` and `ink` in place.
 */
export function despeckle(img: Gray, ink: Uint8Array, maxPixels: number): void {
  const data = img.data;
  eachComponent(img.width, img.height, ink, maxPixels + 1, (c) => {
    if (c.size > maxPixels) return;
    for (let i = 0; i < c.size; i++) (data[c.pixels[i]!] = 255), (ink[c.pixels[i]!] = 0);
  });
}

/** A connected bit of ink as `eachComponent` hands it over. */
interface Component {
  /** Its first `keep` pixels in the order found; the buffer is reused for the next component. */
  pixels: Int32Array;
  size: number;
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

interface Blob {
  /** The component's pixels, in the order found: all of them, or the first `keep`. */
  pixels: number[];
  size: number;
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/**
 * Each 8-connected component of the pixels where `ink` is 1, with its size and box, visited once
 * it is complete (so `visit` may clear it). Only its first `keep` pixels are listed: a page's rules
 * run to millions of pixels that a speck test never needs. Typed arrays throughout: a page has tens
 * of thousands of components.
 */
function eachComponent(w: number, h: number, ink: Uint8Array, keep: number, visit: (c: Component) => void): void {
  const seen = new Uint8Array(w * h);
  // A typed stack, grown when full: a component is at most the image.
  let stack = new Int32Array(1 << 16);
  const c: Component = { pixels: new Int32Array(keep), size: 0, x0: 0, y0: 0, x1: 0, y1: 0 };
  for (let start = 0; start < w * h; start++) {
    if (seen[start] || ink[start] !== 1) continue;
    let top = 0;
    let size = 0;
    let x0 = w;
    let y0 = h;
    let x1 = -1;
    let y1 = -1;
    stack[top++] = start;
    seen[start] = 1;
    while (top) {
      const p = stack[--top]!;
      if (size < keep) c.pixels[size] = p;
      size++;
      const x = p % w;
      const y = (p - x) / w;
      if (x < x0) x0 = x;
      if (x > x1) x1 = x;
      if (y < y0) y0 = y;
      if (y > y1) y1 = y;
      for (let dy = -1; dy <= 1; dy++) {
        const yy = y + dy;
        if (yy < 0 || yy >= h) continue;
        for (let dx = -1; dx <= 1; dx++) {
          const xx = x + dx;
          if (xx < 0 || xx >= w) continue;
          const q = yy * w + xx;
          if (!seen[q] && ink[q] === 1) {
            seen[q] = 1;
            if (top === stack.length) {
              const grown = new Int32Array(stack.length * 2);
              grown.set(stack);
              stack = grown;
            }
            stack[top++] = q;
          }
        }
      }
    }
    c.size = size;
    c.x0 = x0;
    c.y0 = y0;
    c.x1 = x1;
    c.y1 = y1;
    visit(c);
  }
}

/** Connected bits of ink (8-connected) of an image cut at `threshold`, their first `keep` pixels listed. */
function blobs(img: Gray, threshold: number, keep: number): Blob[] {
  const out: Blob[] = [];
  const ink = binarize(img, threshold);
  eachComponent(img.width, img.height, ink, keep, (c) => out.push({ ...c, pixels: Array.from(c.pixels.subarray(0, Math.min(c.size, keep))) }));
  return out;
}

/**
 * Specks whited out of a strip of number cells, except where a decimal point or a thousands
 * comma stands: low between two digits. A speck of a coarse scan is as large as a point, and
 * read beside a number it makes "2." of 2; a point dropped would make 5084.23 into 508423.
 * `maxPixels`: the largest speck; `near`: how far (pixels) a point stands from its digits.
 */
export function despeckleDigits(img: Gray, threshold: number, maxPixels: number, near: number): void {
  // A speck's pixels are all listed (it is at most maxPixels); a digit's are not needed.
  const all = blobs(img, threshold, maxPixels + 1);
  const digits = all.filter((b) => b.size > maxPixels);
  for (const s of all) {
    if (s.size > maxPixels) continue;
    const cy = (s.y0 + s.y1) / 2;
    // A digit beside it whose lower part the speck's centre is level with.
    const beside = (d: Blob) => cy >= d.y0 + 0.55 * (d.y1 - d.y0) && cy <= d.y1 + near / 2;
    const left = digits.some((d) => d.x1 < s.x0 && s.x0 - d.x1 <= near && beside(d));
    const right = digits.some((d) => d.x0 > s.x1 && d.x0 - s.x1 <= near && beside(d));
    if (left && right) continue;
    for (const p of s.pixels) img.data[p] = 255;
  }
}
