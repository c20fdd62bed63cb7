/**
 * Markdown as PDF-to-Markdown converters and OCR/LLM pipelines write it: headings (`#` and
 * setext), front matter, emphasis, and tables in four shapes — pipe tables (with or without outer
 * pipes, full-width ｜ from OCR), pandoc grid and simple/multiline tables (markdown-ruled.ts),
 * and HTML <table> blocks with their rowspans and colspans (MinerU, marker, docling, LLM
 * pipelines), read by the HTML adapter's own table reader. Each table becomes an exact grid (its
 * cell boundaries are real); the prose between tables becomes one-cell rows, so that the matcher
 * finds the section headings in document order. Converters cut one official table into many
 * small ones with made-up headers (数据1 … 数据6) or put rows under a wrong header: nothing here
 * depends on headers — the matcher reads rows by their labels and values by position.
 */
import { type Cell, type ExtractedDoc, type Table, cell } from './grid.js';
import { isPageFurniture, splitLines } from './text.js';
import { COLUMN_RULE_RE, GRID_BORDER_RE, gridTableEnd, readDashedTable, readGridTable } from './markdown-ruled.js';
import { mapPacked } from '../normalize/arrays.js';

/** A pipe-table row: starts with a pipe (after indentation) and has at least two. */
const ROW_RE = /^\s{0,3}\|.*\|/;
/** The delimiter row under a header: | --- | :---: | ---: | (outer pipes optional). */
const DELIMITER_RE = /^\s{0,3}\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?\s*$/;
/** A delimiter row that proves a table without outer pipes: at least one inner pipe. */
const INNER_DELIMITER_RE = /^\s{0,3}\|?\s*:?-{1,}:?\s*(?:\|\s*:?-{1,}:?\s*)+\|?\s*$/;
/** An unescaped pipe. */
const PIPE_RE = /(?<!\\)\|/;
/** A setext heading's underline (the --- one is a thematic break and dropped as well). */
const SETEXT_RE = /^\s{0,3}=+\s*$/;
/** The opening of an HTML table block. */
const HTML_TABLE_RE = /<table[\s>]/i;

/**
 * OCR and LLM pipelines write table rows with the full-width bar ｜: a line that starts or ends
 * with one, or holds two or more, is a row, and its bars are pipes.
 */
function asciiPipes(line: string): string {
  if (!line.includes('｜')) return line;
  const t = line.trim();
  return t.startsWith('｜') || t.endsWith('｜') || (line.match(/｜/g)?.length ?? 0) >= 2 ? line.replace(/｜/g, '|') : line;
}

/**
 * Converters nest tables in block quotes (`> | a | b |`) and list items (indented past the
 * list marker, often four spaces or more): the container's marks go, and a line that is a table
 * row, delimiter or border loses its indentation, so tables read the same at any depth.
 */
function unnest(line: string): string {
  const l = line.replace(/^(?:\s{0,3}>[ \t]?)+/, '');
  const t = l.trimStart();
  return t !== l && /^(?:[|+]|:?-{3,}:?\s*\|)/.test(t) ? t : l;
}

/** The lines of a Markdown text, full-width pipes made ASCII and containers undone. */
const markdownLines = (text: string) => mapPacked(splitLines(text), (l) => asciiPipes(unnest(l)));

/**
 * What every Markdown table below needs somewhere in the text: a pipe (ASCII or full-width) for
 * pipe and grid tables, or column rules ("--") or an HTML <table> under a heading ("#" or a setext
 * "="). Most text dumps have none, and are then told apart without cutting them into lines.
 */
function couldBeMarkdown(text: string): boolean {
  if (text.includes('|') || text.includes('｜')) return true;
  return (text.includes('--') || HTML_TABLE_RE.test(text)) && (text.includes('#') || text.includes('='));
}

/** True when the text holds tables written as Markdown: pipe tables with their delimiter row, many pipe rows, grid tables. */
export function looksLikeMarkdown(text: string): boolean {
  const head = text.slice(0, 200_000);
  if (!couldBeMarkdown(head)) return false;
  const lines = markdownLines(head);
  let pipeRows = 0;
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    if (GRID_BORDER_RE.test(l) && /^\s{0,3}\|.*\|\s*$/.test(lines[i + 1] ?? '')) return true;
    if (!PIPE_RE.test(l)) continue;
    if (ROW_RE.test(l)) pipeRows++;
    if (delimiterWidth(l, lines[i + 1])) return true;
  }
  // Pandoc simple tables (dashed column rules) and HTML table blocks past the sniffer's first
  // bytes, under Markdown headings.
  const rules = lines.filter((l) => COLUMN_RULE_RE.test(l)).length;
  const headed = () => lines.some((l) => /^\s{0,3}#{1,6}\s/.test(l) || SETEXT_RE.test(l));
  return pipeRows >= 8 || ((rules >= 2 || lines.some((l) => HTML_TABLE_RE.test(l))) && headed());
}

