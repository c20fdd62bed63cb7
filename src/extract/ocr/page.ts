/**
 * One scanned page → the same PageContent the text-layer route gives (text pieces in points and
 * table frames), so that ../pdf/document.ts builds its grid the same way:
 *
 *   preparePage: render (pdftoppm, in colour where the page has colour: a red seal is dropped
 *   by its colour) → grey (a grey seal is dropped by its tone) → deskew → rules from the image
 *   → frames → rules whited out;
 *   the page read (Tesseract, chi_sim, TSV word boxes; pageRead, titleRead) →
 *   afterPageRead: value cells to read again with a digit whitelist, label cells on their own
 *   (one strip image each) → finishPage: pieces.
 *
 * The reads themselves are made by the caller (../ocr.ts), several pages' in one call.
 *
 * A value cell's number is taken as sure only where both reads agree; otherwise it keeps a
 * confidence of 0, and the record builder treats it as a cell lost from the source (the
 * identities may restore it, or it is left out).
 */
import { buildCells } from '../pdf/cells.js';
import { type Frame, findFrames } from '../pdf/frames.js';
import type { PageContent } from '../pdf/load.js';
import type { TextPiece } from '../pdf/text-items.js';
import { estimateSkew, rotate } from './deskew.js';
import { ocrNumber } from './digits.js';
import { type Gray, binarize, blank, blit, despeckle, despeckleDigits, otsu, readPnm, shrink } from './image.js';
import { eraseRules, imageRules } from './rules.js';
import { dropGreySeals } from './seal.js';
import { titleRows, titleShrink } from './title.js';
import type { ReadRequest } from './read.js';
import { run } from './tools.js';
import type { OcrWord } from './tsv.js';

export interface OcrTools {
  pdftoppm: string;
  tesseract: string;
}

export interface OcrPageOptions {
  dpi: number;
  timeoutMs: number;
  /** The report's first page: its title block is read on its own (title.ts). */
  title?: boolean;
  /**
   * Render in grey: the page holds grey images only (pdfimages), so there is no red seal to
   * drop by its colour. (A colour drawn over the scan as vector would be seen grey, as a seal
   * scanned in grey is, and seal.ts whitens it by its tone.)
   */
  gray?: boolean;
}

/** A text piece read by OCR: its confidence (0–100) rides along to the cell it lands in. */
export interface OcrPiece extends TextPiece {
  conf: number;
}

export interface OcrPage {
  content: PageContent;
  /** Degrees the page was turned to make it straight. */
  skew: number;
  /** Words read and the sum of their confidences (for the document's mean). */
  words: number;
  confSum: number;
  /** Value cells read and those where the two reads agreed. */
  valueCells: number;
  agreed: number;
}

/** A value column is narrow: a cell wider than this share of its table holds a label. */
const VALUE_WIDTH = 0.3;
/** Rows a cell spans that make it a group's label, not a value (valueCellsOf); two values stacked in one cell (a rule lost between them) are no number either. */
const GROUP_ROWS = 2;
/** Points cut from each side of a cell before its digits are read: the rule and its shadow. */
const INSET = 1.5;
/** Ink (pt²) that makes a cell not blank: a "1" at 9 pt covers about 1.5 pt². */
const MIN_INK_PT2 = 0.6;
/**
 * A well-formed digit read counts with its own confidence even where the page read disagrees:
 * the page read is the weaker one on digits, and no OCR'd number is shown unless an identity
 * it is in holds (record/build.ts).
 */
const TRUST_DIGITS = process.env.NIANBAO_OCR_TRUST_DIGITS !== '0';
/** Enlargement of the cells for the digit read (measured: 2× gains little at 150 dpi). */
const DIGIT_SCALE = 1;
/** Ink (pt²) outside the digit read's words that makes a cell's number doubtful: about a dot. */
const MIN_STRAY_PT2 = 1;
/**
 * Tesseract's page segmentation for the page read: 4 (one column of text of varying sizes)
 * reads each cell's lines as lines, where 6 (one block) ran lines of neighbouring cells together
 * and garbled the labels that wrap (measured on two 150-dpi scans: 144 and 189 fields exact with 6,
 * 193 and 193 with 4, at less CPU).
 */
