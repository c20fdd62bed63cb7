/**
 * The title block of a scanned report's first page: the lines at the top printed larger than
 * the body. Tesseract reads a page as one block of text of one size (--psm 6), and a title two
 * or three times the body's size comes out garbled that way; read on its own it comes out whole.
 * Pure: finds the rows of the image to read.
 */
import type { Gray } from './image.js';

/** A line at least this much taller than the body's lines is a title line. */
const TITLE_RATIO = 1.5;
/** Pixel rows with fewer dark pixels than this are between lines (specks left, a rule's end). */
const MIN_ROW_INK = 3;
/**
 * Line height (pixels) Tesseract reads Chinese best at: a title line twice as tall comes out with
 * characters misread ("海门区" as "海多"), read at half the size it comes out right (measured on
 * four generated scans: 2 of 4 agencies right at 200 dpi, 4 of 4 at 100).
 */
const READ_LINE_PX = 35;
/** Bands thinner than this (pt) are noise (a speck, the scan's edge), not a line: body text is 9 pt and up. */
const MIN_BAND_PT = 5;

export interface Band {
  y0: number;
  y1: number;
}

/** Lines of text (bands of rows with ink) in rows [0, limit) of the image. */
export function textBands(img: Gray, threshold: number, limit: number): Band[] {
  const bands: Band[] = [];
  let start = -1;
  for (let y = 0; y < Math.min(limit, img.height); y++) {
    let n = 0;
    const row = y * img.width;
    for (let x = 0; x < img.width && n < MIN_ROW_INK; x++) if (img.data[row + x]! <= threshold) n++;
    if (n >= MIN_ROW_INK && start < 0) start = y;
    else if (n < MIN_ROW_INK && start >= 0) {
      bands.push({ y0: start, y1: y });
      start = -1;
    }
  }
  if (start >= 0) bands.push({ y0: start, y1: Math.min(limit, img.height) });
  return bands;
}

/**
 * The rows holding the title: the first lines of the page, while they are clearly taller than
 * the body's typical line; null when the page opens with body-sized text.
 */
export function titleRows(img: Gray, threshold: number, limit: number, px: number): Band | null {
  const lines = textBands(img, threshold, limit).filter((b) => b.y1 - b.y0 >= MIN_BAND_PT * px);
  if (lines.length < 3) return null;
  const heights = lines.map((b) => b.y1 - b.y0).sort((a, b) => a - b);
  const body = heights[heights.length >> 1]!;
  const title: Band[] = [];
  for (const b of lines) {
    if (b.y1 - b.y0 >= TITLE_RATIO * body) title.push(b);
    else break;
  }
  if (!title.length) return null;
  return { y0: title[0]!.y0, y1: title.at(-1)!.y1 };
}

/** How many times to shrink the title's rows before reading them: its lines brought near READ_LINE_PX. */
export function titleShrink(img: Gray, threshold: number, rows: Band, px: number): number {
  const lines = textBands(img, threshold, rows.y1).filter((b) => b.y0 >= rows.y0 && b.y1 - b.y0 >= MIN_BAND_PT * px);
  if (!lines.length) return 1;
  const heights = lines.map((b) => b.y1 - b.y0).sort((a, b) => a - b);
  return Math.max(1, Math.round(heights[heights.length >> 1]! / READ_LINE_PX));
}