/** The named character references converters write in Markdown text; numeric ones are decoded too. */
const ENTITIES: Record<string, string> = { nbsp: '\u00a0', ensp: '\u2002', emsp: '\u2003', thinsp: '\u2009', amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
const ENTITY_RE = /&(?:#(\d{1,7})|#[xX]([0-9a-fA-F]{1,6})|([a-zA-Z]+));/g;

/** HTML character references in Markdown text ("&nbsp;" in a blank cell) as the characters they stand for. */
function decodeEntities(s: string): string {
  if (!s.includes('&')) return s;
  return s.replace(ENTITY_RE, (m, dec: string | undefined, hex: string | undefined, name: string | undefined) => {
    const cp = dec ? Number(dec) : hex ? parseInt(hex, 16) : -1;
    if (cp >= 0) return cp > 0 && cp <= 0x10ffff ? String.fromCodePoint(cp) : m;
    return ENTITIES[name!.toLowerCase()] ?? m;
  });
}

/** Heading marks, emphasis, block quotes, list bullets, inline HTML breaks and character references: not part of the text. */
export function plainMarkdown(s: string): string {
  return decodeEntities(s
    // Footnote references (<sup>1</sup>, [^1]) are no part of a cell: glued to a number they would read as its digits.
    .replace(/<sup\b[^>]*>.*?<\/sup>|\[\^[^\]\s]{1,8}\]/gi, '')
    .replace(/<br\s*\/?>/gi, ' ')
    .replace(/<\/?[a-z][^>]*>/gi, '')
    .replace(/^\s{0,3}#{1,6}\s+/, '')
    .replace(/\s+#+\s*$/, '')
    .replace(/^\s{0,3}>\s?/, '')
    .replace(/^\s{0,3}[-*+]\s+(?=\S)/, '')
    .replace(/(\*\*|__)(.+?)\1/g, '$2')
    .replace(/(^|[^*\w])\*(?!\s)([^*]+?)\*(?!\w)/g, '$1$2')
    .replace(/`([^`]*)`/g, '$1')
    // OCR pipelines write some numbers and dashes as inline math ($12$, $-$, $1{,}234$).
    .replace(/\$\s*([-+−—–\d.,\s{}]{1,24}?)\s*\$/g, (_, m: string) => m.replace(/[{}\s]/g, ''))
    .replace(/\\([\\`*_{}[\]()#+\-.!|])/g, '$1'))
    .trim();
}

/**
 * The cells of one pipe row; escaped pipes (\|) stay inside their cell. In a table written
 * without outer pipes (`bare`), a pipe at either end of a row stands for a blank cell there.
 */
function splitRow(line: string, bare = false): string[] {
  let s = line.trim();
  if (!bare && s.startsWith('|')) s = s.slice(1);
  if (!bare && s.endsWith('|') && !s.endsWith('\\|')) s = s.slice(0, -1);
  return mapPacked(s.split(/(?<!\\)\|/), (c) => plainMarkdown(c.replace(/\\\|/g, '|')));
}


/**
 * The width of the pipe table whose header is `line`, from the delimiter row under it (0 when
 * there is none, or when the two differ in width, as GFM asks).
 */
function delimiterWidth(line: string, next: string | undefined): number {
  if (!PIPE_RE.test(line) || !next || !INNER_DELIMITER_RE.test(next)) return 0;
  const bare = !/^\s*\|/.test(line) && !/^\s*\|/.test(next);
  const n = splitRow(next, bare).length;
  const h = splitRow(line, bare).length;
  return h >= 2 && h === n ? n : 0;
}

/** YAML front matter: a --- line first, closed by --- or ... within the first lines. */
function frontMatterEnd(lines: readonly string[]): number {
  let i = 0;
  while (i < lines.length && !lines[i]!.trim()) i++;
  if (!/^---\s*$/.test(lines[i] ?? '')) return 0;
  for (let j = i + 1; j < Math.min(lines.length, i + 60); j++) {
    if (/^(?:---|\.\.\.)\s*$/.test(lines[j]!)) return j + 1;
    // Front matter is key: value lines (and their list items); anything else is no front matter.
    if (lines[j]!.trim() && !/^\s*(?:[\w-]+\s*:|-\s|#)/.test(lines[j]!) && !/^\s/.test(lines[j]!)) return 0;
  }
  return 0;
}

/**
 * The front matter's title (title: …, quotes and emphasis off) when it is a whole report title,
 * a name before the year and 报告 after it: converters put the document's title there, and some
 * drop it from the body, so it opens the text as the title line would. A bare "2023年度报告"
 * or a file name says nothing of the agency and stays out.
 */
function frontMatterTitle(lines: readonly string[], end: number): string {
  for (let j = 0; j < end; j++) {
    const m = /^title\s*:\s*(.+?)\s*$/i.exec(lines[j]!);
    const t = m ? plainMarkdown(m[1]!.replace(/^(["'])(.*)\1$/, '$2')) : '';
    if (t) return /\p{Script=Han}{2,}.*?(?:19|20)\d\d\s*年.*报告/u.test(t) ? t : '';
  }
  return '';
}

/** The HTML tables of a fragment, as the HTML adapter reads them. */
export type HtmlTableReader = (html: string) => Table[];

/** The end of the HTML table block that opens on line `from`: the line holding its last </table>. */
function htmlTableEnd(lines: readonly string[], from: number): number {
  let depth = 0;
  for (let i = from; i < lines.length; i++) {
    depth += (lines[i]!.match(/<table[\s>]/gi)?.length ?? 0) - (lines[i]!.match(/<\/table\s*>/gi)?.length ?? 0);
    if (depth <= 0) return i;
  }
  return lines.length - 1;
}

export function markdownToDoc(text: string, readHtml?: HtmlTableReader): ExtractedDoc {
  const lines = markdownLines(text);
  const tables: Table[] = [];
  const readable: string[] = [];
  let prose: Cell[][] = [];
  const flushProse = () => {
    if (prose.length) tables.push({ rows: prose, exact: false, blanksVanish: false });
    prose = [];
  };
  const addProse = (line: string, i: number) => {
    const t = plainMarkdown(line);
    if (!t || DELIMITER_RE.test(line) || SETEXT_RE.test(line) || /^(?:-{3,}|\*{3,}|_{3,})$/.test(t) || isPageFurniture(t)) return;
    prose.push([cell(t, i, 0)]);
    readable.push(t);
  };
  const addTable = (rows: Cell[][], exact = true) => {
    if (!rows.length) return;
    flushProse();
    tables.push({ rows, exact, blanksVanish: false });
    for (const r of rows) readable.push(mapPacked(r, (c) => c.text.replace(/\s*\n\s*/g, ' ')).join('\t'));
  };
  let i = frontMatterEnd(lines);
  const title = frontMatterTitle(lines, i);
  if (title) addProse(title, 0);
  while (i < lines.length) {
    const line = lines[i]!;
    if (readHtml && HTML_TABLE_RE.test(line)) {
      const end = htmlTableEnd(lines, i);
      const block = lines.slice(i, end + 1).join('\n');
      const open = block.search(HTML_TABLE_RE);
      const close = block.toLowerCase().lastIndexOf('</table');
      const stop = close < 0 ? block.length : block.indexOf('>', close) + 1 || block.length;
      addProse(block.slice(0, open), i);
      for (const t of readHtml(block.slice(open, stop))) addTable(t.rows);
      addProse(block.slice(stop), end);
      i = end + 1;
      continue;
    }
    if (GRID_BORDER_RE.test(line)) {
      const end = gridTableEnd(lines, i);
      const rows = end > i + 2 ? readGridTable(lines.slice(i, end), plainMarkdown) : null;
      if (rows) {
        addTable(rows);
        i = end;
        continue;
      }
    }
    if (COLUMN_RULE_RE.test(line) && !PIPE_RE.test(line)) {
      const t = readDashedTable(lines, i, plainMarkdown);
      if (t && t.rows[0]!.length >= 2) {
        // Its header lines went to the prose already: take them back.
        const from = Math.max(t.from, 0);
        while (prose.length && prose[prose.length - 1]![0]!.row >= from) (prose.pop(), readable.pop());
        addTable(mapPacked(t.rows, (r) => mapPacked(r, (c) => ({ ...c, row: from + c.row }))));
        i = t.to;
        continue;
      }
    }
    // A pipe table: a row of cells over its delimiter row, then rows to the first line without a pipe.
    const width = delimiterWidth(line, lines[i + 1]);
    const bare = width > 0 && !/^\s*\|/.test(line) && !/^\s*\|/.test(lines[i + 1]!);
    if (width || ROW_RE.test(line)) {
      const rows: Cell[][] = [];
      let j = i;
      for (; j < lines.length && (ROW_RE.test(lines[j]!) || (width && PIPE_RE.test(lines[j]!) && lines[j]!.trim())); j++) {
        if (DELIMITER_RE.test(lines[j]!) || (j === i + 1 && width)) continue;
        rows.push(mapPacked(splitRow(lines[j]!, bare), (t, c) => cell(t, j, c)));
      }
      // A row of another width than its delimiter row has lost a cell, and where is unknown:
      // such a table's columns are not exact.
      addTable(rows, !width || rows.every((r) => r.length === width));
      i = j;
      continue;
    }
    addProse(line, i);
    i++;
  }
  flushProse();
  return { format: 'markdown', text: readable.join('\n'), tables, method: `markdown:${tables.filter((t) => t.exact).length} tables` };
}

/** Markdown → ExtractedDoc; the HTML adapter is loaded only when the Markdown holds an HTML table. */
export async function extractMarkdown(text: string): Promise<ExtractedDoc> {
  if (!HTML_TABLE_RE.test(text)) return markdownToDoc(text);
  const { htmlToDoc } = await import('./html.js');
  return markdownToDoc(text, (html) => htmlToDoc(html, { format: 'markdown' }).tables);
}