const PAGE_PSM = process.env.NIANBAO_OCR_PSM || '4';
/** A dash before the digits: a minus sign as either read may give it. */
const MINUS = /^\s*[-－—–一ー_~]/;
/** Money units a cell may print after its number (normalize/money.ts reads them). */
const UNIT_ONLY = /^(?:亿元|万元|元)$/;
const UNIT_AFTER = /^(.*\d)(亿元|万元|元)$/;
/** White space around each cell in the digit strip, in pixels. */
const PAD = 12;
/**
 * Wide cells and cells over two rows or more are labels (or a row's one value) wherever they
 * stand: they are read on their own (their own strip, in the call of the other label cells'
 * strips after the page read) and whited out of the page read, which then reads only the narrow
 * cells and the text around the tables. Read with the page as well, a table's labels were read twice. `0` reads them with the
 * page and again after it, as before (for comparison).
 */
const LABELS_FIRST = process.env.NIANBAO_OCR_LABELS_FIRST !== '0';
/** A cell this many times as wide as its frame's median cell is a label column's (LABELS_FIRST). */
const LABEL_WIDTH = 2;

export async function renderPage(tools: OcrTools, pdfPath: string, page: number, o: OcrPageOptions): Promise<Gray> {
  const r = await run(tools.pdftoppm, [...(o.gray ? ['-gray'] : []), '-r', String(o.dpi), '-f', String(page), '-l', String(page), pdfPath], null, o.timeoutMs);
  if (r.code !== 0 || !r.stdout.length) throw new Error(`pdftoppm failed on page ${page}: ${r.stderr.trim() || `exit ${r.code}`}`);
  return readPnm(r.stdout);
}

/** A page rendered, straightened and cleaned, its tables found: ready for the page read. */
export interface PreparedPage {
  number: number;
  size: { width: number; height: number };
  /** Image pixels per point. */
  px: number;
  skew: number;
  /** The page as Tesseract reads it: seals, specks and table rules whited out, paper white. */
  clean: Gray;
  threshold: number;
  frames: Frame[];
  /** The title rows, read on their own (title.ts), and how many times smaller. */
  title: { y0: number; y1: number; k: number } | null;
  /** Cells read on their own from the start (LABELS_FIRST), with their strip; null: none. */
  first: (Strip & { boxes: ValueCell['box'][]; read: ReadRequest }) | null;
  /** What the page read sees: `clean` without the cells of `first`. */
  page: Gray;
}

export async function preparePage(tools: OcrTools, pdfPath: string, number: number, size: { width: number; height: number }, o: OcrPageOptions): Promise<PreparedPage> {
  const raw = await renderPage(tools, pdfPath, number, o);
  const px = raw.width / size.width;
  const skew = estimateSkew(binarize(raw), raw.width, raw.height, o.dpi);
  const img = rotate(raw, skew);
  // A seal on a grey scan is whitened for reading (seal.ts); rules are looked for on the page as
  // scanned, where the seal whitened nothing of a thin rule of a coarse scan with it.
  const scanned = img.data.slice();
  const seals = dropGreySeals(img, px * 72);
  const threshold = otsu(img);
  const ink = binarize(img, threshold);
  // Specks of up to about a 0.8 pt square: dust, not a decimal point.
  despeckle(img, ink, Math.max(2, Math.round((0.8 * px) ** 2)));
  // Rules are looked for in a lighter cut than text: a thin rule turned by deskewing is spread
  // over two pixel columns of lighter grey.
  const rules = imageRules(binarize(seals.length ? { ...img, data: scanned } : img, Math.min(230, Math.round((threshold + 255) / 2))), img.width, img.height, { dpi: px * 72 });
  const frames = findFrames(rules);
  // Only the rules of tables are erased: a long stroke of a large title is no rule.
  const tableRules = { horizontal: frames.flatMap((f) => f.horizontal), vertical: frames.flatMap((f) => f.vertical) };
  const clean: Gray = { width: img.width, height: img.height, data: eraseRules(img.data, img.width, img.height, tableRules, px * 72) };
  // Paper to white: a scan's grey tone, faint dust and the edges of crops then vanish for Tesseract.
  for (let i = 0; i < clean.data.length; i++) if (clean.data[i]! > threshold) clean.data[i] = 255;
  // The title block, above any table, read by itself (title.ts); its words replace the page read's.
  const top = frames.length ? Math.round(frames[0]!.box.y0 * px) : clean.height;
  const rows = o.title ? titleRows(clean, threshold, Math.min(top, Math.round(clean.height * 0.4)), px) : null;
  const title = rows ? { ...rows, k: titleShrink(clean, threshold, rows, px) } : null;
  const boxes = LABELS_FIRST ? frames.flatMap((f) => firstCellsOf(f)).filter((b) => inkIn(clean, threshold, b, px) >= MIN_INK_PT2 * px * px) : [];
  if (!boxes.length) return { number, size, px, skew, clean, threshold, frames, title, first: null, page: clean };
  const strip = stackCells(clean, boxes, px);
  const page: Gray = { ...clean, data: clean.data.slice() };
  for (const b of boxes) {
    const x0 = Math.max(0, Math.round(b.x0 * px));
    const x1 = Math.min(page.width, Math.round(b.x1 * px));
    for (let y = Math.max(0, Math.round(b.y0 * px)); y < Math.min(page.height, Math.round(b.y1 * px)); y++) page.data.fill(255, y * page.width + x0, y * page.width + x1);
  }
  return { number, size, px, skew, clean, threshold, frames, title, first: { ...strip, boxes, read: { img: strip.strip, args: LABEL_ARGS, dpi: dpiOf(px) } }, page };
}

