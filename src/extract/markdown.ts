/**
 * Markdown as PDF-to-Markdown converters and OCR/LLM pipelines write it: headings, emphasis and
 * pipe tables (`| 予以公开 | 290 | 1 | 0 | 0 | 3 | 0 | 294 |`). Each pipe table becomes an exact
 * grid (its cell boundaries are real); the prose between tables becomes one-cell rows, so that the
 * matcher finds the section headings in document order. Converters cut one official table into
 * many small ones with made-up headers (数据1 … 数据6) or put rows under a wrong header: nothing
 * here depends on headers — the matcher reads rows by their labels and values by position.
 */
import { type Cell, type ExtractedDoc, type Table, cell } from './grid.js';
import { isPageFurniture, splitLines } from './text.js';

/** A pipe-table row: starts with a pipe (after indentation) and has at least two. */
const ROW_RE = /^\s{0,3}\|.*\|/;
/** The delimiter row under a header: | --- | :---: | ---: | */
const DELIMITER_RE = /^\s{0,3}\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?\s*$/;

/** True when the text holds pipe tables: a delimiter row right under a row of cells, or many pipe rows. */
export function looksLikeMarkdown(text: string): boolean {
  const lines = splitLines(text.slice(0, 200_000));
  let pipeRows = 0;
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    if (!ROW_RE.test(l)) continue;
    pipeRows++;
    if (DELIMITER_RE.test(lines[i + 1] ?? '') && (l.match(/\|/g)?.length ?? 0) >= 2) return true;
  }
  return pipeRows >= 8;
}

/** Heading marks, emphasis, block quotes, list bullets, inline HTML breaks: not part of the text. */
export function plainMarkdown(s: string): string {
  return s
    .replace(/<br\s*\/?>/gi, ' ')
    .replace(/<\/?[a-z][^>]*>/gi, '')
    .replace(/^\s{0,3}#{1,6}\s+/, '')
    .replace(/\s+#+\s*$/, '')
    .replace(/^\s{0,3}>\s?/, '')
    .replace(/^\s{0,3}[-*+]\s+(?=\S)/, '')
    .replace(/(\*\*|__)(.+?)\1/g, '$2')
    .replace(/(^|[^*\w])\*(?!\s)([^*]+?)\*(?!\w)/g, '$1$2')
    .replace(/`([^`]*)`/g, '$1')
    .replace(/\\([\\`*_{}[\]()#+\-.!|])/g, '$1')
    .trim();
}

/** The cells of one pipe row; escaped pipes (\|) stay inside their cell. */
function splitRow(line: string): string[] {
  let s = line.trim();
  if (s.startsWith('|')) s = s.slice(1);
  if (s.endsWith('|') && !s.endsWith('\\|')) s = s.slice(0, -1);
  return s.split(/(?<!\\)\|/).map((c) => plainMarkdown(c.replace(/\\\|/g, '|')));
}

export function markdownToDoc(text: string): ExtractedDoc {
  const lines = splitLines(text);
  const tables: Table[] = [];
  const readable: string[] = [];
  let prose: Cell[][] = [];
  let grid: Cell[][] = [];
  const flushProse = () => {
    if (prose.length) tables.push({ rows: prose, exact: false, blanksVanish: false });
    prose = [];
  };
  const flushGrid = () => {
    if (grid.length) tables.push({ rows: grid, exact: true, blanksVanish: false });
    grid = [];
  };
  lines.forEach((line, i) => {
    if (ROW_RE.test(line)) {
      if (DELIMITER_RE.test(line)) return;
      flushProse();
      const cells = splitRow(line);
      grid.push(cells.map((t, c) => cell(t, i, c)));
      readable.push(cells.join('\t'));
      return;
    }
    flushGrid();
    const t = plainMarkdown(line);
    if (!t || DELIMITER_RE.test(line) || /^(?:-{3,}|\*{3,}|_{3,})$/.test(t) || isPageFurniture(t)) return;
    prose.push([cell(t, i, 0)]);
    readable.push(t);
  });
  flushGrid();
  flushProse();
  return { format: 'markdown', text: readable.join('\n'), tables, method: `markdown:${tables.filter((t) => t.exact).length} tables` };
}
