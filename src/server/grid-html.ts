/**
 * One table of the reconstructed grid as an HTML table. Cells are placed by their grid slots
 * (row, col, spans), not by their order in the row, so a slot the source left empty becomes a
 * visible gap instead of shifting the cells after it; the rendered table then has the same
 * geometry as the grid provenance points into. Pure.
 */
import type { Cell, Table } from '../extract/grid.js';
import { type SafeHtml, html } from './html.js';
import { type CellInfo, cellKey } from './marks.js';

export interface GridContext {
  tableIndex: number;
  cells: ReadonlyMap<string, CellInfo>;
  values: Readonly<Record<string, number | null>>;
}

/** Above this many slots a table is drawn row by row (no gap filling); no real report comes close. */
const MAX_SLOTS = 250_000;

export const cellAnchor = (table: number, row: number, col: number) => `c-${table}-${row}-${col}`;

function cellTitle(cell: Cell, info: CellInfo | undefined, values: GridContext['values']): string | null {
  if (!info) return null;
  const lines = info.fields.map((f) => `${f} = ${values[f] === undefined ? '(not read)' : values[f] === null ? 'blank' : values[f]}`);
  if (info.issues.length) lines.push(`issues: ${info.issues.join(', ')}`);
  if (cell.page) lines.push(`page ${cell.page}${cell.bbox ? ` [${cell.bbox.map((n) => Math.round(n * 10) / 10).join(', ')}]` : ''}`);
  return lines.join('\n');
}

function td(cell: Cell, ctx: GridContext): SafeHtml {
  const info = ctx.cells.get(cellKey(ctx.tableIndex, cell.row, cell.col));
  const classes = [info ? 'field' : null, info?.mark ?? null, cell.inferred ? 'inferred' : null].filter(Boolean).join(' ');
  const attrs = [
    html` id="${cellAnchor(ctx.tableIndex, cell.row, cell.col)}" data-table="${ctx.tableIndex}" data-row="${cell.row}" data-col="${cell.col}"`,
    cell.rowSpan > 1 ? html` rowspan="${cell.rowSpan}"` : null,
    cell.colSpan > 1 ? html` colspan="${cell.colSpan}"` : null,
    classes ? html` class="${classes}"` : null,
    info ? html` data-fields="${info.fields.join(' ')}" title="${cellTitle(cell, info, ctx.values)}"` : null,
  ];
  return html`<td${attrs}>${cell.text}</td>`;
}

export function renderGridTable(table: Table, ctx: GridContext): SafeHtml {
  const cells = table.rows.flat();
  let nRows = 0;
  let nCols = 0;
  for (const c of cells) {
    nRows = Math.max(nRows, c.row + Math.max(1, c.rowSpan));
    nCols = Math.max(nCols, c.col + Math.max(1, c.colSpan));
  }
  if (nRows * nCols > MAX_SLOTS) {
    return html`<table class="grid">${table.rows.map((r) => html`<tr>${r.map((c) => td(c, ctx))}</tr>`)}</table>`;
  }
  const starts = new Map<string, Cell>();
  const covered = new Set<string>();
  for (const c of cells) {
    const k = `${c.row}:${c.col}`;
    if (starts.has(k) || covered.has(k)) continue; // a malformed overlap: keep the first cell
    starts.set(k, c);
    for (let r = c.row; r < c.row + Math.max(1, c.rowSpan); r++) {
      for (let col = c.col; col < c.col + Math.max(1, c.colSpan); col++) if (r !== c.row || col !== c.col) covered.add(`${r}:${col}`);
    }
  }
  const rows: SafeHtml[] = [];
  for (let r = 0; r < nRows; r++) {
    const tds: SafeHtml[] = [];
    for (let c = 0; c < nCols; c++) {
      const k = `${r}:${c}`;
      const cell = starts.get(k);
      if (cell) tds.push(td(cell, ctx));
      else if (!covered.has(k)) tds.push(html`<td class="gap"></td>`);
    }
    rows.push(html`<tr>${tds}</tr>`);
  }
  return html`<table class="grid" data-table="${ctx.tableIndex}">${rows}</table>`;
}
