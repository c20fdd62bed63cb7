/**
 * Which frames on successive pages are parts of one table, and which loose text belongs to them.
 * A frame that ends a page continues in the frame that starts the next when nothing but page
 * furniture lies between them and their columns agree. Browsers cut a merged cell at the page
 * break without its borders: its text runs on below the last rule (三、本年度办 | 理结果) and on
 * the next page stands beside the frame, outside any rule. Text in one column of the table, right
 * below a part or beside the next one, is that cell's text and goes with the table.
 */
import { isPageFurniture } from '../text.js';
import type { Frame } from './frames.js';
import { type Line, lineText } from './lines.js';
import type { PageContent } from './load.js';
import { sameColumns, unionEdges } from './tables.js';
import type { TextPiece } from './text-items.js';

/** Lines in the outer tenth of a page (running headers, page numbers) may sit between two parts of a table. */
const MARGIN_BAND = 0.1;
/** Loose text closer than this many ems to a part (below it, or above the next one) may be a cut cell's. */
const NEAR = 1.5;

export interface FrameOnPage {
  page: PageContent;
  frame: Frame;
  /** Text inside the frame. */
  pieces: TextPiece[];
  /** Text of cells cut by a page break that lies outside the frame's rules. */
  overflow: TextPiece[];
}

export interface PageBlocks {
  page: PageContent;
  frames: FrameOnPage[];
  /** Text outside every frame, as lines. */
  lines: Line[];
}

export interface Chain {
  parts: FrameOnPage[];
  /** Column edges of all parts. */
  xs: number[];
}

/**
 * Group the frames of all pages into tables. Lines taken as a table's overflow are moved from
 * their page's lines to the part's `overflow`.
 */
export function chainFrames(laid: readonly PageBlocks[]): Chain[] {
  const chains: Chain[] = [];
  let last: { chain: Chain; part: FrameOnPage; blocks: PageBlocks } | null = null;
  for (const pb of laid) {
    let chain: Chain | null = null;
    pb.frames.forEach((f, j) => {
      const link = j === 0 && last ? continuation(last.part, last.blocks, f, pb) : null;
      if (link && last) {
        chain = last.chain;
        chain.parts.push(f);
        take(last.blocks, last.part, link.below);
        take(pb, f, link.above);
      } else {
        chain = { parts: [f], xs: [] };
        chains.push(chain);
      }
    });
    const lastFrame = pb.frames[pb.frames.length - 1];
    last = lastFrame && chain ? { chain, part: lastFrame, blocks: pb } : null;
  }
  const blocksOf = new Map(laid.map((b) => [b.page, b]));
  for (const c of chains) {
    c.xs = unionEdges(c.parts.map((p) => p.frame.xs));
    if (c.parts.length < 2) continue;
    for (const p of c.parts) {
      const blocks = blocksOf.get(p.page)!;
      take(blocks, p, beside(blocks.lines, p.frame, c.xs));
    }
  }
  return chains;
}

function take(blocks: PageBlocks, part: FrameOnPage, lines: readonly Line[]): void {
  if (!lines.length) return;
  const set = new Set(lines);
  blocks.lines = blocks.lines.filter((l) => !set.has(l));
  for (const l of lines) part.overflow.push(...l.pieces);
}

function isMargin(l: Line, page: PageContent): boolean {
  return isPageFurniture(lineText(l.pieces)) || l.y0 >= (1 - MARGIN_BAND) * page.height || l.y1 <= MARGIN_BAND * page.height;
}

/** The line lies within one column of the table. */
function inOneColumn(l: Line, xs: readonly number[]): boolean {
  for (let k = 0; k < xs.length - 1; k++) if (l.x0 >= xs[k]! - 1 && l.x1 <= xs[k + 1]! + 1) return true;
  return false;
}

/**
 * Whether frame `b`, first on its page, continues frame `a`, last on the page before; if so, the
 * loose lines that belong to the cut cells (below `a`, above `b`).
 */
function continuation(a: FrameOnPage, pa: PageBlocks, b: FrameOnPage, pb: PageBlocks): { below: Line[]; above: Line[] } | null {
  if (pa.page.number !== pb.page.number - 1 || !sameColumns(a.frame, b.frame)) return null;
  const xs = unionEdges([a.frame.xs, b.frame.xs]);
  const below = cutCellLines(pa.lines.filter((l) => l.y0 >= a.frame.box.y1 - 1).sort((x, y) => x.y0 - y.y0), a.frame.box.y1, 1, xs);
  const above = cutCellLines(pb.lines.filter((l) => l.y1 <= b.frame.box.y0 + 1).sort((x, y) => y.y1 - x.y1), b.frame.box.y0, -1, xs);
  if (pa.lines.some((l) => l.y0 >= a.frame.box.y1 - 1 && !below.includes(l) && !isMargin(l, pa.page))) return null;
  if (pb.lines.some((l) => l.y1 <= b.frame.box.y0 + 1 && !above.includes(l) && !isMargin(l, pb.page))) return null;
  return { below, above };
}

/**
 * The run of lines, walking away from a table's edge (`dir` 1: down from its bottom, -1: up from
 * its top), that each lie in one column and follow the previous one closely: a cut cell's text.
 */
function cutCellLines(lines: readonly Line[], edge: number, dir: 1 | -1, xs: readonly number[]): Line[] {
  const out: Line[] = [];
  let at = edge;
  for (const l of lines) {
    const gap = dir === 1 ? l.y0 - at : at - l.y1;
    if (gap > NEAR * l.size || !inOneColumn(l, xs)) break;
    out.push(l);
    at = dir === 1 ? l.y1 : l.y0;
  }
  return out;
}

/** Loose lines beside a part, in a column the part's own rules leave out. */
function beside(lines: readonly Line[], frame: Frame, xs: readonly number[]): Line[] {
  const x0 = xs[0]!;
  const x1 = xs[xs.length - 1]!;
  return lines.filter((l) => l.y0 >= frame.box.y0 - 1 && l.y1 <= frame.box.y1 + 1 && l.x0 >= x0 - 1 && l.x1 <= x1 + 1
    && (l.x1 <= frame.box.x0 + 1 || l.x0 >= frame.box.x1 - 1) && inOneColumn(l, xs));
}