/**
 * A frame's cells that hold labels wherever they stand (LABELS_FIRST): wide ones (as
 * valueCellsOf has them), those at least LABEL_WIDTH times as wide as the frame's typical cell
 * (a label column beside narrow value columns), and those over two rows or more.
 */
function firstCellsOf(frame: Frame): ValueCell['box'][] {
  const frameWidth = frame.box.x1 - frame.box.x0;
  const cells = buildCells(frame.xs, frame.ys, frame.horizontal, frame.vertical).cells;
  const widths = cells.map((g) => g.box.x1 - g.box.x0).sort((a, b) => a - b);
  const typical = widths[widths.length >> 1] ?? frameWidth;
  const right = Math.max(...cells.map((g) => g.box.x1));
  return cells.filter((g) => {
    const w = g.box.x1 - g.box.x0;
    if (g.rowSpan >= GROUP_ROWS) return true;
    // A wide cell that ends at the table's right edge may be a row's one value (行政处罚 | 47):
    // read with the page, as the value cells are (read alone, "47" came out less sure).
    if (g.box.x1 >= right - 1) return false;
    return w > VALUE_WIDTH * frameWidth || w >= LABEL_WIDTH * typical;
  }).map((g) => g.box);
}

/** Dark pixels inside a cell (its rules and their shadow cut off, as in the strips). */
function inkIn(img: Gray, threshold: number, b: ValueCell['box'], px: number): number {
  let n = 0;
  const x0 = Math.max(0, Math.round((b.x0 + INSET) * px));
  const x1 = Math.min(img.width, Math.round((b.x1 - INSET) * px));
  for (let y = Math.max(0, Math.round((b.y0 + INSET) * px)); y < Math.min(img.height, Math.round((b.y1 - INSET) * px)); y++) {
    for (let i = y * img.width + x0; i < y * img.width + x1; i++) if (img.data[i]! <= threshold) n++;
  }
  return n;
}

/** The label reads' arguments; the resolution goes with each image (ReadRequest.dpi). */
const LABEL_ARGS = ['-l', 'chi_sim', '--psm', '6', '-c', 'preserve_interword_spaces=1'];

function dpiOf(px: number): number {
  return Math.round(px * 72);
}

/** The read of the cells read on their own from the start (LABELS_FIRST); null when there are none. */
export function firstRead(p: PreparedPage): ReadRequest | null {
  return p.first?.read ?? null;
}

/** The page read: the cleaned page, but for the cells read on their own from the start. */
export function pageRead(p: PreparedPage): ReadRequest {
  return { img: p.page, args: [...PAGE_ARGS, ...(PAGE_THRESHOLDING ? ['-c', `thresholding_method=${PAGE_THRESHOLDING}`] : [])], dpi: dpiOf(p.px) };
}

/**
 * Tesseract's binarisation for the page read (its `thresholding_method`: 0 one Otsu threshold
 * for the page, 1 a threshold per tile). The page read sees the page with its label cells
 * whited out (LABELS_FIRST): less dark ink moves the page's one Otsu threshold, and the opening
 * line of two 150-dpi scans read "201s年" for "2019年" (the year then said only once, left out);
 * per tile it reads "2019年" again. Unset: Tesseract's default (0). The title read keeps the default.
 */
const PAGE_THRESHOLDING = process.env.NIANBAO_OCR_THRESHOLDING;

const PAGE_ARGS = ['-l', 'chi_sim', '--psm', PAGE_PSM, '-c', 'preserve_interword_spaces=1'];

