/**
 * One HTML <table> → one grid Table, with rowspan/colspan laid out as a browser lays them out
 * (the HTML "forming a table" algorithm): each cell goes to the first free slot of its row, a
 * cell spanning rows blocks those slots below it, a span never reaches past its row group
 * (thead/tbody/tfoot) or the table's last row. Only origin cells are emitted, at their positions
 * in the expanded grid, so an exact table's last N cells of a row are that row's N value cells.
 */
import type { Cell, Table } from '../grid.js';
import type { Element } from './dom.js';
import type { HiddenTest } from './hidden.js';
import { isPlaceholderCell, rowCells, rowGroups } from './table-rows.js';
import { cellText } from './text-lines.js';

/** HTML caps: colspan at 1000, rowspan at 65534. */
const MAX_COLSPAN = 1000;
const MAX_ROWSPAN = 65534;

/**
 * The HTML "rules for parsing non-negative integers": leading white space, an optional "+",
 * then digits; anything after the digits is ignored ("2px" is 2, "1.5" is 1). Null when there
 * are no digits.
 */
export function parseNonNegativeInteger(value: string | undefined): number | null {
  const m = /^[\t\n\f\r ]*\+?(\d+)/.exec(value ?? '');
  return m ? Number(m[1]) : null;
}

export function colSpanOf(td: Element): number {
  const n = parseNonNegativeInteger(td.attribs.colspan);
  return n === null || n === 0 ? 1 : Math.min(n, MAX_COLSPAN);
}

/** rowspan="0" means "to the end of the row group": returned as 0 for the caller to resolve. */
export function rowSpanOf(td: Element): number {
  const n = parseNonNegativeInteger(td.attribs.rowspan);
  return n === null ? 1 : Math.min(n, MAX_ROWSPAN);
}

/** A character other than white space: asked of every row's cells, without a stripped copy of each. */
const VISIBLE_CHAR = /[^\s\u00a0]/;

/**
 * Word's `<![if !supportMisalignedColumns]>` row that only fixes column widths: zero height or
 * borderless, with no text. A blank data row has borders, so it is never mistaken for one.
 */
function isSpacerRow(tr: Element, cells: readonly Cell[], tds: readonly Element[]): boolean {
  if (cells.some(hasVisibleText)) return false;
  const zeroHeight = /^0+(?:px)?$/.test((tr.attribs.height ?? 'x').trim()) || /(?:^|;)\s*height\s*:\s*0(?:px|pt|cm)?\s*(?:;|$)/i.test(tr.attribs.style ?? '');
  const borderless = tds.length > 0 && tds.every(isBorderless);
  return zeroHeight || borderless;
}

// Module-level callbacks: a closure made per call is compiled again and again.
const hasVisibleText = (c: Cell) => VISIBLE_CHAR.test(c.text);
const BORDER_NONE = /(?:^|;)\s*border\s*:\s*none/i;
const isBorderless = (td: Element) => BORDER_NONE.test(td.attribs.style ?? '');

export interface GridOptions {
  /** Hidden elements take no slot and say nothing in a cell's text (cellText). */
  hidden: HiddenTest;
  /**
   * Let rowspans run past their row group. Browsers stop them at the group's end, but mammoth
   * counts a Word vertical merge over the whole table and still puts Word's repeated header rows
   * in a <thead>, so in its HTML a merge from the header into the body is real.
   */
  spansCrossRowGroups?: boolean;
}

/** Lay out a <table> element as a grid. Pure over the DOM. */
export function tableToGrid(table: Element, opts: GridOptions): Table {
  const groups = opts.spansCrossRowGroups ? [rowGroups(table).flat()] : rowGroups(table);
  // taken[y][x] is 1 where a cell from a row above covers column x of row y (arrays rather than
  // Sets: every row of every table gets one, and a Set costs more to make and to grow).
  const taken: number[][] = [];
  const rows: Cell[][] = [];
  let y = 0;
  for (const group of groups) {
    const groupEnd = y + group.length;
    for (const tr of group) {
      const slots = (taken[y] ??= []);
      const tds = rowCells(tr, opts.hidden);
      const out: Cell[] = [];
      let x = 0;
      for (const td of tds) {
        while (slots[x] === 1) x++;
        const colSpan = colSpanOf(td);
        const declared = rowSpanOf(td);
        const rowSpan = declared === 0 ? groupEnd - y : Math.min(declared, groupEnd - y);
        for (let dy = 0; dy < rowSpan; dy++) {
          const s = (taken[y + dy] ??= []);
          for (let dx = 0; dx < colSpan; dx++) s[x + dx] = 1;
        }
        if (!isPlaceholderCell(td)) out.push({ text: cellText(td, opts.hidden), row: y, col: x, rowSpan, colSpan });
        x += colSpan;
      }
      if (out.length && !isSpacerRow(tr, out, tds)) rows.push(out);
      y++;
    }
  }
  return { rows, exact: true, blanksVanish: false };
}
