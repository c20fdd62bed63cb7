/**
 * Plain-text dumps of reports → one text grid. Three shapes occur:
 *  - tab-rows:      one table row per line, cells separated by tabs (Word "save as text");
 *  - cell-per-line: each cell on its own line behind a tab, rows separated by empty lines,
 *                   a cell's own line breaks continued on lines without a tab;
 *  - whitespace:    pdftotext (-layout or -raw) and other flattened text: cells are the
 *                   white-space separated tokens of a line, and blank cells leave no trace.
 * Prose lines become one-cell rows; the matcher finds the tables by their labels.
 */
import { type Cell, type ExtractedDoc, type Table, cell } from './grid.js';
import { parseCell } from '../normalize/number.js';
import { type LayoutRow, recoverBlanks } from './layout-columns.js';
import { GROUP_TAG, breakChrome, isFlattened, unglueLines, writesBlankMarks } from './flat.js';
import { TooComplexError } from './errors.js';
import { emptyPacked, mapPacked } from '../normalize/arrays.js';

export type DumpStyle = 'tab-rows' | 'cell-per-line' | 'whitespace' | 'flattened';

const PAGE_FURNITURE = [
  /^=== PAGE \d+/, // our own dump marker
  /^\s*[-—－–]\s*\d{1,4}\s*[-—－–]\s*$/, // - 3 -
  /^\s*第\s*\d{1,4}\s*页(?:\s*[，,]?\s*共\s*\d{1,4}\s*页)?\s*$/, // 第 3 页 共 9 页
  /^\s*\d{1,4}\s*\/\s*\d{1,4}\s*$/, // 3/9
];

/** How every PAGE_FURNITURE line starts: most lines of a dump fail this one test instead of four. */
const FURNITURE_START = /^=|^\s*[-—－–第\d]/;

export function isPageFurniture(line: string): boolean {
  return FURNITURE_START.test(line) && PAGE_FURNITURE.some((re) => re.test(line));
}

/** Decide the dump style from the shape of its tab-bearing lines. */
export function detectStyle(lines: readonly string[]): DumpStyle {
  // (A tab-bearing line with a character that is no blank: what trim() leaves once the tabs go.)
  const tabbed = lines.filter(isTabbed);
  if (tabbed.length < 5) return 'whitespace';
  const single = tabbed.filter(isOneCell).length;
  return single / tabbed.length > 0.8 ? 'cell-per-line' : 'tab-rows';
}

// The per-line work of this file is in module-level functions and loops, not in closures made
// per call: V8 holds a function's optimized code only through its live closures, so a closure
// made per document loses it at a full GC and is compiled again, document after document.

const isTabbed = (l: string): boolean => (l.includes('\t') && NOT_BLANK_RE.test(l)) || l.startsWith('\t');
const isOneCell = (l: string): boolean => ONE_CELL_RE.test(l);
const ONE_CELL_RE = /^\t[^\t]*$/;
const notFurniture = (l: string): boolean => !isPageFurniture(l);

export function splitLines(text: string): string[] {
  let t = text.replace(/^\uFEFF/, '');
  // (Most dumps have neither: the whole text is not scanned again for them.)
  if (t.includes('\r')) t = t.replace(/\r\n?/g, '\n');
  if (t.includes('\f')) t = t.replace(/\f/g, '\n\f\n');
  return t.split('\n');
}

/** A character trim() would keep (\s is the set it removes). */
const NOT_BLANK_RE = /\S/;

/**
 * The shape a text dump must stay within. A report's dump has lines of a few hundred characters
 * and at most some tens of thousands of lines (a 300-page PDF through pdftotext); a 10 MB line
 * is no table (whitespace rows need lines) and would cost gigabytes of tokens to read as one.
 */
export const TEXT_BOUNDS = { maxLineChars: 100_000, maxLines: 60_000 } as const;

/** Throw TooComplexError when the text is beyond TEXT_BOUNDS; one pass, no copies. */
export function checkTextBounds(text: string, bounds: { maxLineChars: number; maxLines: number } = TEXT_BOUNDS): void {
  let lines = 0;
  for (let from = 0; from <= text.length; lines++) {
    let end = text.indexOf('\n', from);
    if (end < 0) end = text.length;
    if (end - from > bounds.maxLineChars) throw new TooComplexError('maxLineChars', end - from, `A line of the text is ${end - from} characters long (limit maxLineChars, ${bounds.maxLineChars}).`);
    if (lines >= bounds.maxLines) throw new TooComplexError('maxLines', lines + 1, `The text has more than ${bounds.maxLines} lines (limit maxLines).`);
    from = end + 1;
  }
}

export function textToDoc(text: string): ExtractedDoc {
  checkTextBounds(text);
  const lines = splitLines(text);
  let style: DumpStyle = detectStyle(lines);
  let rows: Cell[][];
  if (style === 'tab-rows') rows = tabRows(lines);
  else if (style === 'cell-per-line') rows = cellPerLineRows(lines);
  else {
    // A flattened dump (every table cell run together on one line) is cut into label and digit
    // tokens first; blanks left no trace in it, as in pdftotext -raw.
    // Once one line is a flattened table, every line of the body is cut the same way: the other
    // tables may sit on shorter lines of their own.
    if (isFlattened(lines)) style = 'flattened';
    rows = whitespaceRows(style === 'flattened' ? unglueLines(lines) : lines);
  }
  const table: Table = { rows, exact: false, blanksVanish: style === 'whitespace' || style === 'flattened' };
  if (style === 'flattened') {
    table.flattened = true;
    if (writesBlankMarks(lines)) table.blanksMarked = true;
  }
  const body = lines.filter(notFurniture);
  const readable = (style === 'flattened' ? mapPacked(body, breakChrome) : body).join('\n');
  return { format: 'text', text: readable, tables: [table], method: `text:${style}` };
}