/** The title read: PAD pixels of paper above and below the title rows, read as a page of their own, `k` times smaller. */
export function titleRead(p: PreparedPage): ReadRequest | null {
  if (!p.title) return null;
  const { y0, y1, k } = p.title;
  const crop = blank(p.clean.width, y1 - y0 + 2 * PAD);
  blit(p.clean, 0, y0, p.clean.width, y1, crop, 0, PAD);
  // Large print read at a smaller size (titleShrink), its words' boxes put back at full size.
  // The same arguments as the page read's (unless it sets its thresholding): one call reads both.
  return { img: k > 1 ? shrink(crop, k) : crop, args: PAGE_ARGS, dpi: Math.round(dpiOf(p.px) / k) };
}

/** After the page read: its pieces, the cells to read again and the two strips they are read from. */
export interface PageStage {
  words: OcrWord[];
  pieces: OcrPiece[];
  valueCells: ValueCell[];
  labelCells: ValueCell[];
  digits: (Strip & { read: ReadRequest }) | null;
  labels: (Strip & { read: ReadRequest }) | null;
}

/** The digit read's arguments: digits only, one block. */
const DIGIT_ARGS = ['-l', 'eng', '--psm', '6', '-c', 'tessedit_char_whitelist=0123456789.,-'];

export function afterPageRead(p: PreparedPage, pageWords: readonly OcrWord[], titleRaw: readonly OcrWord[] | null): PageStage {
  const { px, clean, threshold, frames } = p;
  const titleWords = titleRaw && p.title ? titleLines(titleRaw, p.title) : null;
  const title = p.title;
  const words = titleWords
    ? [...titleWords, ...pageWords.filter((w) => {
        const cy = w.top + w.height / 2;
        return cy < title!.y0 || cy > title!.y1;
      })]
    : [...pageWords];
  const pieces: OcrPiece[] = words.map((w) => toPiece(w, px));
  // The cells read on their own from the start are labels, whatever their read gives: so the
  // strips below do not wait for it, and it shares their call (firstRead).
  const done = new Set(p.first?.boxes.map(boxKey) ?? []);
  const valueCells = frames.flatMap((f) => valueCellsOf(f, pieces)).filter((c) => !done.has(boxKey(c.box)));
  // The other cells of the tables (labels, headers), each read on its own: read with the page,
  // a label that wraps in its cell runs into the next cell's lines and comes out garbled.
  const labelCells = frames.flatMap((f) => labelCellsOf(f, pieces, valueCells)).filter((c) => !done.has(boxKey(c.box)));
  let digits: PageStage['digits'] = null;
  if (valueCells.length) {
    const strip = stackCells(clean, valueCells.map((c) => digitBox(c)), px);
    // Specks up to about a 1.1 pt square, but for points and commas between digits.
    despeckleDigits(strip.strip, threshold, Math.round((1.1 * px) ** 2), Math.max(2, Math.round(1.2 * px)));
    // Digits are read best about 30–40 px high: a coarse scan's cells are enlarged first.
    digits = { ...strip, read: { img: DIGIT_SCALE > 1 ? enlarge(strip.strip, DIGIT_SCALE) : strip.strip, args: DIGIT_ARGS } };
  }
  let labels: PageStage['labels'] = null;
  if (labelCells.length) {
    const strip = stackCells(clean, labelCells.map((c) => c.box), px);
    labels = { ...strip, read: { img: strip.strip, args: LABEL_ARGS, dpi: dpiOf(px) } };
  }
  return { words, pieces, valueCells, labelCells, digits, labels };
}

