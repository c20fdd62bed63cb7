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
import { mapPacked } from '../normalize/arrays.js';

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
  const tabbed = lines.filter((l) => (l.includes('\t') && NOT_BLANK_RE.test(l)) || l.startsWith('\t'));
  if (tabbed.length < 5) return 'whitespace';
  const single = tabbed.filter((l) => /^\t[^\t]*$/.test(l)).length;
  return single / tabbed.length > 0.8 ? 'cell-per-line' : 'tab-rows';
}

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
  const readable = mapPacked(lines.filter((l) => !isPageFurniture(l)), (l) => (style === 'flattened' ? breakChrome(l) : l)).join('\n');
  return { format: 'text', text: readable, tables: [table], method: `text:${style}` };
}

function tabRows(lines: readonly string[]): Cell[][] {
  const rows: Cell[][] = [];
  lines.forEach((line, i) => {
    // A line of tabs alone is a row of empty cells (a blank table row), not a blank line.
    if ((!line.trim() && !line.includes('\t')) || isPageFurniture(line)) return;
    rows.push(mapPacked(line.split('\t'), (t, c) => cell(t, i, c)));
  });
  return rows;
}

function cellPerLineRows(lines: readonly string[]): Cell[][] {
  const rows: Cell[][] = [];
  let cur: Cell[] = [];
  const flush = () => {
    if (cur.length) rows.push(cur);
    cur = [];
  };
  lines.forEach((line, i) => {
    if (line.startsWith('\t')) {
      cur.push(cell(line.slice(1), i, cur.length));
      return;
    }
    if (!line.trim()) {
      flush();
      return;
    }
    if (isPageFurniture(line)) return;
    const last = cur[cur.length - 1];
    // A line without a tab continues the cell above ("本年新\n制作数量") unless that cell is a
    // number: then it is prose that follows the table.
    if (last && parseCell(last.text).kind === 'text' && last.text.trim() !== '') {
      last.text += `\n${line}`;
      return;
    }
    flush();
    rows.push([cell(line, i, 0)]);
  });
  flush();
  return rows;
}

function whitespaceRows(lines: readonly string[]): Cell[][] {
  const layout: LayoutRow[] = [];
  let page = 0;
  lines.forEach((line, i) => {
    if (/^=== PAGE \d+/.test(line) || line.includes('\f')) page++;
    if (!line.trim() || isPageFurniture(line)) return;
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
  });
  const gaps = recoverBlanks(layout);
  return mapPacked(layout, (row, r) => {
    const cells: Cell[] = [];
    const g = gaps.get(r);
    const firstNumber = g ? row.tokens.length - (g.length - 1) : Infinity;
    const blank = () => cells.push(cell('', row.line, cells.length, { inferred: true }));
    row.tokens.forEach((t, j) => {
      if (g && j >= firstNumber) for (let b = 0; b < g[j - firstNumber]!; b++) blank();
      const at = t.text.indexOf(GROUP_TAG);
      if (at < 0) cells.push(cell(t.text, row.line, cells.length));
      else cells.push({ ...cell(t.text.replace(GROUP_TAG, ''), row.line, cells.length), grouped: t.text.slice(0, at).replace(/[^0-9０-９]/g, '').length });
    });
    if (g) for (let b = 0; b < g[g.length - 1]!; b++) blank();
    return cells;
  });
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