function tabRows(lines: readonly string[]): Cell[][] {
  const rows: Cell[][] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    // A line of tabs alone is a row of empty cells (a blank table row), not a blank line.
    if ((!line.trim() && !line.includes('\t')) || isPageFurniture(line)) continue;
    rows.push(tabCells(line.split('\t'), i));
  }
  return rows;
}

function tabCells(texts: readonly string[], line: number): Cell[] {
  const out = emptyPacked<Cell>();
  for (let c = 0; c < texts.length; c++) out.push(cell(texts[c]!, line, c));
  return out;
}

function cellPerLineRows(lines: readonly string[]): Cell[][] {
  const rows: Cell[][] = [];
  let cur: Cell[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.startsWith('\t')) {
      cur.push(cell(line.slice(1), i, cur.length));
      continue;
    }
    if (!line.trim()) {
      cur = endRow(rows, cur);
      continue;
    }
    if (isPageFurniture(line)) continue;
    const last = cur[cur.length - 1];
    // A line without a tab continues the cell above ("本年新\n制作数量") unless that cell is a
    // number: then it is prose that follows the table.
    if (last && parseCell(last.text).kind === 'text' && last.text.trim() !== '') {
      last.text += `\n${line}`;
      continue;
    }
    cur = endRow(rows, cur);
    rows.push([cell(line, i, 0)]);
  }
  endRow(rows, cur);
  return rows;
}

/** Ends the row of cells being read (kept when it has any); gives the next row's cells. */
function endRow(rows: Cell[][], cur: Cell[]): Cell[] {
  if (cur.length) rows.push(cur);
  return [];
}

function whitespaceRows(lines: readonly string[]): Cell[][] {
  const layout: LayoutRow[] = [];
  let page = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (/^=== PAGE \d+/.test(line) || line.includes('\f')) page++;
    if (!line.trim() || isPageFurniture(line)) continue;
    const tokens = [];
    const re = /\S+/g;
    let m: RegExpExecArray | null;
    while ((m = re.exec(line))) {
      for (const part of splitGlued(m[0], m.index)) {
        const text = part.text.includes(GROUP_TAG) ? part.text.replace(GROUP_TAG, '') : part.text;
        tokens.push({ text: part.text, start: part.start, numeric: parseCell(text).kind === 'number' });
      }
    }
    layout.push({ line: i, page, tokens });
  }
  const gaps = recoverBlanks(layout);
  const rows = emptyPacked<Cell[]>();
  for (let r = 0; r < layout.length; r++) rows.push(layoutCells(layout[r]!, gaps.get(r)));
  return rows;
}

/** A laid-out row's cells, with the blank cells `gaps` recovered before and after its numbers. */
function layoutCells(row: LayoutRow, gaps: readonly number[] | undefined): Cell[] {
  const cells: Cell[] = [];
  const firstNumber = gaps ? row.tokens.length - (gaps.length - 1) : Infinity;
  for (let j = 0; j < row.tokens.length; j++) {
    const t = row.tokens[j]!;
    if (gaps && j >= firstNumber) addBlanks(cells, row.line, gaps[j - firstNumber]!);
    const at = t.text.indexOf(GROUP_TAG);
    if (at < 0) cells.push(cell(t.text, row.line, cells.length));
    else cells.push({ ...cell(t.text.replace(GROUP_TAG, ''), row.line, cells.length), grouped: t.text.slice(0, at).replace(/[^0-9０-９]/g, '').length });
  }
  if (gaps) addBlanks(cells, row.line, gaps[gaps.length - 1]!);
  return cells;
}

function addBlanks(cells: Cell[], line: number, n: number): void {
  for (let b = 0; b < n; b++) cells.push(cell('', line, cells.length, { inferred: true }));
}

/**
 * Flattened text glues a label to its numbers ("规章000", "1.属于国家秘密1000001"): split where a
 * Chinese character or closing bracket is directly followed by a digit. Never the other way round:
 * "25.67万元" and "3件" are one cell each.
 */
const SIGN_WORD_RE = /^(?:增加|新增|增|加|减少|减|降低|下降)$/;
const HAS_DIGIT_RE = /[0-9０-９]/;

export function splitGlued(token: string, start: number): { text: string; start: number }[] {
  // Most tokens hold no digit, and only a digit starts a new piece.
  if (!HAS_DIGIT_RE.test(token)) return [{ text: token, start }];
  const out: { text: string; start: number }[] = [];
  let from = 0;
  const re = /(?<=[\p{Script=Han}）)】」”])(?=[0-9０-９])/gu;
  let m: RegExpExecArray | null;
  while ((m = re.exec(token))) {
    // 减少8, 增加5: a change written with its sign word is one cell.
    if (SIGN_WORD_RE.test(token.slice(from, m.index))) {
      re.lastIndex++;
      continue;
    }
    if (m.index > from) out.push({ text: token.slice(from, m.index), start: start + from });
    from = m.index;
    re.lastIndex++;
  }
  out.push({ text: token.slice(from), start: start + from });
  return out;
}