/** The page's text pieces, from the page read, the first read's cells and both reads of the others. */
export function finishPage(p: PreparedPage, st: PageStage, digitWords: readonly OcrWord[], labelWords: readonly OcrWord[], firstWords: readonly OcrWord[] = []): OcrPage {
  const { px, threshold, frames, number, size, skew } = p;
  const { valueCells, labelCells } = st;
  // The cells read on their own from the start: their words, where the page read saw paper.
  const first = p.first ? cellWords(p.first, firstWords).flat() : [];
  const words = [...st.words, ...first];
  let pieces = [...st.pieces, ...unsure(frames, first.map((w) => toPiece(w, px)))];
  const second = st.digits ? digitsOf(st.digits, digitWords, threshold, px) : [];
  const labels = st.labels ? cellWords(st.labels, labelWords) : [];
  if (labelCells.length) {
    const gone = new Set<OcrPiece>();
    const found: OcrPiece[] = [];
    labelCells.forEach((c, k) => {
      const read = labels[k]!;
      if (!read.length) return;
      for (const p of c.pieces) gone.add(p);
      found.push(...read.map((w) => ({ ...toPiece(w, px), conf: w.conf })));
    });
    pieces = [...pieces.filter((p) => !gone.has(p)), ...found];
  }
  let agreed = 0;
  if (valueCells.length) {
    const widths = valueCells.map((c) => c.box.x1 - c.box.x0).sort((a, b) => a - b);
    const medianWidth = widths[widths.length >> 1]!;
    const inCells = new Set<OcrPiece>();
    const replaced: OcrPiece[] = [];
    valueCells.forEach((c, k) => {
      for (const p of c.pieces) inCells.add(p);
      const unit = unitOf(c);
      // A unit in the same word as the digits: the digit read made digits of it, so it is no check.
      if (unit && !unit.piece) {
        const digits = ocrNumber(unit.before);
        replaced.push({ ...c.box, ...within(c.box, c.box), text: `${digits ?? '?'}${unit.text}`, size: c.box.y1 - c.box.y0, vertical: false, conf: 0 });
        return;
      }
      const pieces = unit?.pieces ? c.pieces.filter((p) => !unit.pieces!.includes(p)) : c.pieces;
      const first = pieces.length ? ocrNumber(pieces.map((p) => p.text).join('')) : '';
      const again = second[k]!;
      const firstConf = pieces.length ? Math.min(...pieces.map((p) => p.conf)) : 100;
      if (first === '' && again.text === '') {
        // Blank in both reads. Ink in it means a number neither read made out: doubtful, not blank.
        const inked = again.ink >= MIN_INK_PT2 * px * px;
        // A clean blank is marked as looked at (a space, full confidence): a blank cell no read
        // ever examined is not known to be blank. A sliver much narrower than the value cells is
        // a rule found twice, not a cell, and is not vouched for.
        if (!inked && c.box.x1 - c.box.x0 < 0.5 * medianWidth) return;
        replaced.push({ ...c.box, text: inked ? '?' : ' ', size: c.box.y1 - c.box.y0, vertical: false, conf: inked ? 0 : 100 });
        return;
      }
      // A minus sign is a short dash that either read may drop (or the page read takes for 一):
      // a sign seen by one read only makes the number doubtful, never silently positive.
      const firstText = pieces.map((p) => p.text).join('');
      const signs = [MINUS.test(firstText), MINUS.test(again.text)];
      if (signs[0] !== signs[1]) {
        const digits = (again.text ? ocrNumber(again.text) : null) ?? first ?? '?';
        const text = digits.startsWith('-') ? digits : `-${digits}`;
        const box = within(again.box ?? c.box, c.box);
        replaced.push({ ...box, text, size: box.y1 - box.y0, vertical: false, conf: 0 });
        return;
      }
      // Ink beside what the digit read covers is a character it did not read: not sure.
      const stray = again.stray >= MIN_STRAY_PT2 * px * px;
      const same = !stray && first !== null && first === (again.text ? ocrNumber(again.text) : '');
      if (same) agreed++;
      // The digit read, else the first read's number, else whatever was seen ('?' for marks that read as nothing).
      const number = (again.text ? ocrNumber(again.text) : null) || first;
      const text = number ? `${number}${unit?.text ?? ''}` : again.text || c.pieces.map((p) => p.text).join('') || '?';
      const read = c.pieces.length ? c.pieces.reduce<ValueCell['box']>((b, p) => ({ x0: Math.min(b.x0, p.x0), y0: Math.min(b.y0, p.y0), x1: Math.max(b.x1, p.x1), y1: Math.max(b.y1, p.y1) }), { x0: c.pieces[0]!.x0, y0: c.pieces[0]!.y0, x1: c.pieces[0]!.x1, y1: c.pieces[0]!.y1 }) : again.box ?? c.box;
      // Inside its cell: a word box that reaches over a rule would have the grid builder share
      // the number's characters out between two cells.
      const box = within(read, c.box);
      // Agreement makes a number sure; without it the digit read counts alone (TRUST_DIGITS).
      const digitsOnly = !stray && TRUST_DIGITS && again.text && ocrNumber(again.text) !== null ? again.conf : 0;
      replaced.push({ ...box, text, size: box.y1 - box.y0, vertical: false, conf: same ? Math.max(Math.min(firstConf, again.conf), digitsOnly) : digitsOnly });
    });
    pieces = [...pieces.filter((p) => !inCells.has(p)), ...replaced];
  }
  return {
    content: { number, width: size.width, height: size.height, pieces, frames },
    skew,
    words: words.length,
    confSum: words.reduce((s, w) => s + w.conf, 0),
    valueCells: valueCells.length,
    agreed,
  };
}

