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
import type { Frame } from './frames.js';
import { toPdfBox } from './geometry.js';
import { type Line, cellText, groupLines, lineText } from './lines.js';
import type { PageContent } from './load.js';
import { placePieces } from './place.js';
import { type TableCell, type TablePart, joinParts } from './tables.js';
import type { TextPiece } from './text-items.js';
import { emptyPacked } from '../../normalize/arrays.js';

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
  // Packed lists of objects and a loop instead of a closure per piece (doc/jit-warm-up.md).
  const frames = emptyPacked<FrameOnPage>();
  for (const frame of page.frames) frames.push(new FrameText(page, frame));
  const free = emptyPacked<TextPiece>();
  for (const p of page.pieces) {
    const f = frameAround(frames, (p.x0 + p.x1) / 2, (p.y0 + p.y1) / 2);
    if (f) f.pieces.push(p);
    else free.push(p);
  }
  // A grid without any text is decoration (a form, a drawing), not a table.
  return { page, frames: frames.filter((f) => f.pieces.length > 0), lines: groupLines(free) };
}

/**
 * A frame with the text found in it. A class rather than a literal: the literal's allocation site
 * tied layOut to the site's tenuring decision, and the first full GC deoptimized it ("code
 * dependencies", doc/jit-warm-up.md).
 */
class FrameText implements FrameOnPage {
  readonly pieces: TextPiece[] = emptyPacked();
  readonly overflow: TextPiece[] = emptyPacked();
  constructor(readonly page: PageContent, readonly frame: Frame) {}
}

/** The first frame whose box (widened by INSIDE) holds the point. */
function frameAround(frames: readonly FrameOnPage[], cx: number, cy: number): FrameOnPage | undefined {
  for (const f of frames) {
    const { box } = f.frame;
    if (cx >= box.x0 - INSIDE && cx <= box.x1 + INSIDE && cy >= box.y0 - INSIDE && cy <= box.y1 + INSIDE) return f;
  }
  return undefined;
}

/** The exact table of a chain of frames. */
function chainTable(chain: Chain): Table | null {
  const heights = new Map(chain.parts.map((p) => [p.page.number, p.page.height]));
  const parts = emptyPacked<TablePart>();
  for (const part of chain.parts) parts.push(tablePart(chain, part));
  const joined = joinParts(parts);
  if (!joined.cells.some((c) => c.text.trim())) return null;
  const rows: Cell[][] = [];
  for (const c of joined.cells) {
    (rows[c.row] ??= []).push(cell(c.text, c.row, c.col, { rowSpan: c.rowSpan, colSpan: c.colSpan, page: c.page, bbox: toPdfBox(c.box, heights.get(c.page)!), ...(c.confidence !== undefined ? { confidence: c.confidence } : {}) }));
  }
  return { rows: rows.filter(Boolean), exact: true, blanksVanish: false, page: chain.parts[0]!.page.number };
}

/**
 * One part of a chain read on the chain's column edges. Its cells are of one shape (`confidence`
 * always set, undefined without OCR) and in packed lists (doc/jit-warm-up.md).
 */
function tablePart(chain: Chain, { page, frame, pieces, overflow }: FrameOnPage): TablePart {
  const grid = buildCells(chain.xs, frame.ys, frame.horizontal, frame.vertical);
  const { byCell } = placePieces(grid, pieces, overflow);
  const cells = emptyPacked<TableCell>();
  for (let k = 0; k < grid.cells.length; k++) {
    const g = grid.cells[k]!;
    cells.push({ text: cellText(byCell[k]!), row: g.row, col: g.col, rowSpan: g.rowSpan, colSpan: g.colSpan, page: page.number, box: g.box, confidence: confidenceOf(byCell[k]!) });
  }
  return { page: page.number, rows: frame.ys.length - 1, cells };
}

/** OCR pieces: the cell is as sure as its least sure word. Text-layer pieces carry nothing. */
function confidenceOf(pieces: readonly TextPiece[]): number | undefined {
  let min: number | undefined;
  for (const p of pieces) if (p.conf !== undefined) min = min === undefined ? p.conf : Math.min(min, p.conf);
  return min;
}
