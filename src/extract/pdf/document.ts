/**
 * Pages (text pieces and table frames) → the document's grid: ruled tables as exact tables,
 * joined across pages; the text around them as rows aligned by position; and the reading-order
 * text of the whole. Pure: no pdf.js here.
 */
import { type Cell, type ExtractedDoc, type Table, cell } from '../grid.js';
import { isPageFurniture } from '../text.js';
import { type PageLine, alignedRows } from './align.js';
import { buildCells } from './cells.js';
import { type Chain, type FrameOnPage, type PageBlocks, chainFrames } from './chains.js';
import { toPdfBox } from './geometry.js';
import { type Line, cellText, groupLines, lineText } from './lines.js';
import type { PageContent } from './load.js';
import { placePieces } from './place.js';
import { type TablePart, joinParts } from './tables.js';
import type { TextPiece } from './text-items.js';

/** How far (pt) outside its outer border a piece may reach and still be read as the table's. */
const INSIDE = 1;

export function buildDocument(pages: readonly PageContent[], note = ''): ExtractedDoc {
  const laid = pages.map(layOut);
  const chains = chainFrames(laid);
  const chainOf = new Map<FrameOnPage, Chain>();
  for (const c of chains) chainOf.set(c.parts[0]!, c);

  const tables: Table[] = [];
  const text: string[] = [];
  let run: PageLine[] = [];
  let ruled = 0;
  const flush = () => {
    if (!run.length) return;
    tables.push({ rows: alignedRows(run), exact: false, blanksVanish: true, page: run[0]!.page });
    run = [];
  };

  for (const { page, frames, lines } of laid) {
    const blocks: ({ y: number; frame: FrameOnPage } | { y: number; line: Line })[] = [
      ...frames.map((f) => ({ y: f.frame.box.y0, frame: f })),
      ...lines.map((l) => ({ y: l.y0, line: l })),
    ].sort((a, b) => a.y - b.y);
    for (const b of blocks) {
      if ('line' in b) {
        const t = lineText(b.line.pieces);
        if (isPageFurniture(t)) continue;
        run.push({ page: page.number, pageHeight: page.height, line: b.line });
        text.push(t);
        continue;
      }
      const chain = chainOf.get(b.frame);
      if (!chain) continue; // a later part of a table already read
      const table = chainTable(chain);
      if (!table) continue;
      flush();
      tables.push(table);
      ruled++;
      for (const row of table.rows) text.push(row.map((c) => c.text.replace(/\s*\n\s*/g, '')).join('\t'));
    }
  }
  flush();
  const method = `pdf:${ruled ? 'ruled' : 'aligned'}${note ? `; ${note}` : ''}`;
  return { format: 'pdf', text: text.join('\n'), tables, pages: pages.length, method };
}

/** A page's frames with the text inside each, and the lines of the text outside them. */
function layOut(page: PageContent): PageBlocks {
  const frames: FrameOnPage[] = page.frames.map((frame) => ({ page, frame, pieces: [], overflow: [] }));
  const free: TextPiece[] = [];
  for (const p of page.pieces) {
    const cx = (p.x0 + p.x1) / 2;
    const cy = (p.y0 + p.y1) / 2;
    const f = frames.find(({ frame: { box } }) => cx >= box.x0 - INSIDE && cx <= box.x1 + INSIDE && cy >= box.y0 - INSIDE && cy <= box.y1 + INSIDE);
    if (f) f.pieces.push(p);
    else free.push(p);
  }
  // A grid without any text is decoration (a form, a drawing), not a table.
  return { page, frames: frames.filter((f) => f.pieces.length > 0), lines: groupLines(free) };
}

/** The exact table of a chain of frames. */
function chainTable(chain: Chain): Table | null {
  const heights = new Map(chain.parts.map((p) => [p.page.number, p.page.height]));
  const parts: TablePart[] = chain.parts.map(({ page, frame, pieces, overflow }) => {
    const grid = buildCells(chain.xs, frame.ys, frame.horizontal, frame.vertical);
    const { byCell } = placePieces(grid, pieces, overflow);
    return {
      page: page.number,
      rows: frame.ys.length - 1,
      cells: grid.cells.map((g, k) => ({ text: cellText(byCell[k]!), row: g.row, col: g.col, rowSpan: g.rowSpan, colSpan: g.colSpan, page: page.number, box: g.box, ...confidenceOf(byCell[k]!) })),
    };
  });
  const joined = joinParts(parts);
  if (!joined.cells.some((c) => c.text.trim())) return null;
  const rows: Cell[][] = [];
  for (const c of joined.cells) {
    (rows[c.row] ??= []).push(cell(c.text, c.row, c.col, { rowSpan: c.rowSpan, colSpan: c.colSpan, page: c.page, bbox: toPdfBox(c.box, heights.get(c.page)!), ...(c.confidence !== undefined ? { confidence: c.confidence } : {}) }));
  }
  return { rows: rows.filter(Boolean), exact: true, blanksVanish: false, page: chain.parts[0]!.page.number };
}

/** OCR pieces: the cell is as sure as its least sure word. Text-layer pieces carry nothing. */
function confidenceOf(pieces: readonly TextPiece[]): { confidence?: number } {
  const c = pieces.filter((p) => p.conf !== undefined).map((p) => p.conf!);
  return c.length ? { confidence: Math.min(...c) } : {};
}