/**
 * The pieces of the cells read on their own from the start (LABELS_FIRST), with no confidence
 * in those that read as a value cell would (valueCellsOf: a number, no label): taken for a
 * label, such a cell had no digit read to agree with, so its number is not sure (the record
 * builder then treats it as lost, for the identities to restore or leave out).
 */
function unsure(frames: readonly Frame[], pieces: readonly OcrPiece[]): OcrPiece[] {
  const values = new Set(frames.flatMap((f) => valueCellsOf(f, pieces)).flatMap((c) => c.pieces));
  return pieces.map((q) => (values.has(q) ? { ...q, conf: 0 } : q));
}

/** The title read's words back at full size on the page, one piece a line. */
function titleLines(raw: readonly OcrWord[], title: { y0: number; k: number }): OcrWord[] {
  const { k } = title;
  const words = raw.map((w) => (k > 1 ? { ...w, left: w.left * k, top: w.top * k, width: w.width * k, height: w.height * k } : w));
  // Marks alone (a quote, a bar) are a speck or a rule's end read as text, not part of the title.
  const kept = words.filter((w) => /[\p{L}\p{N}]/u.test(w.text)).map((w) => ({ ...w, top: w.top + title.y0 - PAD }));
  // One piece a line: Tesseract parts Chinese into words at random, and the spaces between them
  // would cut the agency's name ("杭州 市西湖区财政局").
  const lines = new Map<string, OcrWord[]>();
  for (const w of kept) lines.set(w.line, [...(lines.get(w.line) ?? []), w]);
  return [...lines.values()].map((ws) => {
    const left = Math.min(...ws.map((w) => w.left));
    const top = Math.min(...ws.map((w) => w.top));
    const right = Math.max(...ws.map((w) => w.left + w.width));
    const bottom = Math.max(...ws.map((w) => w.top + w.height));
    const text = ws.map((w) => w.text).join(' ').replace(/(?<=\p{Script=Han})\s+(?=[\p{Script=Han}\d])|(?<=\d)\s+(?=\p{Script=Han})/gu, '');
    return { ...ws[0]!, text, left, top, width: right - left, height: bottom - top, conf: Math.min(...ws.map((w) => w.conf)) };
  });
}

function toPiece(w: OcrWord, px: number): OcrPiece {
  const x0 = w.left / px;
  const y0 = w.top / px;
  const x1 = (w.left + w.width) / px;
  const y1 = (w.top + w.height) / px;
  return { text: w.text, x0, y0, x1, y1, size: y1 - y0, vertical: false, conf: w.conf };
}

/** A frame's cells that are not value cells and hold words of the page read. */
function boxKey(b: ValueCell['box']): string {
  return `${b.x0},${b.y0},${b.x1},${b.y1}`;
}

function labelCellsOf(frame: Frame, pieces: readonly OcrPiece[], values: readonly ValueCell[]): ValueCell[] {
  const grid = buildCells(frame.xs, frame.ys, frame.horizontal, frame.vertical);
  const isValue = new Set(values.map((v) => boxKey(v.box)));
  const out: ValueCell[] = [];
  for (const g of grid.cells) {
    const { box } = g;
    if (isValue.has(boxKey(box))) continue;
    const inside = pieces.filter((p) => {
      const cx = (p.x0 + p.x1) / 2;
      const cy = (p.y0 + p.y1) / 2;
      return cx > box.x0 && cx < box.x1 && cy > box.y0 && cy < box.y1;
    });
    if (inside.length) out.push({ box, pieces: inside });
  }
  return out;
}

/** Cells stacked into a strip image: each cell's crop of the page and its top in the strip. */
export interface Strip {
  crops: { x0: number; y0: number; x1: number; y1: number }[];
  tops: number[];
  strip: Gray;
  /** The cell a strip row belongs to (-1: between cells). */
  cellAt(y: number): number;
}

/**
 * The insides of cells (in page points) stacked one under another into a strip image, so that a
 * page's cells cost one Tesseract call.
 */
function stackCells(img: Gray, boxes: readonly ValueCell['box'][], px: number): Strip {
  const crops = boxes.map((b) => ({
    x0: Math.max(0, Math.round((b.x0 + INSET) * px)),
    y0: Math.max(0, Math.round((b.y0 + INSET) * px)),
    x1: Math.min(img.width, Math.round((b.x1 - INSET) * px)),
    y1: Math.min(img.height, Math.round((b.y1 - INSET) * px)),
  }));
  const width = Math.max(...crops.map((c) => c.x1 - c.x0)) + 2 * PAD;
  const tops: number[] = [];
  let h = PAD;
  for (const c of crops) {
    tops.push(h);
    h += Math.max(1, c.y1 - c.y0) + 2 * PAD;
  }
  const strip = blank(width, h);
  crops.forEach((c, k) => blit(img, c.x0, c.y0, c.x1, c.y1, strip, PAD, tops[k]!));
  const cellAt = (y: number) => tops.findIndex((t, i) => y >= t - PAD && y < t + (crops[i]!.y1 - crops[i]!.y0) + PAD);
  return { crops, tops, strip, cellAt };
}

/** The label strip's words, each cell's in page pixels. */
function cellWords(st: Strip, words: readonly OcrWord[]): OcrWord[][] {
  const { crops, tops, cellAt } = st;
  const out: OcrWord[][] = crops.map(() => []);
  for (const w of words) {
    const k = cellAt(w.top + w.height / 2);
    if (k < 0) continue;
    const c = crops[k]!;
    out[k]!.push({ ...w, left: c.x0 + w.left - PAD, top: c.y0 + w.top - tops[k]!, line: `cell${k}.${w.line}` });
  }
  return out;
}

export interface ValueCell {
  box: { x0: number; y0: number; x1: number; y1: number };
  pieces: OcrPiece[];
}

/**
 * A frame's cells that hold a number or nothing and are narrow enough to be value cells, with
 * the words whose centres lie in each.
 */
function valueCellsOf(frame: Frame, pieces: readonly OcrPiece[]): ValueCell[] {
  const grid = buildCells(frame.xs, frame.ys, frame.horizontal, frame.vertical);
  const frameWidth = frame.box.x1 - frame.box.x0;
  const out: ValueCell[] = [];
  for (const g of grid.cells) {
    const { box } = g;
    const inside = pieces.filter((p) => {
      const cx = (p.x0 + p.x1) / 2;
      const cy = (p.y0 + p.y1) / 2;
      return cx > box.x0 && cx < box.x1 && cy > box.y0 && cy < box.y1;
    });
    const text = inside.map((p) => p.text).join('');
    // A wide cell is a label's, unless a digit is all it holds (the one value of a 2021
    // proactive row spans the table: 行政许可 | 0).
    if (box.x1 - box.x0 > VALUE_WIDTH * frameWidth && !/\d/.test(text)) continue;
    // Two Chinese characters make a label; anything else in a narrow cell may be a misread number.
    // (A money unit after the number is no label: "1902549万元".)
    if ((text.replace(/(?<=\d\s*)(?:亿元|万元|元)\s*$/u, '').match(/\p{Script=Han}/gu) ?? []).length >= 2) continue;
    // A cell over two rows or more holds one value for all of them nowhere in these tables:
    // it is a group's label ("（六）其他处理" down the side) that the page read made little of,
    // or took for a digit ("7").
    if (g.rowSpan >= GROUP_ROWS) continue;
    out.push({ box, pieces: inside });
  }
  return out;
}

/**
 * The digit read of the value cells (one strip for the page): each cell's digits, the words' box
 * and confidence, and the ink the words leave uncovered.
 */
function digitsOf(st: Strip, raw: readonly OcrWord[], threshold: number, px: number): { text: string; conf: number; box: ValueCell['box'] | null; stray: number; ink: number }[] {
  const { crops, tops, strip, cellAt } = st;
  const k = DIGIT_SCALE;
  const words = raw.map((w) => (k > 1 ? { ...w, left: w.left / k, top: w.top / k, width: w.width / k, height: w.height / k } : w));
  const out = crops.map(() => ({ text: '', conf: 100, box: null as ValueCell['box'] | null, stray: 0, ink: 0 }));
  const read = crops.map(() => [] as { x0: number; x1: number }[]);
  for (const w of words) {
    const k = cellAt(w.top + w.height / 2);
    if (k < 0) continue;
    const o = out[k]!;
    o.text += w.text;
    o.conf = Math.min(o.conf, w.conf);
    read[k]!.push({ x0: w.left - PAD, x1: w.left - PAD + w.width });
    const c = crops[k]!;
    const box = { x0: (c.x0 + w.left - PAD) / px, y0: (c.y0 + w.top - tops[k]!) / px, x1: (c.x0 + w.left - PAD + w.width) / px, y1: (c.y0 + w.top - tops[k]! + w.height) / px };
    o.box = o.box ? { x0: Math.min(o.box.x0, box.x0), y0: Math.min(o.box.y0, box.y0), x1: Math.max(o.box.x1, box.x1), y1: Math.max(o.box.y1, box.y1) } : box;
  }
  // Ink the read words do not cover: a digit Tesseract dropped ("18" read as "8") leaves it.
  const margin = Math.max(2, Math.round(0.8 * px));
  crops.forEach((c, k) => {
    const spans = read[k]!;
    let n = 0;
    let all = 0;
    for (let y = tops[k]!; y < tops[k]! + (c.y1 - c.y0); y++) {
      for (let x = PAD; x < PAD + (c.x1 - c.x0); x++) {
        if (strip.data[y * strip.width + x]! > threshold) continue;
        all++;
        const dx = x - PAD;
        if (!spans.length || !spans.some((s) => dx >= s.x0 - margin && dx < s.x1 + margin)) n++;
      }
    }
    out[k]!.stray = n;
    out[k]!.ink = all;
  });
  return out;
}

/**
 * A money unit printed after a cell's number ("1902549元"). The digit read, held to digits, makes
 * digits of it ("190254976"), so it must not see it. `piece`: the unit as a word of its own
 * (its box is cut off the digit read's); null when the page read ran it into the digits.
 */
export function unitOf(c: ValueCell): { text: string; piece: OcrPiece | null; pieces?: OcrPiece[]; before: string } | null {
  if (!c.pieces.length) return null;
  // The unit as words of its own at the right end ("万" "元" read apart): cut off from its first.
  const sorted = [...c.pieces].sort((a, b) => a.x0 - b.x0);
  let k = sorted.length;
  while (k > 1 && /^\p{Script=Han}+$/u.test(sorted[k - 1]!.text.replace(/\s+/g, ''))) k--;
  const own = UNIT_ONLY.exec(sorted.slice(k).map((p) => p.text).join('').replace(/\s+/g, ''));
  if (own && k > 0 && k < sorted.length) return { text: own[0], piece: sorted[k]!, pieces: sorted.slice(k), before: '' };
  const inline = UNIT_AFTER.exec([...c.pieces].sort((a, b) => a.x0 - b.x0).map((p) => p.text).join('').replace(/\s+/g, ''));
  return inline ? { text: inline[2]!, piece: null, before: inline[1]! } : null;
}

/** The part of a value cell the digit read sees: all of it, but for a unit after the number. */
function digitBox(c: ValueCell): ValueCell['box'] {
  const unit = unitOf(c);
  return unit?.piece ? { ...c.box, x1: Math.max(c.box.x0 + 2 * INSET + 1, unit.piece.x0 - 0.5) } : c.box;
}

/** `b` cut to the inside of `cell` (by half a point), or the cell's inside when they do not meet. */
function within(b: ValueCell['box'], cell: ValueCell['box']): ValueCell['box'] {
  const m = 0.5;
  const out = { x0: Math.max(b.x0, cell.x0 + m), y0: Math.max(b.y0, cell.y0 + m), x1: Math.min(b.x1, cell.x1 - m), y1: Math.min(b.y1, cell.y1 - m) };
  return out.x1 > out.x0 && out.y1 > out.y0 ? out : { x0: cell.x0 + m, y0: cell.y0 + m, x1: cell.x1 - m, y1: cell.y1 - m };
}

/** The image enlarged k times (bilinear). */
function enlarge(img: Gray, k: number): Gray {
  const w = img.width * k;
  const h = img.height * k;
  const out = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) {
    const sy = Math.min(img.height - 1.001, Math.max(0, (y + 0.5) / k - 0.5));
    const y0 = Math.floor(sy);
    const fy = sy - y0;
    for (let x = 0; x < w; x++) {
      const sx = Math.min(img.width - 1.001, Math.max(0, (x + 0.5) / k - 0.5));
      const x0 = Math.floor(sx);
      const fx = sx - x0;
      const i = y0 * img.width + x0;
      const top = img.data[i]! * (1 - fx) + img.data[i + 1]! * fx;
      const bottom = img.data[i + img.width]! * (1 - fx) + img.data[i + img.width + 1]! * fx;
      out[y * w + x] = Math.round(top * (1 - fy) + bottom * fy);
    }
  }
  return { width: w, height: h, data: out };
}
